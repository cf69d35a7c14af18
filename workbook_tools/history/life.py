"""A customer's life in the archive (what `workbook-tools history 客户编号` prints), and
changes across customers (`--changed-since`), with sensitive values masked."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from workbook_tools.history.mask import masked_change
from workbook_tools.history.model import ABSENT, CHANGED, COMPLAINT, KEPT, NEW, TRADE, VISIT, HistoryChange
from workbook_tools.history.store import HistoryStore


@dataclass
class CustomerLife:
    customer_id: str
    customer_name: str
    entered_week: str
    entered_date: dt.date
    entered_file: str
    entered_new: bool                 # False: already in the archive at the first recorded run
    changes: list[HistoryChange] = field(default_factory=list)   # 修改, masked
    absent_weeks: list[str] = field(default_factory=list)
    kept_weeks: list[str] = field(default_factory=list)          # 本周数据有误，保留上期记录
    visits: int = 0
    complaints: int = 0
    trades: list[dict[str, Any]] = field(default_factory=list)  # 交易记录 rows by field key, by 交易日期
    weeks: tuple[str, str] = ("", "")                            # first and last recorded run

    def as_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["entered_date"] = self.entered_date.isoformat()
        out["changes"] = [change_dict(c) for c in self.changes]
        return out


def change_dict(c: HistoryChange) -> dict[str, Any]:
    return {**dataclasses.asdict(c), "date": c.date.isoformat()}


def field_types(store: HistoryStore) -> dict[str, str]:
    return {label: type_ for label, (_, type_) in store.fields().items()}


def customer_life(store: HistoryStore, customer_id: str) -> CustomerLife | None:
    """None when the customer never was in the archive."""
    cid = customer_id.strip().upper()
    first = store.first_seen(cid)
    if first is None:
        return None
    week, file = first
    runs = {r["week"]: r for r in store.runs()}
    entries = store.changes_for(cid)
    types = field_types(store)
    record = store.record_of(cid) or {}
    counts = store.added_counts(cid)
    weeks = sorted(runs)
    return CustomerLife(
        customer_id=cid, customer_name=str(record.get("customer_name") or _name(entries)),
        entered_week=week, entered_date=dt.date.fromisoformat(runs[week]["run_date"]),
        entered_file=file, entered_new=any(e.kind == NEW for e in entries),
        changes=[masked_change(e, types) for e in entries if e.kind == CHANGED],
        absent_weeks=[e.week for e in entries if e.kind == ABSENT],
        kept_weeks=[e.week for e in entries if e.kind == KEPT],
        visits=counts[VISIT], complaints=counts[COMPLAINT], weeks=(weeks[0], weeks[-1]),
        trades=_trades(store, cid),
    )


def _trades(store: HistoryStore, cid: str) -> list[dict[str, Any]]:
    """The customer's deals as recorded (values by field key, dates as ISO text), by date and 交易编号."""
    rows = [{k: v for k, v in a.items() if k != "kind"} for a in store.added_for(cid) if a["kind"] == TRADE]
    return sorted(rows, key=lambda r: (str(r.get("date") or ""), str(r.get("trade_id") or "")))


def _name(entries: list[HistoryChange]) -> str:
    return next((e.customer_name for e in reversed(entries) if e.customer_name), "")


def resolve_field(store: HistoryStore, text: str) -> str:
    """A field label from what the user typed: a label, a key, or a unique part of a label
    ('手机' → 手机号码). Raises ValueError with a Chinese message."""
    fields = store.fields()
    wanted = text.strip()
    if wanted in fields:
        return wanted
    by_key = {key: label for label, (key, _) in fields.items()}
    if wanted in by_key:
        return by_key[wanted]
    hits = [label for label in fields if wanted and wanted in label]
    if len(hits) == 1:
        return hits[0]
    known = "、".join(fields)
    if hits:
        raise ValueError(f"字段“{text}”不明确，可能是：{'、'.join(hits)}")
    raise ValueError(f"档案历史中没有字段“{text}”（可用：{known}）")


@dataclass
class ChangeListing:
    since: dt.date
    field: str | None
    total: int
    customers: int
    changes: list[HistoryChange]      # masked, oldest first, at most ``limit``

    def as_dict(self) -> dict[str, Any]:
        return {"since": self.since.isoformat(), "field": self.field, "total": self.total,
                "customers": self.customers, "changes": [change_dict(c) for c in self.changes]}


def changes_since(store: HistoryStore, since: dt.date, field: str | None = None,
                  limit: int | None = 100) -> ChangeListing:
    label = resolve_field(store, field) if field else None
    total, customers = store.count_changed_since(since, label)
    types = field_types(store)
    rows = store.changed_since(since, label, limit=limit or None)
    return ChangeListing(since, label, total, customers, [masked_change(c, types) for c in rows])
