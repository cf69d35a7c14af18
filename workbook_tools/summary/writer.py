"""Write summary sheets to an .xlsx, atomically.

Layout of every sheet: row 1 the sheet title; each stack of tables starts at row 2 in its
own columns (stacks side by side, one blank column between); a table is a caption row, a
header row and its data rows (or （无）), with one blank row before the next table.

XlsxWriter writes the workbook: styles, column widths, the title row, frozen panes,
autofilter, native charts, and the cells of sheets with charts (small aggregates, so the
charts carry cached values). The other sheets' cells, which can number millions (跟进提醒,
业务下滑), are generated in bulk by :mod:`sheetxml` and spliced into the sheet's
``<sheetData>`` after XlsxWriter closes the file. Numbers are numbers; dates are serial
numbers with a date format; percentages are fractions with a % format. The output is
byte-for-byte reproducible.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Sequence

import xlsxwriter

from workbook_tools.generate.context import GENERATOR
from workbook_tools.io.atomic import atomic_path
from workbook_tools.io.continuation import continuation_name, sheet_counts
from workbook_tools.summary.charts import add_charts, chart_sizes
from workbook_tools.summary.printing import apply_plan, plan_print
from workbook_tools.summary.sheetxml import (
    EMPTY_NOTE, TableRows, add_table, display_width, numeric, splice, wrapped_heights,
)
from workbook_tools.summary.tables import SummarySheet, Table

TOP_ROW = 1  # 0-based row where stacks start (row 0 holds the sheet title)
NUM_FORMATS = {"int": "#,##0", "money": "#,##0.00", "ratio": "0.00", "pct": "0.0%", "date": "yyyy-mm-dd"}
KIND_WIDTHS = {"int": 10, "money": 15, "ratio": 9, "pct": 9, "date": 12, "text": 8}
MAX_WIDTH = 40
WIDTH_SAMPLE = 300
SUMMARY_STAMP = {"form": "summary", "generator": GENERATOR}


@dataclass(frozen=True)
class Placement:
    """Where a table landed (0-based): its header row, first column, data rows and columns."""

    header_row: int
    first_col: int
    n_rows: int
    n_cols: int

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1


class Styles:
    """The workbook's formats, by name ("caption", "header", a kind, "total:" + kind), and their
    style (xf) indices for the spliced cells."""

    def __init__(self, book: xlsxwriter.Workbook):
        base = {"font_name": "等线", "font_size": 11}
        self.title = book.add_format({**base, "bold": True, "font_size": 14})
        formats = {
            "caption": {**base, "bold": True, "font_color": "#1F4E78"},
            "header": {**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                       "valign": "vcenter"},
            "text": base,
            "wrap": {**base, "text_wrap": True, "valign": "top"},
            "total:text": {**base, "bold": True, "top": 1},
        }
        for kind, num_format in NUM_FORMATS.items():
            formats[kind] = {**base, "num_format": num_format}
            formats[f"total:{kind}"] = {**base, "bold": True, "top": 1, "num_format": num_format}
        self.formats = {name: book.add_format(props) for name, props in formats.items()}
        # _get_xf_index assigns the final style index (XlsxWriter never renumbers it).
        self.ids = {name: f._get_xf_index() for name, f in self.formats.items()}


def write_summary(sheets: Sequence[SummarySheet], path: str | Path, *, created: dt.datetime | None = None,
                  inputs: Iterable[str | Path] = (), period: str = "") -> Path:
    """Write ``sheets`` to ``path`` (atomically; never onto one of ``inputs``); ``period`` (e.g.
    "2026-W47（统计日期 2026-11-22）") goes into every printed page's header."""
    path = Path(path)
    with atomic_path(path, inputs) as tmp:
        book = xlsxwriter.Workbook(str(tmp))
        book.set_properties({"title": "客户档案汇总", "author": "workbook-tools",
                             "created": created or dt.datetime(2000, 1, 1)})
        for name, value in SUMMARY_STAMP.items():   # recognised as our output (io.stamp.output_kind)
            book.set_custom_property(name, value)
        styles = Styles(book)
        cells = {index: _write_sheet(book, sheet, styles, period)
                 for index, sheet in enumerate(p for sheet in sheets for p in sheet_pieces(sheet))}
        book.close()
        splice(tmp, cells)
    return path


def sheet_pieces(sheet: SummarySheet) -> list[SummarySheet]:
    """The sheet as written: itself, or — for a list sheet (one table per stack: 跟进提醒,
    业务下滑) longer than a worksheet (limits.SHEET_MAX_ROWS) — NAME, NAME(2) … each with the
    same title, captions and headers and the next rows of every table (io.continuation)."""
    if not sheet.stacks or any(len(stack) != 1 for stack in sheet.stacks):
        return [sheet]
    longest = max(len(stack[0].frame) for stack in sheet.stacks)
    counts = sheet_counts(longest, TOP_ROW + 2)   # title, caption and header rows above the data
    if len(counts) == 1:
        return [sheet]
    out, first = [], 0
    for k, n in enumerate(counts, start=1):
        stacks = [[_rows_of(stack[0], first, n)] for stack in sheet.stacks
                  if k == 1 or len(stack[0].frame) > first]
        out.append(replace(sheet, name=continuation_name(sheet.name, k), stacks=stacks,
                           charts=sheet.charts if k == 1 else []))
        first += n
    return out


def _rows_of(table: Table, first: int, n: int) -> Table:
    frame = table.frame.iloc[first:first + n].reset_index(drop=True)
    return replace(table, frame=frame, total_row=table.total_row and first + n >= len(table.frame))


def layout(sheet: SummarySheet) -> dict[str, Placement]:
    """Placement of every table of ``sheet`` by key."""
    out: dict[str, Placement] = {}
    col = 0
    for stack in sheet.stacks:
        row = TOP_ROW
        for table in stack:
            out[table.key] = Placement(row + 1, col, len(table.frame), len(table.frame.columns))
            row += max(len(table.frame), 1) + 3
        col += max((len(t.frame.columns) for t in stack), default=0) + 1
    return out


def _write_sheet(book: xlsxwriter.Workbook, sheet: SummarySheet, styles: Styles, period: str) -> TableRows:
    """XlsxWriter part of one sheet; returns the table cells to splice in.

    Sheets with charts are small aggregates: their cells go through XlsxWriter so that the
    charts carry cached values and text categories. Other sheets (long lists) are spliced.
    """
    ws = book.add_worksheet(sheet.name)
    places = layout(sheet)
    widths = _widths(sheet, places)
    for col, width in widths.items():
        ws.set_column(col, col, width)
    ws.write_string(0, 0, sheet.title, styles.title)
    if sheet.freeze_header and sheet.stacks and sheet.stacks[0]:
        first = places[sheet.stacks[0][0].key]
        ws.freeze_panes(first.first_data_row, 0)
        ws.autofilter(first.header_row, first.first_col, first.header_row + max(first.n_rows, 1),
                      first.first_col + first.n_cols - 1)
    heights = _heights(sheet, places, widths)
    charts = chart_sizes(book, sheet, places)
    plan = plan_print(sheet, places, widths, [size for _, size in charts], period, heights)
    apply_plan(ws, plan)
    add_charts(ws, charts, plan.charts)
    rows = TableRows()
    for table in sheet.tables():
        place = places[table.key]
        if sheet.charts:
            _write_table(ws, table, place, styles)
        else:
            add_table(rows, table, place.header_row, place.first_col, styles.ids)
    if sheet.charts:
        for row, height in heights.items():
            ws.set_row(row, height)
    rows.heights = heights
    return rows


def _heights(sheet: SummarySheet, places: dict[str, Placement], widths: dict[int, float]) -> dict[int, float]:
    """Heights (points) of the rows holding wrapped text."""
    out: dict[int, float] = {}
    for table in sheet.tables():
        if table.wrap:
            place = places[table.key]
            by_name = {name: widths[place.first_col + j] for j, name in enumerate(table.frame.columns)}
            out.update(wrapped_heights(table, place.first_data_row, by_name))
    return out


def _write_table(ws, table: Table, place: Placement, styles: Styles) -> None:
    """The table's cells through XlsxWriter (used on sheets with charts, so charts get cached data)."""
    c0, fmt = place.first_col, styles.formats
    ws.write_string(place.header_row - 1, c0, table.title, fmt["caption"])
    ws.write_row(place.header_row, c0, [str(c) for c in table.frame.columns], fmt["header"])
    if place.n_rows == 0:
        ws.write_string(place.first_data_row, c0, EMPTY_NOTE, fmt["text"])
        return
    last = place.n_rows - 1
    for j, name in enumerate(table.frame.columns):
        kind = table.kind(name)
        column = table.frame[name].tolist() if kind == "text" else numeric(table.frame[name], kind).tolist()
        write = ws.write_string if kind == "text" else ws.write_number
        for i, value in enumerate(column):
            if value is None or value != value or value == "":
                continue
            style = fmt[f"total:{kind}" if table.total_row and i == last else _style(table, name)]
            write(place.first_data_row + i, c0 + j, str(value) if kind == "text" else value, style)


def _style(table: Table, column: str) -> str:
    """The style name of a body cell (not the 合计 row) of ``column``: text of a table with wrapped
    columns is top-aligned (and wraps) throughout."""
    kind = table.kind(column)
    return "wrap" if kind == "text" and table.wrap else kind


def _widths(sheet: SummarySheet, places: dict[str, Placement]) -> dict[int, float]:
    widths: dict[int, float] = {}
    for table in sheet.tables():
        c0 = places[table.key].first_col
        for j, name in enumerate(table.frame.columns):
            width = max(display_width(str(name)) + 2, KIND_WIDTHS.get(table.kind(name), 8))
            if name in table.widths:
                width = table.widths[name]
            elif table.kind(name) == "text":
                sample = table.frame[name].head(WIDTH_SAMPLE).dropna().astype(str)
                width = max([width, *(display_width(v) + 2 for v in sample)])
            widths[c0 + j] = max(widths.get(c0 + j, 0), width if name in table.widths else min(width, MAX_WIDTH))
    return widths


__all__ = ["EMPTY_NOTE", "Placement", "Styles", "layout", "sheet_pieces", "write_summary"]
