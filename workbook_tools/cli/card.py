"""`workbook-tools card MASTER.xlsx -o 客户资料卡.xlsx`: one call to build_cards."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.card import CardIssue, Selection, make_cards
from workbook_tools.cli.common import ChineseCommand, ChineseUsageError, _parse_date, as_of_option, schema_option
from workbook_tools.cli.secrets import ledger_option
from workbook_tools.schema import load_schema

HELP = """一户一档：由客户档案总表生成客户资料卡工作簿。第一张“目录”列出每位客户（客户编号可点击），
之后每位客户一张工作表（以客户编号命名）：基础资料、客户特征、业务状况、交易现状四栏，其他列，
档案评估（价值分类、跟进状态、业务下滑、档案完整度、距上次修订），最近 20 次拜访记录、投诉记录和
修改记录（来自总表的“变更记录”；给出 --history 时来自档案历史库的全部修改）。A4 纵向、一页宽，可直接打印。

\b
发放给他人时加 --role（权限分配表中的角色）、--to 和 --approved-by：资料卡按该角色的权限
隐藏或脱敏各项，并登记进发放登记（与 export 相同）；“外部”等不得接收客户资料的角色不会生成任何文件。

\b
示例：
  workbook-tools card 客户档案总表.xlsx -o 客户资料卡.xlsx
  workbook-tools card 客户档案总表.xlsx -o 华东.xlsx --region 华东 --pdf
  workbook-tools card 客户档案总表.xlsx -o 资料卡.xlsx --customer HD0001 --customer HD0002
  workbook-tools card 客户档案总表.xlsx -o 张三.xlsx --owner 张三 --role 业务员 --to 张三 --approved-by 王经理
"""


@click.command("card", cls=ChineseCommand, help=HELP, options_metavar="[选项]",
               short_help="由总表生成客户资料卡（一户一页，可打印）")
@click.argument("master", metavar="总表.xlsx", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, metavar="文件.xlsx", type=click.Path(path_type=Path),
              help="输出的资料卡工作簿。")
@click.option("--customer", "customers", multiple=True, metavar="客户编号",
              help="只生成这些客户的资料卡（可重复）。")
@click.option("--region", metavar="区域", help="只生成该所属区域的客户（如 华东）。")
@click.option("--owner", metavar="业务员", help="只生成该负责业务员的客户。")
@click.option("--category", metavar="类别", help="只生成该客户类别的客户（如 重要客户）。")
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成 PDF（需已安装 LibreOffice）。")
@click.option("--history", metavar="历史库文件", type=click.Path(path_type=Path),
              help="修改记录取自这个档案历史库（SQLite 文件，见 history 命令），而不是总表的“变更记录”。")
@click.option("--role", metavar="角色", help="按这个角色的权限生成并登记发放（如 业务员、客户服务）。")
@click.option("--to", "recipient", default="", metavar="接收人", help="接收人姓名（与 --role 一起使用）。")
@click.option("--approved-by", "approver", default="", metavar="审批人", help="审批人（客户经理）姓名。")
@click.option("--purpose", default="", metavar="用途", help="用途，写入发放登记。")
@click.option("--return-by", callback=_parse_date, metavar="日期", help="归还期限（如 2026-12-31）。")
@ledger_option
@as_of_option
@schema_option
def command(master, output, customers, region, owner, category, pdf, history, role, recipient, approver,
            purpose, return_by, ledger, as_of, schema_path):
    if role is None and (recipient or approver):
        raise ChineseUsageError("--to / --approved-by 用于发放，请同时用 --role 指定接收人的角色",
                                click.get_current_context())
    issue = CardIssue(role, recipient, approver, purpose, return_by) if role else None
    done = make_cards(master, output, schema=load_schema(schema_path), as_of=as_of, pdf=pdf, history=history,
                      select=Selection(tuple(customers), region, owner, category), issue=issue, ledger=ledger)
    result = done.cards
    click.echo(f"已生成客户资料卡：{result.path}（{len(result.cards)} 位客户，统计日期 {result.as_of}）")
    if done.entry is not None:
        click.echo(f"已按角色“{done.role}”的权限生成，并登记为发放登记第 {done.entry} 号（{done.ledger}）")
    if result.pdf:
        click.echo(f"已生成 PDF：{result.pdf}")
    for line in result.notices:
        click.echo(f"注意：{line}")
