"""Tests for workbook_tools.validate.annotate: findings handed back inside the workbook."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from made_files import LEGACY_XLS, encrypted_workbook, macro_workbook
from workbook_tools.errors import OutputError, UnreadableWorkbook
from workbook_tools.validate.annotate import workbook as annotate
from workbook_tools.validate.annotate import AUTHOR, annotate_workbook, annotated_path

SHEET = "客户档案登记表"
OTHER = "张三's 客户"
RED, YELLOW = "FFFFC7CE", "FFFFEB9C"
WHEN = "2024-05-06 09:30"
HEADER = ["客户编号", "客户名称", "联系人", "手机号", "成立日期", "客户类别", "所在省份", "统一社会信用代码", "备注"]


@dataclass
class Finding:
    severity: str
    code: str
    sheet: str | None
    cell: str | None
    row: int | None
    field: str | None
    value: Any
    message: str


def _data_rows():
    names = ["上海恒丰贸易有限公司", "杭州云帆科技有限公司", "南京金陵机电设备厂", "苏州工业园区华信物流",
             "宁波港城进出口公司", "合肥新桥建材商行", "无锡太湖精密模具", "常州龙城纺织有限公司"]
    for i, name in enumerate(names):
        yield [f"KH{2024000 + i}", name, "王经理", f"1380000{i:04d}", dt.date(2010 + i, 3, 1 + i),
               "A类" if i % 2 else "B类", "江苏省", f"91320100MA1{i:07d}", ""]


@pytest.fixture
def registration(tmp_path) -> Path:
    """A generated-form-like workbook: merged title, header, list validation, dates, comment."""
    path = tmp_path / "in" / "华东区客户档案.xlsx"
    path.parent.mkdir()
    wb = xlsxwriter.Workbook(str(path))
    wb.set_custom_property("schema_version", "1.2.0")
    ws = wb.add_worksheet(SHEET)
    title = wb.add_format({"bold": True, "font_size": 16, "align": "center"})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    name_font = wb.add_format({"font_name": "宋体", "font_color": "#0000FF"})
    ws.merge_range("A1:I1", "客户档案登记表（华东区）", title)
    ws.write_row(1, 0, HEADER, head)
    for r, row in enumerate(_data_rows(), start=2):
        ws.write_row(r, 0, row[:4])
        ws.write_datetime(r, 4, dt.datetime.combine(row[4], dt.time()), date)
        ws.write_row(r, 5, row[5:])
    ws.write(2, 2, "王经理", name_font)  # C3: the user's own font must survive
    ws.set_column("A:A", 14)
    ws.set_column("B:B", 30)
    ws.freeze_panes(2, 0)
    ws.data_validation("F3:F500", {"validate": "list", "source": ["A类", "B类", "C类"]})
    ws.write_comment("B6", "老客户，2019 年转入", {"author": "李会计"})
    other = wb.add_worksheet(OTHER)
    other.write_row(0, 0, ["客户编号", "客户名称"])
    other.write_row(1, 0, ["KH1", "测试"])
    wb.close()
    return path


def _findings():
    return [
        Finding("error", "mobile.invalid", SHEET, "C3", 3, "联系人", "王经理", "联系人不能只填称呼，请填写姓名"),
        Finding("warning", "date.future", SHEET, "E4", 4, "成立日期", dt.date(2011, 3, 2), "成立日期晚于登记日期，请核对"),
        Finding("warning", "choice.alias", SHEET, "F5", 5, "客户类别", "B类", "客户类别写法不规范，建议改为“B类客户”"),
        Finding("error", "choice.invalid", SHEET, "F5", 5, "客户类别", "B类", "客户类别不在下拉列表中，请从下拉列表选择"),
        Finding("error", "header.missing", SHEET, None, None, "开户银行", None, "缺少必填列“开户银行”，请按模板补上此列"),
        Finding("warning", "text.formula", OTHER, "B2", 2, "客户名称", "=HYPERLINK(\"x\")", "客户名称疑似公式"),
    ]


def _fill(cell):
    fill = cell.fill
    return fill.fill_type, fill.fgColor.rgb, fill.bgColor.rgb


def _stat(path: Path):
    return hashlib.sha256(path.read_bytes()).hexdigest(), os.stat(path).st_mtime_ns


@pytest.fixture
def annotated(registration, tmp_path):
    before = _stat(registration)
    out = annotate_workbook(registration, _findings(), annotated_path(registration, tmp_path / "out"),
                            checked_at=WHEN)
    assert _stat(registration) == before, "the original file must never be modified"
    return out


def test_output_path_and_name(registration, annotated, tmp_path):
    assert annotated == tmp_path / "out" / "华东区客户档案.xlsx"
    assert annotated_path("a/区域.xls", "o") == Path("o/区域.xlsx")
    assert annotated_path("a/区域.XLSM", "o") == Path("o/区域.XLSM")
    assert not [p for p in annotated.parent.iterdir() if p.name.startswith(".~tmp-")]


def test_marked_cells_fill_and_comment(annotated):
    ws = openpyxl.load_workbook(annotated)[SHEET]
    assert ws["C3"].fill.fill_type == "solid" and ws["C3"].fill.fgColor.rgb == RED
    assert ws["E4"].fill.fgColor.rgb == YELLOW
    assert ws["F5"].fill.fgColor.rgb == RED  # one error + one warning → red
    assert ws["C3"].comment.text == "错误：联系人不能只填称呼，请填写姓名"
    assert ws["C3"].comment.author == AUTHOR
    assert ws["E4"].comment.text == "警告：成立日期晚于登记日期，请核对"
    assert ws["F5"].comment.text == ("错误：客户类别不在下拉列表中，请从下拉列表选择\n"
                                     "警告：客户类别写法不规范，建议改为“B类客户”")
    assert ws["F5"].comment.width > ws["E4"].comment.width / 2 and ws["F5"].comment.height >= 48
    assert ws["C3"].font.name == "宋体" and ws["C3"].font.color.rgb == "FF0000FF"
    assert ws["E4"].number_format == "yyyy-mm-dd"


def test_untouched_cells_unchanged(registration, annotated):
    before = openpyxl.load_workbook(registration)
    after = openpyxl.load_workbook(annotated)
    marked = {(SHEET, "C3"), (SHEET, "E4"), (SHEET, "F5"), (OTHER, "B2")}
    for name in (SHEET, OTHER):
        for row in before[name].iter_rows():
            for old in row:
                new = after[name][old.coordinate]
                assert new.value == old.value, old.coordinate
                if (name, old.coordinate) not in marked:
                    assert _fill(new) == _fill(old), old.coordinate
                    assert new.number_format == old.number_format
    assert after[SHEET]["B6"].comment.text == "老客户，2019 年转入"
    assert after[SHEET]["B6"].comment.author == "李会计"


def test_layout_survives(annotated):
    wb = openpyxl.load_workbook(annotated)
    ws = wb[SHEET]
    assert wb.sheetnames == [SHEET, OTHER, "校验结果"]
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and str(dv.sqref) == "F3:F500" and dv.formula1 == '"A类,B类,C类"'
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:I1"]
    assert ws.freeze_panes == "A3"
    assert ws.column_dimensions["B"].width == pytest.approx(30, abs=1)
    assert wb.custom_doc_props["schema_version"].value == "1.2.0"


def test_results_sheet(annotated, registration):
    wb = openpyxl.load_workbook(annotated)
    ws = wb["校验结果"]
    assert ws["A1"].value == ("共 6 个问题：错误 3 个，警告 3 个；文件：华东区客户档案.xlsx；"
                              "校验时间：2024-05-06 09:30")
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_col=8)]
    assert rows == [
        ["序号", "级别", "工作表", "单元格", "行号", "字段", "值", "问题说明"],
        [1, "错误", SHEET, None, None, "开户银行", None, "缺少必填列“开户银行”，请按模板补上此列"],
        [2, "错误", SHEET, "C3", 3, "联系人", "王经理", "联系人不能只填称呼，请填写姓名"],
        [3, "错误", SHEET, "F5", 5, "客户类别", "B类", "客户类别不在下拉列表中，请从下拉列表选择"],
        [4, "警告", SHEET, "E4", 4, "成立日期", dt.datetime(2011, 3, 2), "成立日期晚于登记日期，请核对"],
        [5, "警告", SHEET, "F5", 5, "客户类别", "B类", "客户类别写法不规范，建议改为“B类客户”"],
        [6, "警告", OTHER, "B2", 2, "客户名称", '=HYPERLINK("x")', "客户名称疑似公式"],
    ]
    assert ws["G8"].data_type == "s"  # a value that looks like a formula stays text
    assert ws["D3"].hyperlink is None
    assert ws["D4"].hyperlink.location == f"'{SHEET}'!C3"
    assert [ws[f"D{r}"].hyperlink.location.split("!")[1] for r in range(5, 9)] == ["F5", "E4", "F5", "B2"]
    assert ws["D8"].hyperlink.location == "'张三''s 客户'!B2"
    assert ws["B3"].fill.fgColor.rgb == RED and ws["B6"].fill.fgColor.rgb == YELLOW
    assert ws["A2"].font.b and ws.freeze_panes == "A3" and ws.auto_filter.ref == "A2:J8"
    assert ws.column_dimensions["H"].width == 60
    # test codes are not in the catalogue: no 问题类型, the code kept in the last column
    assert [ws.cell(row=r, column=9).value for r in (2, 3)] == ["问题类型", None]
    assert [ws.cell(row=r, column=10).value for r in (2, 3)] == ["代码", "header.missing"]
    assert wb.active.title == "校验结果"
    assert [s.title for s in wb.worksheets if s.sheet_view.tabSelected] == ["校验结果"]


def test_finding_without_cell_marks_nothing(registration, tmp_path):
    only = [f for f in _findings() if f.cell is None]
    out = annotate_workbook(registration, only, tmp_path / "o" / "x.xlsx", checked_at=WHEN)
    ws = openpyxl.load_workbook(out)[SHEET]
    assert all(c.fill.fgColor.rgb not in (RED, YELLOW) and (c.comment is None or c.comment.author != AUTHOR)
               for row in ws.iter_rows() for c in row)


def test_cell_inside_merged_range_marks_its_anchor(registration, tmp_path):
    finding = Finding("error", "title", SHEET, "$c$1", 1, None, None, "标题有误")
    out = annotate_workbook(registration, [finding], tmp_path / "o" / "x.xlsx", checked_at=WHEN)
    wb = openpyxl.load_workbook(out)
    assert wb[SHEET]["A1"].fill.fgColor.rgb == RED
    assert wb[SHEET]["A1"].comment.text == "错误：标题有误"
    assert wb["校验结果"]["D3"].value == "A1"


def test_unknown_sheet_or_bad_cell_is_listed_only(registration, tmp_path):
    findings = [Finding("warning", "x", "不存在的表", "C3", 3, "联系人", 1, "甲"),
                Finding("error", "y", SHEET, "第3行", 3, "联系人", 1, "乙")]
    out = annotate_workbook(registration, findings, tmp_path / "o" / "x.xlsx", checked_at=WHEN)
    wb = openpyxl.load_workbook(out)
    assert wb[SHEET]["C3"].comment is None
    results = wb["校验结果"]
    assert [results.cell(row=r, column=4).value for r in (3, 4)] == ["第3行", "C3"]  # errors first
    assert results["D3"].hyperlink is None and results["D4"].hyperlink is None


def test_no_findings_keeps_active_sheet(registration, tmp_path):
    out = annotate_workbook(registration, [], tmp_path / "o" / "x.xlsx", checked_at=WHEN)
    wb = openpyxl.load_workbook(out)
    assert wb["校验结果"]["A1"].value == "未发现问题；文件：华东区客户档案.xlsx；校验时间：2024-05-06 09:30"
    assert wb.active.title == SHEET


def test_refuses_to_overwrite_input(registration):
    with pytest.raises(OutputError):
        annotate_workbook(registration, _findings(), registration, checked_at=WHEN)


def test_reannotation_replaces_results_and_old_marks(annotated, tmp_path):
    again = [Finding("warning", "z", SHEET, "E4", 4, "成立日期", None, "新的提示")]
    before = _stat(annotated)
    out = annotate_workbook(annotated, again, tmp_path / "second" / annotated.name, checked_at="第二次")
    assert _stat(annotated) == before
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [SHEET, OTHER, "校验结果"]
    ws = wb[SHEET]
    assert ws["C3"].comment is None and ws["C3"].fill.fill_type is None  # fixed cell: marks gone
    assert ws["C3"].font.name == "宋体"
    assert ws["E4"].comment.text == "警告：新的提示" and ws["E4"].fill.fgColor.rgb == YELLOW
    assert ws["B6"].comment.text == "老客户，2019 年转入"  # the user's comment stays
    assert wb["校验结果"]["A1"].value.startswith("共 1 个问题：错误 0 个，警告 1 个")
    assert wb["校验结果"].max_row == 3


def test_xlsm_keeps_vba_project(tmp_path):
    src = macro_workbook(tmp_path / "宏表.xlsm", {"客户": [HEADER, ["KH001", "", "王经理"]], "说明": [["备注"]]})
    first = "客户"
    finding = Finding("error", "x", first, "B2", 2, "客户名称", None, "客户名称不能为空")
    out = annotate_workbook(src, [finding], tmp_path / "out" / "宏表.xlsx", checked_at=WHEN)
    assert out.name == "宏表.xlsm"
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        assert b.read("xl/vbaProject.bin") == a.read("xl/vbaProject.bin")
        assert b"macroEnabled" in b.read("[Content_Types].xml")
    wb = openpyxl.load_workbook(out, keep_vba=True)
    assert wb[first]["B2"].fill.fgColor.rgb == RED
    assert wb[first]["B2"].comment.text == "错误：客户名称不能为空"


def test_xls_is_copied_to_xlsx(tmp_path):
    src = tmp_path / "旧版客户档案.xls"
    shutil.copyfile(LEGACY_XLS, src)
    book = CalamineWorkbook.from_path(str(src))
    first = book.sheet_names[0]
    finding = Finding("error", "x", first, "B4", 4, "客户名称", "宁波港城进出口公司", "客户名称重复")
    out = annotate_workbook(src, [finding], annotated_path(src, tmp_path / "out"), checked_at=WHEN)
    assert out == tmp_path / "out" / "旧版客户档案.xlsx"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == book.sheet_names + ["校验结果"]
    ws = wb[first]
    for r, row in enumerate(book.get_sheet_by_index(0).to_python(skip_empty_area=False), start=1):
        for c, value in enumerate(row, start=1):
            got = ws.cell(row=r, column=c).value
            got = got.date() if isinstance(got, dt.datetime) else got  # openpyxl reads dates as datetimes
            assert got == (None if value == "" else value)
    assert ws["B4"].value == "宁波港城进出口公司" and ws["B4"].fill.fgColor.rgb == RED
    assert ws["H3"].value == dt.datetime(2024, 3, 5) and ws["H3"].is_date  # an .xls date stays a date
    assert "A1:D1" in [str(m) for m in ws.merged_cells.ranges]
    summary = wb["校验结果"]["A1"].value
    assert summary == ("共 1 个问题：错误 1 个，警告 0 个；文件：旧版客户档案.xls；校验时间：2024-05-06 09:30；"
                       "原文件为 .xls，已转存为 .xlsx")


def test_gbk_csv_is_copied_to_xlsx(tmp_path):
    src = tmp_path / "客户.csv"
    src.write_bytes("客户编号,客户名称\n001,=1+1\n002,杭州云帆\n".encode("gbk"))
    finding = Finding("warning", "x", "客户", "B3", 3, "客户名称", "杭州云帆", "名称过短")
    out = annotate_workbook(src, [finding], annotated_path(src, tmp_path / "out"), checked_at=WHEN)
    ws = openpyxl.load_workbook(out)["客户"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["客户编号", "客户名称"], ["001", "=1+1"], ["002", "杭州云帆"]]
    assert ws["B2"].data_type == "s"
    assert ws["B3"].fill.fgColor.rgb == YELLOW


X14_LIST = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>\'张三\'\'s 客户\'!$B$1:$B$2</xm:f>'
    '</x14:formula1><xm:sqref>G3:G100</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>'
)


def test_excel2010_dropdown_is_kept_or_its_loss_announced(registration, tmp_path, monkeypatch):
    src = tmp_path / "x14.xlsx"
    with zipfile.ZipFile(registration) as a, zipfile.ZipFile(src, "w") as b:
        for item in a.infolist():
            data = a.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", X14_LIST.encode() + b"</worksheet>")
            b.writestr(item, data)
    out = annotate_workbook(src, [], tmp_path / "o" / "x14.xlsx", checked_at=WHEN)
    # edited as a package: the extension is kept byte for byte, nothing to announce
    assert X14_LIST.encode() in zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml")
    assert openpyxl.load_workbook(out)["校验结果"]["A1"].value == "未发现问题；文件：x14.xlsx；校验时间：2024-05-06 09:30"
    monkeypatch.setattr(annotate, "annotate_package", lambda *args: None)  # the openpyxl path
    out = annotate_workbook(src, [], tmp_path / "o2" / "x14.xlsx", checked_at=WHEN)
    assert openpyxl.load_workbook(out)["校验结果"]["A1"].value == (
        "未发现问题；文件：x14.xlsx；校验时间：2024-05-06 09:30；部分下拉列表（数据验证扩展）未能保留")


def test_real_xlsx_named_xls_keeps_its_formats(registration, tmp_path):
    src = tmp_path / "改了扩展名.xls"
    shutil.copyfile(registration, src)
    finding = Finding("error", "x", SHEET, "C3", 3, "联系人", "王经理", "请填写姓名")
    out = annotate_workbook(src, [finding], annotated_path(src, tmp_path / "out"), checked_at=WHEN)
    assert out.name == "改了扩展名.xlsx"
    wb = openpyxl.load_workbook(out)
    assert wb[SHEET]["C3"].fill.fgColor.rgb == RED and wb[SHEET]["C3"].font.name == "宋体"
    assert wb[SHEET].data_validations.dataValidation  # opened as a real .xlsx, not copied as values
    assert wb["校验结果"]["A1"].value.endswith("；原文件扩展名为 .xls，实际是 .xlsx 格式")


def test_unreadable_input_raises_chinese_error(tmp_path):
    src = encrypted_workbook(tmp_path / "加密.xlsx")
    with pytest.raises(UnreadableWorkbook, match="加密"):
        annotate_workbook(src, [], tmp_path / "out" / "加密.xlsx", checked_at=WHEN)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
