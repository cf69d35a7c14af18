"""The trade figures of accounts.trades computed column-wise: one NumPy pass over all trade
rows (accounts.columns.TradeColumns) gives every customer's 交易次数, 交易金额, dates, 回款,
逾期, 按期回款率 and the 信用评估's activity — the same numbers as :class:`TradeFigures`, bit
for bit: sums run in row order (``np.bincount`` adds weights in input order, as ``+=`` did)
and are rounded by Python's ``round`` (NumPy's rounds differently at the last digit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from workbook_tools.accounts.columns import NO_DAY, TradeColumns
from workbook_tools.accounts.trades import months_back
from workbook_tools.schema.credit import CreditRules

_EPOCH = dt.date(1970, 1, 1).toordinal()


@dataclass(slots=True)
class GroupFigures:
    """Per group (customer): arrays of the TradeFigures fields; ``first``/``last`` ordinals
    (NO_DAY when no dated deal); ``months``: months with a deal inside the window."""

    count: np.ndarray
    amount: np.ndarray
    paid: np.ndarray
    unpaid: np.ndarray
    overdue: np.ndarray
    due_deals: np.ndarray
    on_time_deals: np.ndarray
    months: np.ndarray
    window_amount: np.ndarray
    first: np.ndarray
    last: np.ndarray

    @property
    def traded(self) -> np.ndarray:
        return self.count > 0


def rounded(values: np.ndarray, digits: int = 2) -> np.ndarray:
    """Python's ``round(x, digits)`` of every value, bit for bit.

    Python rounds the exact binary value half-even to ``digits`` decimals, r / 10**digits
    with r an integer, and returns the double nearest to that, as the IEEE division r / 10.0**digits
    does. ``np.rint(x * 10.0**digits)`` finds the same r unless the product's own rounding
    (half an ulp) can cross a .5 boundary: values whose scaled fraction lies within a few
    ulps of .5 (and non-finite or huge ones) go through Python's ``round``."""
    values = np.asarray(values, dtype="float64")
    scale = 10.0 ** digits
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = values * scale
        out = np.rint(scaled) / scale
        near_half = np.abs(scaled - np.floor(scaled) - 0.5) <= 8 * np.spacing(np.abs(scaled))
        risky = near_half | ~np.isfinite(scaled) | (np.abs(scaled) >= 2.0 ** 52)
    if risky.any():
        out[risky] = list(map(round, values[risky].tolist(), repeat(digits)))
    return out


def group_figures(t: TradeColumns, n: int, as_of: dt.date, rules: CreditRules) -> GroupFigures:
    """Figures of groups 0 … n-1 from the trade rows ``t`` (rows in source order)."""
    g, today = t.group, as_of.toordinal()

    def sums(where: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(g[where], None if weights is None else weights[where], minlength=n)

    every = np.ones(len(g), bool)
    open_amount = t.amount - t.paid
    open_amount[~(open_amount > 0.0)] = 0.0            # max(0.0, amount - paid)
    dated = t.day != NO_DAY
    window = dated & (t.day >= months_back(as_of, rules.window_months).toordinal()) & (t.day <= today)
    due = np.where(t.due != NO_DAY, t.due, np.where(dated, t.day + rules.default_due_days, NO_DAY))
    is_due = (due != NO_DAY) & (due < today)
    on_time = is_due & (open_amount < 0.005) & (t.paid_day != NO_DAY) & (t.paid_day <= due + rules.grace_days)
    return GroupFigures(
        count=sums(every), amount=rounded(sums(every, t.amount)), paid=rounded(sums(every, t.paid)),
        unpaid=rounded(sums(every, open_amount)), overdue=rounded(sums(is_due, open_amount)),
        due_deals=sums(is_due), on_time_deals=sums(on_time), months=_months(g[window], t.day[window], n),
        window_amount=rounded(sums(window, t.amount)),
        first=_extreme(g[dated], t.day[dated], n, np.minimum), last=_extreme(g[dated], t.day[dated], n, np.maximum))


def _months(group: np.ndarray, day: np.ndarray, n: int) -> np.ndarray:
    """Distinct (year, month) of the days per group."""
    if not len(day):
        return np.zeros(n, "int64")
    month = (day.astype("int64") - _EPOCH).astype("datetime64[D]").astype("datetime64[M]").astype("int64")
    span = int(month.max() - month.min()) + 1
    pairs = np.unique(group.astype("int64") * span + (month - month.min()))
    return np.bincount(pairs // span, minlength=n)


def _extreme(group: np.ndarray, day: np.ndarray, n: int, ufunc: np.ufunc) -> np.ndarray:
    start = np.iinfo("int32").max if ufunc is np.minimum else NO_DAY
    out = np.full(n, start, dtype="int64")
    ufunc.at(out, group, day)
    out[out == np.iinfo("int32").max] = NO_DAY
    return out.astype("int32")
