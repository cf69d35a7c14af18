"""``trade-figure-disagrees``: the typed 交易次数 / 交易金额 / 首次 and 最近交易日期 the 交易记录
contradict, found column-wise over the Accounts; a finding (and its message) only for those."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from workbook_tools.accounts.columns import NO_DAY, given, numbers, ordinals
from workbook_tools.accounts.model import SHEET, Accounts, day_values
from workbook_tools.accounts.trades import as_day
from workbook_tools.schema.catalogue import finding_type as one   # one(code): the catalogue entry
from workbook_tools.validate.findings import Finding

NUMBERS = ("trade_count", "trade_amount")


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return as_day(value).isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _differ(a: Accounts, key: str) -> np.ndarray:
    """Traded lines whose typed value (not None) is not the computed one: numbers equal
    within 0.005 (a typed bool or text never is), dates equal as days."""
    typed, computed = a.typed[key], a.computed[key]
    present = a.traded & given(typed)
    if key in NUMBERS:
        if set(map(type, typed)) <= {int, float, type(None)}:
            number, value = given(typed), numbers(typed)
        else:
            number = np.fromiter((isinstance(v, (int, float)) and not isinstance(v, bool) for v in typed), bool,
                                 len(typed))
            value = np.array([v if ok else 0.0 for v, ok in zip(typed, number.tolist())], dtype="float64")
        same = number & (np.abs(value - computed) < 0.005)
        return present & ~same
    return present & (computed != NO_DAY) & (ordinals(typed) != computed)


def disagreements(a: Accounts, labels: dict[str, str]) -> dict[str, list[Finding]]:
    """客户编号 → its findings (master order); ``labels``: trade field key → registration label
    (fields the registration form lacks are not compared)."""
    differ = {key: _differ(a, key) for key in labels}
    if not differ:
        return {}
    kind, out = one("trade-figure-disagrees"), {}
    for i in np.flatnonzero(np.logical_or.reduce(list(differ.values()))).tolist():
        cid, count = a.given["customer_id"][i], int(a.computed["trade_count"][i])
        found = []
        for key, label in labels.items():
            if not differ[key][i]:
                continue
            typed, value = a.typed[key][i], _computed(a, key, i)
            found.append(Finding(kind.severity, kind.code, SHEET, None, None, label, _shown(typed),
                                 kind.render(customer_id=cid, label=label, value=_shown(typed),
                                             computed=_shown(value), count=count)))
        out[cid] = found
    return out


def _computed(a: Accounts, key: str, i: int) -> Any:
    if key == "trade_count":
        return int(a.computed[key][i])
    if key in NUMBERS:
        return float(a.computed[key][i])
    return day_values(a.computed[key][i:i + 1])[0]
