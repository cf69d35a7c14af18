"""Hand validation findings back inside the submitter's own workbook.

``annotate_workbook`` writes a copy of the submitted workbook in which every cell with an
error is filled red and every cell with only warnings yellow, each with a comment holding
its messages, plus a last sheet 校验结果 listing every finding with a link to its cell.
The original file is never modified. Findings are duck-typed: any object with
``severity, code, sheet, cell, row, field, value, message`` will do.

Re-annotating an annotated copy replaces its 校验结果 sheet and first removes the
comments written by an earlier run (author "workbook-tools") with the fill they set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from openpyxl.cell.cell import MergedCell
from openpyxl.styles import PatternFill
from openpyxl.utils.cell import coordinate_from_string

from workbook_tools.io.atomic import atomic_path
from workbook_tools.validate.annotate.load import Loaded, load_for_annotation
from workbook_tools.validate.annotate.sheet import (
    AUTHOR, ERROR_RGB, RESULT_SHEET, WARNING_RGB, ResultRow, col_number, coordinate, fill_for,
    level_label, make_comment, rank, summary_line, write_results_sheet,
)
from workbook_tools.validate.annotate.package import annotate_package

__all__ = ["AUTHOR", "RESULT_SHEET", "annotate_workbook", "annotated_path", "summary_line"]

NATIVE_SUFFIXES = (".xlsx", ".xlsm")


def annotated_path(src: str | Path, outdir: str | Path) -> Path:
    """OUTDIR / the input's name; inputs not named .xlsx/.xlsm get the .xlsx suffix.

    ``annotate_workbook`` may still correct the suffix (it decides from the file's bytes:
    a real .xlsx named .xls becomes .xlsx); its return value is the path written.
    """
    src = Path(src)
    name = src.name if src.suffix.lower() in NATIVE_SUFFIXES else src.stem + ".xlsx"
    return Path(outdir) / name


def annotate_workbook(src: str | Path, findings: Iterable[Any], out_path: str | Path, *,
                      checked_at: str) -> Path:
    """Write the annotated copy of ``src`` and return its path.

    The suffix of ``out_path`` is corrected to what is written (.xlsm for an .xlsm input
    whose macros are kept, .xlsx otherwise). ``checked_at`` is shown verbatim as 校验时间.
    校验结果 lists errors first, then by sheet (workbook order), row and column, like
    ``findings.sort_findings``. Raises UnreadableWorkbook, or OutputError from atomic_path.
    """
    src, findings = Path(src), list(findings)
    fast = annotate_package(src, findings, Path(out_path), checked_at)
    if fast is not None:  # edited the package directly: fast, and nothing else changes
        return fast
    loaded = load_for_annotation(src)
    out_path = Path(out_path)
    if out_path.suffix.lower() != loaded.suffix:
        out_path = out_path.with_suffix(loaded.suffix)
    _remove_previous_marks(loaded.wb)
    rows = _mark_cells(loaded, findings)
    results = write_results_sheet(loaded.wb, rows, summary_line(src, findings, checked_at, loaded.notes))
    _activate(loaded.wb, results, force=bool(findings))
    with atomic_path(out_path, inputs=[src]) as tmp:
        loaded.wb.save(tmp)
    return out_path


def _mark_cells(loaded: Loaded, findings: list) -> list[ResultRow]:
    rows: list[ResultRow] = []
    marks: dict[tuple[str, str], list] = {}
    for finding in findings:
        ws, coord = _locate(loaded, finding)
        row = getattr(finding, "row", None)
        if row is None and coord:
            row = coordinate_from_string(coord)[1]
        rows.append(ResultRow(finding, ws.title if ws is not None else None, coord, row))
        if coord:
            marks.setdefault((ws.title, coord), []).append(finding)
    for (title, coord), group in marks.items():
        _mark(loaded.wb[title][coord], group)
    order = {title: i for i, title in enumerate(loaded.wb.sheetnames)}
    rows.sort(key=lambda r: (rank(r.finding), order.get(r.sheet, -1),
                             r.row if isinstance(r.row, int) else 0, col_number(r.coord)))
    return rows


def _locate(loaded: Loaded, finding: Any):
    """(worksheet, coordinate of the cell to mark); either may be None."""
    wb = loaded.wb
    if loaded.single_sheet:
        title = wb.worksheets[0].title
    else:
        name = getattr(finding, "sheet", None)
        title = loaded.sheet_alias.get(name, name) if isinstance(name, str) else None
    if not title or title == RESULT_SHEET or title not in wb.sheetnames:
        return None, None
    ws = wb[title]
    if not hasattr(ws, "merged_cells"):  # a chart sheet
        return None, None
    coord = coordinate(getattr(finding, "cell", None))
    return ws, (_merge_anchor(ws, coord) if coord else None)


def _merge_anchor(ws, coord: str) -> str:
    """A cell hidden inside a merged range is marked on the range's top-left cell."""
    if not isinstance(ws[coord], MergedCell):
        return coord
    for merged in ws.merged_cells.ranges:
        if coord in merged:
            return merged.start_cell.coordinate
    return coord


def _mark(cell, group: list) -> None:
    group = sorted(group, key=rank)
    cell.fill = fill_for(group[0])
    lines: list[str] = []
    for finding in group:
        line = f"{level_label(finding)}：{getattr(finding, 'message', '') or ''}"
        if line not in lines:
            lines.append(line)
    cell.comment = make_comment("\n".join(lines))


def _remove_previous_marks(wb) -> None:
    """Drop comments (and our fill) that an earlier annotation run left on any cell."""
    for ws in wb.worksheets:
        for cell in list(getattr(ws, "_cells", {}).values()):
            comment = cell.comment
            if comment is None or comment.author != AUTHOR:
                continue
            cell.comment = None
            fill = cell.fill
            if fill.fill_type == "solid" and fill.fgColor.rgb in (ERROR_RGB, WARNING_RGB):
                cell.fill = PatternFill()


def _activate(wb, results, *, force: bool) -> None:
    """Open on 校验结果 when there are findings (or the active sheet is hidden); one selected tab."""
    target = wb.active
    if force or target is None or getattr(target, "sheet_state", "visible") != "visible":
        target = results
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet is target
    for chart in wb.chartsheets:
        for view in chart.sheetViews.sheetView:
            view.tabSelected = chart is target
    wb.active = target
