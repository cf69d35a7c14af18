"""The 修正记录 sheet of a fixed workbook (helper of ``fix``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from openpyxl.worksheet.hyperlink import Hyperlink

from workbook_tools.validate.annotate.load import put_value
from workbook_tools.validate.annotate.sheet import HEADER_ROW, LINK_FONT, list_sheet, quote_sheet

FIX_SHEET = "修正记录"
HEADERS = ("序号", "工作表", "单元格", "字段", "原值", "新值", "修正类型")
WIDTHS = (6, 18, 9, 16, 28, 28, 18)


def summary_line(name: str, count: int, fixed_at: str, notes: Iterable[str] = ()) -> str:
    """共修正 N 处；文件：…；修正时间：…；notes (未发现可自动修正的内容 when N is 0)."""
    head = f"共修正 {count} 处" if count else "未发现可自动修正的内容"
    return "；".join([head, f"文件：{name}", f"修正时间：{fixed_at}", *notes])


def write_fix_sheet(wb, changes: list, summary: str):
    """Replace any previous 修正记录 sheet by a new last sheet listing ``changes``."""
    ws = list_sheet(wb, FIX_SHEET, summary, HEADERS, WIDTHS, len(changes))
    for number, change in enumerate(changes, start=1):
        _write_row(ws, HEADER_ROW + number, number, change)
    return ws


def _write_row(ws, r: int, number: int, change: Any) -> None:
    cells = [ws.cell(row=r, column=c) for c in range(1, len(HEADERS) + 1)]
    cells[0].value = number
    for cell, text in zip(cells[1:4], (change.sheet, change.cell, change.field)):
        put_value(cell, str(text or ""))
    put_value(cells[4], old_text(change.old))
    _write_new(cells[5], change.new)
    put_value(cells[6], change.kind)
    cells[2].hyperlink = Hyperlink(ref=cells[2].coordinate,
                                   location=f"{quote_sheet(change.sheet)}!{change.cell}")
    cells[2].font = LINK_FONT


def old_text(value: Any) -> str:
    """The old value as typed (text as is, surrounding spaces included; a number without .0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def _write_new(cell, value: Any) -> None:
    put_value(cell, value)
    if isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, str):
        cell.number_format = "@"
