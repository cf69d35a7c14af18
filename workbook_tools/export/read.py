"""Read the master's sheets for an export: only schema fields, as calamine returns them."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable

from python_calamine import CalamineWorkbook

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.io.continuation import continued_sheets, header_mismatch, trimmed
from workbook_tools.io.stream import NotStreamable, XlsxStream
from workbook_tools.io.problems import unreadable
from workbook_tools.io.sniff import sniff
from workbook_tools.schema.model import Form, Schema

# master sheet → form key (merge.master_writer's sheet names)
MASTER_SHEETS = {"客户档案": "registration", "拜访记录": "visit-record", "拜访计划": "visit-plan",
                 "投诉记录": "complaint", "交易记录": "trade"}
HEADER_SCAN_ROWS = 10


@dataclass
class SheetRows:
    sheet: str
    form: Form
    keys: list[str]                 # schema field keys present, in the master's column order
    rows: list[list]                # values aligned with keys
    other_columns: list[str] = field(default_factory=list)  # headers that are not schema fields
    positions: list[int] = field(default_factory=list)      # sheet column of every schema field
    top: list[list] = field(default_factory=list)           # the rows down to the header (trimmed)
    kept: list[int] = field(default_factory=list)           # sheet column of each of ``keys``


def read_master(path: str | Path, schema: Schema, forms: set[str],
                wanted: Callable[[str], bool] | None = None) -> dict[str, SheetRows]:
    """form key → its rows, for the master sheets of ``forms`` that exist (a sheet's
    continuation sheets NAME(2) … joined); with ``wanted``, only the fields it accepts (a row
    counts when any schema field is filled). A continuation whose header differs is refused:
    an export must not silently leave rows out.

    A master in the usual xlsx form is read with the stream reader (io/stream): only the
    columns kept (and 客户编号, which every master row has) are parsed, and a row counts
    when one of them is filled. Other files go through the guarded calamine path."""
    try:
        return _streamed(path, schema, forms, wanted)
    except NotStreamable:
        pass
    sniffed = sniff(path)
    try:
        book = CalamineWorkbook.from_path(str(sniffed.path))
    except Exception as exc:
        raise unreadable(path, "corrupt", what=str(exc)[:80]) from None
    return _tables(path, book.sheet_names, lambda sheet, form: _read_table(book, sheet, form, wanted), schema, forms)


def _streamed(path: str | Path, schema: Schema, forms: set[str],
              wanted: Callable[[str], bool] | None) -> dict[str, SheetRows]:
    with XlsxStream(path) as book:
        return _tables(path, book.sheet_names, lambda sheet, form: _stream_table(book, sheet, form, wanted),
                       schema, forms)


def _tables(path: str | Path, names: list[str], read: Callable[[str, Any], SheetRows | None], schema: Schema,
            forms: set[str]) -> dict[str, SheetRows]:
    """The master tables of ``forms`` that the workbook has, each read by ``read(sheet, form)``."""
    out: dict[str, SheetRows] = {}
    for sheet, form_key in MASTER_SHEETS.items():
        if form_key in forms and sheet in names:
            table = read(sheet, schema.form(form_key))
            if table is not None:
                out[form_key] = table
    if "registration" not in out:
        raise unreadable(path, "not_workbook", what="没有“客户档案”工作表，不是客户档案总表")
    return out


def _stream_table(book: XlsxStream, sheet: str, form: Form,
                  wanted: Callable[[str], bool] | None) -> SheetRows | None:
    table = _header_of(book.head(sheet, HEADER_SCAN_ROWS), sheet, form, wanted)
    if table is None:
        return None
    key = next((p for p in table.positions if _key_at(table, p) == "customer_id"), None)
    columns = sorted({*table.kept, *([key] if key is not None else [])})
    for more in continued_sheets(book.sheet_names, sheet):
        if more != sheet and [trimmed(r) for r in book.head(more, len(table.top))] != table.top:
            raise WorkbookToolsError(f"{header_mismatch(more, sheet)}。未写出任何文件")
        for chunk in book.columns(more, columns, first_row=len(table.top) + 1):
            lists = [chunk.values[p] for p in table.kept]
            table.rows.extend([None if v == "" else v for v in row] for row in zip(*lists))
    return table


def _key_at(table: SheetRows, position: int) -> str | None:
    return table.form.match_header(table.top[-1][position]) if position < len(table.top[-1]) else None


def _read_table(book: CalamineWorkbook, sheet: str, form: Form,
                wanted: Callable[[str], bool] | None) -> SheetRows | None:
    table = _read_sheet(book, sheet, form, wanted)
    for more in continued_sheets(book.sheet_names, sheet)[1:] if table is not None else ():
        rows = iter(book.get_sheet_by_name(more).iter_rows())
        top = [trimmed(next(rows, [])) for _ in range(len(table.top))]
        if top != table.top:
            raise WorkbookToolsError(f"{header_mismatch(more, sheet)}。未写出任何文件")
        table.rows.extend(_rows(rows, table.positions, table.kept))
    return table


def _read_sheet(book: CalamineWorkbook, sheet: str, form: Form,
                wanted: Callable[[str], bool] | None = None) -> SheetRows | None:
    rows = iter(book.get_sheet_by_name(sheet).iter_rows())
    top = [row for row, _ in zip(rows, range(HEADER_SCAN_ROWS))]
    table = _header_of(top, sheet, form, wanted)
    if table is None:
        return None
    rows = iter(book.get_sheet_by_name(sheet).iter_rows())
    for _ in table.top:
        next(rows)
    table.rows = _rows(rows, table.positions, table.kept)
    return table


def _header_of(top_rows: list[list], sheet: str, form: Form,
               wanted: Callable[[str], bool] | None) -> SheetRows | None:
    """The table's header among ``top_rows``: the first row naming ≥ 2 of the form's fields."""
    top = []
    for header in top_rows:
        top.append(trimmed(header))
        keys = [form.match_header(cell) for cell in header]
        if sum(k is not None for k in keys) >= 2:
            break
    else:
        return None
    positions, seen = [], set()
    for pos, key in enumerate(keys):
        if key is not None and key not in seen:
            seen.add(key)
            positions.append(pos)
    other = [str(h) for h, k in zip(header, keys) if k is None and str(h).strip()]
    kept = [p for p in positions if wanted is None or wanted(keys[p])]
    return SheetRows(sheet, form, [keys[p] for p in kept], [], other, positions, top, kept)


def _rows(rows, positions: list[int], kept: list[int]) -> list[list]:
    """The ``kept`` values of every row with some schema field (``positions``) filled; "" → None."""
    width = max(positions) + 1
    every, pick = _getter(positions), _getter(kept)
    data = []
    for row in rows:
        if len(row) < width:   # a short row: pad it
            row = [*row, *[None] * (width - len(row))]
        if not any(every(row)) and all(v in (None, "") for v in every(row)):
            continue           # any() is false for 0 and False too: look again before skipping
        values = pick(row)
        data.append([None if v == "" else v for v in values] if "" in values else list(values))
    return data


def _getter(positions: list[int]) -> Callable[[list], tuple]:
    if len(positions) == 1:
        only = positions[0]
        return lambda row: (row[only],)
    if not positions:
        return lambda row: ()
    return itemgetter(*positions)
