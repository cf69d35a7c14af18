"""`workbook-tools summary MASTER.xlsx -o SUMMARY.xlsx`: one call to build_summary."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.cli.common import ChineseCommand, as_of_option, force_option, refuse_existing, schema_option
from workbook_tools.cli.progress import steps
from workbook_tools.cli.secrets import password_from, password_options
from workbook_tools.schema import load_schema
from workbook_tools.summary.build import build_summary
from workbook_tools.summary.sales.period import COMPARES, DEFAULT_COMPARE, DEFAULT_KIND, KINDS

HELP = """根据客户档案总表生成汇总表：客户归类汇总、客户构成分析、跟进提醒、业务下滑、档案质量、
业务员统计（含业绩）、客户综合销售力分析、对比分析和说明，数字以数值写入并附 Excel 图表。

销售统计按总表的“交易记录”工作表计算；总表没有该工作表时按客户档案中填写的交易金额、交易次数
（累计值）统计，汇总表中注明。本期为统计日期所在的周/月/季/年从第一天到统计日期，与上期同样天数
（--compare previous）或去年同期（--compare year）对比。

\b
示例：
  workbook-tools summary 客户档案总表.xlsx -o 客户档案汇总.xlsx --as-of 2026-11-22
  workbook-tools summary 客户档案总表.xlsx -o 季度汇总.xlsx --period quarter --compare year

\b
总表已加密时用 --password-file 给出密码；汇总表也用同一密码加密写出。
"""


@click.command("summary", cls=ChineseCommand, help=HELP, options_metavar="[选项]",
               short_help="由总表生成汇总表（归类、构成、跟进提醒、档案质量等）")
@click.argument("master", metavar="总表.xlsx", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, metavar="文件.xlsx", type=click.Path(path_type=Path),
              help="输出的汇总工作簿。")
@click.option("--history", metavar="历史库文件", type=click.Path(path_type=Path),
              help="移入这个档案历史库的较早拜访记录（archive.yaml 的 visit_history_weeks）也计入统计。")
@password_options
@as_of_option
@click.option("--period", type=click.Choice(list(KINDS)), default=DEFAULT_KIND, show_default=True,
              help="销售统计的期间：week 周、month 月、quarter 季、year 年。")
@click.option("--compare", type=click.Choice(list(COMPARES)), default=DEFAULT_COMPARE, show_default=True,
              help="本期与谁对比：previous 上期（环比）、year 去年同期（同比）。")
@schema_option
@force_option
def command(master, output, history, password_file, password_env, as_of, period, compare, schema_path, force):
    refuse_existing(output, force)
    with steps(f"正在读取 {master.name} 并生成汇总表…"):
        result = build_summary(master, output, schema=load_schema(schema_path), as_of=as_of,
                               password=password_from(password_file, password_env),
                               period=period, compare=compare, history=history)
    click.echo(f"已生成汇总表：{result.path}（统计日期 {result.as_of}）")
    click.echo(f"客户 {result.customers} 位，拜访记录 {result.visits} 条，拜访计划 {result.plans} 条；"
               f"逾期未跟进 {result.overdue} 位，7 天内到期 {result.due_soon} 位，业务下滑 {result.declining} 位；"
               f"待修正 {result.quarantined} 行，疑似重复 {result.duplicates} 对")
    trades = (f"交易记录 {result.trades} 行" if result.trades is not None
              else "总表没有“交易记录”工作表，按客户档案填写的交易金额、交易次数统计")
    click.echo(f"销售{result.period}；{trades}")
    for name in result.missing_sheets:
        click.echo(f"注意：总表中没有“{name}”工作表，相关统计为空")
    for problem in result.problems:
        click.echo(f"注意：{problem}")
