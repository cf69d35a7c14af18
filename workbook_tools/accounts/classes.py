"""Classes by cumulative share of the 交易金额: the 价值分类 (主力/一般/零散, settings.value_classes)
and the ABC label (credit.abc). One function for both; the summary and the master's 客户分类
sheet use it (never a second copy)."""

from __future__ import annotations

import numpy as np
import pandas as pd

NO_AMOUNT = "无交易金额"
DEFAULT_CLASSES = {"主力客户": 0.8, "一般客户": 0.95, "零散客户": 1.0}


def ranked_shares(customers: pd.DataFrame) -> tuple[pd.Index, np.ndarray]:
    """The customers with 交易金额 > 0 (columns ``trade_amount``, ``customer_id``) sorted by
    amount descending (ties by 客户编号), and the cumulative share of the amount BEFORE each."""
    amount = pd.to_numeric(customers["trade_amount"], errors="coerce").fillna(0.0)
    ranked = pd.DataFrame({"amount": amount, "id": customers["customer_id"].fillna("").astype(str)})[amount > 0]
    ranked = ranked.sort_values(["amount", "id"], ascending=[False, True], kind="mergesort")
    values = ranked["amount"].to_numpy()
    before = np.round((np.cumsum(values) - values) / values.sum(), 12) if len(values) else values
    return ranked.index, before


def class_index(before: np.ndarray, classes: dict[str, float]) -> np.ndarray:
    """For each share: the first class whose threshold is greater than it (index into ``classes``)."""
    limits = np.array(list(classes.values()), dtype="float64")
    return np.minimum(np.searchsorted(limits, before, side="right"), len(classes) - 1)


def value_classes(customers: pd.DataFrame, classes: dict[str, float]) -> pd.Series:
    """The class of every customer (same index), from columns ``trade_amount`` and ``customer_id``.

    Customers with 交易金额 > 0 are sorted by amount descending (ties by 客户编号); a customer
    belongs to the first class whose threshold is greater than the cumulative share of the
    amount BEFORE it is added. Blank or zero amounts → 无交易金额.
    """
    index, before = ranked_shares(customers)
    out = pd.Series(NO_AMOUNT, index=customers.index, dtype=object)
    out[index] = np.asarray(list(classes), dtype=object)[class_index(before, classes)]
    return out
