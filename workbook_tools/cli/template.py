"""`workbook-tools template KIND -o FILE.xlsx`: a blank, ready-to-fill form."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.cli.common import ChineseCommand, ChineseUsageError, refuse_existing
from workbook_tools.generate import DEFAULT_ROWS, generate_template

HELP = f"""生成可以直接填写的空白 Excel 表格：表头带 * 的为必填列，下拉选项、文本/日期格式、填写提示和“填表说明”页都按 schema 自动生成。

\b
表格类型：
  registration   客户档案登记表
  visit-plan     客户拜访计划
  visit-record   客户拜访记录
  complaint      客户投诉记录
  trade          客户交易记录
也可以写中文表名，如“客户档案登记表”。

\b
--region / --owner 只记录在文件属性、标题和“填表说明”页中，不会预填到数据行。
默认预留 {DEFAULT_ROWS} 行带格式的空行。

\b
示例：
  workbook-tools template registration -o 华东客户档案.xlsx --region 华东
  workbook-tools template visit-plan -o 张三拜访计划.xlsx --owner 张三
  workbook-tools template registration --buttons -o 华东客户档案.xlsm --region 华东
  workbook-tools template registration --printable -o 客户资料卡_空白.xlsx --copies 20

\b
--printable 生成供手工填写的纸质“客户资料卡”：每位客户一页（A4 纵向），
按 基础资料 / 客户特征 / 业务状况 / 交易现状 分栏，有选项的字段印成“□ 选项”。
"""


@click.command("template", cls=ChineseCommand, help=HELP, short_help="生成空白表格模板（带下拉选项和填表说明）",
               options_metavar="[选项]")
@click.argument("kind", metavar="表格类型", required=False)
@click.option("-o", "--output", metavar="文件.xlsx", type=click.Path(path_type=Path),
              help="输出文件（.xlsx），必填。")
@click.option("--region", metavar="区域", help="所属区域，如 华东（记录在文件中，不预填数据行）。")
@click.option("--owner", metavar="业务员", help="负责的业务员（记录在文件中，不预填数据行）。")
@click.option("--rows", metavar="行数", type=int, default=DEFAULT_ROWS,
              help=f"预留的带格式空行数，默认 {DEFAULT_ROWS}。")
@click.option("--schema", "schema_path", metavar="schema.yaml", type=click.Path(path_type=Path),
              help="使用自定义的 schema 文件（默认使用自带的 templates/archive_schema.yaml）。")
@click.option("-f", "--force", is_flag=True, help="输出文件已存在时覆盖它（默认不覆盖，以免丢失已填写的数据）。")
@click.option("--buttons", is_flag=True,
              help="生成带“校验”按钮的启用宏工作簿（.xlsm，需要 Excel 和 xlwings，见 workbook-tools excel -h）。")
@click.option("--no-checks", "no_checks", is_flag=True,
              help="生成不带“检查结果”公式列、标色和位数校验的旧式空白表格。")
@click.option("--printable", is_flag=True,
              help="生成打印后手工填写的空白客户资料卡（仅 registration；每份一页 A4 纵向）。")
@click.option("--copies", metavar="份数", type=int, default=1,
              help="与 --printable 一起使用：空白资料卡的份数（每份一个工作表、打印一页），默认 1。")
def command(kind, output, region, owner, rows, schema_path, force, buttons, no_checks, printable, copies):
    """Check the invocation, then one library call: generate_template."""
    ctx = click.get_current_context()
    if not kind:
        raise ChineseUsageError("缺少表格类型（registration / visit-plan / visit-record / complaint / trade）", ctx)
    if output is None:
        raise ChineseUsageError("请用 -o 指定输出文件，例如 -o 客户档案登记表.xlsx", ctx)
    refuse_existing(output, force)
    if printable:
        _printable(kind, output, schema_path, copies)
        return
    if buttons:
        from workbook_tools.generate.xlsm.workbook import generate_button_template

        path = generate_button_template(schema_path, kind, output, region=region, owner=owner, rows=rows,
                                        checks=not no_checks).path
    else:
        path = generate_template(schema_path, kind, output, region=region, owner=owner, rows=rows,
                                 checks=not no_checks)
    extra = ("" if no_checks else "，带“检查结果”公式列") + ("，带“校验”按钮" if buttons else "")
    click.echo(f"已生成表格模板：{path}（{kind}，预留 {rows} 行{extra}）")


def _printable(kind, output, schema_path, copies) -> None:
    from workbook_tools.card.blank import write_blank_cards

    path = write_blank_cards(schema_path, output, copies=copies, kind=kind)
    click.echo(f"已生成空白客户资料卡：{path}（{copies} 份，每份一页 A4 纵向，供打印后手工填写）")
