"""`workbook-tools plan MASTER.xlsx --week 2026-W48`: one call to build_plans."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.cli.common import ChineseCommand, ChineseUsageError, force_option, refuse_existing, schema_option
from workbook_tools.cli.progress import steps
from workbook_tools.cli.secrets import password_from, password_options
from workbook_tools.plan import build_plans

HELP = """按联系策略为每位业务员生成下周的客户拜访计划：逾期或本周到期的客户按重要程度排序，
分配到该周的工作日（遵守法定节假日和调休），每天不超过 --max-per-day 个；排不下的列入“待安排”。

\b
示例：
  workbook-tools plan 客户档案总表.xlsx --week 2026-W48 -o 拜访计划.xlsx
  workbook-tools plan 客户档案总表.xlsx --week 2026-W48 --out-dir 拜访计划/
"""


@click.command("plan", cls=ChineseCommand, help=HELP, options_metavar="[选项]",
               short_help="按联系策略生成每位业务员的下周拜访计划")
@click.argument("master", metavar="总表.xlsx", type=click.Path(path_type=Path))
@click.option("--week", required=True, metavar="周次", help="计划的周次，如 2026-W48（也可写该周内的任一日期）。")
@click.option("--max-per-day", default=6, show_default=True, metavar="次数", type=int,
              help="每位业务员每天最多安排的拜访数。")
@click.option("-o", "--output", metavar="文件.xlsx", type=click.Path(path_type=Path),
              help="写成一个工作簿，每位业务员一个工作表。")
@click.option("--out-dir", metavar="目录", type=click.Path(path_type=Path),
              help="每位业务员单独一个工作簿，写到该目录。")
@click.option("--holiday", "holidays", multiple=True, metavar="日期", help="额外的休息日（可重复），如 2026-12-31。")
@click.option("--workday", "workdays", multiple=True, metavar="日期", help="额外的调休上班日（可重复）。")
@password_options
@schema_option
@force_option
def command(master, week, max_per_day, output, out_dir, holidays, workdays, password_file, password_env,
            schema_path, force):
    refuse_existing(output, force)
    if (output is None) == (out_dir is None):
        raise ChineseUsageError("请指定 -o 文件.xlsx 或 --out-dir 目录 其中之一", click.get_current_context())
    with steps(f"正在读取 {master.name} 并安排拜访计划…"):
        result = build_plans(master, schema=schema_path, week=week, max_per_day=max_per_day, out=output,
                             out_dir=out_dir, extra_holidays=holidays, extra_workdays=workdays,
                             password=password_from(password_file, password_env))
    for line in result.summary_lines():
        click.echo(line)
