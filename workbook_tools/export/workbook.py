"""Write the export workbook with XlsxWriter: 发放说明 first, then one sheet per form.

Only values already passed through the role's view reach this module; text is written
as text (never as a formula), dates as dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter
from rich.cells import cell_len

from workbook_tools.io.continuation import continuation_name, sheet_counts
from workbook_tools.io.pagesetup import setup_table_page, setup_text_page

INSTRUCTIONS_SHEET = "发放说明"

TITLE = "客户资料（发放）"
NOT_FOR_OTHERS = "仅限接收人使用，不得转发或外传"   # the printed page says so too


def write_export(path: Path, notes: list[tuple[str, str]], sheets: list[tuple[str, list, list]],
                 widths: dict[str, float], created: dt.datetime) -> None:
    """``notes``: (项目, 内容) rows of 发放说明; ``sheets``: (name, headers, rows)."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                           "strings_to_urls": False, "strings_to_numbers": False})
    book.set_properties({"title": TITLE, "subject": "客户档案发放", "author": "",
                         "company": "", "comments": "", "created": created})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    _instructions(book, notes, bold, wrap)
    for name, headers, rows in sheets:
        column_widths = content_widths(headers, rows, widths)
        counts = sheet_counts(len(rows), 1)   # past a sheet's rows: NAME(2) … (io.continuation)
        first = 0
        for k, count in enumerate(counts, start=1):
            _table(book, continuation_name(name, k), headers, rows[first:first + count], column_widths,
                   bold, date)
            first += count
    book.close()


def _table(book, name: str, headers: list, rows: list, column_widths: list[float], bold, date) -> None:
    """One sheet: header, widths, frozen header, filter, the rows."""
    sheet = book.add_worksheet(name)
    setup_table_page(sheet, column_widths, title=f"{TITLE} · {name}", subtitle=NOT_FOR_OTHERS,
                     key_columns=min(2, len(headers)))
    for col, width in enumerate(column_widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, headers, bold)
    if headers:
        sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)
    _rows(sheet, rows, date)


def content_widths(headers: list, rows: list, widths: dict[str, float], most: float = 60) -> list[float]:
    """Each column as wide as its header and widest text (display cells + 2, at most ``most``),
    at least the form's width. A text of n characters needs at most 2n cells: only texts that might not
    fit are measured."""
    out = [max(float(widths.get(h, 12)), cell_len(str(h)) + 2) for h in headers]
    for row in rows:
        for c, value in enumerate(row):
            if value.__class__ is str and 2 * len(value) + 2 > out[c] and out[c] < most:
                out[c] = min(max(out[c], cell_len(value) + 2), most)
    return out


def _instructions(book, notes, bold, wrap) -> None:
    sheet = book.add_worksheet(INSTRUCTIONS_SHEET)
    setup_text_page(sheet, 16 + 90, title=f"{TITLE} · {INSTRUCTIONS_SHEET}", subtitle=NOT_FOR_OTHERS)
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 90)
    sheet.write_row(0, 0, ["项目", "内容"], bold)
    for i, (item, text) in enumerate(notes, start=1):
        sheet.write_string(i, 0, item)
        sheet.write_string(i, 1, text, wrap)


def _rows(sheet, rows: list, date) -> None:
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            kind = value.__class__
            if kind is str:
                write_string(r, c, value)
            elif kind is float or kind is int:
                write_number(r, c, value)
            elif kind is dt.date or kind is dt.datetime:
                write_datetime(r, c, value, date)
            else:
                write_string(r, c, str(value))
