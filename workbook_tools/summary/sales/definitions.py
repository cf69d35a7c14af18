"""How every measure of the sales sheets is defined, with the seed it comes from: the rows of the
summary's 说明 sheet and the README table (docs/gen_docs.py, <!-- SALES:START/END -->)."""

from __future__ import annotations

from workbook_tools.schema.model import Schema
from workbook_tools.summary.load import TRADE_SHEET
from workbook_tools.summary.sales.compare import COMPARE_SHEET, RECENT_PERIODS
from workbook_tools.summary.sales.deals import UNREGISTERED
from workbook_tools.summary.sales.people import SALES_SHEET
from workbook_tools.summary.sales.strength import STRENGTH_SHEET

SEED5 = "种子004 附表五 客户业绩统计及信用评估表"
SEED6 = "种子004 附表六 客户综合销售力分析表；种子002 客户构成分析（销售构成、地区构成）"
SEED7 = "种子004 附表七 客户综合销售力对比分析表"


def sales_definitions(schema: Schema) -> list[tuple[str, str, str, str]]:
    """(sheet, measure, definition, source) for every sales measure."""
    trade = schema.form("trade")
    reg = schema.form("registration")
    t = {key: trade.field(key).label for key in ("date", "amount", "paid_date", "paid_amount", "salesperson")}
    typed = f"{reg.field('trade_amount').label}、{reg.field('trade_count').label}"
    return [
        ("（各销售表）", "本期 / 上期",
         "按 --period 的周（周一至周日）、月、季或年：本期为统计日期所在期间的第一天至统计日期（含两端）；"
         "上期（--compare previous，环比）为前一期间从第一天起同样天数（不超过该期间最后一天），"
         "去年同期（--compare year，同比）为一年前的同样日期（按周时为52周前）", "种子004 附表五/六/七"),
        ("（各销售表）", "交易",
         f"总档案“{TRADE_SHEET}”工作表的每一行为一笔交易，只计{t['date']}不晚于统计日期的行；"
         f"没有该工作表时按客户档案中填写的{typed}统计（累计值，不分期间），回款与增长无法计算", "种子001 交易现状"),
        (SALES_SHEET, "销售额", f"{t['date']}在该期间内的交易的{t['amount']}之和，按交易记录的{t['salesperson']}统计", SEED5),
        (SALES_SHEET, "回款额", f"{t['paid_date']}在该期间内的交易的{t['paid_amount']}之和（不论交易日期）", SEED5),
        (SALES_SHEET, "新增客户", f"{reg.field('created').label}在该期间内的客户数，按{reg.field('owner').label}统计",
         SEED5),
        (SALES_SHEET, "拜访/成交", "该期间内该业务员的拜访记录数 ÷ 交易笔数；没有交易时留空", SEED5),
        (SALES_SHEET, "计划完成率", "计划日期在该期间内的拜访计划中状态为已完成的比例；没有计划时留空", SEED5),
        (SALES_SHEET, "增减", "本期 − 上期（完成率为百分点之差）", SEED5),
        (STRENGTH_SHEET, "分组",
         f"按交易客户在客户档案中的客户类别、价值分类、所属区域分组；客户编号不在客户档案中的交易单列为"
         f"{UNREGISTERED}。价值分类按每位客户截至统计日期的交易记录金额之和划分（没有交易记录时按填写的"
         f"{reg.field('trade_amount').label}），规则同客户构成分析", SEED6),
        (STRENGTH_SHEET, "客户数 / 成交客户数", "客户档案中属于该组的客户数；本期有交易（金额或笔数大于0）的不同客户数", SEED6),
        (STRENGTH_SHEET, "交易笔数 / 销售额 / 销售额占比", "本期交易的笔数、金额之和，及该组销售额 ÷ 全部销售额", SEED6),
        (STRENGTH_SHEET, "平均单笔金额", "销售额 ÷ 交易笔数", SEED6),
        (STRENGTH_SHEET, "回款率", f"本期交易中截至统计日期已回款的{t['paid_amount']}之和 ÷ 销售额", SEED6),
        (STRENGTH_SHEET, "增长率", "本期销售额 ÷ 上期销售额 − 1；上期为0时留空", SEED6),
        (COMPARE_SHEET, f"近{RECENT_PERIODS}期对比",
         f"最近{RECENT_PERIODS}个完整期间（本期到统计日期为止）的交易笔数、成交客户数、销售额、回款额和平均单笔金额", SEED7),
        (COMPARE_SHEET, "按区域 / 客户类别对比", "本期与上期的销售额、增减额、增长率和交易笔数并列，附柱形图", SEED7),
    ]


def sales_markdown(schema: Schema) -> str:
    rows = ["| 工作表 | 指标 | 定义 | 依据 |", "| --- | --- | --- | --- |"]
    rows += [f"| {sheet} | {measure} | {text} | {source} |" for sheet, measure, text, source in sales_definitions(schema)]
    return "\n".join(rows) + "\n"


__all__ = ["sales_definitions", "sales_markdown"]
