"""`workbook-tools card MASTER.xlsx -o 客户资料卡.xlsx`: one call to build_cards."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.card import Selection, build_cards
from workbook_tools.cli.common import ChineseCommand, as_of_option, schema_option
from workbook_tools.schema import load_schema

HELP = """一户一档：由客户档案总表生成客户资料卡工作簿。第一张“目录”列出每位客户（客户编号可点击），
之后每位客户一张工作表（以客户编号命名）：基础资料、客户特征、业务状况、交易现状四栏，其他列，
档案评估（价值分类、跟进状态、业务下滑、档案完整度、距上次修订），最近 20 次拜访记录、投诉记录和
修改记录（来自总表的“变更记录”）。A4 纵向、一页宽，可直接打印。

\b
示例：
  workbook-tools card 客户档案总表.xlsx -o 客户资料卡.xlsx
  workbook-tools card 客户档案总表.xlsx -o 华东.xlsx --region 华东 --pdf
  workbook-tools card 客户档案总表.xlsx -o 资料卡.xlsx --customer HD0001 --customer HD0002
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
@as_of_option
@schema_option
def command(master, output, customers, region, owner, category, pdf, as_of, schema_path):
    result = build_cards(master, output, schema=load_schema(schema_path), as_of=as_of, pdf=pdf,
                         select=Selection(tuple(customers), region, owner, category))
    click.echo(f"已生成客户资料卡：{result.path}（{len(result.cards)} 位客户，统计日期 {result.as_of}）")
    if result.pdf:
        click.echo(f"已生成 PDF：{result.pdf}")
    for line in result.notices:
        click.echo(f"注意：{line}")
