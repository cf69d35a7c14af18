"""档案评估: the figures the summary computes, per customer, as one line of text each —
价值分类 (主力/一般/零散), 跟进状态 (逾期 n 天 / 下次应跟进日期), 业务下滑, 档案完整度 and
the age of the last revision (the two-monthly review rule). 价值分类 and 业务下滑 read the
trade figures of the master's 客户分类 sheet (computed from 交易记录) when it has one."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd

from workbook_tools.schema.model import Schema
from workbook_tools.summary.archived import with_archived_visits
from workbook_tools.accounts.classes import value_classes
from workbook_tools.summary.computed import ACCOUNTS, TRADE_KEYS, with_computed
from workbook_tools.summary.followup import followup_status
from workbook_tools.summary.load import load_master
from workbook_tools.summary.quality import important_fields
from workbook_tools.summary.tables import days_between

VALUE, FOLLOWUP, DECLINE, COMPLETE, REVISION = "价值分类", "跟进状态", "业务下滑", "档案完整度", "距上次修订"
# each figure → the registration fields it is computed from (hidden when any of them is hidden)
SOURCES = {
    VALUE: ("trade_amount",), FOLLOWUP: ("contact_cycle", "category"),
    DECLINE: ("last_trade_date", "first_trade_date", "category"), COMPLETE: (), REVISION: ("revised",),
}
DEFAULT_CLASSES = {"主力客户": 0.8, "一般客户": 0.95, "零散客户": 1.0}
DERIVED_FIELDS = {"customer_id", "category", "contact_cycle", "created", "revised", "trade_amount",
                  "last_trade_date", "first_trade_date"}


@dataclass(frozen=True)
class Figures:
    """Per 客户编号 (as written in the master) → {figure label: text}."""

    by_id: dict[str, dict[str, str]]

    def of(self, customer_id: str) -> dict[str, str]:
        return self.by_id.get(customer_id, {})


def compute_figures(master: str | Path, schema: Schema, as_of: dt.date,
                    archived_visits: Sequence[Mapping[str, Any]] = ()) -> Figures:
    """Read the columns the figures need (summary.load) and compute them for every customer
    (the value classes depend on the whole archive, so they are never computed on a subset)."""
    reg = schema.form("registration")
    important = important_fields(schema)
    data = load_master(master, schema, fields={
        "registration": DERIVED_FIELDS | set(important), "visit-record": {"customer_id", "date"},
        "visit-plan": set(), ACCOUNTS: {"customer_id", "source", *TRADE_KEYS}})
    data = with_archived_visits(data, archived_visits, schema)
    c, settings = data.customers, schema.settings
    traded = with_computed(c, data.accounts)   # 客户分类's computed trade figures, else the typed ones
    classes = value_classes(traded, settings.get("value_classes") or DEFAULT_CLASSES)
    status = followup_status(c, data.visits, as_of, settings.get("contact_cycles") or {})
    last_trade = traded["last_trade_date"].fillna(traded["first_trade_date"])
    purchase = c["category"].map(settings.get("purchase_cycles") or {}).astype("float64")
    idle = days_between(pd.Timestamp(as_of), last_trade)
    age = days_between(pd.Timestamp(as_of), c["revised"])
    stale_days = float(settings.get("stale_days", 60))
    labels = {k: reg.field(k).label for k in important}
    out: dict[str, dict[str, str]] = {}
    for i, cid in enumerate(c["customer_id"].tolist()):
        if cid is None:
            continue
        missing = [labels[k] for k in important if pd.isna(c[k].iat[i])]
        out[str(cid)] = {
            VALUE: str(classes.iat[i]),
            FOLLOWUP: _followup(status["since"].iat[i], status["cycle"].iat[i], status["due"].iat[i],
                                status["last"].iat[i]),
            DECLINE: _decline(idle.iat[i], purchase.iat[i]),
            COMPLETE: _complete(len(important), missing),
            REVISION: _revision(age.iat[i], c["revised"].iat[i], stale_days),
        }
    return Figures(out)


def _day(value) -> str:
    return pd.Timestamp(value).date().isoformat()


def _known(*values) -> bool:
    return all(v is not None and not (isinstance(v, float) and math.isnan(v)) and not pd.isna(v) for v in values)


def _followup(since, cycle, due, last) -> str:
    if not _known(since, cycle):
        return "无法判断（缺少联系周期或建档日期）"
    if since > cycle:
        return f"逾期 {int(since - cycle)} 天（最近联系 {_day(last)}，联系周期 {int(cycle)} 天）"
    return f"下次应跟进日期 {_day(due)}（最近联系 {_day(last)}）"


def _decline(idle, cycle) -> str:
    if not _known(idle):
        return "无交易日期，无法判断"
    if not _known(cycle):
        return "无购买周期，无法判断"
    if idle > cycle:
        return f"是：{int(idle)} 天未交易（购买周期 {int(cycle)} 天）"
    return f"否：{int(idle)} 天前有交易（购买周期 {int(cycle)} 天）"


def _complete(total: int, missing: list[str]) -> str:
    if not total:
        return "（schema 未标记重要字段）"
    share = f"{(total - len(missing)) / total:.0%}"
    return f"{share}（缺：{'、'.join(missing)}）" if missing else share


def _revision(age, revised, stale_days: float) -> str:
    if not _known(age):
        return "未填写最新修订日期，请复核"
    text = f"{int(age)} 天（最新修订 {_day(revised)}）"
    return f"{text}，超过 {int(stale_days)} 天未修订，请复核" if age > stale_days else text
