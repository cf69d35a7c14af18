"""`workbook-tools demo [DIR]` (what `make demo` runs): sample data + one weekly run."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.cli.common import ChineseCommand
from workbook_tools.cli.weekly import print_weekly
from workbook_tools.weekly.demo import run_demo

HELP = """演示：生成四套空白模板和四个区域的示例文件（含常见的填写问题），写好 archive.yaml，
然后运行一次每周流程（weekly），为每位客户生成客户资料卡，并列出所有输出文件。
"""


@click.command("demo", cls=ChineseCommand, help=HELP, options_metavar="[选项]",
               short_help="用示例数据演示完整的每周流程")
@click.argument("folder", metavar="DIR", default="build/demo", type=click.Path(path_type=Path))
@click.option("--customers", default=300, show_default=True, type=int, metavar="数量",
              help="每个区域的示例客户数。")
def command(folder, customers):
    result = run_demo(folder, customers=customers)
    click.echo(f"演示目录：{result.folder}")
    for path in result.templates:
        click.echo(f"  空白模板：{path}")
    for path in result.samples:
        click.echo(f"  示例区域文件：{path}")
    click.echo(f"  配置：{result.folder / 'archive.yaml'}")
    print_weekly(result.weekly)
    if result.cards is not None:
        click.echo(f"  客户资料卡：{result.cards.path}（{len(result.cards.cards)} 位客户，一户一页）")
