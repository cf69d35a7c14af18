"""The fast annotator (validate/annotate/package.py) writes what the openpyxl annotator writes —
values, fills, comments, the 校验结果 sheet and its links, the selected sheet — and leaves
every other part of the package byte for byte as it was; where it cannot, openpyxl does it."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
import pytest
import xlsxwriter
from made_files import CORPUS, CORPUS_ABSENT
from test_annotate import HEADER, OTHER, SHEET, WHEN, Finding, _data_rows

from workbook_tools.generate import generate_template
from workbook_tools.io.reader import read_workbook
from workbook_tools.schema import load_schema
from workbook_tools.validate.annotate import workbook as annotate
from workbook_tools.validate.annotate import annotate_workbook
from workbook_tools.validate.annotate.package import annotate_package
from workbook_tools.validate.files import validate_workbook

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = load_schema()


def _plain_form(path: Path) -> Path:
    """Like test_annotate's registration form (merged title, formats, validation), no comments."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(SHEET)
    ws.merge_range("A1:I1", "客户档案登记表（华东区）", wb.add_format({"bold": True, "align": "center"}))
    ws.write_row(1, 0, HEADER, wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}))
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(_data_rows(), start=2):
        ws.write_row(r, 0, row[:4])
        ws.write_datetime(r, 4, dt.datetime.combine(row[4], dt.time()), date)
        ws.write_row(r, 5, row[5:])
    ws.write(2, 2, "王经理", wb.add_format({"font_name": "宋体", "font_color": "#0000FF"}))
    ws.set_column("H:H", 22, wb.add_format({"num_format": "@"}))
    ws.data_validation("F3:F500", {"validate": "list", "source": ["A类", "B类", "C类"]})
    other = wb.add_worksheet(OTHER)
    other.write_row(0, 0, ["客户编号", "客户名称"])
    wb.close()
    return path


FINDINGS = [
    Finding("error", "a", SHEET, "D4", 4, "手机号", "1380000000", "手机号应为 11 位"),
    Finding("warning", "b", SHEET, "D4", 4, "手机号", "1380000000", "号码已停用？"),
    Finding("warning", "c", SHEET, "C3", 3, "联系人", "王经理", "请写全名"),
    Finding("error", "d", SHEET, "I12", 12, "备注", None, "备注不能为空"),        # a row that does not exist
    Finding("error", "e", SHEET, "I5", 5, "备注", "", "备注不能为空"),             # a cell that does not exist
    Finding("error", "f", SHEET, "H7", 7, "统一社会信用代码", "x&<y>", "校验码错误"),
    Finding("warning", "g", SHEET, "$c$1", 1, None, None, "表头上方的标题"),       # inside the merged title
    Finding("error", "h", OTHER, "B2", 2, "客户名称", 12.5, "不能是数字"),
    Finding("error", "i", SHEET, None, None, None, None, "缺少必填列“客户类别”"),
    Finding("warning", "j", "没有这个表", "A1", 1, None, None, "未知工作表"),
]


def _snapshot(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    out = {"sheets": wb.sheetnames, "active": wb.active.title,
           "selected": [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected],
           "validations": [str(dv.sqref) for dv in wb[wb.sheetnames[0]].data_validations.dataValidation]}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                fill = c.fill.fgColor.rgb if c.fill.fill_type == "solid" else None
                note = (c.comment.text, c.comment.author) if c.comment else None
                link = c.hyperlink.location if c.hyperlink else None
                if c.value is not None or fill or note or link:
                    cells[c.coordinate] = (c.value, fill, note, link, c.font.b, c.font.name, c.number_format)
        out[ws.title] = cells
    out["filter"] = wb["校验结果"].auto_filter.ref
    results = wb["校验结果"]
    out["widths"] = [results.column_dimensions[get_column_letter(c)].width for c in range(1, 11)]
    out["wrapped"] = sorted(c.coordinate for row in results.iter_rows() for c in row
                            if c.alignment.wrap_text and c.value is not None)
    out["freeze"] = wb["校验结果"].freeze_panes
    out["print"] = wb["校验结果"].print_title_rows
    return out


def _both(src: Path, findings: list, tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    fast = annotate_package(src, findings, tmp_path / "fast" / src.name, WHEN)
    assert fast is not None, "the fast path should have been taken"
    with monkeypatch.context() as m:
        m.setattr(annotate, "annotate_package", lambda *args: None)
        slow = annotate_workbook(src, findings, tmp_path / "slow" / src.name, checked_at=WHEN)
    return fast, slow


def test_same_result_as_openpyxl_on_a_form(tmp_path, monkeypatch):
    src = _plain_form(tmp_path / "in" / "华东.xlsx")
    fast, slow = _both(src, FINDINGS, tmp_path, monkeypatch)
    a, b = _snapshot(fast), _snapshot(slow)
    assert a == b
    assert a["active"] == "校验结果" and a["selected"] == ["校验结果"]
    assert a[SHEET]["D4"][1:3] == ("FFFFC7CE", ("错误：手机号应为 11 位\n警告：号码已停用？", "workbook-tools"))
    assert a[SHEET]["A1"][1] == "FFFFEB9C"  # C1 is inside the merged title A1:I1
    assert a[SHEET]["I12"][1] == a[SHEET]["I5"][1] == "FFFFC7CE"
    assert a[SHEET]["H7"][6] == "@" and a[SHEET]["C3"][5] == "宋体"  # formats kept under the fill


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "sample_data").glob("*.xlsx")))
def test_same_result_as_openpyxl_on_the_sample_files(name, tmp_path, monkeypatch):
    src = ROOT / "sample_data" / name
    findings = validate_workbook(src, SCHEMA, as_of=dt.date(2026, 11, 20)).findings
    assert findings
    fast, slow = _both(src, findings, tmp_path, monkeypatch)
    assert _snapshot(fast) == _snapshot(slow)


def test_a_filled_template_keeps_every_other_part_byte_for_byte(tmp_path):
    src = generate_template(SCHEMA, "registration", tmp_path / "登记表.xlsx")
    findings = [Finding("error", "x", SCHEMA.form("registration").title, "B5", 5, "客户名称", None, "必填")]
    out = annotate_package(src, findings, tmp_path / "out" / src.name, WHEN)
    assert out is not None
    before, after = zipfile.ZipFile(src), zipfile.ZipFile(out)
    changed = {n for n in before.namelist() if before.read(n) != after.read(n)}
    assert changed <= {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                       *(n for n in before.namelist() if n.startswith("xl/worksheets/sheet"))}
    assert "xl/styles.xml" in changed and not any(n.startswith("docProps/") for n in changed)
    sheet = openpyxl.load_workbook(out)[SCHEMA.form("registration").title]
    assert sheet["B5"].fill.fgColor.rgb == "FFFFC7CE" and sheet["B5"].comment.text == "错误：必填"
    assert sheet.protection.sheet and sheet.data_validations.dataValidation  # protection, dropdowns kept


def test_openpyxl_takes_over_where_the_fast_path_does_not_apply(tmp_path):
    src = _plain_form(tmp_path / "in" / "华东.xlsx")
    once = annotate_workbook(src, FINDINGS, tmp_path / "once" / src.name, checked_at=WHEN)
    assert annotate_package(once, FINDINGS, tmp_path / "again" / src.name, WHEN) is None  # has 校验结果
    again = annotate_workbook(once, FINDINGS[:1], tmp_path / "again" / src.name, checked_at=WHEN)
    snap = _snapshot(again)  # openpyxl replaced 校验结果 and removed the first run's marks
    assert len(snap["校验结果"]) == 1 + 10 + 9  # summary, header, one finding row (no 问题类型: code "a")
    assert snap[SHEET]["C3"][1:3] == (None, None) and snap[SHEET]["D4"][1] == "FFFFC7CE"
    dated = [Finding("error", "x", SHEET, "E3", 3, "成立日期", dt.date(2030, 1, 1), "日期在未来")]
    assert annotate_package(src, dated, tmp_path / "d" / src.name, WHEN) is None
    xls = tmp_path / "in" / "旧.xls"
    shutil.copyfile(src, xls)  # an .xlsx named .xls: openpyxl's path renames and notes it
    assert annotate_package(xls, FINDINGS, tmp_path / "x" / "旧.xlsx", WHEN) is None


def test_no_findings_keep_the_selected_sheet(tmp_path):
    src = _plain_form(tmp_path / "in" / "华东.xlsx")
    out = annotate_package(src, [], tmp_path / "out" / src.name, WHEN)
    wb = openpyxl.load_workbook(out)
    assert wb.active.title == SHEET and [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == [SHEET]
    assert wb["校验结果"]["A1"].value == "未发现问题；文件：华东.xlsx；校验时间：2024-05-06 09:30"


CORPUS_FILES = sorted(p.name for p in CORPUS.glob("*") if p.suffix.lower() in (".xlsx", ".xlsm")) \
    if CORPUS.exists() else [pytest.param(None, marks=pytest.mark.skip(reason=CORPUS_ABSENT))]
UNTOUCHED_PREFIXES = ("xl/media/", "xl/drawings/drawing", "xl/charts/", "xl/vbaProject", "docProps/",
                      "xl/sharedStrings", "xl/theme/", "customXml/")


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_third_party_workbooks_are_annotated_or_left_to_openpyxl(name, tmp_path):
    src = CORPUS / name
    report = validate_workbook(src, SCHEMA, as_of=dt.date(2026, 11, 20))
    if report.status == "unreadable":
        return
    out = annotate_package(src, report.findings, tmp_path / name, WHEN)
    if out is None:
        return  # openpyxl's path (tested in test_annotate); nothing was written
    book = read_workbook(out, SCHEMA)  # our reader reads the copy …
    assert "校验结果" in book.other_sheets
    before, after = zipfile.ZipFile(src), zipfile.ZipFile(out)
    for part in before.namelist():  # … and pictures, charts, macros, strings are the same bytes
        if part.startswith(UNTOUCHED_PREFIXES):
            assert after.read(part) == before.read(part), part


def test_empty_defined_names_of_an_openpyxl_file_get_the_print_titles(tmp_path):
    """openpyxl saves ``<definedNames />``: the 校验结果 print titles go inside it — a second
    definedNames element would be invalid (openpyxl and Excel keep only one)."""
    import re as _re
    import zipfile

    from openpyxl import Workbook, load_workbook

    from workbook_tools.schema import load_schema
    from workbook_tools.validate.files import validate_workbook

    src = tmp_path / "华东.xlsx"
    book = Workbook()
    ws = book.active
    ws.title = "客户档案登记表"
    ws.append(["客户编号", "客户名称", "客户类型", "所属区域", "手机"])
    ws.append(["HD0001", "示例商贸有限公司", "公司", "火星", "1380000"])
    book.save(src)
    assert b"<definedNames" in zipfile.ZipFile(src).read("xl/workbook.xml")
    report = validate_workbook(src, load_schema())
    out = annotate_workbook(src, report.findings, tmp_path / "退回" / "华东.xlsx", checked_at="2026-11-22")
    xml = zipfile.ZipFile(out).read("xl/workbook.xml").decode("utf-8")
    assert len(_re.findall(r"<definedNames\b", xml)) == 1
    assert load_workbook(out)["校验结果"].print_title_rows == "$2:$2"
