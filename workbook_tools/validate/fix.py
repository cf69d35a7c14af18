"""``validate --fix``: a copy of a submitted workbook with only safe normalisations applied.

What is fixed, cell by cell, is decided from the validator's own output (each
TableResult's parsed values) by ``fix_rules.safe_fix``: surrounding spaces (also
full-width spaces and NBSP) trimmed everywhere; in code, phone, number, date and choice
columns full-width → half-width, text dates → real dates, choice aliases → the standard
value, phones in one format, text numbers → numbers, lower-case letters of codes →
upper-case. A cell is changed only when the old value has no error and the new one
validates clean with the same parsed value; anything whose meaning could change stays
as it is for the submitter to correct (see ``fix_rules``). Cells with an error finding
(also from row rules such as a duplicate 客户编号) are never touched.

Every change is listed on a last sheet 修正记录 with a link to its cell. The workbook is
opened like ``annotate`` opens it (formats, drop-downs and VBA kept; .xls/.ods/.csv
copied value by value into an .xlsx), the original is never modified, and the copy is
written atomically.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import MergedCell
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from workbook_tools.io.atomic import atomic_path
from workbook_tools.validate.annotate import annotated_path
from workbook_tools.validate.annotate.load import Loaded, load_for_annotation, put_value
from workbook_tools.validate.annotate.sheet import RESULT_SHEET
from workbook_tools.validate.common import CheckContext
from workbook_tools.validate.files import validate_workbook
from workbook_tools.validate.fix_rules import Fix, safe_fix
from workbook_tools.validate.fix_sheet import FIX_SHEET, summary_line, write_fix_sheet

__all__ = ["FIX_SHEET", "Change", "FixResult", "fix_workbook", "fixed_path"]

DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"


@dataclass(frozen=True)
class Change:
    """One fixed cell: ``sheet`` is the sheet's title in the copy, ``field`` the field's
    label, ``old`` the raw value as read, ``new`` the value written, ``kind`` the 修正类型."""

    sheet: str
    cell: str
    field: str
    old: Any
    new: Any
    kind: str


@dataclass
class FixResult:
    path: Path                                         # the copy written
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)     # e.g. 原文件为 .csv，已转存为 .xlsx

    @property
    def count(self) -> int:
        return len(self.changes)


def fixed_path(src: str | Path, outdir: str | Path) -> Path:
    """OUTDIR / the input's name (.xlsx unless the input is .xlsx/.xlsm); ``fix_workbook``
    may still correct the suffix from the file's bytes — its result holds the path written."""
    return annotated_path(src, outdir)


def fix_workbook(src: str | Path, schema: Any, out_path: str | Path, *, fixed_at: str,
                 as_of: dt.date | None = None, report: Any = None) -> FixResult:
    """Write the fixed copy of ``src`` and return what was written and changed.

    ``report`` — the FileReport of ``validate_workbook(src, schema, as_of=as_of)`` — is
    reused when given (validated with the same ``as_of``), otherwise ``src`` is validated
    here. ``fixed_at`` is shown verbatim as 修正时间. The suffix of ``out_path`` is corrected
    to what is written (.xlsm when the macros of an .xlsm are kept, else .xlsx). Raises
    UnreadableWorkbook, or OutputError from atomic_path.
    """
    src = Path(src)
    loaded = load_for_annotation(src)
    out_path = Path(out_path)
    if out_path.suffix.lower() != loaded.suffix:
        out_path = out_path.with_suffix(loaded.suffix)
    if report is None:
        report = validate_workbook(src, schema, as_of=as_of)
    ctx = CheckContext.build(schema, as_of, loaded.wb.epoch == CALENDAR_MAC_1904)
    changes: list[Change] = []
    for result in report.tables:
        changes.extend(_fix_table(loaded, result, ctx))
    summary = summary_line(src.name, len(changes), fixed_at, loaded.notes)
    write_fix_sheet(loaded.wb, changes, summary)
    with atomic_path(out_path, inputs=[src]) as tmp:
        loaded.wb.save(tmp)
    return FixResult(out_path, changes, list(loaded.notes))


def _fix_table(loaded: Loaded, result: Any, ctx: CheckContext) -> list[Change]:
    """Fix one table row by row; cells with an error finding are left alone."""
    table = result.table
    ws = _worksheet(loaded, table.sheet)
    if ws is None:
        return []
    fields = {f.key: f for f in table.form.fields}
    columns = [(fields[key], table.position(key), {}) for key in table.fields if key in fields]
    error_cells = {f.cell for f in result.findings if f.severity == "error" and f.cell}
    changes: list[Change] = []
    for record, parsed in zip(table.records, result.parsed):
        for fld, pos, cache in columns:
            raw = record.values[pos] if pos < len(record.values) else None
            fix = _cached_fix(cache, raw, parsed.get(fld.key), fld, ctx)
            if fix is None:
                continue
            coord = table.cell_at(record, pos)
            if coord in error_cells or not _holds(ws[coord], raw):
                continue
            _write(ws[coord], fix.new, fld)
            changes.append(Change(ws.title, coord, fld.label, raw, fix.new, fix.kind))
    return changes


def _cached_fix(cache: dict, raw: Any, parsed: Any, fld: Any, ctx: CheckContext) -> Fix | None:
    """safe_fix, computed once per distinct text of a column (as the engine checks them)."""
    if raw is None:
        return None
    if raw.__class__ is not str:
        return safe_fix(raw, parsed, fld, ctx)
    if raw not in cache:
        cache[raw] = safe_fix(raw, parsed, fld, ctx)
    return cache[raw]


def _worksheet(loaded: Loaded, name: str):
    """The worksheet of the copy that holds the reader's sheet ``name`` (None if none)."""
    wb = loaded.wb
    if loaded.single_sheet:
        return wb.worksheets[0]
    title = loaded.sheet_alias.get(name, name)
    if title in (FIX_SHEET, RESULT_SHEET) or title not in wb.sheetnames:  # our own lists
        return None
    ws = wb[title]
    return ws if hasattr(ws, "merged_cells") else None  # not a chart sheet


def _holds(cell: Any, raw: Any) -> bool:
    """The cell still holds exactly what the reader saw: no formula (the reader saw its
    cached result), no rich text, no merged-away cell."""
    if isinstance(cell, MergedCell) or cell.data_type == "f":
        return False
    value = cell.value
    if isinstance(raw, str):
        return value.__class__ is str and value == raw
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == raw


def _write(cell: Any, new: Any, fld: Any) -> None:
    if isinstance(new, str):
        put_value(cell, new)
        if fld.is_code:
            cell.number_format = TEXT_FORMAT  # Excel must keep codes as text
    elif isinstance(new, dt.date):
        cell.value = new
        cell.number_format = DATE_FORMAT
    else:
        cell.value = new
        if cell.number_format == TEXT_FORMAT:
            cell.number_format = "General"
