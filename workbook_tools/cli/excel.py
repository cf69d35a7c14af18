"""`workbook-tools excel enable | setup | headoffice`: macro-enabled workbooks with buttons."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.cli.common import ChineseCommand, ChineseGroup, ChineseUsageError, refuse_existing

HELP = """Excel 按钮：不用命令行，在 Excel 里点按钮完成校验、合并、汇总和生成拜访计划（通过 xlwings 运行本工具）。

\b
新的空白表格可直接生成带按钮的版本：workbook-tools template registration --buttons -o 登记表.xlsm
WPS 不支持这些按钮（xlwings 不支持 WPS），WPS 用户请使用命令行。
"""


@click.group("excel", cls=ChineseGroup, help=HELP, short_help="Excel 按钮：启用宏的工作簿、xlwings 配置、总部工具",
             options_metavar="[选项]", subcommand_metavar="命令 [参数]...")
def command():
    """The `excel` command group."""


@command.command("enable", cls=ChineseCommand, options_metavar="[选项]",
                 short_help="给已有工作簿加上“校验”按钮（另存为 .xlsm）",
                 help="给已有的 .xlsx 工作簿加上“校验”按钮，另存为启用宏的 .xlsm；原文件不变，"
                      "另存的文件中数据、格式、下拉列表和批注原样保留。\n\n"
                      "\b\n示例：\n  workbook-tools excel enable 华东客户档案.xlsx -o 华东客户档案.xlsm")
@click.argument("source", metavar="文件.xlsx", required=False, type=click.Path(path_type=Path))
@click.option("-o", "--output", metavar="文件.xlsm", type=click.Path(path_type=Path),
              help="输出文件（.xlsm），默认与原文件同名、扩展名改为 .xlsm。")
@click.option("--sheet", metavar="工作表", help="放按钮的工作表，默认为第一个有表头的数据表。")
@click.option("-f", "--force", is_flag=True, help="输出文件已存在时覆盖它。")
def enable(source, output, sheet, force):
    """One library call: enable_workbook."""
    from workbook_tools.generate.xlsm.workbook import enable_workbook

    if source is None:
        raise ChineseUsageError("缺少要添加按钮的工作簿，例如 workbook-tools excel enable 登记表.xlsx",
                                click.get_current_context())
    output = output or source.with_suffix(".xlsm")
    refuse_existing(output, force)
    result = enable_workbook(source, output, sheet=sheet)
    captions = "、".join(f"“{b.caption}”" for b in result.buttons)
    click.echo(f"已生成：{result.path}（按钮 {captions} 在工作表“{result.sheet}”最后一列的右侧）")
    click.echo("第一次使用前请运行：workbook-tools excel setup " + str(result.path))


@command.command("setup", cls=ChineseCommand, options_metavar="[选项]",
                 short_help="写入 xlwings.conf（本机 Python 的位置）",
                 help="写入 xlwings 的配置文件 xlwings.conf，告诉 Excel 按钮用哪个 Python 运行本工具"
                      "（INTERPRETER_WIN / INTERPRETER_MAC；未安装到 site-packages 时还写 PYTHONPATH）。"
                      "文件中已有的其他设置保留。\n\n"
                      "\b\n示例：\n  workbook-tools excel setup 总部工具.xlsm      写到工作簿所在的文件夹\n"
                      "  workbook-tools excel setup --user            写到当前用户的配置（所有工作簿通用）")
@click.argument("workbook", metavar="[工作簿]", required=False, type=click.Path(path_type=Path))
@click.option("--user", is_flag=True, help="写入当前用户的 xlwings 配置文件（~/.xlwings/xlwings.conf；macOS 为 Excel 沙盒目录）。")
def setup(workbook, user):
    """One library call: setup_xlwings."""
    from workbook_tools.generate.xlsm.config import platform_note, setup_xlwings

    if workbook is None and not user:
        raise ChineseUsageError("请指定工作簿，或加 --user", click.get_current_context())
    for written in setup_xlwings(workbook, user=user):
        click.echo(f"已写入 {written.path}：")
        for key, value in written.settings.items():
            click.echo(f"  {key} = {value}")
    if note := platform_note():
        click.echo(note, err=True)


@command.command("headoffice", cls=ChineseCommand, options_metavar="[选项]",
                 short_help="生成总部工具工作簿（合并、汇总、生成拜访计划按钮）",
                 help="生成总部工具工作簿：“设置”表中填写区域文件夹、上周总表、输出文件夹和计划周次，"
                      "旁边是“合并”“汇总”“生成拜访计划”三个按钮。\n\n"
                      "\b\n示例：\n  workbook-tools excel headoffice -o 总部工具.xlsm")
@click.option("-o", "--output", metavar="文件.xlsm", type=click.Path(path_type=Path), help="输出文件（.xlsm），必填。")
@click.option("-f", "--force", is_flag=True, help="输出文件已存在时覆盖它。")
def headoffice(output, force):
    """One library call: generate_headoffice."""
    from workbook_tools.generate.xlsm.headoffice import generate_headoffice

    if output is None:
        raise ChineseUsageError("请用 -o 指定输出文件，例如 -o 总部工具.xlsm", click.get_current_context())
    refuse_existing(output, force)
    path = generate_headoffice(output)
    click.echo(f"已生成总部工具：{path}")
    click.echo("第一次使用前请运行：workbook-tools excel setup " + str(path))
