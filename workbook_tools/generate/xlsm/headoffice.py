"""The head-office workbook (``workbook-tools excel headoffice -o 总部工具.xlsm``).

One sheet 设置 holds the weekly settings (区域文件夹, 上周总表, 输出文件夹, 计划周次) as label /
value rows, and the 合并 / 汇总 / 生成拜访计划 buttons to the right of them.
``workbook_tools.buttons`` reads the values back by their labels, so rows may be moved.
Built with XlsxWriter (``add_vba_project`` + ``insert_button``) and the VBA project of
``generate.xlsm.vba``; output is deterministic.
"""

from __future__ import annotations

import io
from pathlib import Path

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from workbook_tools.errors import OutputError, WorkbookToolsError
from workbook_tools.generate.xlsm.vml import Button
from workbook_tools.generate.context import GENERATOR
from workbook_tools.generate.template import FIXED_CREATED
from workbook_tools.generate.xlsm.vba import build_vba_project
from workbook_tools.io.atomic import atomic_path
from workbook_tools.io.pagesetup import A4, FOOTER, page_header

SETTINGS_SHEET = "设置"
INCOMING, PREVIOUS, OUTDIR, WEEK = "区域文件夹", "上周总表", "输出文件夹", "计划周次"
MASTER_PREFIX = "客户档案总表"
SETTINGS = (  # label, default value, explanation
    (INCOMING, "区域文件", "各区域交回的客户档案工作簿所在的文件夹（可写相对于本工作簿所在文件夹的路径）"),
    (PREVIOUS, "", "上周合并生成的总表；留空时自动使用输出文件夹中前几周最新的一份（第一次合并时没有也可以）"),
    (OUTDIR, "输出", f"每周的结果保存在其中以周次命名的文件夹里，如 2026-W48/{MASTER_PREFIX}_2026-W48.xlsx"
                     "（与命令 workbook-tools weekly 相同）"),
    (WEEK, "", "生成拜访计划的周次，如 2026-W48（2026 年第 48 周），也可以填该周中的任意一天；留空为下周"),
)
HEADOFFICE_BUTTONS = (
    Button("合并", "MergeButton", width=132, height=32),
    Button("汇总", "SummaryButton", width=132, height=32),
    Button("生成拜访计划", "PlanButton", width=132, height=32),
)
STEPS = (
    "第一次使用前，在命令行运行：workbook-tools excel setup 总部工具.xlsm（写入 Python 的位置，只需一次）。",
    "把各区域交回的客户档案工作簿放进“区域文件夹”。",
    "检查上面的设置，保存本工作簿（Ctrl+S）。",
    "点击“合并”生成本周的客户档案总表；再点击“汇总”或“生成拜访计划”，生成的文件会自动在 Excel 中打开。",
    "出错时会弹出一行中文说明；WPS 不支持这些按钮，请改用命令行 workbook-tools merge / summary / plan。",
)
FIRST_ROW = 3  # zero-based row of the first setting
WIDTHS = (14, 40, 70)


def generate_headoffice(path: str | Path) -> Path:
    """Write the head-office workbook to ``path`` (.xlsm, atomically) and return the path."""
    path = Path(path)
    if path.suffix.lower() != ".xlsm":
        raise OutputError(f"输出文件 {path} 的扩展名应为 .xlsm（启用宏的工作簿），否则 Excel 不会运行按钮")
    project = build_vba_project(["Sheet1"])
    missing = [b.macro for b in HEADOFFICE_BUTTONS if b.macro not in project.macros]
    if missing:
        raise WorkbookToolsError(f"宏 {'、'.join(missing)} 不在 macros/*.bas 中")
    with atomic_path(path) as tmp:
        _write(tmp, project.data)
    return path


def _write(target: Path, vba: bytes) -> None:
    workbook = xlsxwriter.Workbook(str(target), {"strings_to_urls": False, "strings_to_numbers": False,
                                                 "strings_to_formulas": False})
    workbook.add_vba_project(io.BytesIO(vba), is_stream=True)
    workbook.set_vba_name("ThisWorkbook")
    sheet = workbook.add_worksheet(SETTINGS_SHEET)
    sheet.set_vba_name("Sheet1")
    _fill(workbook, sheet)
    workbook.set_properties({"title": "客户档案总部工具", "created": FIXED_CREATED})
    workbook.set_custom_property("form", "headoffice")
    workbook.set_custom_property("generator", GENERATOR)
    try:
        workbook.close()
    except XlsxWriterException as exc:
        raise OutputError(f"无法写入 {target}：{exc}") from None


def _fill(workbook, sheet) -> None:
    title = workbook.add_format({"bold": True, "font_size": 16})
    head = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "border_color": "#A6A6A6"})
    label = workbook.add_format({"bold": True, "valign": "vcenter", "border": 1, "border_color": "#A6A6A6"})
    value = workbook.add_format({"num_format": "@", "locked": False, "valign": "vcenter", "bg_color": "#FFF2CC",
                                 "border": 1, "border_color": "#A6A6A6"})
    note = workbook.add_format({"text_wrap": True, "valign": "vcenter", "font_color": "#595959",
                                "border": 1, "border_color": "#A6A6A6"})
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    sheet.write_string(0, 0, "客户档案总部工具", title)
    sheet.write_string(1, 0, "填好黄色单元格并保存后，点击右侧的按钮。路径可以写完整路径，也可以写相对于本工作簿所在文件夹的路径。")
    for col, text in enumerate(("项目", "内容", "说明")):
        sheet.write_string(FIRST_ROW - 1, col, text, head)
    for offset, (name, default, explanation) in enumerate(SETTINGS):
        row = FIRST_ROW + offset
        sheet.set_row(row, 36)
        sheet.write_string(row, 0, name, label)
        if default:
            sheet.write_string(row, 1, default, value)
        else:
            sheet.write_blank(row, 1, None, value)
        sheet.write_string(row, 2, explanation, note)
    steps_row = FIRST_ROW + len(SETTINGS) + 1
    sheet.write_string(steps_row, 0, "使用步骤", workbook.add_format({"bold": True, "font_size": 12}))
    for n, step in enumerate(STEPS, start=1):
        sheet.write_string(steps_row + n, 0, f"{n}. {step}")
    for n, button in enumerate(HEADOFFICE_BUTTONS):
        sheet.insert_button(FIRST_ROW - 1 + n * 2, len(WIDTHS) + 1, {
            "macro": button.macro, "caption": button.caption,
            "width": button.width, "height": button.height, "x_offset": 0, "y_offset": 8,
        })
    sheet.print_area(0, 0, steps_row + len(STEPS), len(WIDTHS) - 1)
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    sheet.set_header(page_header("总部工具", SETTINGS_SHEET))
    sheet.set_footer(FOOTER)
    sheet.activate()
