"""The deals the sales sheets count, and their sums per group.

With a 交易记录 sheet in the master every row dated on or before the as-of date is one deal (its
回款 counted when the 回款日期 is blank or not after the as-of date). Without one, each customer
of 客户档案 becomes one pseudo-deal carrying its typed 交易金额 and 交易次数 (cumulative figures,
undated: no period, no 回款).

Customers are numbered once (``cust``: registered customers first, then the 客户编号 of deals not in
客户档案), and each grouping (客户类别, 所属区域, 价值分类) maps a customer number to a row of its
table, so every sum is a ``bincount`` (300,000 customers, a million deals).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd

from workbook_tools.summary.classify import NO_AMOUNT, value_classes
from workbook_tools.summary.sales.period import Period
from workbook_tools.summary.tables import UNFILLED, labelled

UNREGISTERED = "（不在客户档案中）"
DEFAULT_VALUE_CLASSES = {"主力客户": 0.8, "一般客户": 0.95, "零散客户": 1.0}
VALUE_CLASS = "value_class"
GROUP_KEYS = ("category", "region", VALUE_CLASS)
DEAL_KEYS = ("customer_id", "owner", "trade_amount", "trade_count", "category", "region")  # what deals read


@dataclass(frozen=True)
class Grouping:
    """The rows of one group table and, per customer number, the row it belongs to."""

    order: list[str]
    of_customer: np.ndarray  # row index per ``cust``
    customers: np.ndarray  # registered customers per row (客户数)


@dataclass(frozen=True)
class Deals:
    # customer_id, salesperson, date, amount, paid, paid_date, deals (count weight), cust (customer number)
    frame: pd.DataFrame
    from_trades: bool  # False: pseudo-deals from the registration's typed totals
    classes: pd.Series  # 价值分类 by registered 客户编号
    groupings: dict[str, Grouping]

    def within(self, period: Period) -> pd.DataFrame:
        """Deals dated within ``period`` (all pseudo-deals: they have no date)."""
        if not self.from_trades:
            return self.frame
        return self.frame[in_period(self.frame["date"], period)]

    def collected(self, period: Period) -> pd.DataFrame:
        """Deals whose 回款日期 falls within ``period``."""
        return self.frame[in_period(self.frame["paid_date"], period)]

    def sums(self, frame: pd.DataFrame, key: str) -> pd.DataFrame:
        """Per row of the ``key`` table: buyers (distinct customers with a deal), deals, amount, paid."""
        g = self.groupings[key]
        rows = g.of_customer[frame["cust"].to_numpy()]
        n = len(g.order)
        traded = (frame["amount"].to_numpy() > 0) | (frame["deals"].to_numpy() > 0)
        bought = np.bincount(frame["cust"].to_numpy()[traded], minlength=len(g.of_customer)) > 0
        buyers = np.bincount(g.of_customer[bought], minlength=n)
        weights = {name: np.bincount(rows, frame[name].to_numpy(dtype="float64", na_value=0.0), minlength=n)
                   for name in ("deals", "amount", "paid")}
        return pd.DataFrame({"buyers": buyers, **weights}, index=g.order)


def in_period(dates: pd.Series, period: Period) -> pd.Series:
    return (dates >= pd.Timestamp(period.start)) & (dates <= pd.Timestamp(period.end))


def build_deals(customers: pd.DataFrame, trades: pd.DataFrame | None, as_of: dt.date,
                classes: dict[str, float], choices: dict[str, Iterable[str]] | None = None) -> Deals:
    """The deals (see the module docstring); ``choices``: schema order of 客户类别 and 所属区域 values."""
    wanted = [k for k in DEAL_KEYS if k in customers.columns]   # not a copy of every loaded column
    registered = customers.loc[customers["customer_id"].notna(), wanted].drop_duplicates("customer_id")
    registered = registered.reset_index(drop=True)
    if trades is None:
        frame = pd.DataFrame({
            "customer_id": registered["customer_id"], "salesperson": registered["owner"],
            "date": pd.Series(pd.NaT, index=registered.index, dtype="datetime64[s]"),
            "amount": registered["trade_amount"].fillna(0.0), "paid": np.nan,
            "paid_date": pd.Series(pd.NaT, index=registered.index, dtype="datetime64[s]"),
            "deals": registered["trade_count"].fillna(0.0), "cust": np.arange(len(registered)),
        })
        totals = registered
    else:
        frame = _trade_frame(trades, as_of, registered)
        sums = np.bincount(frame["cust"], frame["amount"], minlength=len(registered))[:len(registered)]
        bought = np.bincount(frame["cust"], minlength=len(registered))[:len(registered)] > 0
        totals = registered.assign(trade_amount=np.where(bought, sums, np.nan))
    class_of = value_classes(totals, classes).to_numpy(dtype=object)
    # deals of customers not in 客户档案 (cust ≥ len(registered)); 0 when the last customers have none
    unknown = max(0, int(frame["cust"].max()) + 1 - len(registered)) if len(frame) else 0
    labels = {key: labelled(registered[key]).to_numpy(dtype=object) for key in ("category", "region")}
    labels[VALUE_CLASS] = class_of
    order_base = {**(choices or {}), VALUE_CLASS: [*classes, NO_AMOUNT]}
    groupings = {key: _grouping(labels[key], unknown, order_base.get(key, ()), key == VALUE_CLASS)
                 for key in GROUP_KEYS}
    frame = frame.reset_index(drop=True)
    return Deals(frame, trades is not None, pd.Series(class_of, index=pd.Index(registered["customer_id"])),
                 groupings)


TRADE_COLUMNS = ["customer_id", "salesperson", "date", "amount", "paid_date", "paid_amount"]


def _trade_frame(trades: pd.DataFrame, as_of: dt.date, registered: pd.DataFrame) -> pd.DataFrame:
    """One row per trade dated on or before as_of. Text columns keep their (Arrow) storage:
    a million trades would otherwise become a million Python strings per column."""
    end = pd.Timestamp(as_of)
    t = trades[TRADE_COLUMNS]
    t = t[t["date"].notna() & (t["date"] <= end)].reset_index(drop=True)
    paid_ok = t["paid_date"].isna() | (t["paid_date"] <= end)
    return pd.DataFrame({
        "customer_id": t["customer_id"], "salesperson": t["salesperson"],
        "date": t["date"].to_numpy(), "amount": t["amount"].fillna(0.0).to_numpy(),
        "paid": t["paid_amount"].where(paid_ok).fillna(0.0).to_numpy(),
        "paid_date": t["paid_date"].where(t["paid_date"] <= end).to_numpy(), "deals": 1.0,
        "cust": _customer_numbers(t["customer_id"], registered),
    })


def _customer_numbers(ids: pd.Series, registered: pd.DataFrame) -> np.ndarray:
    """Per trade the row of its customer in ``registered``; customers not there numbered after
    them in order of first appearance (a blank 客户编号 is one such customer)."""
    codes, uniques = pd.factorize(ids)   # the distinct 客户编号 only go through the index
    found = pd.Index(registered["customer_id"].astype(object)).get_indexer(np.asarray(uniques, dtype=object))
    cust = np.append(found, -1)[codes]   # code -1 (blank) → not registered
    missing = cust < 0
    if missing.any():
        cust[missing] = len(registered) + pd.factorize(codes[missing])[0]
    return cust


def _grouping(labels: np.ndarray, unknown: int, base: Iterable[str], fixed: bool) -> Grouping:
    """Rows: ``base`` (schema choices or the value classes), other values sorted, （未填写）, then
    （不在客户档案中） when deals of unknown customers exist."""
    codes, uniques = pd.factorize(labels)
    present = set(uniques.tolist())
    order = list(base)
    if not fixed:
        order += sorted(str(v) for v in present - set(order) - {UNFILLED})
        order += [UNFILLED] if UNFILLED in present else []
    order += [UNREGISTERED] if unknown else []
    position = {name: i for i, name in enumerate(order)}
    rows = np.array([position[v] for v in uniques.tolist()], dtype="int64")[codes] if len(codes) else \
        np.zeros(0, dtype="int64")
    of_customer = np.concatenate([rows, np.full(unknown, len(order) - 1, dtype="int64")])
    return Grouping(order, of_customer, np.bincount(rows, minlength=len(order)))


__all__ = ["DEFAULT_VALUE_CLASSES", "Deals", "GROUP_KEYS", "Grouping", "UNREGISTERED", "VALUE_CLASS",
           "build_deals", "in_period"]
