"""Per-customer trade figures from the master's 交易记录 rows (seed 001 "系统自动统计"):
交易次数, 交易金额, 首次/最近交易日期, 回款金额, 未回款金额, 逾期金额, 按期回款率, and the
activity the 信用评估 reads (months with a deal, 月均交易金额). Pure: plain values in, numbers out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from workbook_tools.schema.credit import CreditRules


def as_day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def as_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0.0
    return float(value)


def months_back(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months - 1`` months before ``day``'s month: the window start."""
    index = day.year * 12 + day.month - 1 - (months - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(slots=True)
class TradeFigures:
    count: int = 0
    amount: float = 0.0
    first: dt.date | None = None
    last: dt.date | None = None
    paid: float = 0.0
    unpaid: float = 0.0
    overdue: float = 0.0
    due_deals: int = 0               # deals whose 回款 was due by the as-of date
    on_time_deals: int = 0           # of them, paid in full by the due date (+ grace)
    months: set = field(default_factory=set)   # (year, month) with a deal inside the window
    window_amount: float = 0.0

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time_deals / self.due_deals if self.due_deals else None

    def add(self, values: Mapping[str, Any], as_of: dt.date, rules: CreditRules, window: dt.date) -> None:
        day, amount, paid = as_day(values.get("date")), as_number(values.get("amount")), as_number(
            values.get("paid_amount"))
        self.count += 1
        self.amount += amount
        self.paid += paid
        open_amount = max(0.0, amount - paid)
        self.unpaid += open_amount
        if day is not None:
            self.first = day if self.first is None else min(self.first, day)
            self.last = day if self.last is None else max(self.last, day)
            if window <= day <= as_of:
                self.months.add((day.year, day.month))
                self.window_amount += amount
        due = as_day(values.get("due_date")) or (day + dt.timedelta(days=rules.default_due_days) if day else None)
        if due is None or due >= as_of:
            return
        self.due_deals += 1
        self.overdue += open_amount
        paid_day = as_day(values.get("paid_date"))
        if open_amount < 0.005 and paid_day is not None and paid_day <= due + dt.timedelta(days=rules.grace_days):
            self.on_time_deals += 1

    def rounded(self) -> "TradeFigures":
        self.amount, self.paid = round(self.amount, 2), round(self.paid, 2)
        self.unpaid, self.overdue = round(self.unpaid, 2), round(self.overdue, 2)
        self.window_amount = round(self.window_amount, 2)
        return self


def trade_figures(rows: Iterable[Mapping[str, Any]], as_of: dt.date, rules: CreditRules,
                  key=lambda v: v.get("customer_id")) -> dict[str, TradeFigures]:
    """Normalised 客户编号 (``key`` of a row's values) → its figures; rows without one are skipped."""
    window = months_back(as_of, rules.window_months)
    out: dict[str, TradeFigures] = {}
    for values in rows:
        cid = key(values)
        if cid:
            out.setdefault(cid, TradeFigures()).add(values, as_of, rules, window)
    return {cid: f.rounded() for cid, f in out.items()}
