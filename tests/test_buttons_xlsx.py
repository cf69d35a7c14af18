"""Macro-enabled workbooks with buttons: `template --buttons`, `excel enable` (package edits
that keep staff data and formats) and the head-office workbook, checked as Excel would
read them: VBA modules, button macros, code names, round trip through openpyxl keep_vba."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment

from test_buttons_support import (
    BUTTON_SUBS, SHEET, buttons, codenames, document_modules, fill, good_row, release, vba_bin, vba_modules,
    vml_parts,
)
from workbook_tools.errors import OutputError, UnreadableWorkbook, WorkbookToolsError
from workbook_tools.generate import generate_template
from workbook_tools.generate.xlsm.workbook import enable_workbook, generate_button_template
from workbook_tools.generate.xlsm.headoffice import HEADOFFICE_BUTTONS, SETTINGS_SHEET, generate_headoffice

MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return generate_button_template(None, "registration", tmp_path_factory.mktemp("t") / "登记表.xlsm",
                                    region="华东").path


@pytest.fixture(scope="module")
def headoffice(tmp_path_factory) -> Path:
    return generate_headoffice(tmp_path_factory.mktemp("h") / "总部工具.xlsm")


def _part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def _check_consistent(path: Path) -> None:
    """Every button runs an existing Sub; code names equal the project's document modules."""
    modules = vba_modules(path)
    subs = set(re.findall(r"^Public Sub (\w+)\(\)", "\n".join(modules.values()), re.M))
    assert buttons(path) and all(macro in subs for _, macro in buttons(path))
    book, sheets = codenames(path)
    assert document_modules(vba_bin(path)) == [book, *sheets.values()]
    assert "Public Function RunPython(" in modules["xlwings"]
    types = _part(path, "[Content_Types].xml")
    assert MACRO_MAIN in types and "application/vnd.ms-office.vbaProject" in types


def test_template_with_buttons(template):
    _check_consistent(template)
    assert buttons(template) == [("校验", "ValidateButton")]
    assert codenames(template) == ("ThisWorkbook", {SHEET: "Sheet1", "填表说明": "Sheet2", "_lists": "Sheet3"})


def test_button_sits_right_of_the_data_not_printed(template):
    vml = next(iter(vml_parts(template).values()))
    anchor = [int(v) for v in re.search(r"<x:Anchor>([^<]+)<", vml).group(1).split(",")]
    last = openpyxl.load_workbook(template)[SHEET].max_column - 1  # 0-based last data column
    assert anchor[0] == last + 2 and anchor[2] == anchor[6] == 0  # one empty column, within row 1
    assert "<x:PrintObject>False</x:PrintObject>" in vml
    workbook = _part(template, "xl/workbook.xml")
    letter = openpyxl.utils.get_column_letter(last + 1)
    assert f"'{SHEET}'!$A$1:${letter}$1048576</definedName>" in workbook


def test_output_is_deterministic(template, tmp_path):
    again = generate_button_template(None, "registration", tmp_path / "again.xlsm", region="华东").path
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(template.read_bytes()).digest()


def test_openpyxl_keep_vba_fill_keeps_project_and_button(template, tmp_path):
    copy = tmp_path / "filled.xlsm"
    copy.write_bytes(template.read_bytes())
    fill(copy, [good_row()])
    assert vba_bin(copy) == vba_bin(template)
    assert list(vml_parts(copy).values()) == list(vml_parts(template).values())
    assert openpyxl.load_workbook(copy)[SHEET]["A2"].value == "HD0001"
    assert re.search(r"<legacyDrawing ", _part(copy, "xl/worksheets/sheet1.xml"))
    _check_consistent(copy)


def test_enable_keeps_data_formats_and_validations(tmp_path):
    src = fill(generate_template(None, "registration", tmp_path / "华东.xlsx"), [good_row()], keep_vba=False)
    before, original = openpyxl.load_workbook(src), src.read_bytes()
    result = enable_workbook(src, tmp_path / "华东.xlsm")
    assert result.sheet == SHEET and result.path.suffix == ".xlsm"
    _check_consistent(result.path)
    after = openpyxl.load_workbook(result.path, keep_vba=True)
    release(after)
    for name in before.sheetnames:
        old, new = before[name], after[name]
        assert [[c.value for c in r] for r in old.iter_rows()] == [[c.value for c in r] for r in new.iter_rows()]
        assert [(c.coordinate, c.number_format, c.fill.fgColor.rgb, c.protection.locked)
                for r in old.iter_rows() for c in r] == [(c.coordinate, c.number_format, c.fill.fgColor.rgb,
                                                          c.protection.locked) for r in new.iter_rows() for c in r]
        assert [(v.sqref, v.type, v.formula1) for v in old.data_validations.dataValidation] == \
            [(v.sqref, v.type, v.formula1) for v in new.data_validations.dataValidation]
        assert old.protection.sheet == new.protection.sheet
    edited = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"}
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(result.path) as b:
        kept = [n for n in a.namelist() if n not in edited and not n.startswith("xl/worksheets/sheet")]
        assert kept and all(a.read(n) == b.read(n) for n in kept)  # styles, strings, properties…
        assert set(b.namelist()) - set(a.namelist()) == {
            "xl/vbaProject.bin", "xl/drawings/vmlDrawing1.vml", "xl/worksheets/_rels/sheet1.xml.rels"}
    assert src.read_bytes() == original  # the input is never modified


def test_enable_appends_buttons_to_an_existing_notes_drawing(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws["A1"], ws["B5"] = "客户编号", "x"
    ws["A1"].comment = Comment("已有的批注", "张三")
    wb.create_sheet("图表")
    wb.save(tmp_path / "notes.xlsx")
    result = enable_workbook(tmp_path / "notes.xlsx", tmp_path / "notes.xlsm", sheet="数据")
    vml = list(vml_parts(result.path).values())
    assert len(vml) == 1 and 'ObjectType="Note"' in vml[0] and 'ObjectType="Button"' in vml[0]
    ids = re.findall(r'id="_x0000_s(\d+)"', vml[0])
    assert len(ids) == len(set(ids)) == 2
    assert openpyxl.load_workbook(result.path)["数据"]["A1"].comment.text == "已有的批注"
    _check_consistent(result.path)
    anchor = re.search(r'ObjectType="Button"><x:Anchor>(\d+),', vml[0]).group(1)
    assert anchor == "3"  # last used column B (index 1) → gap C → button in D


def test_enable_refuses_macros_other_formats_and_wrong_output(tmp_path, template):
    with pytest.raises(WorkbookToolsError, match="已经包含宏"):
        enable_workbook(template, tmp_path / "again.xlsm")
    xls = tmp_path / "old.csv"
    xls.write_text("客户编号,客户名称\nHD1,甲\n", "utf-8")
    with pytest.raises(WorkbookToolsError, match="只能为 .xlsx"):
        enable_workbook(xls, tmp_path / "old.xlsm")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"")
    with pytest.raises(UnreadableWorkbook):
        enable_workbook(broken, tmp_path / "broken.xlsm")
    with pytest.raises(OutputError, match=".xlsm"):
        enable_workbook(template, tmp_path / "x.xlsx")
    with pytest.raises(WorkbookToolsError, match="没有名为"):
        src = generate_template(None, "complaint", tmp_path / "c.xlsx")
        enable_workbook(src, tmp_path / "c.xlsm", sheet="不存在")


def test_headoffice_workbook(headoffice):
    _check_consistent(headoffice)
    assert buttons(headoffice) == [(b.caption, b.macro) for b in HEADOFFICE_BUTTONS]
    assert {macro for _, macro in buttons(headoffice)} == set(BUTTON_SUBS) - {"ValidateButton"}
    wb = openpyxl.load_workbook(headoffice, keep_vba=True)
    release(wb)
    ws = wb[SETTINGS_SHEET]
    labels = [ws.cell(row=r, column=1).value for r in range(4, 8)]
    assert labels == ["区域文件夹", "上周总表", "输出文件夹", "计划周次"]
    assert "<x:PrintObject>False</x:PrintObject>" in next(iter(vml_parts(headoffice).values()))


def test_files_pass_an_independent_vba_checker(template, headoffice):
    pyopenvba = pytest.importorskip("pyopenvba")
    for path in (template, headoffice):
        assert pyopenvba.check_file(path).issues == ()
        assert pyopenvba.ExcelFile(path).vba_project().validate() == []


def test_annotated_copy_keeps_the_button_beside_the_notes(template, tmp_path):
    from workbook_tools.schema import load_schema
    from workbook_tools.validate.run import run_validation

    form = tmp_path / "华东.xlsm"
    form.write_bytes(template.read_bytes())
    fill(form, [dict(good_row(), 手机="1381234567")])
    run = run_validation([form], load_schema(), annotate_dir=tmp_path / "out")
    copy = Path(run.annotated[str(form)])
    vml = "".join(vml_parts(copy).values())  # openpyxl merged the notes into our drawing
    assert 'ObjectType="Note"' in vml and buttons(copy) == [("校验", "ValidateButton")]
    assert vba_bin(copy) == vba_bin(template)


def test_buttons_added_to_a_drawing_with_other_prefixes_stay_well_formed():
    from defusedxml import ElementTree

    from workbook_tools.generate.xlsm.vml import Button, SheetGeometry, add_to_drawing, button_shape, place_buttons

    vml = ('<xml xmlns:ns0="urn:schemas-microsoft-com:office:office" xmlns:ns1="urn:schemas-microsoft-com:vml">'
           '<ns1:shape id="_x0000_s1025"/></xml>')
    button = Button("校验", "ValidateButton")
    anchor = place_buttons(SheetGeometry("<worksheet/>"), 3, [button])[0]
    merged = add_to_drawing(vml, button_shape(button, anchor, 1026, 2))
    root = ElementTree.fromstring(merged)
    assert len(list(root.iter("{urn:schemas-microsoft-com:vml}shape"))) == 2
    assert anchor.text() == "3, 0, 0, 2, 4, 24, 1, 10"  # 64 px columns, 20 px rows
