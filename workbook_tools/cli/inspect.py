"""`workbook-tools inspect FILE [--form KIND]`: what the reader sees in a workbook."""

from __future__ import annotations

import re
from pathlib import Path

import click

from workbook_tools.cli.common import ChineseCommand, ChineseUsageError, form_key, form_option
from workbook_tools.cli.secrets import password_from, password_options
from workbook_tools.errors import shown

HELP = """查看工具如何读取一个工作簿：每个工作表识别成哪种表格、表头在第几行、
每一列对应哪个字段（标注按别名识别的列）、未知列、缺少的必填列、数据行数和表尾位置。
用于在校验或合并之前确认表格能被正确识别。

\b
示例：
  workbook-tools inspect 华东客户档案.xlsx
  workbook-tools inspect 拜访记录.xls --form visit-record
"""


@click.command("inspect", cls=ChineseCommand, help=HELP, short_help="查看工作簿的表头识别结果",
               options_metavar="[选项]")
@click.argument("file", metavar="文件", required=False, type=click.Path(path_type=Path))
@form_option
@click.option("--schema", "schema_path", metavar="schema.yaml", type=click.Path(path_type=Path),
              help="使用自定义的 schema 文件（默认使用自带的 templates/archive_schema.yaml）。")
@password_options
def command(file, form, schema_path, password_file, password_env):
    """One library call (describe_workbook), then print its result in Chinese."""
    from workbook_tools.io.describe import describe_workbook
    from workbook_tools.schema import load_schema

    if file is None:
        raise ChineseUsageError("缺少要查看的文件", click.get_current_context())
    schema = load_schema(schema_path)
    info = describe_workbook(file, schema, form_key(schema, form),
                             password=password_from(password_file, password_env))
    for line in format_report(info):
        click.echo(line)


def _one_line(text: str) -> str:
    """A header on one line: line breaks inside it removed ("客户\n名称" → "客户名称")."""
    return " ".join(re.sub(r"\s*[\r\n]+\s*", "", str(text)).split())


def format_report(info: dict) -> list[str]:
    """The report as lines of Chinese text."""
    lines = [f"文件：{shown(info['path'])}（{info['kind']}，日期系统：{'1904' if info['date1904'] else '1900'}）"]
    stamp = info["stamp"]
    if stamp.get("schema_name"):
        lines.append(f"版本标记：{stamp.get('schema_name')} v{stamp.get('schema_version', '?')}，"
                     f"表格 {stamp.get('form', '?')}，由 {stamp.get('generator', '未知工具')} 生成")
    else:
        lines.append("版本标记：无（不是本工具生成的模板，按表头识别）")
    for sheet in info["sheets"]:
        lines.append("")
        lines.extend(_sheet_lines(sheet))
    if not info["sheets"]:
        lines.append("")
        lines.append("没有找到任何可识别的表头：请确认表头行包含“客户编号”“客户名称”等列名。")
    if info["other_sheets"]:
        lines.append("")
        lines.append("其他工作表（不读取）：")
        reasons = info.get("other_reasons", {})
        lines.extend(f"  {name}：{reasons.get(name, '未识别到表头')}" for name in info["other_sheets"])
    return lines


def _sheet_lines(sheet: dict) -> list[str]:
    title = "（工作表名或标题与表格名称一致）" if sheet["title_matched"] else ""
    lines = [f"工作表“{sheet['sheet']}”：{sheet['form_title']}（{sheet['form']}）",
             f"  表头：第 {sheet['header_row']} 行{title}", "  列对应："]
    for col in sheet["columns"]:
        header = _one_line(col["header"]) or "（空表头）"
        if col["field"] is None:
            lines.append(f"    {col['letter']} 列 {header} → 未知列（保留原值）")
        else:
            how = "（按别名识别）" if col["matched"] == "alias" else ""
            lines.append(f"    {col['letter']} 列 {header} → {col['label']}{how}")
    if sheet["unknown_columns"]:
        lines.append("  未知列：" + "、".join(f"{c['letter']} 列 {_one_line(c['header'])}"
                                          for c in sheet["unknown_columns"]))
    for dup in sheet["duplicate_fields"]:
        kept = "各列内容都保留，用“；”连接" if dup.get("kept") else "只读取第一列"
        lines.append(f"  重复列：{dup['label']} 出现在 {'、'.join(dup['letters'])} 列（{kept}）")
    missing = "、".join(m["label"] for m in sheet["missing_required"])
    lines.append(f"  缺少必填列：{missing or '无'}")
    if sheet["record_count"]:
        lines.append(f"  数据行：{sheet['record_count']} 行（第 {sheet['first_row']}–{sheet['last_row']} 行）")
    else:
        lines.append("  数据行：0 行")
    if sheet.get("skipped_rows"):
        lines.append("  跳过的行：" + "、".join(f"第 {s['row']} 行（{s['kind']}，不是数据）"
                                            for s in sheet["skipped_rows"]))
    footer = f"第 {sheet['footer_row']} 行（之后的内容不读取）" if sheet["footer_row"] else "无"
    lines.append(f"  表尾：{footer}")
    if sheet.get("inner_footers"):
        rows = "、".join(str(r) for r in sheet["inner_footers"])
        lines.append(f"  数据中间的合计/落款行：第 {rows} 行（下面还有数据，已按数据行读取）")
    return lines
