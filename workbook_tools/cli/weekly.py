"""`workbook-tools weekly [run] DIR`: one call to run_weekly, then where everything went;
`workbook-tools weekly init DIR`: one call to init_archive, then the next steps."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.cli.common import ChineseCommand, ChineseGroup, as_of_option
from workbook_tools.cli.progress import file_progress, steps
from workbook_tools.cli.secrets import password_from, password_options
from workbook_tools.weekly import run_weekly
from workbook_tools.weekly.init import init_archive

HELP = """每周流程。weekly 目录（即 weekly run 目录）一条命令完成：校验各区域文件 → 为有问题的文件生成\
标注副本（退回修改）→ 与上周总表合并 → 汇总表 → 下周拜访计划 → HTML 周报，全部写入按周命名的输出目录\
（下周自动作为“上周总表”）。

第一次使用时先运行 weekly init 目录 新建档案目录（archive.yaml 和 incoming/）。

\b
示例：
  workbook-tools weekly init 客户档案 --regions 华东,华南
  workbook-tools weekly 客户档案 --as-of 2026-11-22
"""
RUN_HELP = """一条命令完成每周流程：校验各区域文件 → 为有问题的文件生成标注副本（退回修改）→ 与上周总表合并 \
→ 汇总表 → 下周拜访计划 → HTML 周报，全部写入按周命名的输出目录（下周自动作为“上周总表”）。

\b
目录中需要有 archive.yaml（可用 weekly init 生成，键的说明见 README）。同一周重复运行得到相同的结果。
“run”可以省略：workbook-tools weekly 目录 与 workbook-tools weekly run 目录 相同。

\b
示例：
  workbook-tools weekly 客户档案/ --as-of 2026-11-22
  workbook-tools weekly 客户档案/ --password-file 总表密码.txt   # 总表和汇总表加密保存

\b
--password-file / --password-env：总表（原始资料）和汇总表用该密码加密写出，上周总表也用它打开。
"""
INIT_HELP = """新建每周流程的档案目录：写出带中文注释的 archive.yaml（每个键都有说明，联系周期和购买周期取 \
schema 的默认值），并建立存放各区域提交文件的 incoming/ 文件夹，然后列出下一步要做的事。

业务员名单从 --from 给出的总表或区域文件中读取（按文件名中的区域或每行的所属区域归类）；\
不给 --from 时读取 目录/incoming/ 中已有的文件；都没有时名单留空，请在 archive.yaml 中填写。\
已有 archive.yaml 时不做任何修改，除非加 --force。

\b
示例：
  workbook-tools weekly init 客户档案 --regions 华东,华南
  workbook-tools weekly init 客户档案 --from 客户档案总表_2026-W47.xlsx
"""


class WeeklyGroup(ChineseGroup):
    """`weekly DIR …` runs the week (the `run` sub-command); `weekly init DIR …` sets up."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ctx.help_option_names):
            args = ["run", *args]  # `weekly` alone: run's "缺少参数 DIR", as before init existed
        return super().parse_args(ctx, args)


@click.group("weekly", cls=WeeklyGroup, help=HELP, options_metavar="[选项]",
             subcommand_metavar="[run] 目录 [选项] | init 目录 [选项]",
             short_help="每周一键流程：校验、退回、合并、汇总、拜访计划、周报；weekly init 新建档案目录")
def command():
    """The `weekly` command group."""


@command.command("run", cls=ChineseCommand, help=RUN_HELP, options_metavar="[选项]",
                 short_help="运行本周流程（可省略 run）")
@click.argument("folder", metavar="目录", type=click.Path(path_type=Path))
@click.option("-o", "--out-dir", metavar="目录", type=click.Path(path_type=Path),
              help="输出目录，默认为 archive.yaml 中 output 下的 <年>-W<周>。")
@password_options
@as_of_option
def run_command(folder, out_dir, password_file, password_env, as_of):
    with steps("正在读取 archive.yaml…") as step:
        result = run_weekly(folder, out_dir=out_dir, as_of=as_of, step=step,
                            progress=file_progress(step, "正在读取和校验文件"),
                            password=password_from(password_file, password_env))
    print_weekly(result)


@command.command("init", cls=ChineseCommand, help=INIT_HELP, options_metavar="[选项]",
                 short_help="新建档案目录：带注释的 archive.yaml 和 incoming/")
@click.argument("folder", metavar="目录", type=click.Path(file_okay=False, path_type=Path))
@click.option("--regions", metavar="区域,区域", default="",
              help="参与汇总的区域，逗号分隔，如 华东,华南（可写名称、别称或代码）；默认为 --from 文件中出现的区域。")
@click.option("--from", "sources", metavar="文件或目录", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="从这些总表或区域文件中读取各区域的业务员（可重复）。")
@click.option("--force", is_flag=True, help="覆盖已有的 archive.yaml。")
@click.option("--schema", "schema_path", metavar="schema.yaml", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="公司自己的 schema 文件：区域、客户类别和默认周期取自它，并写入 archive.yaml 的 schema 键。")
def init_command(folder, regions, sources, force, schema_path):
    names = [r for r in regions.replace("，", ",").replace("、", ",").split(",") if r.strip()]
    result = init_archive(folder, regions=[n.strip() for n in names], sources=sources,
                          schema_file=schema_path, force=force)
    print_init(result)


def print_init(result) -> None:
    plan = result.plan
    click.echo(f"已写出 {result.config}：区域 {'、'.join(plan.regions)}")
    for region in plan.regions:
        people = plan.salespeople.get(region) or []
        click.echo(f"  {region} 业务员 {len(people)} 人：{'、'.join(people) if people else '（待填写）'}")
    if plan.sources:
        click.echo(f"  业务员名单取自 {len(plan.sources)} 个文件：{'、'.join(p.name for p in plan.sources)}")
    for line in plan.unreadable:
        click.echo(f"  未能读取：{line}")
    click.echo(f"{'已建立' if result.created_incoming else '已有'}文件夹 {result.incoming}")
    missing = [r for r in plan.regions if not plan.salespeople.get(r)]
    click.echo("下一步：")
    click.echo(f"  1. 打开 {result.config.name} 核对区域和业务员名单"
               + (f"（{'、'.join(missing)} 还没有业务员）" if missing else "") + "，需要时修改联系周期和购买周期；")
    click.echo(f"  2. 把各区域本周交来的工作簿放进 {result.incoming}（文件名中写上区域，如 "
               f"{plan.regions[0]}_客户档案_2026-W48.xlsx）；")
    click.echo(f"  3. 运行 workbook-tools weekly {plan.folder}，结果写到 {plan.folder / 'output'}/<年>-W<周>/。")
    click.echo(f"  空白表格：workbook-tools template registration -o {plan.regions[0]}客户档案.xlsx "
               f"--region {plan.regions[0]}")


def print_weekly(result) -> None:
    counts = result.merge.result.counts()
    click.echo(f"{result.week} 周流程完成，输出目录：{result.out_dir}")
    click.echo(f"  上期总表：{result.previous or '无（首次合并）'}")
    click.echo(f"  客户 {counts['customers']} 位（新增 {counts['new']}，有修改 {counts['changed']}，"
               f"本周未出现 {counts['absent']}）；待修正 {counts['quarantined']} 行；"
               f"冲突 {counts['conflicts']} 处；疑似重复 {counts['suspected_duplicates']} 对")
    click.echo(f"  {result.merge.result.reconciliation('客户档案').text}")
    moved = result.merge.result.visit_archive
    if moved is not None:
        click.echo(f"  拜访记录只保留最近 {moved.weeks} 周：{moved.moved} 条日期早于 {moved.cutoff} 的已移入档案历史库 "
                   f"{moved.store}")
    for item in result.merge.skipped:
        click.echo(f"  已跳过 {item.name}：{item.skipped_reason}")
    for notice in result.notices:
        click.echo(f"  注意：{notice}")
    for label, path in result.outputs():
        click.echo(f"  {label}：{path}")
    for notice in result.merge.notices:
        click.echo(f"  注意：{notice}")
