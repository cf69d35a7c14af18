"""Unknown columns found in the inputs: kept, one master column per header."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from workbook_tools.merge.rows import SourceRow, is_empty, is_provenance_header
from workbook_tools.schema.model import normalize_header

UNNAMED = "未命名列"


class ExtraColumns:
    """One column per normalised header, shown with the header as first written,
    in first-seen order. Provenance headers (来源文件 …) are never extras: they are
    rewritten on every master, so re-reading a master must not duplicate them."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}  # key (normalised header) → header as written

    def key(self, header: Any) -> str | None:
        """The column key of a header, registering it; None for provenance columns."""
        text = "" if header is None else str(header)
        if is_provenance_header(text):
            return None
        key = normalize_header(text) or UNNAMED
        self.headers.setdefault(key, text.strip() or UNNAMED)
        return key

    def normalise(self, extras: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for header, value in extras.items():
            key = self.key(header)
            if key is not None and not is_empty(value):
                out.setdefault(key, value)
        return out

    def keyed(self, row: SourceRow) -> SourceRow:
        """The row with extras keyed by column key (a copy; the caller's row is untouched)."""
        if not row.extras:
            return row
        return replace(row, extras=self.normalise(row.extras))

    @property
    def keys(self) -> list[str]:
        return list(self.headers)

    @property
    def labels(self) -> list[str]:
        return list(self.headers.values())
