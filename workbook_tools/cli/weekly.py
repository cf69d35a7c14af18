"""`workbook-tools weekly DIR`: one call to run_weekly, then where everything went."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.cli.common import ChineseCommand, as_of_option
from workbook_tools.weekly import run_weekly

HELP = """一条命令完成每周流程：校验各区域文件 → 为有问题的文件生成标注副本（退回修改）→ 与上周总表合并
→ 汇总表 → 下周拜访计划 → HTML 周报，全部写入按周命名的输出目录（下周自动作为“上周总表”）。

\b
DIR 中需要有 archive.yaml（键的说明见 README）。同一周重复运行得到相同的结果。

\b
示例：
  workbook-tools weekly 客户档案/ --as-of 2026-11-22
"""


@click.command("weekly", cls=ChineseCommand, help=HELP, options_metavar="[选项]",
               short_help="每周一键流程：校验、退回、合并、汇总、拜访计划、周报")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option("-o", "--out-dir", metavar="目录", type=click.Path(path_type=Path),
              help="输出目录，默认为 archive.yaml 中 output 下的 <年>-W<周>。")
@as_of_option
def command(folder, out_dir, as_of):
    result = run_weekly(folder, out_dir=out_dir, as_of=as_of)
    print_weekly(result)


def print_weekly(result) -> None:
    counts = result.merge.result.counts()
    click.echo(f"{result.week} 周流程完成，输出目录：{result.out_dir}")
    click.echo(f"  上期总表：{result.previous or '无（首次合并）'}")
    click.echo(f"  客户 {counts['customers']} 位（新增 {counts['new']}，有修改 {counts['changed']}，"
               f"本周未出现 {counts['absent']}）；待修正 {counts['quarantined']} 行；"
               f"冲突 {counts['conflicts']} 处；疑似重复 {counts['suspected_duplicates']} 对")
    click.echo(f"  {result.merge.result.reconciliation('客户档案').text}")
    for label, path in result.outputs():
        click.echo(f"  {label}：{path}")
    for notice in result.merge.notices:
        click.echo(f"  注意：{notice}")
