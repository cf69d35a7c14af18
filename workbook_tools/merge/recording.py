"""The merge's side of the history store: a live MergeResult → RunRecord, a kept master
workbook → the same RunRecord, and rebuilding a whole store from the kept masters (the
Excel files stay the source of truth)."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from python_calamine import CalamineWorkbook

from workbook_tools.errors import UnreadableWorkbook, WorkbookToolsError
from workbook_tools.history import (
    AddedRecord, CustomerRecord, FieldInfo, HistoryChange, RunRecord, check_store, copy_archive, iso_week,
    record_run, replace_store,
)
from workbook_tools.history.model import COMPLAINT, TRADE, VISIT
from workbook_tools.io.continuation import continued_sheets, join_rows
from workbook_tools.io.reader import MASTER_FORM
from workbook_tools.io.stamp import read_version_stamp
from workbook_tools.io.stream import NotStreamable, XlsxStream
from workbook_tools.merge import master_stream as stream
from workbook_tools.merge.collect import load_previous
from workbook_tools.merge.records import RecordTable
from workbook_tools.merge.result import MergeResult
from workbook_tools.merge.rows import (
    MASTER_SHEET, SOURCE_FILE, display, is_empty, master_keys, master_row, norm_id,
)
from workbook_tools.merge.sheets import CHANGES, COMPLAINTS, QUARANTINE, TRADES, VISITS
from workbook_tools.merge.summary_sheet import SUMMARY
from workbook_tools.schema.model import Form, Schema

_SHA = re.compile(r"[0-9a-f]{64}")
_KINDS = ((VISIT, VISITS, "visit-record"), (COMPLAINT, COMPLAINTS, "complaint"), (TRADE, TRADES, "trade"))


def fields_of(schema: Schema) -> list[FieldInfo]:
    return [FieldInfo(f.key, f.label, f.type) for f in schema.form("registration").fields]


def run_record(result: MergeResult, schema: Schema, master: str | Path, *,
               overdue: int | None = None) -> RunRecord:
    """What a live merge records: the week of its run date, every customer as merged."""
    headers = result.extra_cols.headers
    customers = [CustomerRecord(c.id, c.values, {headers[k]: v for k, v in c.extras.items()},
                                c.provenance.file) for c in result.customers]
    changes = None if result.changes is None else [
        HistoryChange(iso_week(result.run_date), e.date, e.kind, e.customer_id, e.customer_name,
                      e.text, e.file, e.field, display(e.old) if e.field else None,
                      display(e.new) if e.field else None) for e in result.changes]
    added = [*_added(VISIT, result.visits), *_added(COMPLAINT, result.complaints), *_added(TRADE, result.trades)]
    inputs = list(dict.fromkeys((i.name, i.sha256) for i in result.inputs))
    return RunRecord(iso_week(result.run_date), result.run_date, Path(master).name, inputs,
                     fields_of(schema), customers, changes, added, len(result.quarantined), overdue)


def moved_visits(table: RecordTable, rows: list | None = None) -> Iterator[AddedRecord]:
    """The visits merge moved out of 拜访记录 (visit_history_weeks; or ``rows``), as the store
    keeps them."""
    return _added(VISIT, table, table.moved if rows is None else rows)


def _added(kind: str, table: RecordTable, rows=None) -> Iterator[AddedRecord]:
    headers = table.extra_cols.headers
    for row in table.rows if rows is None else rows:
        yield AddedRecord(kind, str(row.values.get("customer_id") or ""), row.values,
                          {headers.get(k, k): v for k, v in row.extras.items()})


# --- reading a kept master ---------------------------------------------------------


def record_from_master(path: str | Path, schema: Schema, *, chunked: bool = True) -> RunRecord:
    """The RunRecord of a master written by merge (its 客户档案, 变更记录, 拜访记录,
    投诉记录 and 合并说明 sheets). An xlsx master is read in chunks (merge.master_stream):
    its customers, records and changes are iterables that record_run stores in batches.
    ``chunked=False``: read every sheet whole with calamine (lists; the same records)."""
    path = Path(path)
    if chunked and read_version_stamp(path).get("form") == MASTER_FORM:
        try:
            with XlsxStream(path) as book:
                run = _streamed(path, book, schema)
            if run is not None:
                return run
        except NotStreamable:
            pass
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types
        raise UnreadableWorkbook(str(path), f"无法读取总表：{exc}", "请确认文件是合并生成的总表") from None
    summary = _sheet(book, SUMMARY)
    run_date = _run_date(summary, path)
    week = iso_week(run_date)
    customers = [CustomerRecord(norm_id(r.values["customer_id"]), r.values, r.extras, r.file)
                 for r in _customers(path, book, schema)]
    added = [AddedRecord(kind, str(values.get("customer_id") or ""), values, extras)
             for kind, sheet, form in _KINDS if form in schema.form_keys
             for values, extras in _record_rows(_table(book, sheet, schema.form(form).fields[0].label),
                                                schema.form(form))]
    changes = _changes(_table(book, CHANGES, "日期"), week) if CHANGES in book.sheet_names else None
    return RunRecord(week, run_date, path.name, _inputs(summary), fields_of(schema), customers,
                     changes, added, _count(book, QUARANTINE))


def _streamed(path: Path, book: XlsxStream, schema: Schema) -> RunRecord | None:
    """record_from_master through io.stream; None when a sheet needs the calamine path."""
    tables = stream.customer_tables(book, schema)
    kinds = [(kind, sheet, schema.form(form)) for kind, sheet, form in _KINDS if form in schema.form_keys]
    starts = {sheet: stream.table_start(book, sheet, form.fields[0].label) for _, sheet, form in kinds}
    changes = stream.table_start(book, CHANGES, "日期")
    quarantine = stream.table_start(book, QUARANTINE, "表单")
    if tables is None or (CHANGES in book.sheet_names and changes is None) or \
            any(starts[s] is None and s in book.sheet_names for s in starts) or \
            (QUARANTINE in book.sheet_names and quarantine is None):
        return None
    summary = book.head(SUMMARY, 10_000) if SUMMARY in book.sheet_names else []
    run_date = _run_date(summary, path)
    week = iso_week(run_date)
    customers = stream.Lazy(lambda: (CustomerRecord(norm_id(v["customer_id"]), v, x, f)
                                     for v, x, f in stream.customers(path, schema, tables)))
    added = stream.Lazy(lambda: (AddedRecord(kind, str(v.get("customer_id") or ""), v, x)
                                 for kind, sheet, form in kinds if starts[sheet] is not None
                                 for v, x in stream.record_rows(path, sheet, starts[sheet], form)))
    listed = None if changes is None else stream.Lazy(
        lambda: _change_entries(stream.table_rows(path, CHANGES, changes[0], 9), week))
    count = 0 if quarantine is None else stream.count_rows(path, QUARANTINE, quarantine)
    return RunRecord(week, run_date, path.name, _inputs(summary), fields_of(schema), customers,
                     listed, added, count)


def _customers(path: Path, book: CalamineWorkbook, schema: Schema):
    rows = load_previous(path, schema)
    provenance = _provenance(book)
    for row in rows:
        row.file = provenance.get((row.sheet, row.row), row.file)
    return rows


def _provenance(book: CalamineWorkbook) -> dict[tuple[str, int], str]:
    """(sheet, sheet row) → 来源文件 of the 客户档案 sheet and its continuation sheets
    (load_previous sets the master's name)."""
    out: dict[tuple[str, int], str] = {}
    for name in continued_sheets(book.sheet_names, MASTER_SHEET):
        rows = _sheet(book, name)
        header = rows[0] if rows else []
        if SOURCE_FILE not in header:
            continue
        col = header.index(SOURCE_FILE)
        out.update(((name, i), str(r[col])) for i, r in enumerate(rows[1:], start=2) if col < len(r) and r[col])
    return out


def _sheet(book: CalamineWorkbook, name: str) -> list[list[Any]]:
    if name not in book.sheet_names:
        return []
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def _table(book: CalamineWorkbook, name: str, first: str) -> list[list[Any]]:
    """The sheet ``name`` and its continuation sheets' data rows (io.continuation), the
    header being the row starting with ``first``. A continuation with another header is
    refused: a rebuilt history must not silently miss rows."""
    rows = _sheet(book, name)
    more = [(n, (lambda n=n: _sheet(book, n))) for n in continued_sheets(book.sheet_names, name)[1:]]
    head = _header_index(rows, first) if more else None
    joined = join_rows(name, rows, -1 if head is None else head, more)
    if joined.problems:
        raise WorkbookToolsError(f"无法读取总表中的续表：{joined.problems[0]}")
    return joined.rows


def _run_date(summary: list[list[Any]], path: Path) -> dt.date:
    for row in summary:
        if row and row[0] == "运行日期" and len(row) > 1:
            value = row[1]
            if isinstance(value, dt.datetime):
                return value.date()
            if isinstance(value, dt.date):
                return value
            return dt.date.fromisoformat(str(value)[:10])
    raise WorkbookToolsError(f"{path.name} 的“合并说明”中没有运行日期，无法确定周次")


def _inputs(summary: list[list[Any]]) -> list[tuple[str, str]]:
    pairs = [(str(r[0]), str(r[1])) for r in summary
             if len(r) > 1 and isinstance(r[1], str) and _SHA.fullmatch(r[1])]
    return list(dict.fromkeys(pairs))


def _header_index(rows: list[list[Any]], first: str) -> int | None:
    return next((i for i, r in enumerate(rows) if r and r[0] == first), None)


def _record_rows(rows: list[list[Any]], form: Form) -> Iterator[tuple[dict, dict]]:
    top = _header_index(rows, form.fields[0].label)
    if top is None:
        return
    header = rows[top]
    keys = master_keys(header, form)
    for cells in rows[top + 1:]:
        values, extras = master_row(header, keys, cells, form)
        if any(v is not None for v in values.values()):
            yield values, extras


def _changes(rows: list[list[Any]], week: str) -> list[HistoryChange]:
    top = _header_index(rows, "日期")
    return list(_change_entries(rows[top + 1:], week)) if top is not None else []


def _change_entries(rows: Iterable[Sequence[Any]], week: str) -> Iterator[HistoryChange]:
    """The 变更记录 rows under the header → entries (rows without a kind are skipped)."""
    for r in rows:
        date, kind, cid, name, field, old, new, text, file = (list(r) + [None] * 9)[:9]
        if is_empty(kind):
            continue
        day = date.date() if isinstance(date, dt.datetime) else date
        yield HistoryChange(week, day, str(kind), _text(cid), _text(name), _text(text),
                            _text(file), _text(field), _opt(old) if field else None,
                            _opt(new) if field else None)


def _text(value: Any) -> str:
    return "" if is_empty(value) else str(value)


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


def _count(book: CalamineWorkbook, name: str) -> int:
    rows = _table(book, name, "表单")
    top = _header_index(rows, "表单")
    return 0 if top is None else sum(1 for r in rows[top + 1:] if r and not is_empty(r[0]))


# --- rebuilding --------------------------------------------------------------------


def find_masters(folder: str | Path) -> list[Path]:
    """Masters (workbooks stamped form=master) under ``folder``, recursively, sorted."""
    folder = Path(folder)
    if not folder.is_dir():
        raise WorkbookToolsError(f"找不到文件夹 {folder}：请指定保存历次总表的输出目录（如 output）")
    return sorted(p for p in folder.rglob("*.xlsx") if not p.name.startswith(("~$", ".~"))
                  and read_version_stamp(p).get("form") == MASTER_FORM)


def rebuild_history(folder: str | Path, store: str | Path, schema: Schema) -> list[RunRecord]:
    """Rebuild the store from every kept master under ``folder``, oldest week first (a
    later file of the same week replaces an earlier one, as a rerun does), into a temporary
    store that then replaces the content of ``store`` in one step (readers keep working).
    Returns the runs recorded."""
    masters = find_masters(folder)
    if not masters:
        raise WorkbookToolsError(f"{folder} 中没有找到合并生成的总表（客户档案总表），无法重建档案历史")
    check_store(store)                       # refuse a file that is not a store before reading
    runs = sorted((record_from_master(p, schema) for p in masters), key=lambda r: r.week)
    fd, name = tempfile.mkstemp(prefix=".~rebuild-", suffix=".sqlite", dir=Path(store).parent)
    os.close(fd)
    try:
        for run in runs:
            record_run(name, run)
        copy_archive(store, name)            # archived visits are in no master: keep them
        replace_store(store, name)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
    return runs

