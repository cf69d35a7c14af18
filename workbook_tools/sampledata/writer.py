"""Write a ``FileModel`` with XlsxWriter, byte-for-byte reproducibly: a fixed creation
date (the zip entries already carry a fixed timestamp) and nothing that depends on the
clock or the machine. Big files use constant_memory mode (rows are written in order).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import xlsxwriter

from workbook_tools.sampledata.sheet import FileModel, Sheet
from workbook_tools.schema.model import CODE_TYPES

BIG_FILE_ROWS = 2000  # from this many rows in a sheet on, write in constant_memory mode
DATE_FORMAT = "yyyy-mm-dd"
NUMBER_FORMATS = {"money": "#,##0.00", "decimal": "0.00", "integer": "0"}


def write_file(path: Path, model: FileModel, created: datetime, company: str = "") -> None:
    big = max(len(s.rows) for s in model.sheets.values()) >= BIG_FILE_ROWS
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": big})
    workbook.set_properties({
        "title": f"{model.region}区客户档案", "author": model.clerk, "company": company,
        "created": created,
    })
    formats = _formats(workbook)
    for sheet in model.sheets.values():
        _write_sheet(workbook.add_worksheet(sheet.name), sheet, formats)
    workbook.close()


def _formats(workbook) -> dict:
    return {
        "title": workbook.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}),
        "header": workbook.add_format({"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter",
                                       "border": 1, "bg_color": "#DDEBF7"}),
        "date": workbook.add_format({"num_format": DATE_FORMAT}),
        "text": workbook.add_format({"num_format": "@"}),
        **{k: workbook.add_format({"num_format": v}) for k, v in NUMBER_FORMATS.items()},
    }


def _column_format(formats: dict, type_: str):
    if type_ == "date":
        return formats["date"]
    if type_ in CODE_TYPES:
        return formats["text"]
    return formats.get(type_)


def _write_sheet(ws, sheet: Sheet, formats: dict) -> None:
    col_formats = [_column_format(formats, c.type) for c in sheet.columns]
    for i, (column, fmt) in enumerate(zip(sheet.columns, col_formats)):
        ws.set_column(i, i, column.width, fmt)
    row = 0
    if sheet.title is not None:
        ws.set_row(0, 28)
        ws.merge_range(0, 0, 0, len(sheet.columns) - 1, sheet.title, formats["title"])
        row = 1
    row += sheet.blank_before_header
    multiline = any("\n" in c.header for c in sheet.columns)
    if multiline:
        ws.set_row(row, 32)
    for i, column in enumerate(sheet.columns):
        ws.write_string(row, i, column.header, formats["header"])
    _write_rows(ws, sheet, row + 1, col_formats, formats["date"])
    if sheet.footer:
        ws.write_string(sheet.footer_row - 1, 0, sheet.footer)


def _write_rows(ws, sheet: Sheet, first: int, col_formats: list, date_format) -> None:
    write_string, write_number, write_datetime = ws.write_string, ws.write_number, ws.write_datetime
    # a number in a code column (an 身份证号 stored as a number) keeps the General format
    number_formats = [None if c.type in CODE_TYPES else f for c, f in zip(sheet.columns, col_formats)]
    for r, values in enumerate(sheet.rows, first):
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                write_string(r, c, value, col_formats[c])
            elif isinstance(value, date):
                write_datetime(r, c, value, date_format)
            else:
                write_number(r, c, value, number_formats[c])
