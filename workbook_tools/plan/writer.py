"""Write plan workbooks: 客户拜访计划 sheet(s), 待安排, 说明, and the hidden lists sheet.

The plan sheets are laid out exactly like the blank visit-plan template of
``workbook_tools.generate`` (same header, formats, dropdowns from the hidden lists sheet,
date checks, frozen and protected header, print setup), then filled with the planned rows,
so a returned plan validates and merges like any filled template.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import xlsxwriter
from rich.cells import cell_len
from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.utility import xl_col_to_name

from workbook_tools.errors import OutputError
from workbook_tools.generate.context import TemplateInfo
from workbook_tools.generate.lists import LISTS_SHEET, write_lists
from workbook_tools.generate.styles import Formats
from workbook_tools.generate.template import FIXED_CREATED, WORKBOOK_OPTIONS, write_data_sheet
from workbook_tools.io.continuation import continuation_name, sheet_counts
from workbook_tools.io.pagesetup import setup_table_page, setup_text_page
from workbook_tools.io.sheetrows import SheetRows, number_cells, text_cells
from workbook_tools.plan.schedule import PlanItem
from workbook_tools.schema.model import Field, Schema
from workbook_tools.summary.sheetxml import numeric, splice

PENDING_SHEET = "待安排"
NOTES_SHEET = "说明"
NOTES_WIDTH = 90         # one A4 portrait page wide; the notes wrap
WEEKDAY_WIDTH = 17       # 计划日期 shown as 2026-11-30 星期一
SPARE_ROWS = 20          # formatted, validated empty rows under the plan for extra visits
# visit-plan field key → PlanItem attribute; other fields stay blank for the salesperson.
ITEM_VALUES = {"plan_id": "plan_id", "salesperson": "salesperson", "planned_date": "date",
               "customer_id": "customer_id", "customer_name": "customer_name",
               "method": "method", "purpose": "purpose", "status": "status"}
# The 待安排 columns, described as schema fields so they get the same cell formats.
# 所属业务员/类别 rather than 业务员/客户类别: with at most two headers that are form labels
# (客户编号, 客户名称) the reader never mistakes 待安排 for a form's data sheet, so validating
# or merging a returned plan does not report or import these rows.
PENDING_FIELDS = (
    Field("salesperson", "所属业务员", "text", width=10),
    Field("customer_id", "客户编号", "customer_id", width=11),
    Field("customer_name", "客户名称", "text", width=28),
    Field("category", "类别", "text", width=10),
    Field("due", "应联系日期", "date", width=12),
    Field("overdue_days", "逾期天数", "integer", width=9),
    Field("reason", "原因", "text", width=48),
)


@dataclass(frozen=True)
class PlanSheet:
    name: str                   # worksheet name
    salesperson: str
    items: list[PlanItem]


@dataclass
class PlanBook:
    """Everything one output workbook holds."""

    title: str                  # document title, e.g. 客户拜访计划 2026-W48 张三
    sheets: list[PlanSheet]
    pending: pd.DataFrame       # schedule.PENDING_COLUMNS
    notes: list[str]            # lines of the 说明 sheet (after its title)
    warnings: list[str] = field(default_factory=list)
    owner: str | None = None    # set for a one-salesperson workbook
    properties: dict[str, str] = field(default_factory=dict)   # extra custom properties


def write_plan_sheet(ws, sheet: PlanSheet, schema: Schema, formats, list_names) -> None:
    """The template layout for ``len(items) + SPARE_ROWS`` rows, filled with the plan."""
    form = schema.form("visit-plan")
    info = TemplateInfo(schema=schema, form=form, rows=len(sheet.items) + SPARE_ROWS,
                        owner=sheet.salesperson)
    write_data_sheet(ws, info, formats, list_names)
    for col, f in enumerate(form.fields):
        attr = ITEM_VALUES.get(f.key)
        if attr is None:
            continue
        cell = formats.weekday_date() if f.key == "planned_date" else formats.cell(f)
        values = [getattr(item, attr) for item in sheet.items]
        width = WEEKDAY_WIDTH if f.key == "planned_date" else _content_width(values)
        if width > f.width:
            ws.set_column(col, col, width, formats.cell(f))
        for row, item in enumerate(sheet.items, start=1):
            _write(ws, row, col, getattr(item, attr), cell)


def _content_width(values, most: int = 60) -> int:
    """The width the widest text of ``values`` needs (display cells + 2), at most ``most``."""
    texts = [str(v) for v in values if isinstance(v, str)]
    return min(max((cell_len(t) for t in texts), default=0) + 2, most)


def _write(ws, row: int, col: int, value, fmt) -> None:
    if value is None or value is pd.NA or value == "" or (isinstance(value, float) and value != value):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def write_pending_sheet(ws, pending: pd.DataFrame, formats, title: str = "客户拜访计划") -> SheetRows:
    """待安排: one row per customer that could not be planned, with the reason.

    XlsxWriter writes the header, column formats and sheet setup; the data rows (hundreds of
    thousands for a big archive) are returned as XML to splice in after the workbook is
    closed (io.sheetrows, summary.sheetxml.splice). Blank cells are left out: the column format covers them.
    """
    rows = [str(r) for r in range(2, len(pending) + 2)]
    columns = []
    for col, f in enumerate(PENDING_FIELDS):
        cell = formats.cell(f)
        ws.set_column(col, col, f.width, cell)
        ws.write_string(0, col, f.label, formats.header(False))
        columns.append(_xml_column(xl_col_to_name(col), rows, pending[f.key], f, cell._get_xf_index()))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(pending), 1), len(PENDING_FIELDS) - 1)
    setup_table_page(ws, [f.width for f in PENDING_FIELDS], title=f"{title} · {PENDING_SHEET}",
                     key_columns=3)
    cells = SheetRows()
    cells.add_block(1, 0, len(PENDING_FIELDS) - 1, columns)
    return cells


def _xml_column(letter: str, rows: list[str], values: pd.Series, f: Field, style: int) -> list[str]:
    """One column's cells from row 2 down (text inline, dates as serial numbers)."""
    if f.is_text:
        return text_cells(letter, rows, values.astype(object).where(values.notna(), None).tolist(), style)
    return number_cells(letter, rows, numeric(values, "date" if f.type == "date" else "number"), style)


def write_notes_sheet(ws, book: PlanBook, formats) -> None:
    """说明: title, warnings first (highlighted), then the notes."""
    ws.set_column(0, 0, NOTES_WIDTH, formats.note())
    setup_text_page(ws, NOTES_WIDTH, title=f"{book.title} · {NOTES_SHEET}")
    ws.write_string(0, 0, book.title, formats.title())
    row = 2
    if book.warnings:
        ws.write_string(row, 0, "注意", formats.section())
        for n, text in enumerate(book.warnings, start=1):
            ws.write_string(row + n, 0, f"{n}. {text}", formats.table_cell(highlight=True))
        row += len(book.warnings) + 2
    for text in book.notes:
        ws.write_string(row, 0, text, formats.note())
        row += 1


def _properties(workbook, book: PlanBook, schema: Schema) -> None:
    info = TemplateInfo(schema=schema, form=schema.form("visit-plan"), rows=0, owner=book.owner)
    workbook.set_properties({"title": book.title, "subject": schema.stamp,
                             "comments": info.form.description, "created": FIXED_CREATED})
    for name, value in [*info.stamp_properties(), *book.properties.items()]:
        workbook.set_custom_property(name, value)


def write_book(target: Path, book: PlanBook, schema: Schema) -> None:
    """Write ``book`` to ``target`` (a temporary path from atomic_path)."""
    # in_memory: no temporary file per worksheet part (out_dir writes one workbook per salesperson)
    workbook = xlsxwriter.Workbook(str(target), {**WORKBOOK_OPTIONS, "in_memory": True})
    formats = Formats(workbook)
    plan_sheets = [workbook.add_worksheet(s.name) for s in book.sheets]
    counts = sheet_counts(len(book.pending), 1)   # 待安排 past a sheet's rows: 待安排(2) … (io.continuation)
    pending = [workbook.add_worksheet(continuation_name(PENDING_SHEET, k)) for k in range(1, len(counts) + 1)]
    notes = workbook.add_worksheet(NOTES_SHEET)
    lists = workbook.add_worksheet(LISTS_SHEET)
    list_names = write_lists(workbook, lists, schema.form("visit-plan"), formats)
    for ws, sheet in zip(plan_sheets, book.sheets):
        write_plan_sheet(ws, sheet, schema, formats, list_names)
    pending_rows, first = {}, 0
    for k, (ws, n) in enumerate(zip(pending, counts)):
        part = book.pending.iloc[first:first + n].reset_index(drop=True)
        pending_rows[len(plan_sheets) + k] = write_pending_sheet(ws, part, formats, book.title)
        first += n
    write_notes_sheet(notes, book, formats)
    _properties(workbook, book, schema)
    (notes if book.warnings or not plan_sheets else plan_sheets[0]).activate()
    try:
        workbook.close()
    except XlsxWriterException as exc:
        raise OutputError(f"无法写入 {target}：{exc}") from None
    spliced = {index: rows for index, rows in pending_rows.items() if rows.blocks}
    if spliced:
        splice(Path(target), spliced)
