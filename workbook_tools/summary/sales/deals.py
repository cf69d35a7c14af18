"""The deals the sales sheets count, and their sums per group.

With a 交易记录 sheet in the master every row dated on or before the as-of date is one deal (its
回款 counted when the 回款日期 is blank or not after the as-of date). Without one, each customer
of 客户档案 becomes one pseudo-deal carrying its typed 交易金额 and 交易次数 (cumulative figures,
undated: no period, no 回款).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook_tools.summary.classify import NO_AMOUNT, value_classes
from workbook_tools.summary.sales.period import Period
from workbook_tools.summary.tables import UNFILLED, labelled, ordered_labels

UNREGISTERED = "（不在客户档案中）"
DEFAULT_VALUE_CLASSES = {"主力客户": 0.8, "一般客户": 0.95, "零散客户": 1.0}
VALUE_CLASS = "value_class"
COLUMNS = ("customer_id", "salesperson", "date", "amount", "paid", "paid_date", "deals")


@dataclass(frozen=True)
class Deals:
    frame: pd.DataFrame  # COLUMNS plus the customer's group keys (category, region, value_class)
    from_trades: bool  # False: pseudo-deals from the registration's typed totals
    classes: pd.Series  # 价值分类 by registered 客户编号

    def within(self, period: Period) -> pd.DataFrame:
        """Deals dated within ``period`` (all pseudo-deals: they have no date)."""
        if not self.from_trades:
            return self.frame
        return self.frame[in_period(self.frame["date"], period)]

    def collected(self, period: Period) -> pd.DataFrame:
        """Deals whose 回款日期 falls within ``period``."""
        return self.frame[in_period(self.frame["paid_date"], period)]


def in_period(dates: pd.Series, period: Period) -> pd.Series:
    return (dates >= pd.Timestamp(period.start)) & (dates <= pd.Timestamp(period.end))


def build_deals(customers: pd.DataFrame, trades: pd.DataFrame | None, as_of: dt.date,
                classes: dict[str, float]) -> Deals:
    """The deals (see the module docstring), each with its customer's 客户类别, 所属区域 and 价值分类."""
    registered = customers.drop_duplicates("customer_id")
    registered = registered[registered["customer_id"].notna()]
    if trades is None:
        frame = pd.DataFrame({
            "customer_id": registered["customer_id"], "salesperson": registered["owner"],
            "date": pd.Series(pd.NaT, index=registered.index, dtype="datetime64[s]"),
            "amount": registered["trade_amount"].fillna(0.0), "paid": np.nan,
            "paid_date": pd.Series(pd.NaT, index=registered.index, dtype="datetime64[s]"),
            "deals": registered["trade_count"].fillna(0.0),
        }).reset_index(drop=True)
        classes_of = value_classes(registered, classes)
    else:
        end = pd.Timestamp(as_of)
        t = trades[trades["date"].notna() & (trades["date"] <= end)]
        paid_ok = t["paid_date"].isna() | (t["paid_date"] <= end)
        frame = pd.DataFrame({
            "customer_id": t["customer_id"], "salesperson": t["salesperson"], "date": t["date"],
            "amount": t["amount"].fillna(0.0), "paid": t["paid_amount"].where(paid_ok).fillna(0.0),
            "paid_date": t["paid_date"].where(t["paid_date"] <= end), "deals": 1.0,
        }).reset_index(drop=True)
        totals = frame.groupby("customer_id")["amount"].sum()
        cumulative = registered.assign(trade_amount=registered["customer_id"].map(totals).astype("float64"))
        classes_of = value_classes(cumulative, classes)
    classes_of = pd.Series(classes_of.to_numpy(), index=registered["customer_id"].to_numpy())
    return Deals(_attach(frame, registered, classes_of), trades is not None, classes_of)


def _attach(frame: pd.DataFrame, registered: pd.DataFrame, classes_of: pd.Series) -> pd.DataFrame:
    """Add each deal's customer groups; deals of unknown customers are grouped as UNREGISTERED."""
    known = frame["customer_id"].isin(registered["customer_id"])
    by_id = registered.set_index("customer_id")
    for key in ("category", "region"):
        values = labelled(frame["customer_id"].map(by_id[key]))
        frame[key] = values.where(known, UNREGISTERED)
    frame[VALUE_CLASS] = frame["customer_id"].map(classes_of).where(known, UNREGISTERED)
    return frame


def customer_groups(customers: pd.DataFrame, deals: Deals, key: str) -> pd.Series:
    """The group of every registered customer (for 客户数)."""
    registered = customers.drop_duplicates("customer_id")
    registered = registered[registered["customer_id"].notna()]
    if key != VALUE_CLASS:
        return labelled(registered[key])
    return registered["customer_id"].map(deals.classes).fillna(NO_AMOUNT)


def group_order(key: str, customers: pd.Series, deals: pd.Series, choices, classes: dict[str, float]) -> list[str]:
    """Rows of a group table: the schema's choices (or the value classes), then other values,
    （未填写） and （不在客户档案中） when present."""
    values = pd.concat([customers, deals], ignore_index=True)
    if key == VALUE_CLASS:
        base = [*classes, NO_AMOUNT]
    else:
        base = ordered_labels(values.where(~values.isin([UNFILLED, UNREGISTERED])), choices)
        base = [b for b in base if b != UNFILLED]
        base += [UNFILLED] if values.eq(UNFILLED).any() else []
    return base + ([UNREGISTERED] if values.eq(UNREGISTERED).any() else [])


def sums(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per value of column ``by``: buyers (distinct customers with a deal), deals, amount, paid."""
    traded = frame[(frame["amount"] > 0) | (frame["deals"] > 0)]
    groups = frame.groupby(by, sort=False)
    return pd.DataFrame({
        "buyers": traded.groupby(by, sort=False)["customer_id"].nunique(),
        "deals": groups["deals"].sum(), "amount": groups["amount"].sum(), "paid": groups["paid"].sum(),
    }).fillna({"buyers": 0})


__all__ = ["COLUMNS", "DEFAULT_VALUE_CLASSES", "Deals", "UNREGISTERED", "VALUE_CLASS", "build_deals",
           "customer_groups", "group_order", "in_period", "sums"]
