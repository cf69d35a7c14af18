"""The reader's and the validator's results → the merge's input contract.

One file is read and validated once (``validate_workbook``); each TableResult gives one
SourceRow per record: ``values`` = the validator's parsed canonical values, ``raw`` = the
cells as read (rows with errors; a clean row's ``raw`` is its ``values``), ``extras`` = unknown columns by header, ``errors`` = the row's error messages
(row rules included) plus the table's own errors (a missing required column quarantines
every row of that table).
"""

from __future__ import annotations

import hashlib
from array import array
from pathlib import Path
from typing import Any, Iterator, Sequence

from workbook_tools.errors import UnreadableWorkbook, WorkbookToolsError
from workbook_tools.io.continuation import header_mismatch, split_name
from workbook_tools.io.reader import read_workbook
from workbook_tools.io.stream import NotStreamable, XlsxStream
from workbook_tools.merge import master_stream
from workbook_tools.merge.compact import EMPTY, NO_ERRORS, RowValues
from workbook_tools.merge.packed import ReadRows, repeated_hashes
from workbook_tools.merge.spill import Spill
from workbook_tools.merge.rows import (
    InputFile, SourceRow, header_drift_from_table, is_empty, norm_id, previous_from_rows, source_order,
)
from workbook_tools.schema.model import Schema

_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """The file's SHA-256 (hex); '' when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def table_errors(result: Any) -> list[str]:
    """Error messages about the table as a whole (header row or no row at all)."""
    header_row = result.table.header_row
    return [f.message for f in result.findings
            if f.severity == "error" and (f.row is None or f.row <= header_row)]


def extra_columns(table: Any) -> list[tuple[int, str]]:
    """(position in Record.values, header) of columns that are not the first column of a
    field: unknown columns and repeated field columns. Repeated headers get the column letter."""
    first = {table.position(key) for key in table.fields}
    out: list[tuple[int, str]] = []
    seen: set[str] = set()
    for pos, col in enumerate(table.columns):
        if pos in first or not str(col.header).strip() or _joined(table, col.field):
            continue
        header = str(col.header).strip()
        if header in seen:
            header = f"{header}（{col.letter}列）"
        seen.add(header)
        out.append((pos, header))
    return out


def _joined(table: Any, key: str | None) -> bool:
    """A repeated free-text column (a second 备注): validation joins it into the field."""
    return key is not None and table.form.field(key).is_free_text


def table_rows(result: Any, file: str) -> list[SourceRow]:
    """One SourceRow per record of a validated table (``result``: a TableResult)."""
    form, sheet = result.table.form.key, result.table.sheet
    return [SourceRow(form, parsed, raw, extra, file, sheet, row, errors)
            for row, parsed, raw, extra, errors in _records(result)]


def add_table(result: Any, file: str, into: ReadRows) -> None:
    """The records of a validated table into ``into``: clean record rows straight into its
    packed blocks (no SourceRow per row), the others as SourceRows."""
    form, sheet = result.table.form.key, result.table.sheet
    packed = into.packed.get(form)
    loose = into.loose
    keys = result.table.form.keys
    share_text(result, into.shared)
    for row, parsed, raw, extra, errors in _records(result):
        if packed is not None and not errors:
            packed.add(parsed, extra, file, sheet, row)
        elif errors:
            loose.append(SourceRow(form, parsed, raw, extra, file, sheet, row, errors))
        else:  # a clean registration row: values packed, empty parts shared (merge/compact.py)
            values = RowValues.packed(parsed, keys, into.spill)
            loose.append(SourceRow(form, values, values, extra or EMPTY, file, sheet, row, NO_ERRORS))


SHARED_RATIO = 0.1   # a free-text column with at most this share of distinct values is shared


def share_text(result: Any, shared: dict[str, str]) -> None:
    """Free-text columns that repeat (负责业务员, 填表人, 开户银行, 产品, 业务员 …) hold one string
    object per distinct value across all files (``shared``), not one per cell as read:
    ≈ 350 bytes a registration row. Other columns are left alone (sharing unique values
    would only add a dict entry each)."""
    parsed = result.parsed
    if not parsed:
        return
    form = result.table.form
    for key in result.table.fields:
        if form.field(key).type != "text":
            continue
        column = [p.get(key) for p in parsed]
        if len(set(column)) > SHARED_RATIO * len(column) + 1:
            continue
        for values, value in zip(parsed, column):
            if value.__class__ is str:
                values[key] = shared.setdefault(value, value)


def _records(result: Any) -> Iterator[tuple[int, dict, dict, dict, list[str]]]:
    """(sheet row, parsed values, raw values, extras, errors) of every record."""
    table = result.table
    by_row = result.messages_by_row("error")
    shared = table_errors(result)
    keys = table.fields
    positions = [table.position(k) for k in keys]
    extras = extra_columns(table)
    width = len(table.columns)
    for record, parsed in zip(table.records, result.parsed):
        cells = record.values
        if len(cells) < width:
            cells = [*cells, *[None] * (width - len(cells))]
        extra = {h: cells[p] for p, h in extras if not is_empty(cells[p])} if extras else {}
        errors = [*shared, *by_row.get(record.row, ())]
        # raw values are shown only for quarantined rows (待修正); a clean row shares its
        # parsed dict, which halves the memory of a 300,000-row merge
        raw = dict(zip(keys, [cells[p] for p in positions])) if errors else parsed
        yield record.row, parsed, raw, extra, errors


def flag_duplicate_ids(rows: ReadRows | list[SourceRow], schema: Schema) -> int:
    """Records (visits, plans, complaints) are unique by their 编号 within a file (validation),
    but two files may reuse a number for different records: the later row (file, sheet, row
    order) gets an error and goes to 待修正, so the master keeps one record per number and
    stays valid input. Rows identical in every field are left to the merge (exact duplicates).
    Registration rows are folded by 客户编号 instead. Returns the number of rows flagged.
    Packed rows (ReadRows) are hashed first; only rows sharing a number's hash are compared,
    and a flagged row leaves the packed rows for ``rows.loose``."""
    if not isinstance(rows, ReadRows):
        return len(_flag_rows(sorted((r for r in rows if not r.errors), key=source_order), schema))
    flagged = 0
    for key, packed in rows.packed.items():
        candidates = _candidates(packed, [f.key for f in schema.form(key).fields if f.unique])
        found = _flag_rows([row for _, row in candidates], schema)
        if found:
            ids = set(map(id, found))
            packed.remove({pos for pos, row in candidates if id(row) in ids})
            rows.loose += found
            flagged += len(found)
    return flagged


def _candidates(packed: Any, unique: list[str]) -> list[tuple[int, SourceRow]]:
    """(position, row) of the packed rows that share the hash of a unique field's number."""
    if not unique or not packed:
        return []
    index = [packed.keys.index(k) for k in unique]
    hashes = [array("q") for _ in index]
    for values in packed.value_tuples():
        for out, i in zip(hashes, index):
            number = norm_id(values[i])
            if number:
                out.append(hash(number))
    repeated = [repeated_hashes(h) for h in hashes]
    if not any(repeated):
        return []
    out = []
    for pos, (block, item) in enumerate(packed.items()):
        values = item[0] if item[0].__class__ is tuple else tuple(map(item[0].get, packed.keys))
        if any(rep and hash(norm_id(values[i])) in rep for i, rep in zip(index, repeated)):
            out.append((pos, packed.source_row(block, item)))
    return out


def _flag_rows(rows: list[SourceRow], schema: Schema) -> list[SourceRow]:
    """The rule over clean rows in source order; returns the rows flagged (errors added)."""
    unique = {f.key: [x.key for x in f.fields if x.unique] for f in schema.forms if f.key != "registration"}
    seen: dict[tuple[str, str, str], SourceRow] = {}
    flagged = []
    for row in rows:
        if not unique.get(row.form):
            continue
        form = schema.form(row.form)
        for key in unique[row.form]:
            number = norm_id(row.values.get(key))
            first = seen.setdefault((row.form, key, number), row) if number else row
            if first is row or all(first.values.get(k) == row.values.get(k) for k in form.keys):
                continue
            label = form.field(key).label
            row.errors.append(f"{label}“{row.values.get(key)}”已被 {first.where} 的另一条记录使用；"
                              f"{label}必须唯一，请改用未被使用的编号")
            flagged.append(row)
            break
    return flagged


def input_file(path: Path, sha: str, label: str | None, results: Sequence[Any]) -> InputFile:
    """The InputFile of a file that was read: rows and header drift per sheet."""
    return InputFile(str(path), sha, {r.table.sheet: len(r.table.records) for r in results},
                     header_drift=tuple(header_drift_from_table(r.table) for r in results),
                     label=label)


def unreadable_reason(report: Any) -> str:
    """FileReport.error without its '无法读取文件 PATH：' prefix (the file is listed anyway)."""
    text = str(report.error)
    prefix = f"无法读取文件 {report.path}："
    return text[len(prefix):] if text.startswith(prefix) else text


def no_table_reason(report: Any) -> str:
    return "；".join(f.message for f in report.findings) or "未找到可识别的表格"


def load_previous(path: str | Path, schema: Schema) -> list[SourceRow]:
    """Last week's master (its 客户档案 sheet) or any registration workbook → previous rows.
    A master is read in chunks (io.stream, merge/master_stream.py) and its rows packed and
    spilled as they come (a million customers in ≈ 0.2 GB); other workbooks, or a sheet the
    stream cannot promise to read as io.reader does, are read whole."""
    path = Path(path)
    streamed = _previous_streamed(path, schema)
    if streamed is not None:
        return streamed
    try:
        book = read_workbook(path, schema, form="registration")
    except UnreadableWorkbook as exc:
        raise WorkbookToolsError(f"上期总表（--previous）无法使用：{exc}") from None
    if not book.sheets:
        raise WorkbookToolsError(
            f"上期总表 {path} 中找不到客户档案表（工作表：{'、'.join(book.other_sheets) or '无'}）；"
            "请确认 --previous 指定的是上次合并生成的总表")
    broken = [reason for sheet, reason in book.other_reasons.items()
              if reason == header_mismatch(sheet, split_name(sheet)[0])]
    if broken:
        raise WorkbookToolsError(f"上期总表（--previous）无法使用：{broken[0]}")
    out: list[SourceRow] = []
    for table in book.sheets:
        header = [c.header for c in table.columns]
        rows = previous_from_rows(header, [r.values for r in table.records], schema,
                                  file=path.name, sheet=table.sheet, header_row=table.header_row)
        first = table.header_row + 1
        for row in rows:  # blank rows were skipped: cite the real sheet row
            row.row = table.records[row.row - first].row
        out.extend(rows)
    return out


def _previous_streamed(path: Path, schema: Schema) -> list[SourceRow] | None:
    """load_previous through io.stream; None when the workbook needs the whole-sheet path."""
    try:
        with XlsxStream(path) as book:
            tables = master_stream.customer_tables(book, schema)
        if tables is None:
            return None
        keys, spill, out = schema.form("registration").keys, Spill(), []
        for sheet, row, values, extras, _ in master_stream.customer_rows(path, schema, tables):
            values = RowValues.packed(values, keys, spill)
            out.append(SourceRow("registration", values, values, extras or EMPTY, path.name, sheet, row, NO_ERRORS))
        return out
    except NotStreamable:
        return None
    except WorkbookToolsError:
        raise
    except Exception:  # noqa: BLE001 - not a workbook the stream reads: the whole-sheet path says why
        return None
