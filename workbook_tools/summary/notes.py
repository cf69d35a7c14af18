"""说明: the as-of date, the master file and its SHA-256, and one line defining every measure."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from workbook_tools import __version__
from workbook_tools.schema.model import Schema
from workbook_tools.summary.computed import source_note
from workbook_tools.summary.load import MasterData
from workbook_tools.summary.followup import DUE_SOON_DAYS
from workbook_tools.summary.load import TRADE_SHEET
from workbook_tools.summary.sales import FOUR_WEEK_DAYS, WEEK_DAYS, Periods, periods
from workbook_tools.summary.sales.definitions import sales_definitions
from workbook_tools.summary.tables import UNFILLED, SummarySheet, Table

NOTES_SHEET = "说明"


def info_table(data: MasterData, schema: Schema, as_of: dt.date, span: Periods | None = None) -> Table:
    span = span or periods(as_of)
    trades = (f"{TRADE_SHEET}工作表，{len(data.trades)} 行" if data.trades is not None
              else f"总档案中没有“{TRADE_SHEET}”工作表，销售统计按客户档案中填写的交易金额、交易次数（累计值）")
    rows = [
        ("统计截止日期", as_of.isoformat()),
        ("销售统计期间", span.describe()),
        ("交易数据来源", trades),
        ("总档案文件", data.path.name),
        ("文件 SHA-256", data.sha256),
        ("档案结构", schema.stamp),
        ("生成程序", f"workbook-tools {__version__}"),
        ("价值分类与业务下滑的交易数据", source_note(data.accounts)),
    ]
    if data.missing_sheets:
        rows.append(("缺少的工作表", "、".join(data.missing_sheets) + "（相应统计按无数据处理）"))
    rows += [("未读取的续表", problem) for problem in data.problems]
    if data.archived_visits:
        rows.append(("移入档案历史库的拜访记录", f"{data.archived_visits} 条（已计入拜访记录数和跟进统计）"))
    return Table("info", "基本信息", pd.DataFrame(rows, columns=["项目", "内容"]), widths={"内容": 70})


def counts_table(data: MasterData) -> Table:
    rows = [("客户数", len(data.customers)), ("拜访记录数", len(data.visits)), ("拜访计划数", len(data.plans)),
            ("待修正行数", data.quarantined), ("疑似重复（未处理）对数", data.duplicates)]
    return Table("counts", "数据概况", pd.DataFrame(rows, columns=["项目", "数量"]), {"数量": "int"})


def _cycles(mapping: dict) -> str:
    return "、".join(f"{k}{v:g}天" for k, v in mapping.items()) or "（未设置）"


def _value_rule(classes: dict[str, float]) -> str:
    parts, low = [], 0.0
    for i, (name, limit) in enumerate(classes.items()):
        last = i == len(classes) - 1
        parts.append(f"其余为{name}" if last else f"加入前累计占比在 {low:.0%}（含）至 {limit:.0%}（不含）之间为{name}")
        low = limit
    return ("交易金额大于0的客户按金额从高到低排列（金额相同按客户编号），计算每位客户加入之前的累计金额占总金额的比例："
            + "；".join(parts) + "。交易金额空白或为0的客户记为无交易金额")


def definitions(schema: Schema) -> list[tuple[str, str, str]]:
    s = schema.settings
    reg = schema.form("registration")
    important = "、".join(f.label for f in reg.fields if f.important)
    credit = "；".join(f"{c.value} {c.help}" for c in reg.field("credit").choices if c.help)
    return [
        ("客户归类汇总", "客户数", f"客户档案中每行一位客户，按客户类别和所属区域交叉计数；空白记为{UNFILLED}"),
        ("客户归类汇总", "合计", "行合计为该类别各区域之和，列合计为该区域各类别之和"),
        ("客户归类汇总", "占比", "该项客户数 ÷ 客户总数"),
        ("客户构成分析", "交易次数合计 / 交易金额合计", "该组客户“交易次数”“交易金额(元)”之和，空白按0计；取值见基本信息“价值分类与业务下滑的交易数据”"),
        ("客户构成分析", "信誉等级", credit),
        ("客户构成分析", "价值分类", _value_rule(s.get("value_classes") or {})),
        ("跟进提醒", "最近联系日期", "拜访记录中该客户编号在截止日期当日或以前的最晚“日期”；没有拜访记录时取建档日期"),
        ("跟进提醒", "联系周期(天)", f"本行填写的联系周期(天)；未填写时按客户类别取默认值：{_cycles(s.get('contact_cycles') or {})}"),
        ("跟进提醒", "距今天数", "截止日期 − 最近联系日期（天）"),
        ("跟进提醒", "逾期天数", "到期日期 = 最近联系日期 + 联系周期；距今天数大于联系周期（截止日期晚于到期日期）为逾期，"
                           "逾期天数 = 距今天数 − 联系周期；到期当天不算逾期"),
        ("跟进提醒", f"未来{DUE_SOON_DAYS}天内到期", f"到期日期在截止日期当天至其后{DUE_SOON_DAYS}天之内（含两端）的客户；"
                                             "剩余天数 = 到期日期 − 截止日期"),
        ("跟进提醒", "未列入的客户", "没有拜访记录且没有建档日期，或客户类别为空且未填联系周期的客户无法计算，不列入"),
        ("业务下滑", "最近交易日期", "取最近交易日期（取值见基本信息“价值分类与业务下滑的交易数据”），为空时取首次交易日期；两者都为空的客户视为从未交易，不列入"),
        ("业务下滑", "购买周期(天)", f"按客户类别：{_cycles(s.get('purchase_cycles') or {})}"),
        ("业务下滑", "未交易天数 / 超出天数", "未交易天数 = 截止日期 − 最近交易日期；未交易天数大于购买周期时列入，超出天数 = 未交易天数 − 购买周期"),
        ("档案质量", "重要字段完整度", f"重要字段（{important}）中已填写的个数 ÷ 重要字段数，按客户取平均"),
        ("档案质量", "超期未修订数", f"最新修订日期距截止日期超过{s.get('stale_days', 60)}天的客户数；未填写最新修订日期的也计为超期"),
        ("档案质量", "待修正行数", "总档案“待修正”工作表中的行数；该表有所属区域/负责业务员列时按其分组，否则只在合计行给出总数"),
        ("档案质量", "疑似重复（未处理）", "“疑似重复”工作表中“处理意见”（或状态）为空或为待处理、待核实的客户对；"
                                    "一对客户涉及的每个区域/业务员各计一次，合计行每对只计一次"),
        ("业务员统计", "业务员", "客户档案的负责业务员与拜访记录、拜访计划中业务员的并集"),
        ("业务员统计", "本周拜访次数", f"拜访记录中日期在截止日期及其前{WEEK_DAYS - 1}天（共{WEEK_DAYS}天）内的记录数，按记录中的业务员统计"),
        ("业务员统计", "近4周拜访次数", f"拜访记录中日期在截止日期及其前{FOUR_WEEK_DAYS - 1}天（共{FOUR_WEEK_DAYS}天）内的记录数"),
        ("业务员统计", "计划拜访数 / 已完成数", f"拜访计划中计划日期在近4周（共{FOUR_WEEK_DAYS}天）内的计划数（含已取消、已延期），及其中状态为已完成的数量"),
        ("业务员统计", "计划完成率", "已完成数 ÷ 计划拜访数；计划拜访数为0时留空"),
    ]


def notes_sheet(data: MasterData, schema: Schema, as_of: dt.date, span: Periods | None = None) -> SummarySheet:
    rows = definitions(schema)
    if any(f.key == "trade" for f in schema.forms):
        rows += [(sheet, measure, text) for sheet, measure, text, _ in sales_definitions(schema)]
    defs = Table("definitions", "指标定义", pd.DataFrame(rows, columns=["工作表", "指标", "定义"]),
                 widths={"定义": 90}, wrap=frozenset({"定义"}))
    return SummarySheet(NOTES_SHEET, "说明", [[info_table(data, schema, as_of, span), counts_table(data), defs]])
