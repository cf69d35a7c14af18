"""The master's sheets as the card needs them, read once with python-calamine: every
客户档案 value as the master holds it (canonical types, extra columns kept), and the
拜访记录, 投诉记录 and 变更记录 rows grouped by 客户编号."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from workbook_tools.accounts import COLUMNS as ACCOUNT_COLUMNS, SHEET as ACCOUNTS_SHEET
from workbook_tools.card.model import ChangeRecord, iso_week
from workbook_tools.errors import UnreadableWorkbook
from workbook_tools.io.continuation import continued_sheets, join_rows
from workbook_tools.merge.rows import coerce, is_empty, is_provenance_header, norm_id
from workbook_tools.schema.model import Form, Schema, normalize_header
from workbook_tools.schema.settings import placeholder_test

CUSTOMERS, VISIT_SHEET, COMPLAINT_SHEET, CHANGE_SHEET = "客户档案", "拜访记录", "投诉记录", "变更记录"
ACCOUNT_KEYS = {header: key for key, header, _ in ACCOUNT_COLUMNS}
HEADER_SCAN_ROWS = 10
CHANGE_HEADERS = {"日期": "date", "类型": "kind", "客户编号": "customer_id", "客户名称": "customer_name",
                  "字段": "field", "旧值": "old", "新值": "new", "说明": "text", "来源文件": "file"}


@dataclass(slots=True)
class Customer:
    id: str
    values: dict[str, Any]          # field key → canonical value (None when blank)
    extras: dict[str, Any]          # extra column header → value (blank ones left out)


@dataclass(slots=True)
class Record:
    row: int                        # 1-based sheet row in the master
    values: dict[str, Any]


@dataclass(slots=True)
class MasterTables:
    customers: list[Customer]                       # master order
    extra_labels: list[str]                         # unknown 客户档案 columns, sheet order
    visits: dict[str, list[Record]] = field(default_factory=dict)
    complaints: dict[str, list[Record]] = field(default_factory=dict)
    changes: dict[str, list[ChangeRecord]] | None = None   # None: the master has no 变更记录
    has_complaints: bool = False
    problems: list[str] = field(default_factory=list)   # continuation sheets not joined
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)   # 客户分类 line by normalised 客户编号


def read_tables(path: str | Path, schema: Schema) -> MasterTables:
    """Read 客户档案 (required), 拜访记录, 投诉记录 and 变更记录 (each optional)."""
    path = Path(path)
    reg = schema.form("registration")
    sheets, problems = _sheets(path, {
        CUSTOMERS: reg.match_header, VISIT_SHEET: schema.form("visit-record").match_header,
        COMPLAINT_SHEET: schema.form("complaint").match_header,
        CHANGE_SHEET: lambda h: CHANGE_HEADERS.get(normalize_header(h)),
        ACCOUNTS_SHEET: lambda h: ACCOUNT_KEYS.get(str(h).strip())})
    if sheets.get(CUSTOMERS) is None:
        raise UnreadableWorkbook(path, f"找不到工作表“{CUSTOMERS}”", "请选择合并生成的客户档案总表")
    placeholder = placeholder_test(schema.settings.get("empty_placeholders"))
    customers, extra_labels = _customers(path, sheets[CUSTOMERS], reg, placeholder)
    tables = MasterTables(customers, extra_labels, problems=problems)
    tables.visits = _records(sheets.get(VISIT_SHEET), schema.form("visit-record"))
    tables.has_complaints = sheets.get(COMPLAINT_SHEET) is not None
    tables.complaints = _records(sheets.get(COMPLAINT_SHEET), schema.form("complaint"))
    if sheets.get(CHANGE_SHEET) is not None:
        tables.changes = _changes(sheets[CHANGE_SHEET])
    tables.accounts = _accounts(sheets.get(ACCOUNTS_SHEET))
    return tables


def _accounts(rows: list[list] | None) -> dict[str, dict[str, Any]]:
    """The master's 客户分类 sheet (computed by workbook_tools.accounts) by 客户编号."""
    if not rows:
        return {}
    head, keys = _header(rows, lambda h: ACCOUNT_KEYS.get(str(h).strip()))
    if head < 0 or "customer_id" not in keys:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for cells in rows[head + 1:]:
        values = {k: (None if is_empty(c) else c.date() if isinstance(c, dt.datetime) else c)
                  for k, c in zip(keys, cells) if k is not None}
        cid = norm_id(values.get("customer_id"))
        if cid:
            out[cid] = values
    return out


def _sheets(path: Path, matchers: dict[str, Any]) -> tuple[dict[str, list[list] | None], list[str]]:
    """Each named sheet's rows, its continuation sheets' data rows joined (io.continuation;
    the header found by the sheet's header matcher), None when missing; and the
    continuation sheets not joined (header differs)."""
    if not path.is_file():
        raise UnreadableWorkbook(path, "文件不存在", "请检查客户档案总表的路径")
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated types for bad files
        raise UnreadableWorkbook(path, f"不是可读取的 Excel 工作簿（{type(exc).__name__}）",
                                 "请选择合并生成的客户档案总表 .xlsx 文件") from None
    out: dict[str, list[list] | None] = {}
    problems: list[str] = []
    names = book.sheet_names
    try:
        for name, match in matchers.items():
            if name not in names:
                out[name] = None
                continue
            rows = _load(book, path, name)
            more = [(n, (lambda n=n: _load(book, path, n))) for n in continued_sheets(names, name)[1:]]
            joined = join_rows(name, rows, _header(rows, match)[0] if more else -1, more)
            out[name] = joined.rows
            problems += joined.problems
    finally:
        book.close()
    return out, problems


def _load(book: CalamineWorkbook, path: Path, name: str) -> list[list]:
    try:
        return book.get_sheet_by_name(name).to_python()
    except Exception as exc:
        raise UnreadableWorkbook(path, f"工作表“{name}”已损坏，无法读取（{type(exc).__name__}）",
                                 "请用 Excel 打开并另存后重试") from None


def _header(rows: list[list], match) -> tuple[int, list]:
    """(0-based header row, per column its key or None): the row among the first ones
    matching the most columns."""
    best, best_keys, best_n = -1, [], 0
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        keys = [match(c) if isinstance(c, str) and c.strip() else None for c in row]
        n = sum(k is not None for k in keys)
        if n > best_n:
            best, best_keys, best_n = i, keys, n
    return best, best_keys


def _customers(path: Path, rows: list[list], reg: Form, placeholder: Any = None
               ) -> tuple[list[Customer], list[str]]:
    head, keys = _header(rows, reg.match_header)
    if head < 0 or reg.id_field not in keys:
        raise UnreadableWorkbook(path, f"工作表“{CUSTOMERS}”中找不到“{reg.field(reg.id_field).label}”列",
                                 "请选择合并生成的客户档案总表")
    header = rows[head]
    keys = [k if k not in keys[:j] else None for j, k in enumerate(keys)]  # first column of a field wins
    extra = [j for j, (h, k) in enumerate(zip(header, keys))
             if k is None and not is_empty(h) and not is_provenance_header(str(h))]
    fields = [(j, reg.field(k)) for j, k in enumerate(keys) if k is not None]
    out = []
    for cells in rows[head + 1:]:
        values = dict.fromkeys(reg.keys)
        for j, f in fields:
            if j < len(cells):
                values[f.key] = coerce(f, cells[j], placeholder)
        cid = norm_id(values[reg.id_field])
        if not cid:
            continue
        extras = {str(header[j]).strip(): cells[j] for j in extra if j < len(cells) and not is_empty(cells[j])}
        out.append(Customer(str(values[reg.id_field]), values, extras))
    return out, [str(header[j]).strip() for j in extra]


def _records(rows: list[list] | None, form: Form) -> dict[str, list[Record]]:
    if not rows:
        return {}
    head, keys = _header(rows, form.match_header)
    if head < 0 or "customer_id" not in keys:
        return {}
    fields = [(j, form.field(k)) for j, k in enumerate(keys) if k is not None and k not in keys[:j]]
    out: dict[str, list[Record]] = {}
    for number, cells in enumerate(rows[head + 1:], start=head + 2):
        values = {f.key: coerce(f, cells[j]) if j < len(cells) else None for j, f in fields}
        cid = norm_id(values.get("customer_id"))
        if cid:
            out.setdefault(cid, []).append(Record(number, values))
    return out


def _changes(rows: list[list]) -> dict[str, list[ChangeRecord]]:
    head, keys = _header(rows, lambda h: CHANGE_HEADERS.get(normalize_header(h)))
    out: dict[str, list[ChangeRecord]] = {}
    if head < 0 or "customer_id" not in keys:
        return out
    for cells in rows[head + 1:]:
        v = {k: (None if is_empty(c) else c) for k, c in zip(keys, cells) if k is not None}
        cid = norm_id(v.get("customer_id"))
        if not cid:
            continue
        day = v.get("date")
        day = day.date() if isinstance(day, dt.datetime) else day if isinstance(day, dt.date) else None
        out.setdefault(cid, []).append(ChangeRecord(
            iso_week(day), day, str(v.get("kind") or ""), str(v.get("customer_id")),
            str(v.get("customer_name") or ""), str(v.get("text") or ""), str(v.get("file") or ""),
            str(v.get("field") or ""), v.get("old"), v.get("new")))
    return out


def add_archived_visits(tables: MasterTables, visits: list[dict[str, Any]], form: Form) -> None:
    """The history store's archived visit records (archive.yaml visit_history_weeks: field key
    → value, dates as ISO text) joined to each customer's visits (row 0: not on a sheet)."""
    for v in visits:
        values = {f.key: coerce(f, _date(v.get(f.key)) if f.type == "date" else v.get(f.key)) for f in form.fields}
        cid = norm_id(values.get("customer_id"))
        if cid:
            tables.visits.setdefault(cid, []).append(Record(0, values))


def _date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value
