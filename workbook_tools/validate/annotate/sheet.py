"""The 校验结果 sheet of an annotated workbook, and what both annotators share (helper of ``annotate``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from openpyxl.comments import Comment
from rich.cells import cell_len
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.exceptions import CellCoordinatesException
from openpyxl.worksheet.hyperlink import Hyperlink

from workbook_tools.schema.catalogue import catalogue
from workbook_tools.validate.annotate.load import put_value

RESULT_SHEET = "校验结果"
AUTHOR = "workbook-tools"  # of the comments we write (and remove when re-annotating)
MAX_ROW, MAX_COL = 1_048_576, 16_384
HEADERS = ("序号", "级别", "工作表", "单元格", "行号", "字段", "值", "问题说明", "问题类型", "代码")
# Column widths grow with the content (display cells: a Chinese character is two) from the least
# to the most; the prose columns 值 and 问题说明 wrap at their most, the others never need to.
WIDTHS = (6, 6, 10, 8, 6, 8, 10, 60, 12, 12)
MAX_WIDTHS = (8, 6, 66, 14, 9, 40, 30, 60, 40, 40)
WRAPPED = (6, 7)  # 0-based: 值, 问题说明
HEADER_ROW = 2  # row 1 holds the summary line
ERROR_RGB = "FFFFC7CE"
WARNING_RGB = "FFFFEB9C"
ERROR_FILL = PatternFill(fill_type="solid", fgColor=ERROR_RGB, bgColor=ERROR_RGB)
WARNING_FILL = PatternFill(fill_type="solid", fgColor=WARNING_RGB, bgColor=WARNING_RGB)
LEVELS = {"error": "错误", "warning": "警告"}

HEADER_RGB, HEADER_BORDER_RGB, LINK_RGB = "FFD9E1F2", "FF8EA9DB", "FF0563C1"
_HEADER_FILL = PatternFill(fill_type="solid", fgColor=HEADER_RGB, bgColor=HEADER_RGB)
_HEADER_BORDER = Border(bottom=Side(style="thin", color=HEADER_BORDER_RGB))
LINK_FONT = Font(color=LINK_RGB, underline="single")
_WRAP = Alignment(wrap_text=True, vertical="top")
_DATE_FORMATS = ((dt.datetime, "yyyy-mm-dd hh:mm:ss"), (dt.date, "yyyy-mm-dd"), (dt.time, "hh:mm:ss"))


def is_error(finding: Any) -> bool:
    return getattr(finding, "severity", None) == "error"


def level_label(finding: Any) -> str:
    severity = getattr(finding, "severity", None)
    return LEVELS.get(severity, str(severity or ""))


def fill_for(finding: Any) -> PatternFill:
    return ERROR_FILL if is_error(finding) else WARNING_FILL


def quote_sheet(title: str) -> str:
    """Sheet name as it appears in a reference: always quoted, inner quotes doubled."""
    return "'" + title.replace("'", "''") + "'"


@dataclass
class ResultRow:
    """One finding as listed on 校验结果; ``sheet``/``coord`` locate the marked cell, if any."""

    finding: Any
    sheet: str | None
    coord: str | None
    row: int | None


PAGE_FOOTER = "第 &P 页，共 &N 页"


def list_sheet(wb, name: str, summary: str, headers: tuple, widths: tuple, count: int):
    """A fresh last sheet ``name`` (any previous one replaced) framed for a list of ``count``
    rows: summary line in row 1, styled header in HEADER_ROW, widths, frozen header, filter and
    repeated print titles. The caller writes the rows below the header."""
    if name in wb.sheetnames:
        del wb[name]
    ws = wb.create_sheet(name)
    ws.cell(row=1, column=1, value=summary).font = Font(bold=True, size=12)
    for col, title in enumerate(headers, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=title)
        cell.font, cell.fill, cell.border = Font(bold=True), _HEADER_FILL, _HEADER_BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1).coordinate
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(count, 1)}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    _page_setup(ws, name)
    return ws


def _page_setup(ws, name: str) -> None:
    """A4 landscape, one page wide, the sheet's name in the page header, page n of m below
    (the same as results.PAGE_XML writes on the package-edit path)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.left.text = name
    ws.oddFooter.center.text = PAGE_FOOTER


def write_results_sheet(wb, rows: list[ResultRow], summary: str):
    """Replace any previous 校验结果 sheet by a new last sheet listing ``rows``."""
    widths = result_widths((r.finding, r.coord, r.row) for r in rows)
    ws = list_sheet(wb, RESULT_SHEET, summary, HEADERS, widths, len(rows))
    for number, item in enumerate(rows, start=1):
        _write_row(ws, HEADER_ROW + number, number, item)
    return ws


def _write_row(ws, r: int, number: int, item: ResultRow) -> None:
    f = item.finding
    cells = [ws.cell(row=r, column=c) for c in range(1, len(HEADERS) + 1)]
    cells[0].value = number
    cells[1].value = level_label(f)
    cells[1].fill = fill_for(f)
    for cell, value in zip(cells[2:], (getattr(f, "sheet", None), item.coord or getattr(f, "cell", None),
                                       item.row, getattr(f, "field", None))):
        if value is not None:
            put_value(cell, value)
    _write_value(cells[6], getattr(f, "value", None))
    put_value(cells[7], str(getattr(f, "message", "") or ""))
    for col in WRAPPED:
        cells[col].alignment = _WRAP
    for cell, value in zip(cells[8:], finding_kind(f)):
        if value:
            put_value(cell, value)
    if item.sheet and item.coord:
        cells[3].hyperlink = Hyperlink(ref=cells[3].coordinate,
                                       location=f"{quote_sheet(item.sheet)}!{item.coord}")
        cells[3].font = LINK_FONT


def _write_value(cell, value: Any) -> None:
    if value is None:
        return
    put_value(cell, value)
    for kind, number_format in _DATE_FORMATS:
        if isinstance(value, kind):
            cell.number_format = number_format
            break


# --- shared by the openpyxl and the XML annotators ---------------------------------------


def finding_kind(finding: Any) -> tuple[str, str]:
    """(问题类型, 代码): the catalogue's Chinese title of the finding's code ("" if none), the code."""
    code = str(getattr(finding, "code", "") or "")
    item = catalogue().get(code)
    return (item.title if item else ""), code


def _shown(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None else str(value)


def result_widths(rows: Iterable[tuple[Any, str | None, Any]]) -> tuple[float, ...]:
    """The 校验结果 column widths for ``rows`` of (finding, marked cell, row number): each column as
    wide as its widest text (display cells + 2), between WIDTHS and MAX_WIDTHS."""
    return text_widths((number, level_label(f), getattr(f, "sheet", None), coord or getattr(f, "cell", None),
                        row, getattr(f, "field", None), getattr(f, "value", None), getattr(f, "message", None),
                        *finding_kind(f))
                       for number, (f, coord, row) in enumerate(rows, start=1))


def text_widths(rows: Iterable[Iterable[Any]]) -> tuple[float, ...]:
    """The 校验结果 column widths for rows of shown values in HEADERS order (also the 校验 button's)."""
    need = [cell_len(h) + 2 for h in HEADERS]
    for texts in rows:
        need = [max(n, cell_len(_shown(t)) + 2) for n, t in zip(need, texts)]
    return tuple(min(max(n, low), high) for n, low, high in zip(need, WIDTHS, MAX_WIDTHS))


def summary_line(src: Path, findings: list, checked_at: str, notes: Iterable[str] = ()) -> str:
    """The first row of 校验结果: 共 N 个问题：错误 E 个，警告 W 个；文件：…；校验时间：…；notes."""
    errors = sum(1 for f in findings if is_error(f))
    head = "未发现问题"
    if findings:
        head = f"共 {len(findings)} 个问题：错误 {errors} 个，警告 {len(findings) - errors} 个"
    return "；".join([head, f"文件：{src.name}", f"校验时间：{checked_at}", *notes])


def coordinate(text: Any) -> str | None:
    """Normalise "c7" / "$C$7" / "C7:D9" to "C7"; None for anything that is not a cell."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        column, row = coordinate_from_string(text.strip().split(":")[0].replace("$", "").upper())
        ok = 1 <= row <= MAX_ROW and column_index_from_string(column) <= MAX_COL
    except (CellCoordinatesException, ValueError):
        return None
    return f"{column}{row}" if ok else None


def make_comment(text: str) -> Comment:
    """A comment whose box fits its text (about 7 px per narrow and 13 px per wide character)."""
    widths = [sum(13 if ord(ch) > 0x2E7F else 7 for ch in line) for line in text.split("\n")]
    width = min(max(max(widths) + 16, 180), 400)
    lines = sum(max(1, -(-w // (width - 16))) for w in widths)
    height = min(max(lines * 17 + 14, 48), 600)
    return Comment(text, AUTHOR, height=height, width=width)


def rank(finding: Any) -> int:
    return 0 if is_error(finding) else 1


def col_number(coord: str | None) -> int:
    return column_index_from_string(coordinate_from_string(coord)[0]) if coord else 0
