"""`workbook-tools export MASTER -o OUT --role ROLE --to 接收人 --approved-by 审批人`: one call
to export_master (masked, optionally encrypted 发放, recorded in the ledger)."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.cli.common import ChineseCommand, _parse_date, as_of_option, schema_option
from workbook_tools.cli.secrets import ledger_option, password_from, password_options
from workbook_tools.export import ExportRequest, export_master
from workbook_tools.io.crypto import read_password
from workbook_tools.schema import load_schema

HELP = """按《客户信息管理权限分配表》（schema 的 roles）向某个岗位发放客户资料：写出一个新工作簿，\
不可见的字段不写入，脱敏的字段只写脱敏后的值，第一张表“发放说明”写明接收人、审批人、用途、归还期限、\
脱敏和不提供的字段、客户数和发放登记编号；每次发放都记入发放登记（客户资料借阅表）。\
总表（原始资料）本身不会被修改。

\b
角色“外部”或不允许发放的角色：退出码 2，不写出任何文件。
加密：--password-file 或 --password-env 给出密码时，输出按 Office 标准（AES-256）加密，
Excel、WPS、LibreOffice 输入密码即可打开。

\b
示例：
  workbook-tools export 客户档案总表.xlsx -o 发放_李四.xlsx --role 业务员 --to 李四 \\
      --approved-by 王经理 --purpose 华东回访 --return-by 2026-12-31 --region 华东 \\
      --password-file 发放密码.txt
"""


@click.command("export", cls=ChineseCommand, help=HELP, options_metavar="[选项]",
               short_help="按权限分配表脱敏（可加密）发放客户资料，并记入发放登记")
@click.argument("master", metavar="总表.xlsx", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, metavar="文件.xlsx", type=click.Path(path_type=Path),
              help="要写出的发放文件。")
@click.option("--role", required=True, metavar="角色", help="接收人的岗位（权限分配表中的角色，如 业务员、客户服务）。")
@click.option("--to", "recipient", required=True, metavar="接收人", help="接收人姓名。")
@click.option("--approved-by", "approver", required=True, metavar="审批人", help="审批人（客户经理）姓名。")
@click.option("--purpose", default="", metavar="用途", help="用途，写入发放说明和发放登记。")
@click.option("--return-by", callback=_parse_date, metavar="日期", help="归还期限（如 2026-12-31）。")
@click.option("--customer", "customers", multiple=True, metavar="客户编号", help="只发放这些客户（可重复）。")
@click.option("--region", "regions", multiple=True, metavar="区域", help="只发放这些区域的客户（可重复）。")
@click.option("--owner", "owners", multiple=True, metavar="业务员", help="只发放这些业务员负责的客户（可重复）。")
@password_options
@click.option("--master-password-file", metavar="密码文件", type=click.Path(path_type=Path),
              help="总表已加密时，从这个文件读取总表的密码。")
@ledger_option
@as_of_option
@schema_option
def command(master, output, role, recipient, approver, purpose, return_by, customers, regions, owners,
            password_file, password_env, master_password_file, ledger, as_of, schema_path):
    request = ExportRequest(role=role, recipient=recipient, approver=approver, purpose=purpose,
                            return_by=return_by, customers=customers, regions=regions, owners=owners)
    result = export_master(master, output, request, schema=load_schema(schema_path),
                           password=password_from(password_file, password_env),
                           master_password=read_password(master_password_file),
                           ledger=ledger, today=as_of)
    sheets = "，".join(f"{name} {rows} 行" for name, rows in result.sheets.items())
    click.echo(f"已发放：{result.path}（发放登记第 {result.entry} 号，登记簿 {result.ledger}）")
    click.echo(f"角色 {result.role}；客户 {result.customers} 位；{sheets}")
    click.echo(f"脱敏字段：{'、'.join(result.masked) or '无'}")
    click.echo(f"不提供的字段：{'、'.join(result.hidden) or '无'}")
    click.echo("加密：是（AES-256；密码请另行告知接收人，不要与文件一起发送）" if result.encrypted
               else "加密：否")
