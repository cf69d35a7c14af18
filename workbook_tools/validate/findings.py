"""Findings and reports: what validation hands to the CLI, the annotator and the JSON output.

JSON shape (``ValidationReport.to_dict()``)::

    {"files": [{"path", "status", "error", "form", "rows",
                "findings": [{"severity", "code", "sheet", "cell", "row", "field", "value", "message"}]}],
     "totals": {"files", "ok", "invalid", "unreadable", "rows", "errors", "warnings"},
     "notes": [...]}

Findings are sorted most important first: errors before warnings, then sheet (workbook
order), row, column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

FINDING_FIELDS = ("severity", "code", "sheet", "cell", "row", "field", "value", "message")
SEVERITY_RANK = {"error": 0, "warning": 1}


@dataclass(frozen=True, slots=True)
class Finding:
    severity: str        # "error" | "warning"
    code: str            # catalogue code, e.g. "id-card-checksum"
    sheet: str
    cell: str | None     # "C7"; None for row- or table-level findings
    row: int | None      # 1-based sheet row
    field: str | None    # the field's label (column name)
    value: str           # the cell as shown
    message: str         # Chinese, says how to fix

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FINDING_FIELDS}


def column_number(cell: str | None) -> int:
    """"AB12" → 28; 0 when there is no cell."""
    number = 0
    for char in cell or "":
        if not char.isalpha():
            break
        number = number * 26 + (ord(char.upper()) - 64)
    return number


def count_severity(findings: Iterable[Finding], severity: str) -> int:
    return sum(1 for f in findings if f.severity == severity)


class SeverityCounts:
    """``errors`` and ``warnings`` of a class holding ``findings``."""

    findings: list

    @property
    def errors(self) -> int:
        return count_severity(self.findings, "error")

    @property
    def warnings(self) -> int:
        return count_severity(self.findings, "warning")


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then sheet (in the order sheets first appear), row, column."""
    items = list(findings)
    sheets: dict[str, int] = {}
    for item in items:
        sheets.setdefault(item.sheet, len(sheets))
    return sorted(items, key=lambda f: (SEVERITY_RANK.get(f.severity, 9), sheets[f.sheet],
                                        f.row or 0, column_number(f.cell)))


def _flatten(findings: Iterable[Finding], fields: Sequence[str], extra: dict) -> list[tuple]:
    unknown = [name for name in fields if name not in FINDING_FIELDS and name not in extra]
    if unknown:
        raise ValueError(f"unknown finding fields: {unknown}")
    return [tuple(extra[n] if n in extra else getattr(f, n) for n in fields) for f in findings]


@dataclass
class FileReport(SeverityCounts):
    """The validation of one file. ``tables`` holds the engine's TableResults (parsed
    values for --fix and merge); it is not part of the JSON."""

    path: str
    form: str | None = None
    rows: int = 0
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    tables: list = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def unreadable(cls, path: str, error: str) -> "FileReport":
        return cls(path=str(path), error=error)

    @property
    def status(self) -> str:
        if self.error:
            return "unreadable"
        return "invalid" if self.errors else "ok"


    def flatten(self, fields: Sequence[str] = ("row", "field", "code")) -> list[tuple]:
        """Findings as tuples of the chosen fields (also "path")."""
        return _flatten(self.findings, fields, {"path": self.path})

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path, "status": self.status, "error": self.error, "form": self.form,
            "rows": self.rows, "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class ValidationReport:
    files: list[FileReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. skipped ~$ lock files

    @property
    def valid(self) -> bool:
        return all(f.status == "ok" for f in self.files)

    @property
    def totals(self) -> dict[str, int]:
        statuses = [f.status for f in self.files]
        return {
            "files": len(self.files), "ok": statuses.count("ok"),
            "invalid": statuses.count("invalid"), "unreadable": statuses.count("unreadable"),
            "rows": sum(f.rows for f in self.files),
            "errors": sum(f.errors for f in self.files),
            "warnings": sum(f.warnings for f in self.files),
        }

    def flatten(self, fields: Sequence[str] = ("path", "row", "field", "code")) -> list[tuple]:
        out: list[tuple] = []
        for report in self.files:
            out.extend(report.flatten(fields))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"files": [f.to_dict() for f in self.files], "totals": self.totals,
                "notes": list(self.notes)}
