"""`workbook-tools validate FILE_OR_DIR...`: check what staff typed; one library call
(run_validation), then print the report."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.markup import escape

from workbook_tools.cli.common import ChineseCommand, as_of_option, form_key, form_option, schema_option
from workbook_tools.cli.render import console, name, print_findings
from workbook_tools.errors import shown
from workbook_tools.schema import load_schema
from workbook_tools.validate.run import run_validation

HELP = """校验各区域提交的工作簿：必填项、下拉选项、身份证号、统一社会信用代码、手机/电话、日期、
重复客户编号和跨字段规则，给出每个问题所在的单元格和修改方法。

\b
退出码：0 没有错误（可以有警告）；1 至少有一个错误；2 有文件无法读取或命令用法错误。

\b
示例：
  workbook-tools validate 华东_客户档案.xlsx
  workbook-tools validate incoming/ --annotate 退回/ --fix 修正/
  workbook-tools validate incoming/ --json > 校验结果.json
"""

MAX_ROWS_SHOWN = 30


@click.command("validate", cls=ChineseCommand, help=HELP, options_metavar="[选项]",
               short_help="校验工作簿，可生成标注副本和安全修正副本")
@click.argument("paths", nargs=-1, required=True, metavar="文件或目录...",
                type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出完整结果（供脚本使用）。")
@click.option("--annotate", "annotate_dir", metavar="目录", type=click.Path(path_type=Path),
              help="为每个文件写一份标注副本：错误单元格标红、警告标黄并加批注，另附“校验结果”表。")
@click.option("--fix", "fix_dir", metavar="目录", type=click.Path(path_type=Path),
              help="为每个文件写一份只做安全修正的副本（去空格、全角转半角、文本日期转日期等），附“修正记录”表。")
@form_option
@as_of_option
@schema_option
def command(paths, as_json, annotate_dir, fix_dir, form, as_of, schema_path):
    schema = load_schema(schema_path)
    run = run_validation(paths, schema, form=form_key(schema, form), as_of=as_of, annotate_dir=annotate_dir,
                         fix_dir=fix_dir)
    if as_json:
        data = run.report.to_dict()
        data["outputs"] = {"annotated": run.annotated, "fixed": run.fixed,
                           "errors": run.output_errors}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        _print(run)
    raise click.exceptions.Exit(run.exit_code)


def _print(run) -> None:
    out = console()
    for note in run.report.notes:
        out.print(f"[dim]{note}[/dim]")
    for item in run.report.files:
        _print_file(out, item, run)
    t = run.report.totals
    out.print(f"合计：{t['files']} 个文件（通过 {t['ok']}，有错误 {t['invalid']}，无法读取 {t['unreadable']}），"
              f"{t['rows']} 行数据，错误 {t['errors']} 个，警告 {t['warnings']} 个。")


def _print_file(out, item, run) -> None:
    if item.status == "unreadable":
        out.print(f"[bold red]✗ {name(item.path)}[/bold red]\n  {escape(item.error)}")
        return
    mark = "[green]✓[/green]" if item.status == "ok" else "[red]✗[/red]"
    out.print(f"{mark} [bold]{name(item.path)}[/bold]：{item.rows} 行，错误 {item.errors} 个，警告 {item.warnings} 个")
    if item.findings:
        print_findings(out, item.findings[:MAX_ROWS_SHOWN])
        if len(item.findings) > MAX_ROWS_SHOWN:
            out.print(f"  （另有 {len(item.findings) - MAX_ROWS_SHOWN} 个问题未显示，完整列表请用 --annotate 或 --json）")
    for label, table in (("标注副本", run.annotated), ("修正副本", run.fixed)):
        if item.path in table:
            extra = f"，修正 {run.fix_counts[item.path]} 处" if label == "修正副本" else ""
            out.print(f"  {label}：{name(table[item.path])}{extra}")
    if item.path in run.output_errors:
        out.print(f"  [red]{escape(shown(run.output_errors[item.path]))}[/red]")
