"""The reader's and the validator's results → the merge's input contract.

One file is read and validated once (``validate_workbook``); each TableResult gives one
SourceRow per record: ``values`` = the validator's parsed canonical values, ``raw`` = the
cells as read (rows with errors; a clean row's ``raw`` is its ``values``), ``extras`` = unknown columns by header, ``errors`` = the row's error messages
(row rules included) plus the table's own errors (a missing required column quarantines
every row of that table).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Sequence

from workbook_tools.errors import UnreadableWorkbook, WorkbookToolsError
from workbook_tools.io.continuation import header_mismatch, split_name
from workbook_tools.io.reader import read_workbook
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
    table = result.table
    form, sheet = table.form.key, table.sheet
    by_row = result.messages_by_row("error")
    shared = table_errors(result)
    keys = table.fields
    positions = [table.position(k) for k in keys]
    extras = extra_columns(table)
    width = len(table.columns)
    out = []
    for record, parsed in zip(table.records, result.parsed):
        cells = record.values
        if len(cells) < width:
            cells = [*cells, *[None] * (width - len(cells))]
        extra = {h: cells[p] for p, h in extras if not is_empty(cells[p])} if extras else {}
        errors = [*shared, *by_row.get(record.row, ())]
        # raw values are shown only for quarantined rows (待修正); a clean row shares its
        # parsed dict, which halves the memory of a 300,000-row merge
        raw = dict(zip(keys, [cells[p] for p in positions])) if errors else parsed
        out.append(SourceRow(form, parsed, raw, extra, file, sheet, record.row, errors))
    return out


def flag_duplicate_ids(rows: list[SourceRow], schema: Schema) -> int:
    """Records (visits, plans, complaints) are unique by their 编号 within a file (validation),
    but two files may reuse a number for different records: the later row (file, sheet, row
    order) gets an error and goes to 待修正, so the master keeps one record per number and
    stays valid input. Rows identical in every field are left to the merge (exact duplicates).
    Registration rows are folded by 客户编号 instead. Returns the number of rows flagged."""
    unique = {f.key: [x.key for x in f.fields if x.unique] for f in schema.forms if f.key != "registration"}
    seen: dict[tuple[str, str, str], SourceRow] = {}
    flagged = 0
    for row in sorted((r for r in rows if unique.get(r.form) and not r.errors), key=source_order):
        form = schema.form(row.form)
        for key in unique[row.form]:
            number = norm_id(row.values.get(key))
            first = seen.setdefault((row.form, key, number), row) if number else row
            if first is row or all(first.values.get(k) == row.values.get(k) for k in form.keys):
                continue
            label = form.field(key).label
            row.errors.append(f"{label}“{row.values.get(key)}”已被 {first.where} 的另一条记录使用；"
                              f"{label}必须唯一，请改用未被使用的编号")
            flagged += 1
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
    """Last week's master (its 客户档案 sheet) or any registration workbook → previous rows."""
    path = Path(path)
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
