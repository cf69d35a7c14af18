"""Accounts: the master's 客户分类 table held as columns — NumPy arrays for the computed
figures, small codes for the classes, lists of references for the values taken from the
registration (≈ 0.2 KB a customer instead of a 25-key dict). Values come out as the Python
values of a row-wise computation: by column (:meth:`Accounts.column`), as rows in the master's
column order (:meth:`Accounts.lines`) or, for a few customers, as dicts (:meth:`Accounts.of`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import numpy as np

from workbook_tools.accounts.columns import NO_DAY
from workbook_tools.accounts.trades import as_day
from workbook_tools.validate.findings import Finding

SHEET = "客户分类"
COMPUTED, TYPED, NONE = "统计", "录入", "无"
SOURCES = (NONE, TYPED, COMPUTED)   # codes 0, 1, 2 of Accounts.source
NO_RECORDS = "无交易记录：交易次数、交易金额、交易日期为登记表录入值"
BLOCK = 4096   # rows decoded at a time by lines()
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


@dataclass(slots=True)
class Coded:
    """A column of a few distinct values: ``codes`` index ``labels``."""

    codes: np.ndarray
    labels: list[Any]

    def values(self, start: int, stop: int) -> list[Any]:
        return list(map(self.labels.__getitem__, self.codes[start:stop].tolist()))


def day_values(ordinals: np.ndarray) -> list[dt.date | None]:
    return [None if o == NO_DAY else dt.date.fromordinal(o) for o in ordinals.tolist()]


@dataclass(slots=True)
class Accounts:
    """``traded``: customers with 交易记录 (their figures are computed; the others keep the
    registration's typed ones). ``typed``: the registration's raw values of the trade fields;
    ``given``: customer_id, customer_name, region, owner, typed_credit, review_date, review_due
    (lists); ``computed``: NumPy arrays (meaningful where traded); ``coded``: Coded columns."""

    traded: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    typed: dict[str, list[Any]] = field(default_factory=dict)
    given: dict[str, list[Any]] = field(default_factory=dict)
    computed: dict[str, np.ndarray] = field(default_factory=dict)
    coded: dict[str, Coded] = field(default_factory=dict)
    disagreements: dict[str, list[Finding]] = field(default_factory=dict)   # 客户编号 → its findings

    def __len__(self) -> int:
        return len(self.traded)

    @property
    def findings(self) -> list[Finding]:
        return [f for found in self.disagreements.values() for f in found]

    def column(self, key: str, start: int = 0, stop: int | None = None) -> list[Any]:
        """Column ``key`` (accounts.table.KEYS) of rows start … stop as Python values."""
        stop = len(self) if stop is None else min(stop, len(self))
        if stop <= start:
            return []
        if key in self.given:
            return self.given[key][start:stop]
        if key in self.coded:
            return self.coded[key].values(start, stop)
        return _DECODE[key](self, start, stop)

    def distinct(self, key: str) -> list[Any]:
        """The distinct values of column ``key`` (in no particular order)."""
        if key in self.coded:
            coded = self.coded[key]
            return [coded.labels[i] for i in np.unique(coded.codes).tolist()]
        values = self.column(key)
        try:
            return list(set(values))
        except TypeError:   # an unhashable value
            return values

    def lines(self, keys: tuple[str, ...] = KEYS, start: int = 0, stop: int | None = None) -> Iterator[list[Any]]:
        """Rows start … stop: each a list of the ``keys`` columns' values."""
        stop = len(self) if stop is None else min(stop, len(self))
        for at in range(start, stop, BLOCK):
            columns = [self.column(key, at, min(at + BLOCK, stop)) for key in keys]
            yield from map(list, zip(*columns))

    def of(self, customer_id: str) -> dict[str, Any] | None:
        """The line of one customer as a dict (column key → value), None if absent."""
        try:
            i = self.given["customer_id"].index(customer_id)
        except (KeyError, ValueError):
            return None
        return dict(zip(KEYS, next(self.lines(KEYS, i, i + 1))))

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Every line as a dict (small tables and tests; the writer reads :meth:`lines`)."""
        return [dict(zip(KEYS, line)) for line in self.lines(KEYS)]

    def _mixed(self, key: str, start: int, stop: int, computed: list[Any],
               typed: Callable[[Any], Any] = lambda v: v) -> list[Any]:
        """Computed values where traded, the typed ones (through ``typed``) elsewhere."""
        raw = self.typed[key][start:stop]
        return [c if t else typed(v) for c, t, v in zip(computed, self.traded[start:stop].tolist(), raw)]


def _number(key: str, integer: bool = False) -> Callable[[Accounts, int, int], list[Any]]:
    def decode(a: Accounts, start: int, stop: int) -> list[Any]:
        values = a.computed[key][start:stop]
        values = values.astype("int64").tolist() if integer else values.tolist()
        if key in a.typed:
            return a._mixed(key, start, stop, values)
        return [v if t else None for v, t in zip(values, a.traded[start:stop].tolist())]
    return decode


def _day(key: str) -> Callable[[Accounts, int, int], list[Any]]:
    def decode(a: Accounts, start: int, stop: int) -> list[Any]:
        return a._mixed(key, start, stop, day_values(a.computed[key][start:stop]), as_day)
    return decode


def _rate(a: Accounts, start: int, stop: int) -> list[Any]:
    rate, rated = a.computed["on_time_rate"][start:stop].tolist(), a.computed["rated"][start:stop].tolist()
    return [r if ok else None for r, ok in zip(rate, rated)]


def _notes(a: Accounts, start: int, stop: int) -> list[Any]:
    return [NO_RECORDS if s == 1 else None for s in a.coded["source"].codes[start:stop].tolist()]


_DECODE: dict[str, Callable[[Accounts, int, int], list[Any]]] = {
    "trade_count": _number("trade_count", integer=True), "trade_amount": _number("trade_amount"),
    "first_trade_date": _day("first_trade_date"), "last_trade_date": _day("last_trade_date"),
    "paid_amount": _number("paid_amount"), "unpaid_amount": _number("unpaid_amount"),
    "overdue_amount": _number("overdue_amount"), "on_time_rate": _rate, "score": _number("score"),
    "monthly_amount": _number("monthly_amount"), "credit_limit": _number("credit_limit"), "notes": _notes,
}
