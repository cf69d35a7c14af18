"""Master tables + figures → Card objects (pure: no I/O)."""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Sequence

from workbook_tools.card.credit import credit_block
from workbook_tools.card.derived import SOURCES, VALUE, Figures
from workbook_tools.card.model import (
    CHANGES, COMPLAINTS, DERIVED_SECTION, OTHER_SECTION, VISITS, Block, Card, Item, Listing, View, as_date, week_of,
)
from workbook_tools.card.source import Customer, MasterTables, Record
from workbook_tools.merge.changes import change_text
from workbook_tools.merge.rows import norm_id
from workbook_tools.schema.credit import credit_rules
from workbook_tools.schema.model import CODE_TYPES, NUMBER_TYPES, SECTIONS, Field, Form, Schema

DIRECTORY = "目录"
MAX_VISITS, MAX_CHANGES = 20, 50
DIRECTORY_FIELDS = ("customer_id", "customer_name", "region", "owner", "category")
VISIT_COLUMNS = (("日期", "date"), ("内容", "content"), ("方式", "method"), ("结果", "result"),
                 ("业务员", "salesperson"), ("下次跟进日期", "next_date"))
COMPLAINT_COLUMNS = (("投诉日期", "date"), ("投诉内容", "content"), ("状态", "status"),
                     ("处理结果", "resolution"), ("处理人员", "handler"), ("投诉编号", "complaint_id"))
CHANGE_HEADERS = ["日期", "修改内容", "类型", "来源文件", "周次"]
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\']")
ChangesFor = Callable[[str], Sequence[Any]]


def field_kind(f: Field) -> str:
    if f.type == "date":
        return "date"
    if f.type == "money":
        return "money"
    if f.type in NUMBER_TYPES:
        return "number"
    return "code" if f.type in CODE_TYPES else "text"


class CardMaker:
    """Builds the card of one customer; holds what every card shares."""

    def __init__(self, schema: Schema, tables: MasterTables, figures: Figures, view: View,
                 changes_for: ChangesFor | None = None):
        self.reg, self.tables, self.figures, self.view = schema.form("registration"), tables, figures, view
        self.visit_form, self.changes_for = schema.form("visit-record"), changes_for
        self.rules = credit_rules(schema)
        self.sheets: set[str] = {DIRECTORY.casefold()}

    def card(self, c: Customer) -> Card:
        reg, view = self.reg, self.view
        name = "" if c.values.get("customer_name") is None else str(c.values["customer_name"])
        blocks = [self._section(c, s) for s in SECTIONS]
        other = [Item(label, view.show(label, c.extras.get(label)))
                 for label in self.tables.extra_labels if not view.hidden(label)]
        if other:
            blocks.append(Block(OTHER_SECTION, other))
        key = norm_id(c.id)
        account = self.tables.accounts.get(key)
        figures = dict(self.figures.of(c.id))
        if account is not None and account.get("value_class"):   # 客户分类: amounts from 交易记录
            figures[VALUE] = str(account["value_class"])
        credit = credit_block(account, view, self.rules)
        if credit is not None:
            blocks.append(credit)
        blocks.append(Block(DERIVED_SECTION, [
            Item(label, figures.get(label)) for label, keys in SOURCES.items()
            if not any(view.hidden(k) for k in keys)], wide=True))
        listings = [self._visits(self.tables.visits.get(key, [])),
                    self._complaints(self.tables.complaints.get(key, [])), self._changes(c.id, key)]
        directory = [None if view.hidden(k) else view.show(k, c.values.get(k)) for k in DIRECTORY_FIELDS]
        return Card(c.id, name, self._sheet_name(c.id), self._subtitle(c), blocks, listings, directory)

    def _section(self, c: Customer, section: str) -> Block:
        items = [Item(f.label, self.view.show(f.key, c.values.get(f.key)), field_kind(f))
                 for f in self.reg.fields if f.section == section and not self.view.hidden(f.key)]
        return Block(section, items)

    def _subtitle(self, c: Customer) -> str:
        parts = [f"{self.reg.field(k).label}：{self.view.show(k, c.values.get(k)) or ''}"
                 for k in ("customer_id", "region", "owner") if not self.view.hidden(k)]
        return "　　".join(parts)

    def _sheet_name(self, cid: str) -> str:
        base = _BAD_SHEET_CHARS.sub("_", cid.strip())[:31] or "客户"
        name, n = base, 1
        while name.casefold() in self.sheets:
            n += 1
            name = f"{base[:31 - len(str(n)) - 2]}({n})"
        self.sheets.add(name.casefold())
        return name

    def _visits(self, records: list[Record]) -> Listing:
        ordered = sorted(records, key=lambda r: (as_date(r.values.get("date")) is not None,
                                                 as_date(r.values.get("date")) or 0, r.row), reverse=True)
        n = len(ordered)
        title = f"{VISITS}（共 {n} 次）" if n <= MAX_VISITS else f"{VISITS}（最近 {MAX_VISITS} 次，共 {n} 次）"
        return _listing(title, VISIT_COLUMNS, ordered[:MAX_VISITS], self.visit_form, f"暂无{VISITS}")

    def _complaints(self, records: list[Record]) -> Listing:
        ordered = sorted(records, key=lambda r: (as_date(r.values.get("date")) is not None,
                                                 as_date(r.values.get("date")) or 0, r.row), reverse=True)
        empty = f"暂无{COMPLAINTS}" if self.tables.has_complaints else f"暂无{COMPLAINTS}（总表中没有投诉记录）"
        return _listing(f"{COMPLAINTS}（共 {len(ordered)} 条）", COMPLAINT_COLUMNS, ordered, None, empty)

    def _changes(self, cid: str, key: str) -> Listing:
        if self.changes_for is not None:
            entries: Iterable[Any] | None = self.changes_for(cid)
        else:
            entries = None if self.tables.changes is None else self.tables.changes.get(key, [])
        if entries is None:
            return Listing(CHANGES, CHANGE_HEADERS, ["date", "text", "text", "text", "text"], [],
                           f"暂无{CHANGES}（总表中没有变更记录：首次合并，或未提供上期总表）")
        rows = [row for row in map(self._change_row, entries) if row is not None]
        rows.sort(key=lambda r: (r[0] is not None, r[0] or 0), reverse=True)   # stable: newest week first
        n = len(rows)
        title = f"{CHANGES}（共 {n} 条）" if n <= MAX_CHANGES else f"{CHANGES}（最近 {MAX_CHANGES} 条，共 {n} 条）"
        return Listing(title, CHANGE_HEADERS, ["date", "text", "text", "text", "text"], rows[:MAX_CHANGES],
                       f"暂无{CHANGES}")

    def _change_row(self, e: Any) -> list[Any] | None:
        label = str(getattr(e, "field", "") or "")
        text = str(getattr(e, "text", "") or "")
        if label:
            key = self.reg.match_header(label) or label
            if self.view.hidden(key):
                return None
            old, new = getattr(e, "old", None), getattr(e, "new", None)
            shown_old, shown_new = self.view.show(key, old), self.view.show(key, new)
            if (shown_old, shown_new) != (old, new):
                text = change_text(label, shown_old, shown_new)
        return [as_date(getattr(e, "date", None)), text, str(getattr(e, "kind", "") or ""),
                str(getattr(e, "file", "") or ""), week_of(e)]


def _listing(title: str, columns, records: list[Record], form: Form | None, empty: str) -> Listing:
    kinds = ["date" if key in ("date", "next_date") else "text" for _, key in columns]
    rows = [[r.values.get(key) for _, key in columns] for r in records]
    return Listing(title, [label for label, _ in columns], kinds, rows, empty)
