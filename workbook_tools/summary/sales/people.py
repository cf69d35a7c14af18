"""业务员统计: customers, visits (this week / last 4 weeks) and plan completion per salesperson;
then 业务员业绩 (seed 004, 附表五 客户业绩统计): 销售额, 回款额, 新增客户, 拜访/成交 and 计划完成率
for 本期 and the comparison period (sales.period), with the change.

Windows of the first table are inclusive day ranges ending at as_of: 本周 = as_of-6 … as_of,
近4周 = as_of-27 … as_of.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from workbook_tools.summary.sales.deals import Deals, in_period
from workbook_tools.summary.sales.period import Period, Periods
from workbook_tools.summary.load import TRADE_SHEET
from workbook_tools.summary.tables import TOTAL, UNFILLED, SummarySheet, Table, labelled, ordered_labels, share

SALES_SHEET = "业务员统计"
WEEK_DAYS = 7
FOUR_WEEK_DAYS = 28
DONE_STATUS = "已完成"
PERSON, CUSTOMERS = "业务员", "负责客户数"
WEEK, FOUR_WEEKS = "本周拜访次数", "近4周拜访次数"
PLANNED, DONE, RATE = "计划拜访数", "已完成数", "计划完成率"


def in_window(dates: pd.Series, as_of: dt.date, days: int) -> pd.Series:
    """True for dates within the ``days`` days ending at as_of (both ends included)."""
    end = pd.Timestamp(as_of)
    return (dates >= end - pd.Timedelta(days=days - 1)) & (dates <= end)


def people(customers: pd.DataFrame, visits: pd.DataFrame, plans: pd.DataFrame,
           sellers: pd.Series | None = None) -> list[str]:
    """Every salesperson named in 客户档案, 拜访记录, 拜访计划 (and ``sellers``), sorted; （未填写） last."""
    parts = [customers["owner"], visits["salesperson"], plans["salesperson"]]
    parts += [sellers] if sellers is not None else []
    names = pd.concat([labelled(pd.Series(p.unique())) for p in parts], ignore_index=True)
    return ordered_labels(names.where(names != UNFILLED), ())


def salesperson_table(customers: pd.DataFrame, visits: pd.DataFrame, plans: pd.DataFrame,
                      as_of: dt.date, order: list[str] | None = None) -> Table:
    owners, visitors, planners = (labelled(customers["owner"]), labelled(visits["salesperson"]),
                                  labelled(plans["salesperson"]))
    order = order if order is not None else people(customers, visits, plans)
    planned = in_window(plans["planned_date"], as_of, FOUR_WEEK_DAYS)
    done = planned & plans["status"].eq(DONE_STATUS)
    frame = pd.DataFrame({PERSON: order})
    counts = {
        CUSTOMERS: owners.value_counts(),
        WEEK: visitors[in_window(visits["date"], as_of, WEEK_DAYS)].value_counts(),
        FOUR_WEEKS: visitors[in_window(visits["date"], as_of, FOUR_WEEK_DAYS)].value_counts(),
        PLANNED: planners[planned].value_counts(),
        DONE: planners[done].value_counts(),
    }
    for name, series in counts.items():
        frame[name] = series.reindex(order, fill_value=0).to_numpy(dtype="int64")
    frame[RATE] = (frame[DONE] / frame[PLANNED].where(frame[PLANNED] > 0)).astype("float64")
    totals = {name: int(frame[name].sum()) for name in counts}
    frame.loc[len(frame)] = [TOTAL, *totals.values(), share(float(totals[DONE]), totals[PLANNED])]
    kinds = {**{name: "int" for name in counts}, RATE: "pct"}
    return Table("salespeople", "业务员工作统计", frame, kinds, total_row=True)


# 业务员业绩: (measure, kind, change column); 本期/comparison columns are named 本期X / 上期X.
MEASURES = (("销售额", "money", "销售额增减"), ("回款额", "money", "回款额增减"), ("新增客户", "int", "新增客户增减"),
            ("拜访/成交", "ratio", "拜访/成交增减"), ("计划完成率", "pct", "完成率增减"))
NEEDS_TRADES = ("销售额", "回款额", "拜访/成交")


def _by_person(values: pd.Series, weights: pd.Series | None = None) -> pd.Series:
    names = labelled(values)
    return names.value_counts() if weights is None else weights.groupby(names).sum()


def period_counts(customers: pd.DataFrame, visits: pd.DataFrame, plans: pd.DataFrame, deals: Deals,
                  period: Period, order: list[str]) -> pd.DataFrame:
    """Per salesperson (``order``, then 合计): the counts behind the 业务员业绩 measures in ``period``."""
    now, paid = deals.within(period), deals.collected(period)
    planned = plans[in_period(plans["planned_date"], period)]
    counts = pd.DataFrame({
        "amount": _by_person(now["salesperson"], now["amount"]),
        "collected": _by_person(paid["salesperson"], paid["paid"]),
        "new": _by_person(customers["owner"][in_period(customers["created"], period)]),
        "visits": _by_person(visits["salesperson"][in_period(visits["date"], period)]),
        "deals": _by_person(now["salesperson"], now["deals"]),
        "planned": _by_person(planned["salesperson"]),
        "done": _by_person(planned["salesperson"][planned["status"].eq(DONE_STATUS)]),
    }).reindex(order).fillna(0.0)
    counts.loc[TOTAL] = counts.sum()
    out = pd.DataFrame({"销售额": counts["amount"].round(2), "回款额": counts["collected"].round(2),
                        "新增客户": counts["new"],
                        "拜访/成交": counts["visits"] / counts["deals"].where(counts["deals"] > 0),
                        "计划完成率": counts["done"] / counts["planned"].where(counts["planned"] > 0)})
    if not deals.from_trades:
        out[list(NEEDS_TRADES)] = float("nan")
    return out


def performance_table(customers: pd.DataFrame, visits: pd.DataFrame, plans: pd.DataFrame, deals: Deals,
                      periods: Periods, order: list[str]) -> Table:
    before = periods.previous_name
    now = period_counts(customers, visits, plans, deals, periods.current, order)
    then = period_counts(customers, visits, plans, deals, periods.previous, order)
    frame, kinds = pd.DataFrame({PERSON: [*order, TOTAL]}), {}
    for name, kind, change in MEASURES:
        frame[f"本期{name}"] = now[name].to_numpy()
        frame[f"{before}{name}"] = then[name].to_numpy()
        frame[change] = frame[f"本期{name}"] - frame[f"{before}{name}"]
        frame[change] = frame[change].round(2) if kind == "money" else frame[change]
        kinds |= {f"本期{name}": kind, f"{before}{name}": kind, change: kind}
    title = f"业务员业绩统计（按{periods.unit}：本期 {periods.current.days}，{before} {periods.previous.days}）"
    if not deals.from_trades:
        title += f"（总档案中没有“{TRADE_SHEET}”工作表：{'、'.join(NEEDS_TRADES)}无法计算）"
    return Table("performance", title, frame, kinds, total_row=True)


def sales_sheet(customers: pd.DataFrame, visits: pd.DataFrame, plans: pd.DataFrame, as_of: dt.date,
                deals: Deals, periods: Periods) -> SummarySheet:
    order = people(customers, visits, plans, deals.frame["salesperson"] if deals.from_trades else None)
    return SummarySheet(SALES_SHEET, "业务员统计", [[
        salesperson_table(customers, visits, plans, as_of, order),
        performance_table(customers, visits, plans, deals, periods, order)]])
