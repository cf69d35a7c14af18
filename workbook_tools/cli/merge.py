"""`workbook-tools merge INPUT... -o MASTER.xlsx [--previous LAST.xlsx] [--json]`: the weekly
merge; one library call (merge_files), then a short Chinese summary or the counts as JSON."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import click
from rich.markup import escape

from workbook_tools.cli.common import ChineseCommand, ChineseUsageError, as_of_option, schema_option
from workbook_tools.cli.render import console, name
from workbook_tools.cli.secrets import password_from, password_options
from workbook_tools.errors import shown
from workbook_tools.merge.files import NothingToMerge, merge_files
from workbook_tools.schema import load_schema

HELP = """把各区域提交的工作簿合并成客户档案总表：按客户编号合并同一客户，列出字段冲突、疑似重复客户，\
有错误的行放入“待修正”表（不合并），并与上期总表比较生成“变更记录”。输入文件不会被修改。

\b
退出码：0 已写出总表（即使有行放入待修正）；2 没有可用的输入、命令用法错误或无法写出总表。

\b
示例：
  workbook-tools merge incoming/ -o 客户档案总表_2026-W48.xlsx --previous 客户档案总表_2026-W47.xlsx
  workbook-tools merge 华东.xlsx 华南.xlsx -o 总表.xlsx --json

\b
总表是原始资料（含身份证号、银行账号等全部原值），建议加密保存：--password-file 密码文件
（文件第一行是密码）使总表按 Office 标准加密写出，上期总表已加密时也用它打开。
"""


@click.command("merge", cls=ChineseCommand, help=HELP, options_metavar="[选项]",
               short_help="合并各区域工作簿为客户档案总表")
@click.argument("inputs", nargs=-1, metavar="文件或目录...", type=click.Path(path_type=Path))
@click.option("-o", "--output", metavar="总表.xlsx", type=click.Path(path_type=Path),
              help="要写出的总表文件（必填）。")
@click.option("--previous", metavar="上期总表.xlsx", type=click.Path(path_type=Path),
              help="上周合并生成的总表（只接受本工具生成的总表）：本周未出现的客户保留，并生成“变更记录”。")
@click.option("--history", metavar="历史库文件", type=click.Path(path_type=Path),
              help="把本次合并记录进档案历史库（SQLite 文件，不存在时新建；同一周重复运行会替换该周）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出各项数量（供脚本使用）。")
@password_options
@as_of_option
@schema_option
@click.option("-f", "--force", is_flag=True, help="总表文件已存在时用本次合并结果覆盖它（只会覆盖本工具生成的总表）。")
def command(inputs, output, previous, history, as_json, password_file, password_env, as_of, schema_path, force):
    ctx = click.get_current_context()
    if not inputs:
        raise ChineseUsageError("请指定要合并的文件或文件夹", ctx)
    if output is None:
        raise ChineseUsageError("请用 -o 指定要写出的总表文件，如 -o 客户档案总表.xlsx", ctx)
    schema = load_schema(schema_path)
    password = password_from(password_file, password_env)
    try:
        with _progress(enabled=not as_json) as progress:
            run = merge_files(inputs, output, previous=previous, schema=schema, as_of=as_of,
                              run_date=as_of, progress=progress, force=force, password=password,
                              history=history)
    except NothingToMerge as exc:
        _nothing(exc, as_json)
        raise click.exceptions.Exit(2) from None
    for notice in run.notices:
        click.echo(notice, err=True)
    if as_json:
        click.echo(json.dumps(run.counts(), ensure_ascii=False, indent=2))
    else:
        print_summary(run)
    raise click.exceptions.Exit(0)


@contextlib.contextmanager
def _progress(enabled: bool):
    """A rich progress bar on stderr while files are read (only when stderr is a terminal)."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    task = bar.add_task("正在读取和校验文件…", total=None)

    def update(path: Path, done: int, total: int) -> None:
        text = ("正在读取和校验文件…" if done == 0 else f"已读取 {path.name}" if done < total
                else "正在合并并写出总表…")
        bar.update(task, completed=done, total=total, description=text)

    with bar:
        yield update


def _nothing(exc: NothingToMerge, as_json: bool) -> None:
    if as_json:
        skipped = [{"file": i.name, "reason": i.skipped_reason} for i in exc.inputs]
        click.echo(json.dumps({"error": str(exc), "files_read": 0, "files_skipped_count": len(skipped),
                               "files_skipped": skipped}, ensure_ascii=False, indent=2))
    for item in exc.inputs[5:]:  # the first five are named in the message itself
        click.echo(f"已跳过 {shown(item.path)}：{item.skipped_reason}", err=True)
    click.echo(f"错误：{exc}", err=True)


def print_summary(run) -> None:
    out = console()
    c = run.counts()
    out.print(f"已写出总表：{name(run.output)}")
    if run.history is not None:
        out.print(f"已记录进档案历史库：{name(run.history)}")
    out.print(f"读取 {c['files_read']} 个文件，跳过 {c['files_skipped_count']} 个。")
    for item in run.skipped:
        out.print(f"  已跳过 {name(item.name)}：{escape(item.skipped_reason)}")
    out.print("核对（每一行都有去处）：")
    for r in run.result.reconciliations:
        if r.rows_read or r.added:
            out.print(f"  {r.label}：{r.text}")
    out.print(f"客户档案共 {c['customers']} 位客户（本周提交 {c['customers_this_week']} 位，"
              f"新增 {c['new']}，有修改 {c['changed']}，本周未出现 {c['absent']}）。")
    out.print(f"待修正 {c['quarantined']} 行，字段冲突 {c['conflicts']} 处，"
              f"疑似重复客户 {c['suspected_duplicates']} 对；详见总表的“待修正”“冲突”“疑似重复”和“合并说明”。")
    if not c["ok"]:
        out.print("[red]注意：核对结果不一致，请查看总表“合并说明”中的“核对”部分，并把总表反馈给维护人员。[/red]")
