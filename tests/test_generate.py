"""Template generation: generate each form, read it back with openpyxl and calamine, check exact cells.

See also test_generate_instructions.py (填表说明, properties), test_generate_options.py,
test_generate_cli.py and test_generate_golden.py.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from openpyxl.utils import get_column_letter, range_boundaries
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from workbook_tools import __version__
from workbook_tools.generate import INSTRUCTIONS_SHEET, LISTS_SHEET, generate_template
from workbook_tools.schema import load_schema

KINDS = ["registration", "visit-plan", "visit-record", "complaint"]
REGISTRATION_HEADERS = [
    "客户编号*", "客户名称*", "客户类型*", "所属区域*", "所属行业", "企业性质", "客户类别*", "信誉等级",
    "客户来源", "联系人", "职务", "手机", "电话", "传真", "电子邮件", "网址", "地址", "邮编", "身份证号",
    "统一社会信用代码", "法定代表人", "注册资金(万元)", "开户银行", "银行账号", "结算方式", "员工人数",
    "负责业务员*", "联系周期(天)", "首次交易日期", "最近交易日期", "交易次数", "交易金额(元)", "建档日期*",
    "最新修订日期", "填表人", "备注", "信誉评定日期",
]
REQUIRED_FILL, OPTIONAL_FILL = "FFFCE4D6", "FFDDEBF7"
ROWS = 200


@pytest.fixture(scope="module")
def schema():
    return load_schema()


@pytest.fixture(scope="module")
def reg_path(tmp_path_factory, schema):
    out = tmp_path_factory.mktemp("reg") / "华东客户档案.xlsx"
    assert generate_template(schema, "registration", out, region="华东", owner="张三") == out
    return out


@pytest.fixture(scope="module")
def reg_wb(reg_path):
    return openpyxl.load_workbook(reg_path)


@pytest.fixture(scope="module")
def ws(reg_wb):
    return reg_wb["客户档案登记表"]


def column(ws, header: str) -> str:
    """The letter of the column whose row-1 header is ``header``."""
    for cell in ws[1]:
        if cell.value == header:
            return cell.column_letter
    raise AssertionError(f"no header {header!r}")


def validation_at(ws, coord: str):
    found = [dv for dv in ws.data_validations.dataValidation if coord in dv.sqref]
    assert len(found) <= 1, f"several validations on {coord}"
    return found[0] if found else None


def resolve_list(wb, formula: str) -> list:
    """The cell values a list-validation formula (a defined name) refers to."""
    (sheet, ref), = wb.defined_names[formula].destinations
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    assert min_col == max_col
    rows = wb[sheet].iter_rows(min_row=min_row, max_row=max_row, min_col=min_col,
                               max_col=max_col, values_only=True)
    return [r[0] for r in rows]



# ---------------------------------------------------------------- every kind

@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_sheets_headers_and_stamp(tmp_path, schema, kind):
    form = schema.form(kind)
    out = generate_template(schema, kind, tmp_path / f"{kind}.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [form.title, INSTRUCTIONS_SHEET, LISTS_SHEET]
    assert [s.sheet_state for s in wb.worksheets] == ["visible", "visible", "hidden"]
    assert wb.active.title == form.title
    data = wb[form.title]
    expected = [f"{f.label}*" if f.required else f.label for f in form.fields]
    assert [c.value for c in data[1]] == expected
    assert data.freeze_panes == "A2"
    assert data.auto_filter.ref == f"A1:{get_column_letter(len(form.fields))}{ROWS + 1}"
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props == {"schema_name": "客户档案", "schema_version": "1.0", "form": kind,
                     "generator": f"workbook-tools {__version__}"}
    # every choice field has a dropdown holding exactly its values
    for col, field in enumerate(form.fields, start=1):
        if field.type == "choice":
            dv = validation_at(data, f"{get_column_letter(col)}2")
            assert dv.type == "list"
            assert resolve_list(wb, dv.formula1) == field.choice_values


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_reads_back_with_calamine(tmp_path, schema, kind):
    form = schema.form(kind)
    out = generate_template(schema, kind, tmp_path / f"{kind}.xlsx", rows=20)
    wb = CalamineWorkbook.from_path(str(out))
    assert wb.sheet_names == [form.title, INSTRUCTIONS_SHEET, LISTS_SHEET]
    visible = [m.visible for m in wb.sheets_metadata]
    assert visible == [SheetVisibleEnum.Visible, SheetVisibleEnum.Visible, SheetVisibleEnum.Hidden]
    rows = wb.get_sheet_by_name(form.title).to_python()
    assert rows == [[f"{f.label}*" if f.required else f.label for f in form.fields]]


# ---------------------------------------------------------------- data sheet

def test_registration_headers_exact(ws):
    assert [c.value for c in ws[1]] == REGISTRATION_HEADERS


def test_header_style_marks_required(ws):
    required, optional = ws["A1"], ws["E1"]  # 客户编号*, 所属行业
    assert required.fill.fgColor.rgb == REQUIRED_FILL
    assert optional.fill.fgColor.rgb == OPTIONAL_FILL
    for cell in (required, optional):
        assert cell.font.b is True
        assert cell.alignment.wrap_text is True
        assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"
    for cell in ws[1]:
        expected = REQUIRED_FILL if cell.value.endswith("*") else OPTIONAL_FILL
        assert cell.fill.fgColor.rgb == expected, cell.value


def test_region_dropdown_from_hidden_lists_sheet(reg_wb, ws):
    col = column(ws, "所属区域*")
    dv = validation_at(ws, f"{col}2")
    assert dv.type == "list"
    assert str(dv.sqref) == f"{col}2:{col}{ROWS + 1}"
    assert dv.formula1 == "list_region"
    (sheet, ref), = reg_wb.defined_names["list_region"].destinations
    assert sheet == LISTS_SHEET and ref.startswith("$")
    assert resolve_list(reg_wb, dv.formula1) == ["华东", "华南", "华北", "华中", "西南", "西北", "东北"]
    assert dv.showErrorMessage is True
    assert (dv.errorStyle or "stop") == "stop"  # absent attribute = stop (ECMA-376 default)
    assert dv.errorTitle == "输入值无效"
    assert dv.error == "“所属区域”只能从下拉列表中选择：华东／华南／华北／华中／西南／西北／东北"
    assert dv.promptTitle == "所属区域"
    assert dv.prompt == "华东/华南/华北/华中/西南/西北/东北"


def test_choice_without_help_gets_default_prompt(ws):
    dv = validation_at(ws, f"{column(ws, '企业性质')}2")
    assert dv.type == "list" and dv.prompt == "请点击单元格右侧的下拉箭头，从列表中选择。"


def test_input_message_only_validation_from_help(schema, ws):
    dv = validation_at(ws, f"{column(ws, '身份证号')}2")
    assert dv.type is None  # "any value": input message only
    assert dv.promptTitle == "身份证号"
    assert dv.prompt == schema.form("registration").field("id_card").help
    assert dv.showInputMessage is True


def test_no_validation_for_plain_text_without_help(ws):
    assert validation_at(ws, f"{column(ws, '联系人')}2") is None


def test_date_validation(ws):
    dv = validation_at(ws, f"{column(ws, '建档日期*')}2")
    assert dv.type == "date"
    assert dv.operator in (None, "between")  # absent attribute = between
    assert (dv.formula1, dv.formula2) == ("1", "73415")  # 1900-01-01 and 2100-12-31 serials
    assert dv.error == "“建档日期”请填写 1900-01-01 至 2100-12-31 之间的日期，格式如 2026-11-22。"
    assert dv.errorTitle == "日期无效"
    assert dv.prompt == "日期格式 2026-11-22"
    no_help = validation_at(ws, f"{column(ws, '首次交易日期')}2")
    assert no_help.type == "date" and no_help.prompt == "请填写日期，格式如 2026-11-22。"


def test_number_validation_where_bounds_declared(ws):
    employees = validation_at(ws, f"{column(ws, '员工人数')}2")
    assert (employees.type, employees.operator, employees.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert employees.error == "“员工人数”请填写不小于 0 的整数。"
    cycle = validation_at(ws, f"{column(ws, '联系周期(天)')}2")
    assert (cycle.type, cycle.formula1) == ("whole", "1")
    assert cycle.prompt.startswith("留空则按客户类别取默认值")
    capital = validation_at(ws, f"{column(ws, '注册资金(万元)')}2")
    assert (capital.type, capital.operator, capital.formula1) == ("decimal", "greaterThanOrEqual", "0")


def test_number_formats_of_data_rows(schema, ws):
    for header in ("身份证号", "手机", "客户编号*", "邮编", "统一社会信用代码", "银行账号", "电话"):
        col = column(ws, header)
        for row in (2, 100, ROWS + 1):
            assert ws[f"{col}{row}"].number_format == "@", (header, row)
    for row in (2, ROWS + 1):
        assert ws[f"{column(ws, '建档日期*')}{row}"].number_format == "yyyy-mm-dd"
    assert ws[f"{column(ws, '员工人数')}2"].number_format == "0"
    assert ws[f"{column(ws, '交易金额(元)')}2"].number_format == "#,##0.00"
    for col, field in enumerate(schema.form("registration").fields, start=1):
        if field.is_text:  # every text and choice column
            assert ws.cell(row=2, column=col).number_format == "@", field.label


def column_width(ws, col: int) -> float:
    """Width of column ``col`` (1-based); openpyxl keys a <col min max> group by its first letter."""
    for dim in ws.column_dimensions.values():
        if dim.min <= col <= dim.max:
            return dim.width
    raise AssertionError(f"no width for column {col}")


def test_column_widths_from_schema(schema, ws):
    for col, field in enumerate(schema.form("registration").fields, start=1):
        width = column_width(ws, col)
        assert field.width <= width < field.width + 1, field.label


def test_protection_locks_only_the_header(ws):
    p = ws.protection
    assert p.sheet is True
    assert p.password is None
    # In sheetProtection, False means "not protected", i.e. allowed.
    assert (p.formatCells, p.formatColumns, p.formatRows) == (False, False, False)
    assert (p.insertRows, p.sort, p.autoFilter) == (False, False, False)
    last = get_column_letter(len(REGISTRATION_HEADERS))
    for coord in ("A1", f"{last}1"):
        assert ws[coord].protection.locked is True
    for coord in ("A2", f"{last}2", f"S{ROWS + 1}", f"{last}{ROWS + 1}"):
        assert ws[coord].protection.locked is False


def test_freeze_filter_and_print_setup(ws):
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:AK{ROWS + 1}"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows.replace("$", "") == "1:1"
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.page_setup.fitToWidth in (None, 1)  # absent = 1
    assert ws.page_setup.fitToHeight == 0
    assert "客户档案登记表（华东，张三）" in ws.oddHeader.center.text


def test_data_rows_are_blank(ws):
    values = {c.value for row in ws.iter_rows(min_row=2) for c in row}
    assert values == {None}
    assert ws.max_row == ROWS + 1


# ---------------------------------------------------------------- filling it in

def test_filled_template_keeps_ids_as_text(tmp_path, reg_path):
    wb = openpyxl.load_workbook(reg_path)
    ws = wb["客户档案登记表"]
    values = {"客户编号*": "HD0001", "客户名称*": "张三", "客户类型*": "个人", "身份证号": "110105194912310021",
              "手机": "13812345678", "邮编": "010000", "员工人数": 25, "建档日期*": dt.datetime(2026, 11, 22)}
    for header, value in values.items():
        ws[f"{column(ws, header)}2"] = value
    ws["A4"] = "填表人：李四"
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    reread = openpyxl.load_workbook(filled)["客户档案登记表"]
    assert reread[f"{column(reread, '身份证号')}2"].number_format == "@"
    rows = CalamineWorkbook.from_path(str(filled)).get_sheet_by_name("客户档案登记表").to_python()
    record = dict(zip(rows[0], rows[1]))
    assert record["身份证号"] == "110105194912310021" and isinstance(record["身份证号"], str)
    assert record["手机"] == "13812345678"
    assert record["邮编"] == "010000"
    assert record["客户编号*"] == "HD0001"
    assert record["员工人数"] == 25
    assert record["建档日期*"] in (dt.date(2026, 11, 22), dt.datetime(2026, 11, 22))
