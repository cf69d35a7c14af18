"""Blank, ready-to-fill workbooks for one form of the schema (``workbook-tools template``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable

import xlsxwriter
from xlsxwriter.exceptions import InvalidWorksheetName, XlsxWriterException

from workbook_tools.errors import OutputError, SchemaError, WorkbookToolsError
from workbook_tools.generate.checks import write_checks
from workbook_tools.generate.context import TemplateInfo
from workbook_tools.generate.instructions import INSTRUCTIONS_SHEET, write_instructions
from workbook_tools.generate.lists import LISTS_SHEET, write_lists
from workbook_tools.generate.styles import Formats, header_text
from workbook_tools.generate.validation import add_validations
from workbook_tools.io.atomic import atomic_path
from workbook_tools.io.sheetxml import splice
from workbook_tools.schema.loader import load_schema
from workbook_tools.schema.model import Form, Schema, normalize_choice

DEFAULT_ROWS = 200
MAX_ROWS = 10_000
# docProps/core.xml dates: fixed, so two runs give byte-identical files.
FIXED_CREATED = dt.datetime(2000, 1, 1)
HEADER_HEIGHT = 32
PROTECT_OPTIONS = {
    "format_cells": True, "format_columns": True, "format_rows": True,
    "insert_rows": True, "delete_rows": True, "sort": True, "autofilter": True,
}
WORKBOOK_OPTIONS = {"strings_to_urls": False, "strings_to_numbers": False,
                    "strings_to_formulas": False}


def generate_template(schema: Schema | str | Path | None, kind: str, path: str | Path, *,
                      region: str | None = None, owner: str | None = None,
                      rows: int = DEFAULT_ROWS, created: dt.datetime | None = None,
                      checks: bool = False, extend: Callable | None = None, blank_cells: bool = True) -> Path:
    """Write a blank template of form ``kind`` to ``path`` (atomically) and return the path.

    ``schema`` is a loaded Schema, a YAML path, or None for the bundled schema. ``kind`` is
    a form key (registration, visit-plan, …) or the form's Chinese title or alias.
    ``region``/``owner`` are recorded in the document properties, title and 填表说明 page,
    never prefilled into data rows. ``created`` defaults to a fixed date (deterministic output).
    ``checks`` adds the 检查结果 column, its hidden 检查 sheet, red/yellow conditional formats
    and length validation of codes (generate/checks). The ``template`` command and the demo
    turn it on (``--no-checks`` turns it off); the library default is the plain form.
    ``extend(workbook, data_sheet, formats, info)``: called before the workbook is closed,
    to add sheets or columns (adopt adds its 迁移说明 sheet and the 其他信息 columns);
    ``blank_cells=False`` leaves out the prepared rows' blank cells (a caller writing every
    row itself: validation, formats and checks still cover ``rows`` rows).
    """
    if not isinstance(schema, Schema):
        schema = load_schema(schema)
    form = resolve_form(schema, kind)
    path = _check_path(path)
    _check_rows(rows)
    info = TemplateInfo(schema=schema, form=form, rows=rows,
                        region=canonical_region(schema, form, region), owner=_clean(owner),
                        checks=checks, blank_cells=blank_cells)
    with atomic_path(path) as tmp:
        _write_workbook(tmp, info, created or FIXED_CREATED, extend)
    return path


def resolve_form(schema: Schema, kind: str) -> Form:
    """The form named by key (registration) or by its title or an alias (客户档案登记表)."""
    try:
        return schema.form(kind)
    except KeyError as exc:
        raise WorkbookToolsError(exc.args[0]) from None


def canonical_region(schema: Schema, form: Form, region: str | None) -> str | None:
    """``region`` as the canonical choice value (华东区 → 华东); unknown regions are refused."""
    region = _clean(region)
    if region is None:
        return None
    field = _region_field(schema, form)
    if field is None:
        return region
    canonical = field.choice_lookup().get(normalize_choice(region))
    if canonical is None:
        raise WorkbookToolsError(
            f"未知的区域“{region}”，可用的区域：{'、'.join(field.choice_values)}")
    return canonical


def _region_field(schema: Schema, form: Form):
    for candidate in (form, *schema.forms):
        for field in candidate.fields:
            if field.key == "region" and field.choices:
                return field
    return None


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def _check_path(path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OutputError(f"输出文件 {path} 的扩展名应为 .xlsx（模板是 Excel 2007 及以上版本的工作簿）")
    return path


def _check_rows(rows: int) -> None:
    if isinstance(rows, bool) or not isinstance(rows, int) or not 1 <= rows <= MAX_ROWS:
        raise WorkbookToolsError(f"预留行数应为 1 到 {MAX_ROWS} 之间的整数，收到：{rows}")


def _write_workbook(target: Path, info: TemplateInfo, created: dt.datetime,
                    extend: Callable | None = None) -> None:
    workbook = xlsxwriter.Workbook(str(target), WORKBOOK_OPTIONS)
    formats = Formats(workbook)
    try:
        data = workbook.add_worksheet(info.form.title)
    except InvalidWorksheetName:
        raise SchemaError(f"{info.schema.source}: 表单 {info.form.key} 的标题“{info.form.title}”"
                          "不能用作工作表名（最多31个字符，不能含 []:*?/\\ ）") from None
    notes = workbook.add_worksheet(INSTRUCTIONS_SHEET)
    lists = workbook.add_worksheet(LISTS_SHEET)
    list_names = write_lists(workbook, lists, info.form, formats)
    write_data_sheet(data, info, formats, list_names)
    helper_rows = write_checks(workbook, data, info, formats) if info.checks else None
    write_instructions(notes, info, formats)
    if extend is not None:
        extend(workbook, data, formats, info)
    _set_properties(workbook, info, created)
    data.activate()
    try:
        workbook.close()
    except XlsxWriterException as exc:
        raise OutputError(f"无法写入 {target}：{exc}") from None
    if helper_rows is not None:
        splice(target, {helper_rows.part: helper_rows})


def write_data_sheet(ws, info: TemplateInfo, formats, list_names: dict[str, str]) -> None:
    """Header row, formatted and validated empty rows, freeze, filter, protection, print."""
    form, first, last = info.form, info.first_data_row, info.last_data_row
    for col, field in enumerate(form.fields):
        cell = formats.cell(field)
        ws.set_column(col, col, field.width, cell)
        ws.write_string(0, col, header_text(field), formats.header(field.required))
        if info.blank_cells:
            for row in range(first, last + 1):
                ws.write_blank(row, col, None, cell)
    ws.set_row(0, HEADER_HEIGHT)
    add_validations(ws, form, first, last, list_names, info.checks)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, last, len(form.fields) - (0 if info.checks else 1))
    ws.protect("", PROTECT_OPTIONS)
    _print_setup(ws, info)


def _print_setup(ws, info: TemplateInfo) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.repeat_rows(0)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.3, right=0.3, top=0.6, bottom=0.6)
    title = info.display_title().replace("&", "&&")
    ws.set_header(f"&C{title}")
    ws.set_footer("&C第 &P 页，共 &N 页")


def _set_properties(workbook, info: TemplateInfo, created: dt.datetime) -> None:
    workbook.set_properties({
        "title": info.display_title(),
        "subject": info.schema.stamp,
        "comments": info.form.description,
        "created": created,
    })
    for name, value in info.stamp_properties():
        workbook.set_custom_property(name, value)
