"""`workbook-tools sample OUTDIR`: seeded sample regional workbooks with the everyday mess."""

from __future__ import annotations

import re
from pathlib import Path

import click

from workbook_tools.cli.common import ChineseCommand
from workbook_tools.cli.progress import steps

DEFAULT_REGIONS = "华东,华南,华北,西南"
HELP = """生成示例区域客户档案工作簿：每个区域一个文件（客户档案登记表、客户拜访记录、客户拜访计划三个工作表），\
并写出 manifest.json，列出注入的每一处常见填写问题（标题行、别名表头、全角数字、文本日期、\
校验位错误的身份证号、跨区域重复客户等）。参数相同时生成的文件逐字节相同。

\b
示例：
  workbook-tools sample build/samples
  workbook-tools sample build/samples --customers 60 --regions 华东,华南
  workbook-tools sample 客户档案/incoming --manifest 客户档案/manifest.json
  workbook-tools sample build/bench --customers 10000 --files-per-region 5 --clean
"""


@click.command("sample", cls=ChineseCommand, help=HELP, short_help="生成带常见问题的示例区域工作簿",
               options_metavar="[选项]")
@click.argument("outdir", metavar="目录", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", type=int, default=2026, show_default=True, help="随机种子。")
@click.option("--customers", type=click.IntRange(min=1), default=300, show_default=True, help="每个文件的客户数。")
@click.option("--regions", default=DEFAULT_REGIONS, show_default=True, help="区域，逗号分隔；可写名称或代码，如 华东,HN。")
@click.option("--week", default="2026-W47", show_default=True, help="周次（ISO 周）；数据截止到该周周五。")
@click.option("--files-per-region", type=click.IntRange(min=1), default=1, show_default=True,
              help="每个区域拆成几个文件（按业务组，用于大数据量测试）。")
@click.option("--clean", is_flag=True, help="生成不含任何问题的干净数据。")
@click.option("--manifest", metavar="文件.json", type=click.Path(dir_okay=False, path_type=Path),
              help="问题清单写到这个文件（默认 OUTDIR/manifest.json；OUTDIR 要交给 merge/weekly 时请放在别处）。")
@click.option("--schema", "schema_path", metavar="schema.yaml", type=click.Path(path_type=Path),
              help="使用自定义的 schema 文件（默认使用自带的 templates/archive_schema.yaml）。")
def command(outdir, seed, customers, regions, week, files_per_region, clean, manifest, schema_path):
    """One library call (generate_samples), then one Chinese line per file written."""
    from workbook_tools.sampledata import generate_samples
    from workbook_tools.schema import load_schema

    names = [r for r in re.split(r"[,，、;；\s]+", regions) if r]
    with steps(f"正在生成 {len(names)} 个区域的示例工作簿…"):
        result = generate_samples(outdir, seed=seed, regions=names, customers_per_region=customers, week=week,
                                  messy=not clean, schema=load_schema(schema_path),
                                  files_per_region=files_per_region, manifest=manifest)
    for f in result.files:
        counts = "，".join(f"{sheet} {n} 行" for sheet, n in f.rows.items())
        click.echo(f"已生成 {f.path}：{counts}")
    if clean:
        click.echo(f"干净数据，未注入问题。清单：{result.manifest_path}")
    else:
        click.echo(f"问题清单：{result.manifest_path}（共注入 {len(result.manifest)} 处问题）")
