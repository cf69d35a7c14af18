"""compute_accounts: every customer's line of the master's 客户分类 sheet — trade figures computed
from 交易记录 (typed values kept and marked 录入 when a customer has none), 价值分类, ABC, the
computed 信用评估 next to the typed 信誉等级, 建议信用限度 and the 复评 status — and a finding
(``trade-figure-disagrees``) for each typed figure the records contradict."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

import pandas as pd

from workbook_tools.accounts.classes import DEFAULT_CLASSES, value_classes
from workbook_tools.accounts.credit import credit_score, review_status
from workbook_tools.accounts.trades import TradeFigures, as_day, trade_figures
from workbook_tools.schema.catalogue import finding_type as one   # one(code): the catalogue entry
from workbook_tools.schema.credit import credit_rules
from workbook_tools.schema.model import Schema
from workbook_tools.validate.findings import Finding

SHEET = "客户分类"
COMPUTED, TYPED, NONE = "统计", "录入", "无"
DISAGREES = "trade-figure-disagrees"
# (column key, header, kind): the registration fields first, then credit.COLUMN_KEYS
COLUMNS = (
    ("customer_id", "客户编号", "code"), ("customer_name", "客户名称", "text"), ("region", "所属区域", "text"),
    ("owner", "负责业务员", "text"), ("source", "数据来源", "text"), ("trade_count", "交易次数", "number"),
    ("trade_amount", "交易金额(元)", "number"), ("first_trade_date", "首次交易日期", "date"),
    ("last_trade_date", "最近交易日期", "date"), ("paid_amount", "回款金额(元)", "number"),
    ("unpaid_amount", "未回款金额(元)", "number"), ("overdue_amount", "逾期金额(元)", "number"),
    ("on_time_rate", "按期回款率", "pct"), ("value_class", "价值分类", "text"), ("abc", "ABC分类", "text"),
    ("score", "信用得分", "number"), ("grade", "信用评估", "text"), ("grade_typed", "对应信誉等级", "text"),
    ("typed_credit", "信誉等级(录入)", "text"), ("grade_agrees", "评级是否一致", "text"),
    ("monthly_amount", "月均交易金额(元)", "number"), ("credit_limit", "建议信用限度(元)", "number"),
    ("review_date", "信誉评定日期", "date"), ("review_due", "需复评", "text"), ("notes", "核对说明", "prose"),
)
HEADERS = {key: header for key, header, _ in COLUMNS}
KEYS = tuple(key for key, _, _ in COLUMNS)
TRADE_FIELDS = ("trade_count", "trade_amount", "first_trade_date", "last_trade_date")
NO_RECORDS = "无交易记录：交易次数、交易金额、交易日期为登记表录入值"


@dataclass(slots=True)
class Accounts:
    rows: list[dict[str, Any]] = field(default_factory=list)   # column key → value, master order
    disagreements: dict[str, list[Finding]] = field(default_factory=dict)   # 客户编号 → its findings

    @property
    def findings(self) -> list[Finding]:
        return [f for found in self.disagreements.values() for f in found]

    def of(self, customer_id: str) -> dict[str, Any] | None:
        for row in self.rows:
            if row["customer_id"] == customer_id:
                return row
        return None


def compute_accounts(customers: Iterable[tuple[str, Mapping[str, Any]]], trades: Iterable[Mapping[str, Any]],
                     complaints: Iterable[Mapping[str, Any]], schema: Schema, as_of: dt.date,
                     norm: Callable[[Any], str] = lambda v: "" if v is None else str(v).strip().upper()
                     ) -> Accounts:
    """``customers``: (客户编号 as written, registration values by key) in master order; ``trades`` and
    ``complaints``: the master's record values by field key. ``norm`` normalises a 客户编号."""
    rules = credit_rules(schema)
    figures = trade_figures(trades, as_of, rules, key=lambda v: norm(v.get("customer_id")))
    n_complaints = Counter(norm(v.get("customer_id")) for v in complaints)
    out = Accounts()
    for cid, values in customers:
        key = norm(cid)
        row = _row(cid, values, figures.get(key), n_complaints.get(key, 0), rules, as_of)
        found = _disagreements(cid, values, figures.get(key), schema)
        if found:
            out.disagreements[cid] = found
        out.rows.append(row)
    _classes(out.rows, schema, rules)
    return out


def _row(cid: str, values: Mapping[str, Any], t: TradeFigures | None, complaints: int, rules, as_of) -> dict:
    row: dict[str, Any] = dict.fromkeys(KEYS)
    row.update(customer_id=cid, customer_name=values.get("customer_name"), region=values.get("region"),
               owner=values.get("owner"), typed_credit=values.get("credit"),
               review_date=as_day(values.get("credit_reviewed")))
    if t is None:
        typed = {k: values.get(k) for k in TRADE_FIELDS}
        row.update(typed, source=TYPED if any(v is not None for v in typed.values()) else NONE,
                   notes=NO_RECORDS if any(v is not None for v in typed.values()) else None)
        row["first_trade_date"], row["last_trade_date"] = as_day(typed["first_trade_date"]), as_day(
            typed["last_trade_date"])
        if row["typed_credit"]:
            row["review_due"] = review_status(row["review_date"], as_of, rules, False)
        return row
    score = credit_score(t, complaints, rules)
    agrees = None if not row["typed_credit"] or not score.grade.typed else row["typed_credit"] == score.grade.typed
    row.update(source=COMPUTED, trade_count=t.count, trade_amount=t.amount, first_trade_date=t.first,
               last_trade_date=t.last, paid_amount=t.paid, unpaid_amount=t.unpaid, overdue_amount=t.overdue,
               on_time_rate=None if t.on_time_rate is None else round(t.on_time_rate, 4),
               score=score.score, grade=score.grade.name, grade_typed=score.grade.typed or None,
               grade_agrees=None if agrees is None else ("一致" if agrees else "不一致"),
               monthly_amount=score.monthly_amount, credit_limit=score.limit,
               review_due=review_status(row["review_date"], as_of, rules, agrees is False))
    return row


def _same(typed: Any, computed: Any) -> bool:
    if isinstance(computed, float) or isinstance(computed, int):
        return isinstance(typed, (int, float)) and not isinstance(typed, bool) and abs(typed - computed) < 0.005
    return as_day(typed) == computed


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return as_day(value).isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _disagreements(cid: str, values: Mapping[str, Any], t: TradeFigures | None, schema: Schema) -> list[Finding]:
    if t is None:
        return []
    reg, kind = schema.form("registration"), one("trade-figure-disagrees")
    computed = {"trade_count": t.count, "trade_amount": t.amount, "first_trade_date": t.first,
                "last_trade_date": t.last}
    out = []
    for key, value in computed.items():
        typed = values.get(key)
        if typed is None or value is None or _same(typed, value) or key not in reg.keys:
            continue
        label = reg.field(key).label
        message = kind.render(customer_id=cid, label=label, value=_shown(typed), computed=_shown(value),
                              count=t.count)
        out.append(Finding(kind.severity, kind.code, SHEET, None, None, label, _shown(typed), message))
    return out


def _classes(rows: list[dict[str, Any]], schema: Schema, rules) -> None:
    frame = pd.DataFrame({"customer_id": [r["customer_id"] for r in rows],
                          "trade_amount": [r["trade_amount"] for r in rows]}, dtype=object)
    classes = schema.settings.get("value_classes") or DEFAULT_CLASSES
    for column, names in (("value_class", classes), ("abc", rules.abc)):
        for row, label in zip(rows, value_classes(frame, names).tolist()):
            row[column] = label
