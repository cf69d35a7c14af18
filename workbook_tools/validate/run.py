"""One call for the `validate` command and the 校验 button: validate files, then write the
annotated copies and the fixed copies that were asked for."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.validate.annotate import annotate_workbook, annotated_path
from workbook_tools.validate.files import validate_paths
from workbook_tools.validate.findings import FileReport, ValidationReport


@dataclass
class ValidationRun:
    report: ValidationReport
    annotated: dict[str, str] = field(default_factory=dict)   # input path → copy written
    fixed: dict[str, str] = field(default_factory=dict)
    fix_counts: dict[str, int] = field(default_factory=dict)  # input path → cells changed
    output_errors: dict[str, str] = field(default_factory=dict)  # input path → Chinese message

    @property
    def exit_code(self) -> int:
        """0 no errors (warnings allowed), 1 at least one error, 2 a file was unreadable."""
        if any(f.status == "unreadable" for f in self.report.files) or self.output_errors:
            return 2
        return 1 if any(f.errors for f in self.report.files) else 0


def run_validation(paths: Iterable[str | Path], schema: Any, *, form: str | None = None,
                   as_of: dt.date | None = None, annotate_dir: str | Path | None = None,
                   fix_dir: str | Path | None = None, checked_at: str | None = None) -> ValidationRun:
    """Validate ``paths`` (files or folders) and write the requested copies.

    The inputs are never modified; copies go to ``annotate_dir`` / ``fix_dir`` under the
    input's own name (made unique when two inputs share a name)."""
    report = validate_paths(paths, schema, form=form, as_of=as_of)
    run = ValidationRun(report=report)
    checked_at = checked_at or dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    readable = [f for f in report.files if f.status != "unreadable"]
    names = _unique_names(f.path for f in readable)
    for item in readable:
        if annotate_dir is not None:
            _annotate(run, item, Path(annotate_dir) / names[item.path], checked_at)
        if fix_dir is not None:
            _fix(run, item, schema, Path(fix_dir) / names[item.path], checked_at, as_of)
    return run


def _unique_names(paths: Iterable[str]) -> dict[str, str]:
    """Output names: the input's name, prefixed by its folder when two inputs share it."""
    paths = list(paths)
    counts = Counter(Path(p).name for p in paths)
    return {p: (Path(p).name if counts[Path(p).name] == 1
                else f"{Path(p).parent.name}_{Path(p).name}") for p in paths}


def _annotate(run: ValidationRun, item: FileReport, target: Path, checked_at: str) -> None:
    try:
        out = annotate_workbook(item.path, item.findings, annotated_path(target, target.parent),
                                checked_at=checked_at)
        run.annotated[item.path] = str(out)
    except WorkbookToolsError as exc:
        run.output_errors[item.path] = str(exc)


def _fix(run: ValidationRun, item: FileReport, schema: Any, target: Path, fixed_at: str,
         as_of: dt.date | None) -> None:
    from workbook_tools.validate.fix import fix_workbook, fixed_path

    try:
        result = fix_workbook(item.path, schema, fixed_path(target, target.parent),
                              fixed_at=fixed_at, as_of=as_of, report=item)
        run.fixed[item.path] = str(result.path)
        run.fix_counts[item.path] = len(result.changes)
    except WorkbookToolsError as exc:
        run.output_errors[item.path] = str(exc)
