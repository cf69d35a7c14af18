"""`workbook-tools adopt LEGACY... -o OUT.xlsx`: bring old registers and CRM exports into
the standard 客户档案登记表; one library call (adopt_files, or plan_files for --plan)."""

from __future__ import annotations

from pathlib import Path

import click

from workbook_tools.adopt import adopt_files, plan_files
from workbook_tools.adopt.notes import table_name
from workbook_tools.cli.common import (
    ChineseCommand, ChineseUsageError, as_of_option, force_option, refuse_existing, schema_option,
)
from workbook_tools.cli.render import name

HELP = """把已有的客户台账（旧客户信息表、悟空/纷享销客/销售易等 CRM 导出、通讯录、
WPS 表格、GBK 编码的 CSV）迁移成标准的“客户档案登记表”：

\b
- 列对应：先按 schema 的列名和别称，再按相似度（显示得分），最后按 --map 文件；
  “电话”“类型”这类含糊的列名按列中的内容判断；对不上的列保留在“其他信息”列中；
- 取值转换：下拉选项、所属区域（由地址、身份证号、区号、手机号段推断）、客户类型、
  日期、电话拆分、全角数字；没有客户编号的行按区域前缀编号（同一行重跑编号不变）；
- 输出带下拉选项、填写提示和“检查结果”列的登记表，另附“迁移说明”工作表：列对应、
  每一处转换（单元格、原值、新值、依据）、仍有错误的行、疑似重复和核对（读取行数 = 写入行数）。

\b
--plan 只显示拟定的列对应（含得分）并写出可编辑的 MAP.yaml 模板，不生成工作簿。
退出码：0 已生成（“迁移说明”中列出的问题请人工补全）；2 有文件无法读取或用法错误。

\b
示例：
  workbook-tools adopt 旧客户信息表.xls --plan --map-out 列对应.yaml
  workbook-tools adopt 旧客户信息表.xls crm导出.csv -o 客户档案登记表_华东.xlsx --region 华东 --owner 张三
  workbook-tools adopt 旧客户信息表.xls -o 客户档案登记表_华东.xlsx --map 列对应.yaml --id-prefix HD --start 101
"""


@click.command("adopt", cls=ChineseCommand, help=HELP, options_metavar="[选项]",
               short_help="把旧台账/CRM 导出迁移成标准客户档案登记表（附迁移说明）")
@click.argument("paths", nargs=-1, required=True, metavar="旧台账文件...", type=click.Path(path_type=Path))
@click.option("-o", "--output", metavar="文件.xlsx", type=click.Path(path_type=Path),
              help="输出的客户档案登记表（.xlsx）；不用 --plan 时必填。")
@click.option("--region", metavar="区域", help="没有所属区域、也推断不出时填写的区域，如 华东。")
@click.option("--owner", metavar="业务员", help="没有负责业务员的行填写的业务员。")
@click.option("--map", "map_file", metavar="MAP.yaml", type=click.Path(path_type=Path),
              help="列对应文件：每行“源列: 字段”，字段写标准列名或“忽略”（用 --plan 生成模板）。")
@click.option("--id-prefix", metavar="前缀", help="新编客户编号的前缀，如 HD（默认按所属区域）。")
@click.option("--start", metavar="序号", type=click.IntRange(min=0),
              help="新编客户编号的起始序号（默认接在已有的最大编号之后）。")
@click.option("--plan", "plan", is_flag=True, help="只显示拟定的列对应并写出 MAP.yaml 模板，不生成工作簿。")
@click.option("--map-out", metavar="MAP.yaml", type=click.Path(path_type=Path),
              help="与 --plan 一起使用：MAP.yaml 模板写到这里（默认“列对应.yaml”）。")
@force_option
@as_of_option
@schema_option
def command(paths, output, region, owner, map_file, id_prefix, start, plan, map_out, force, as_of, schema_path):
    ctx = click.get_current_context()
    if plan:
        target = map_out or Path("列对应.yaml")
        refuse_existing(target, force)
        _print_plan(plan_files(paths, schema_path, map_file=map_file, map_out=target))
        return
    if output is None:
        raise ChineseUsageError("请用 -o 指定输出文件，例如 -o 客户档案登记表.xlsx（或用 --plan 只看列对应）", ctx)
    refuse_existing(output, force)
    result = adopt_files(paths, output, schema_path, region=region, owner=owner, map_file=map_file,
                         id_prefix=id_prefix, start=start, as_of=as_of)
    _print_result(result)


def _print_plan(plan) -> None:
    for legacy in plan.files:
        for table in legacy.tables:
            click.echo(f"{name(legacy.path)}（{table_name(legacy, table)}，表头第 {table.header_row} 行，"
                       f"{len(table.records)} 行数据）：")
            for col in table.columns:
                target = plan.form.field(col.field).label if col.field else "其他信息（保留原值）"
                score = f"  得分 {col.score:g}" if col.score is not None and col.field else ""
                click.echo(f"  {col.letter:>3} {col.header or '（无列名）'} → {target}  [{col.how}]{score}")
        for sheet, why in legacy.other_sheets.items():
            click.echo(f"  工作表“{sheet}”未读取：{why}")
    missing = plan.missing_required()
    if missing:
        click.echo(f"没有对应列的必填字段：{'、'.join(missing)}（迁移时推断或由 --region/--owner 填写，"
                   "其余列在“迁移说明”中待补）")
    click.echo(f"列对应模板：{name(plan.map_path)}（修改后用 --map 指定；未生成工作簿）")


def _print_result(result) -> None:
    for legacy in result.files:
        click.echo(f"{name(legacy.path)}：读取 {legacy.rows} 行")
    click.echo(f"已生成：{name(result.output)}（客户档案登记表 {result.rows_written} 行；读取 {result.rows_read} 行，"
               f"丢失 {result.rows_read - result.rows_written} 行）")
    click.echo(f"转换与推断 {len(result.conversions)} 处；疑似重复 {len(result.duplicates)} 组（未合并）；"
               f"仍有错误的行 {len(result.rows_with_errors())} 行（错误 {result.errors} 个，警告 {result.warnings} 个）"
               "，详见工作表“迁移说明”。")
