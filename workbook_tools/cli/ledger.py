"""`workbook-tools ledger list | return | verify | export`: the 借阅/发放 ledger."""

from __future__ import annotations

import json
from pathlib import Path

import click

from workbook_tools.cli.common import ChineseCommand, ChineseGroup, as_of_option
from workbook_tools.cli.secrets import ledger_option
from workbook_tools.privacy.ledger import Ledger, default_ledger_path

HELP = """发放登记（客户资料借阅表）：每次 export 发放都记一条，只能追加；每条记录带前一条的校验值，\
被改动、删除时 verify 能指出是哪一条。

\b
示例：
  workbook-tools ledger list --open
  workbook-tools ledger return 3
  workbook-tools ledger verify
  workbook-tools ledger export -o 客户资料借阅表.xlsx
"""


@click.group("ledger", cls=ChineseGroup, help=HELP, options_metavar="[选项]",
             subcommand_metavar="命令 [参数]...", short_help="发放登记：列出、登记归还、校验、导出借阅表")
def command():
    """The `ledger` command group."""


def _ledger(path: Path | None) -> Ledger:
    return Ledger(path or default_ledger_path())


def _state(entry, today) -> str:
    return f"已归还 {entry.returned}" if entry.returned else ("逾期未还" if entry.overdue(today) else "借出中")


@command.command("list", cls=ChineseCommand, options_metavar="[选项]", short_help="列出发放记录",
                 help="列出发放记录：编号、日期、角色、接收人、审批人、客户数、文件、归还期限和状态。")
@click.option("--open", "open_only", is_flag=True, help="只列出尚未归还的。")
@click.option("--overdue", is_flag=True, help="只列出已过归还期限仍未归还的。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（供脚本使用）。")
@ledger_option
@as_of_option
def list_(open_only, overdue, as_json, ledger, as_of):
    import datetime as dt

    today = as_of or dt.date.today()
    entries = _ledger(ledger).issues(open_only=open_only, overdue_on=today if overdue else None)
    if as_json:
        click.echo(json.dumps([e.to_dict() | {"overdue": e.overdue(today)} for e in entries],
                              ensure_ascii=False, indent=2))
        return
    if not entries:
        click.echo("没有符合条件的发放记录。")
        return
    for e in entries:
        click.echo(f"第 {e.number} 号  {e.time[:10]}  {e.role}  接收人 {e.recipient}  审批人 {e.approver}  "
                   f"客户 {e.customers} 位  {e.output}{'（加密）' if e.encrypted else ''}  "
                   f"归还期限 {e.return_by or '未规定'}  {_state(e, today)}")
    click.echo(f"共 {len(entries)} 条。")


@command.command("return", cls=ChineseCommand, options_metavar="[选项]", short_help="登记归还",
                 help="登记某号发放的资料已归还（追加一条归还记录）。\n\n\b\n示例：\n  workbook-tools ledger return 3")
@click.argument("number", metavar="编号", type=int)
@click.option("--note", default="", metavar="说明", help="归还说明（如“已删除全部副本”）。")
@ledger_option
def return_(number, note, ledger):
    entry = _ledger(ledger).give_back(number, note=note)
    click.echo(f"已登记归还：第 {number} 号发放（接收人 {entry.recipient}，{entry.output}），"
               f"归还记录为第 {entry.number} 号。")


@command.command("verify", cls=ChineseCommand, options_metavar="[选项]", short_help="校验发放登记是否被改动",
                 help="重新计算每条记录的校验链。退出码：0 完整；1 有记录被改动或删除（指出第一条）。")
@ledger_option
def verify(ledger):
    book = _ledger(ledger)
    result = book.verify()
    if result.ok:
        click.echo(f"发放登记完整：{book.path}，共 {result.entries} 条记录，校验链一致。")
        return
    click.echo(f"发放登记被改动：第 {result.bad} 号记录{result.reason}；从这一条起的记录不可信，"
               "请从备份核对。", err=True)
    raise click.exceptions.Exit(1)


@command.command("export", cls=ChineseCommand, options_metavar="[选项]", short_help="导出客户资料借阅表（xlsx）",
                 help="把发放登记导出为可打印的《客户资料借阅表》工作簿。\n\n\b\n示例：\n"
                      "  workbook-tools ledger export -o 客户资料借阅表.xlsx")
@click.option("-o", "--output", required=True, metavar="文件.xlsx", type=click.Path(path_type=Path),
              help="要写出的借阅表。")
@ledger_option
@as_of_option
def export(output, ledger, as_of):
    from workbook_tools.export.ledger_sheet import write_ledger_sheet

    count = write_ledger_sheet(_ledger(ledger), output, today=as_of)
    click.echo(f"已导出客户资料借阅表：{output}（发放记录 {count} 条）")
