"""`workbook-tools demo [DIR]` (what `make demo` runs): sample data + one weekly run."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.cli.common import ChineseCommand
from workbook_tools.cli.weekly import print_weekly
from workbook_tools.weekly.demo import run_demo

HELP = """演示：生成四套空白模板和四个区域的示例文件（含常见的填写问题），写好 archive.yaml，
运行每周流程（weekly，2026-W47）；再模拟各办事处修改几位客户后运行第二周（2026-W48），
两次运行都记录进档案历史库；为每位客户生成客户资料卡（含修改记录）；把一份旧客户名单（CRM 导入模板，GBK 编码的 CSV）
迁移成标准客户档案登记表（adopt）；列出所有输出文件和可以试查的客户编号。
"""


@click.command("demo", cls=ChineseCommand, help=HELP, options_metavar="[选项]",
               short_help="用示例数据演示完整的每周流程")
@click.argument("folder", metavar="[目录]", default="build/demo", type=click.Path(path_type=Path))
@click.option("--customers", default=300, show_default=True, type=int, metavar="数量",
              help="每个区域的示例客户数。")
def command(folder, customers):
    result = run_demo(folder, customers=customers)
    click.echo(f"演示目录：{result.folder}")
    for path in result.templates:
        click.echo(f"  空白模板：{path}")
    for path in result.samples:
        click.echo(f"  示例区域文件：{path}")
    click.echo(f"  示例数据的问题清单：{result.manifest}")
    click.echo(f"  配置：{result.folder / 'archive.yaml'}")
    for week in result.weeks:
        print_weekly(week)
    if result.edited:
        what = "；".join(f"{cid} {text}" for cid, text in result.edited)
        click.echo(f"第二周各办事处的修改：{what}。查看档案历史：")
        store = result.weekly.history
        click.echo(f"  workbook-tools history {result.edited[0][0]} --store {store}")
    if result.cards is not None:
        click.echo(f"  客户资料卡：{result.cards.path}（{len(result.cards.cards)} 位客户，一户一页）")
    if result.adopted is not None:
        a = result.adopted
        click.echo(f"旧台账迁移：{a.files[0].path} → {a.output}（{a.rows_written} 行，转换与推断 {len(a.conversions)} 处，"
                   f"仍有错误的行 {len(a.rows_with_errors())} 行，见“迁移说明”）")
