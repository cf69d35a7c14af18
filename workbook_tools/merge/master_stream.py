"""A kept master read in chunks for the history store (io.stream): its customers, visits,
complaints, trades and 变更记录 as iterables that open the workbook when iterated and hold
one chunk of rows at a time, so that recording a 1,000,000-customer master stays bounded
(record_run stores them in batches). Each row is turned into the same record the
calamine path of merge/recording.py builds (the same header detection on the sheet's first
rows, the same blank-row, footer and empty-id rules; tests compare the two stores).

A sheet the stream reader gives up on half-way (NotStreamable) is finished with calamine
from the next row on; a workbook it does not read at all is read the old way by the caller.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from python_calamine import CalamineWorkbook

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.io.body import is_footer
from workbook_tools.io.continuation import continued_sheets, header_mismatch, trimmed
from workbook_tools.io.grid import SheetGrid
from workbook_tools.io.reader import CHECK_COLUMNS, EMPTY_SHEET, MASTER_PROVENANCE, read_table
from workbook_tools.io.stream import NotStreamable, XlsxStream
from workbook_tools.io.table import SheetTable
from workbook_tools.merge.rows import (
    MASTER_SHEET, SOURCE_FILE, is_empty, master_keys, master_row, norm_id, placeholder_test,
)
from workbook_tools.schema.model import Form, Schema

HEAD_ROWS = 30            # rows read to find a sheet's header (a master's is row 1 or 2)
CHUNK_ROWS = 8_192        # rows per chunk read from a sheet


class Lazy:
    """An iterable that runs ``produce`` afresh each time it is iterated."""

    def __init__(self, produce: Callable[[], Iterator[Any]]):
        self._produce = produce

    def __iter__(self) -> Iterator[Any]:
        return self._produce()


def sheet_rows(book: XlsxStream, sheet: str, width: int, first_row: int) -> Iterator[tuple[int, Sequence]]:
    """(1-based sheet row, cells of columns [0, width)) from ``first_row`` on, for rows with
    a cell there; values as calamine's to_python gives them ('' when empty)."""
    cols, last = list(range(width)), first_row - 1
    try:
        for chunk in book.columns(sheet, cols, first_row=first_row, chunk_rows=CHUNK_ROWS):
            for row, cells in zip(chunk.rows, zip(*(chunk.values[c] for c in cols))):
                yield row, cells
                last = row
    except NotStreamable:
        rows = CalamineWorkbook.from_path(str(book.path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        for i in range(last, len(rows)):
            cells = (list(rows[i][:width]) + [""] * width)[:width]
            if any(c != "" for c in cells):
                yield i + 1, cells


# --- 客户档案 (as merge.collect.load_previous reads it) ------------------------------------


def head_table(book: XlsxStream, sheet: str, form: Form, schema: Schema) -> SheetTable | str:
    """The table io.reader finds on the sheet's first rows (or why there is none)."""
    grid = SheetGrid(sheet, book.head(sheet, HEAD_ROWS))
    return read_table(str(book.path), grid, [form], None, ignore=MASTER_PROVENANCE | CHECK_COLUMNS,
                      named=True, all_forms=list(schema.forms))


def customer_tables(book: XlsxStream, schema: Schema) -> list[tuple[str, SheetTable]] | None:
    """The 客户档案 sheet and its continuations as (sheet, table); None when the stream
    path cannot promise the reader's result (no header found, columns the header alone
    does not name) — the caller then reads the master the old way."""
    form = schema.form("registration")
    out: list[tuple[str, SheetTable]] = []
    for name in continued_sheets(book.sheet_names, MASTER_SHEET):
        table = head_table(book, name, form, schema)
        if isinstance(table, str):
            if not out:
                return None
            if table == EMPTY_SHEET:
                continue
            raise WorkbookToolsError(f"上期总表（--previous）无法使用：{header_mismatch(name, MASTER_SHEET)}")
        if table.unnamed_columns or [c.index for c in table.columns] != list(
                range(table.columns[0].index, table.columns[0].index + len(table.columns))):
            return None
        if out and (table.header_row != out[0][1].header_row or
                    [c.header for c in table.columns] != [c.header for c in out[0][1].columns]):
            raise WorkbookToolsError(f"上期总表（--previous）无法使用：{header_mismatch(name, MASTER_SHEET)}")
        out.append((name, table))
    return out or None


def customers(path: Path, schema: Schema, tables: list[tuple[str, SheetTable]]) -> Iterator[tuple[dict, dict, str]]:
    """(values, extras, source file) of each customer, in sheet order."""
    for _, _, values, extras, file in customer_rows(path, schema, tables):
        yield values, extras, str(file) if file else path.name


def customer_rows(path: Path, schema: Schema, tables: list[tuple[str, SheetTable]]
                  ) -> Iterator[tuple[str, int, dict, dict, Any]]:
    """(sheet, 1-based sheet row, values, extras, 来源文件 cell or None) of each customer
    with a 客户编号, in sheet order."""
    form = schema.form("registration")
    placeholder = placeholder_test(schema.settings.get("empty_placeholders"))
    with XlsxStream(path) as book:
        for sheet, table in tables:
            top = book.head(sheet, 1)
            source = top[0].index(SOURCE_FILE) if top and SOURCE_FILE in top[0] else None
            header = [c.header for c in table.columns]
            keys = master_keys(header, form)
            start, end = table.columns[0].index, table.columns[-1].index + 1
            first = max([table.header_row, *(r for r, _ in table.skipped_rows)]) + 1
            width = max(end, -1 if source is None else source + 1)
            key = next((k for k, c in enumerate(table.columns) if c.field == form.id_field), None)
            mapped = [c.field is not None for c in table.columns]
            for row, cells in records(sheet_rows(book, sheet, width, first), start, end, mapped, key):
                values, extras = master_row(header, keys, cells[start:end], form, placeholder)
                if norm_id(values.get(form.id_field)):
                    yield sheet, row, values, extras, cells[source] if source is not None else None


def records(rows: Iterable[tuple[int, Sequence]], start: int, end: int, mapped: list[bool],
            key: int | None) -> Iterator[tuple[int, Sequence]]:
    """io.body.extract_records over a stream of rows: blank rows and rows with values only in
    unknown columns are skipped; a footer row (合计, 填表人：…) ends the table unless a
    table-like row follows it — so rows from a footer on wait until one does."""
    held: list[tuple[int, Sequence]] = []
    for row, cells in rows:
        values = cells[start:end]
        first = next((i for i, v in enumerate(values) if not _blank(v)), -1)
        if first == -1:
            continue
        footer = is_footer(values[first])
        if held or footer:
            held.append((row, cells))
            if not footer and _table_like(values, first, mapped, key):
                yield from ((r, c) for r, c in held if _kept(c[start:end], mapped))
                held = []
            continue
        if mapped[first] or any(mapped[i] and not _blank(v) for i, v in enumerate(values)):
            yield row, cells


def _blank(v: Any) -> bool:
    return v == "" or v is None or (type(v) is str and v.isspace())


def _table_like(values: Sequence, first: int, mapped: list[bool], key: int | None) -> bool:
    need = 2 if key is not None else 3
    if key is not None and _blank(values[key]):
        return False
    return sum(1 for j in range(first, len(values)) if mapped[j] and not _blank(values[j])) >= need


def _kept(values: Sequence, mapped: list[bool]) -> bool:
    """A held row once the table goes on: footers are records, other rows as usual."""
    first = next((i for i, v in enumerate(values) if not _blank(v)), -1)
    if first == -1:
        return False
    return is_footer(values[first]) or any(mapped[i] and not _blank(v) for i, v in enumerate(values))


# --- 拜访记录 / 投诉记录 / 交易记录 / 变更记录 / 待修正 (as recording._table reads them) -------


def table_start(book: XlsxStream, name: str, first: str) -> tuple[int, list] | None:
    """(0-based header row, header cells) of the sheet ``name`` — the first row starting
    with ``first`` — and check its continuation sheets' top rows; None when the sheet is
    missing or its header is not among its first rows (the caller reads it with calamine)."""
    if name not in book.sheet_names:
        return None
    head = book.head(name, HEAD_ROWS)
    top = next((i for i, r in enumerate(head) if r and r[0] == first), None)
    if top is None:
        return None
    expected = [trimmed(r) for r in head[:top + 1]]
    for more in continued_sheets(book.sheet_names, name)[1:]:
        if [trimmed(r) for r in book.head(more, top + 1)] != expected:
            raise WorkbookToolsError(f"无法读取总表中的续表：{header_mismatch(more, name)}")
    return top, trimmed(head[top])


def table_rows(path: Path, name: str, top: int, width: int) -> Iterator[Sequence]:
    """The data rows (cells of columns [0, width)) under the header at 0-based row ``top`` of
    the sheet ``name`` and of its continuation sheets."""
    with XlsxStream(path) as book:
        for sheet in continued_sheets(book.sheet_names, name):
            for _, cells in sheet_rows(book, sheet, max(width, 1), top + 2):
                yield cells


def record_rows(path: Path, name: str, start: tuple[int, list], form: Form) -> Iterator[tuple[dict, dict]]:
    """(values, extras) of each non-empty record row, as recording._record_rows."""
    top, header = start
    keys = master_keys(header, form)
    for cells in table_rows(path, name, top, len(header)):
        values, extras = master_row(header, keys, cells, form)
        if any(v is not None for v in values.values()):
            yield values, extras


def count_rows(path: Path, name: str, start: tuple[int, list]) -> int:
    """Rows with a first cell under the header (待修正's rows)."""
    return sum(1 for cells in table_rows(path, name, start[0], 1) if not is_empty(cells[0]))
