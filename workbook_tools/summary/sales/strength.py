"""客户综合销售力分析 (seed 004, 附表六): per 客户类别, 价值分类 and 所属区域 — customers, buyers,
deals, 销售额 and its share, average deal, 回款率 and growth against the comparison period."""

from __future__ import annotations

import pandas as pd

from workbook_tools.schema.model import Schema
from workbook_tools.summary.sales.deals import VALUE_CLASS, Deals
from workbook_tools.summary.sales.period import Periods
from workbook_tools.summary.tables import TOTAL, Chart, SummarySheet, Table, share

STRENGTH_SHEET = "客户综合销售力分析"
CUSTOMERS, BUYERS, DEALS, AMOUNT = "客户数", "成交客户数", "交易笔数", "销售额"
AMOUNT_SHARE, AVERAGE, PAID_RATE, GROWTH = "销售额占比", "平均单笔金额", "回款率", "增长率"
VALUE_LABEL = "价值分类"
GROUPS = ("category", VALUE_CLASS, "region")


def fallback_note(schema: Schema) -> str:
    reg = schema.form("registration")
    return (f"总档案中没有“交易记录”工作表：按客户档案中填写的{reg.field('trade_amount').label}和"
            f"{reg.field('trade_count').label}统计（累计值，不分期间）")


def caption(periods: Periods, deals: Deals, schema: Schema) -> str:
    if not deals.from_trades:
        return f"（{fallback_note(schema)}）"
    return (f"（本期 {periods.current.days}，{periods.previous_name} {periods.previous.days}）")


def group_label(schema: Schema, key: str) -> str:
    return VALUE_LABEL if key == VALUE_CLASS else schema.form("registration").field(key).label


def group_table(deals: Deals, periods: Periods, schema: Schema, key: str) -> Table:
    """One row per group value, then 合计; without 交易记录 the columns needing dates are left out."""
    label = group_label(schema, key)
    grouping = deals.groupings[key]
    counts = deals.sums(deals.within(periods.current), key)
    previous_amount = f"{periods.previous_name}{AMOUNT}"
    frame = pd.DataFrame({
        label: grouping.order, CUSTOMERS: grouping.customers.astype("int64"),
        BUYERS: counts["buyers"].to_numpy(dtype="int64"), DEALS: counts["deals"].to_numpy().round().astype("int64"),
        AMOUNT: counts["amount"].round(2).to_numpy(), "paid": counts["paid"].to_numpy(),
        previous_amount: deals.sums(deals.within(periods.previous), key)["amount"].round(2).to_numpy(),
    })
    sums_row = {c: (TOTAL if c == label else frame[c].sum()) for c in frame.columns}
    frame = pd.concat([frame, pd.DataFrame([sums_row])], ignore_index=True)
    frame.insert(5, AMOUNT_SHARE, share(frame[AMOUNT].astype("float64"), float(frame[AMOUNT].iloc[-1])))
    frame.insert(6, AVERAGE, (frame[AMOUNT] / frame[DEALS].where(frame[DEALS] > 0)).round(2))
    frame[PAID_RATE] = frame.pop("paid") / frame[AMOUNT].where(frame[AMOUNT] > 0)
    frame[GROWTH] = frame[AMOUNT] / frame[previous_amount].where(frame[previous_amount] > 0) - 1
    frame = frame[[label, CUSTOMERS, BUYERS, DEALS, AMOUNT, AMOUNT_SHARE, AVERAGE, PAID_RATE,
                   previous_amount, GROWTH]]
    if not deals.from_trades:
        frame = frame.drop(columns=[PAID_RATE, previous_amount, GROWTH])
    kinds = {CUSTOMERS: "int", BUYERS: "int", DEALS: "int", AMOUNT: "money", AMOUNT_SHARE: "pct",
             AVERAGE: "money", PAID_RATE: "pct", previous_amount: "money", GROWTH: "pct"}
    kinds = {k: v for k, v in kinds.items() if k in frame.columns}
    return Table(f"strength_{key}", f"按{label}分析{caption(periods, deals, schema)}", frame, kinds,
                 total_row=True)


def strength_sheet(deals: Deals, periods: Periods, schema: Schema) -> SummarySheet:
    tables = [group_table(deals, periods, schema, key) for key in GROUPS]
    category = tables[0]
    chart = Chart("pie", f"各{group_label(schema, 'category')}销售额占比", category.key,
                  category.frame.columns[0], (AMOUNT,))
    return SummarySheet(STRENGTH_SHEET, STRENGTH_SHEET, [tables], [chart])


__all__ = ["AMOUNT", "AMOUNT_SHARE", "AVERAGE", "BUYERS", "CUSTOMERS", "DEALS", "GROWTH", "PAID_RATE",
           "STRENGTH_SHEET", "caption", "fallback_note", "group_table", "strength_sheet"]
