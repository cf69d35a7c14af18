"""对比分析 (seed 004, 附表七 客户综合销售力对比分析表): the last periods side by side, and 本期
against the comparison period per 所属区域 and per 客户类别, each with a native chart. Without
交易记录 the regions and classes are compared on the registration's typed totals."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from workbook_tools.schema.model import Schema
from workbook_tools.summary.sales.deals import Deals
from workbook_tools.summary.sales.period import Periods, recent
from workbook_tools.summary.sales.strength import AMOUNT, AVERAGE, BUYERS, DEALS, fallback_note, group_table
from workbook_tools.summary.tables import TOTAL, Chart, SummarySheet, Table

COMPARE_SHEET = "对比分析"
RECENT_PERIODS = 6
PERIOD, DATES, COLLECTED = "期间", "起止日期", "回款额"
CHANGE, GROWTH = "增减额", "增长率"


def periods_table(deals: Deals, as_of: dt.date, periods: Periods) -> Table:
    """The last RECENT_PERIODS periods, oldest first (本期 up to the as-of date)."""
    rows = []
    for p in recent(as_of, periods.kind, RECENT_PERIODS):
        now = deals.within(p)
        rows.append((p.label, p.days, int(now["deals"].sum()),
                     int(deals.sums(now, "region")["buyers"].sum()),
                     round(float(now["amount"].sum()), 2), round(float(deals.collected(p)["paid"].sum()), 2)))
    frame = pd.DataFrame(rows, columns=[PERIOD, DATES, DEALS, BUYERS, AMOUNT, COLLECTED])
    frame[AVERAGE] = (frame[AMOUNT] / frame[DEALS].where(frame[DEALS] > 0)).round(2)
    kinds = {DEALS: "int", BUYERS: "int", AMOUNT: "money", COLLECTED: "money", AVERAGE: "money"}
    return Table("compare_periods", f"近{RECENT_PERIODS}{periods.unit}对比", frame, kinds)


def side_by_side(deals: Deals, periods: Periods, schema: Schema, key: str) -> Table:
    """本期 and the comparison period per value of ``key``, with 合计."""
    field = schema.form("registration").field(key)
    before = periods.previous_name
    now = deals.sums(deals.within(periods.current), key)
    then = deals.sums(deals.within(periods.previous), key)
    frame = pd.DataFrame({
        field.label: deals.groupings[key].order, f"本期{AMOUNT}": now["amount"].round(2).to_numpy(),
        f"{before}{AMOUNT}": then["amount"].round(2).to_numpy(),
        f"本期{DEALS}": now["deals"].to_numpy().round().astype("int64"),
        f"{before}{DEALS}": then["deals"].to_numpy().round().astype("int64"),
    })
    frame.loc[len(frame)] = [TOTAL, *(frame[c].sum() for c in frame.columns[1:])]
    frame.insert(3, CHANGE, (frame[f"本期{AMOUNT}"] - frame[f"{before}{AMOUNT}"]).round(2))
    frame.insert(4, GROWTH, frame[f"本期{AMOUNT}"] / frame[f"{before}{AMOUNT}"].where(frame[f"{before}{AMOUNT}"] > 0) - 1)
    kinds = {c: "money" for c in frame.columns[1:4]} | {GROWTH: "pct"} | {c: "int" for c in frame.columns[5:]}
    return Table(f"compare_{key}", f"按{field.label}对比（本期 {periods.current.days}，{before} "
                 f"{periods.previous.days}）", frame, kinds, total_row=True)


def typed_totals(deals: Deals, periods: Periods, schema: Schema, key: str) -> Table:
    """Without 交易记录: 综合销售力's figures per value of ``key`` from the typed totals."""
    table = group_table(deals, periods, schema, key)
    label = table.frame.columns[0]
    return replace(table, key=f"compare_{key}", title=f"按{label}对比（{fallback_note(schema)}）")


def compare_sheet(deals: Deals, periods: Periods, schema: Schema, as_of: dt.date) -> SummarySheet:
    keys = ("region", "category")
    if not deals.from_trades:
        tables = [typed_totals(deals, periods, schema, k) for k in keys]
        charts = [Chart("column", f"各{t.frame.columns[0]}{AMOUNT}（登记累计）", t.key, t.frame.columns[0],
                        (AMOUNT,), y_title="元") for t in tables]
        return SummarySheet(COMPARE_SHEET, COMPARE_SHEET, [tables], charts)
    first = periods_table(deals, as_of, periods)
    tables = [first, *(side_by_side(deals, periods, schema, k) for k in keys)]
    charts = [Chart("column", f"近{RECENT_PERIODS}{periods.unit}{AMOUNT}与{COLLECTED}", first.key, PERIOD,
                    (AMOUNT, COLLECTED), y_title="元")]
    for t in tables[1:]:
        label = t.frame.columns[0]
        charts.append(Chart("column", f"各{label}{AMOUNT}：本期与{periods.previous_name}", t.key, label,
                            (t.frame.columns[1], t.frame.columns[2]), y_title="元"))
    return SummarySheet(COMPARE_SHEET, COMPARE_SHEET, [tables], charts)


__all__ = ["COMPARE_SHEET", "RECENT_PERIODS", "compare_sheet", "periods_table", "side_by_side", "typed_totals"]
