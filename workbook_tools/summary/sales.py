"""业务员统计: customers, visits (this week / last 4 weeks) and plan completion per salesperson.

Windows are inclusive day ranges ending at as_of: 本周 = as_of-6 … as_of, 近4周 = as_of-27 … as_of.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

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


def salesperson_table(customers: pd.DataFrame, visits: pd.DataFrame, plans: pd.DataFrame,
                      as_of: dt.date) -> Table:
    owners, visitors, planners = (labelled(customers["owner"]), labelled(visits["salesperson"]),
                                  labelled(plans["salesperson"]))
    names = pd.concat([owners, visitors, planners], ignore_index=True)
    order = ordered_labels(names.where(names != UNFILLED), ())
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


def sales_sheet(customers: pd.DataFrame, visits: pd.DataFrame, plans: pd.DataFrame, as_of: dt.date) -> SummarySheet:
    return SummarySheet(SALES_SHEET, "业务员统计", [[salesperson_table(customers, visits, plans, as_of)]])
