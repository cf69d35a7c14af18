"""Tests for workbook_tools.validate.fix: a copy with only safe normalisations applied.

The input is a generated registration template filled in like a person would; the fixed
copy is checked cell by cell and then validated again: fewer findings, the same errors
for what must stay, and every record's parsed values unchanged (same meaning).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from stdnum.cn import ric

from made_files import macro_workbook
from workbook_tools.errors import OutputError
from workbook_tools.generate import generate_template
from workbook_tools.io.reader import read_workbook
from workbook_tools.validate import validate_workbook
from workbook_tools.validate.checkers import checker_for
from workbook_tools.validate.common import CheckContext
from workbook_tools.validate.fix import FIX_SHEET, fix_workbook, fixed_path
from workbook_tools.validate.fix_rules import safe_fix
from workbook_tools.validate.identity import uscc_check_char

SHEET = "客户档案登记表"
AS_OF = dt.date(2026, 6, 30)
WHEN = "2026-06-30 10:00"
LINK = f"'{SHEET}'!"


def _id(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")  # stdnum ignores the last character


ID_X = "11010519800101106X"
ID_OK = _id("11010519800101002")
ID_BAD = ID_OK[:17] + str((int(ID_OK[17]) + 1) % 10)
ID_FLOAT = 110105198001010000.0
ID_OLD = "110105800101123"
USCC = "91310000MA1FL0000" + uscc_check_char("91310000MA1FL0000")
BASE = {"客户类型": "个人", "所属区域": "华东", "客户类别": "普通客户", "负责业务员": "张伟"}
ROWS = [  # sheet rows 2…7
    {"客户编号": " HD0001 ", "客户名称": "ＡＢＣ贸易有限公司\u3000", "客户类型": "公司", "所属行业": "金融、保险业",
     "企业性质": "国企", "信誉等级": "A级", "手机": "１３８１２３４５６７８", "统一社会信用代码": USCC.lower(),
     "建档日期": "2026.3.5", "交易金额(元)": "￥1,200.50", "联系人": "\u00a0王经理 "},
    {"客户编号": "HD0002", "客户名称": "李四", "身份证号": ID_X.lower(), "电话": "(0755)12345678转123",
     "员工人数": "1,200", "建档日期": "2026年3月5日"},
    {"客户编号": "HD0003", "客户名称": "王五", "身份证号": ID_BAD, "信誉等级": "VIP", "手机": "13912345678",
     "建档日期": "20261122", "最近交易日期": "20260215"},
    {"客户编号": "HD0004", "客户名称": "赵六", "身份证号": ID_FLOAT, "电话": "75512345678", "建档日期": "3/5/2026"},
    {"客户编号": "HD0005", "客户名称": "钱七", "身份证号": ID_OLD, "手机": "13912345679",
     "建档日期": dt.datetime(2026, 3, 5)},
    {"客户编号": "hd0006", "客户名称": "ＡＢＣ贸易", "客户类型": "公司", "统一社会信用代码": USCC,
     "手机": "13912345670", "邮编": "１０００２０", "电子邮件": " li@example.com ", "建档日期": "2026-03-05"},
]
D = dt.datetime(2026, 3, 5)
EXPECTED = [  # 修正记录 rows after the header: 序号, 工作表, 单元格, 字段, 原值, 新值, 修正类型
    (1, SHEET, "A2", "客户编号", " HD0001 ", "HD0001", "去除空格"),
    (2, SHEET, "B2", "客户名称", "ＡＢＣ贸易有限公司\u3000", "ＡＢＣ贸易有限公司", "去除空格"),
    (3, SHEET, "E2", "所属行业", "金融、保险业", "金融业", "选项别名改为标准值"),
    (4, SHEET, "F2", "企业性质", "国企", "国有企业", "选项别名改为标准值"),
    (5, SHEET, "H2", "信誉等级", "A级", "A", "选项别名改为标准值"),
    (6, SHEET, "J2", "联系人", "\u00a0王经理 ", "王经理", "去除空格"),
    (7, SHEET, "L2", "手机", "１３８１２３４５６７８", "13812345678", "全角转半角"),
    (8, SHEET, "T2", "统一社会信用代码", USCC.lower(), USCC, "大小写"),
    (9, SHEET, "AF2", "交易金额(元)", "￥1,200.50", 1200.5, "文本数字转为数字"),
    (10, SHEET, "AG2", "建档日期", "2026.3.5", D, "文本日期转为日期"),
    (11, SHEET, "M3", "电话", "(0755)12345678转123", "0755-12345678-123", "电话格式统一"),
    (12, SHEET, "S3", "身份证号", ID_X.lower(), ID_X, "大小写"),
    (13, SHEET, "Z3", "员工人数", "1,200", 1200, "文本数字转为数字"),
    (14, SHEET, "AG3", "建档日期", "2026年3月5日", D, "文本日期转为日期"),
    (15, SHEET, "AD4", "最近交易日期", "20260215", dt.datetime(2026, 2, 15), "文本日期转为日期"),
    (16, SHEET, "A7", "客户编号", "hd0006", "HD0006", "大小写"),
    (17, SHEET, "O7", "电子邮件", " li@example.com ", "li@example.com", "去除空格"),
    (18, SHEET, "R7", "邮编", "１０００２０", "100020", "全角转半角"),
    (19, SHEET, "AG7", "建档日期", "2026-03-05", D, "文本日期转为日期"),
]
LEFT_ALONE = {  # invalid or meaning-changing: must stay exactly as typed
    "S4": ID_BAD, "H4": "VIP", "AG4": "20261122", "S5": ID_FLOAT, "M5": "75512345678",
    "AG5": "3/5/2026", "S6": ID_OLD, "B7": "ＡＢＣ贸易", "A3": "HD0002", "L4": "13912345678",
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fill(path: Path, rows: list[dict]) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    columns = {c.value.rstrip("*"): c.column for c in ws[1] if c.value}
    for r, row in enumerate(rows, start=2):
        for label, value in {**BASE, **row}.items():
            ws.cell(row=r, column=columns[label], value=value)
    wb.save(path)


@pytest.fixture
def filled(tmp_path, schema) -> Path:
    path = generate_template(schema, "registration", tmp_path / "in" / "华东区客户档案.xlsx")
    _fill(path, ROWS)
    return path


@pytest.fixture
def fixed(filled, tmp_path, schema):
    digest = _digest(filled)
    before = validate_workbook(filled, schema, as_of=AS_OF)
    result = fix_workbook(filled, schema, fixed_path(filled, tmp_path / "out"), fixed_at=WHEN,
                          as_of=AS_OF, report=before)
    after = validate_workbook(result.path, schema, as_of=AS_OF)
    return SimpleNamespace(src=filled, digest=digest, before=before, result=result, after=after)


def _sheet_rows(path: Path, title: str = FIX_SHEET) -> list[tuple]:
    return [tuple(row) for row in openpyxl.load_workbook(path)[title].iter_rows(values_only=True)]


def test_output_path_and_original_untouched(fixed, tmp_path):
    assert fixed.result.path == tmp_path / "out" / "华东区客户档案.xlsx"
    assert fixed.result.path.is_file()
    assert _digest(fixed.src) == fixed.digest
    assert fixed.result.notes == []


def test_fixed_cells_have_the_right_values_and_types(fixed):
    ws = openpyxl.load_workbook(fixed.result.path)[SHEET]
    for _n, _sheet, coord, _label, _old, new, _kind in EXPECTED:
        assert ws[coord].value == new and type(ws[coord].value) is type(new), coord
    for coord in ("AG2", "AG3", "AD4", "AG7"):
        assert ws[coord].number_format == "yyyy-mm-dd" and ws[coord].is_date
    assert ws["AF2"].data_type == "n" and ws["Z3"].data_type == "n"
    for coord in ("A2", "L2", "M3", "S3", "T2", "R7", "A7"):
        assert ws[coord].number_format == "@" and ws[coord].data_type == "s"


def test_untouched_cells_unchanged(fixed):
    changed = {row[2] for row in EXPECTED}
    original = openpyxl.load_workbook(fixed.src)
    copy = openpyxl.load_workbook(fixed.result.path)
    assert copy.sheetnames == original.sheetnames + [FIX_SHEET]
    for ws in original.worksheets:
        out = copy[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                if ws.title == SHEET and cell.coordinate in changed:
                    continue
                assert out[cell.coordinate].value == cell.value, (ws.title, cell.coordinate)
                assert out[cell.coordinate].number_format == cell.number_format
        assert len(out.data_validations.dataValidation) == len(ws.data_validations.dataValidation)
    for coord, value in LEFT_ALONE.items():
        assert copy[SHEET][coord].value == value, coord
    assert copy.active.title == SHEET


def test_version_stamp_survives(fixed, schema):
    assert read_workbook(fixed.result.path, schema).stamp == read_workbook(fixed.src, schema).stamp


def test_fix_sheet_lists_every_change(fixed):
    rows = _sheet_rows(fixed.result.path)
    assert rows[0][0] == f"共修正 {len(EXPECTED)} 处；文件：华东区客户档案.xlsx；修正时间：{WHEN}"
    assert rows[1] == ("序号", "工作表", "单元格", "字段", "原值", "新值", "修正类型")
    assert rows[2:] == EXPECTED
    ws = openpyxl.load_workbook(fixed.result.path)[FIX_SHEET]
    assert [ws.cell(row=r, column=3).hyperlink.location for r in range(3, ws.max_row + 1)] == [
        LINK + row[2] for row in EXPECTED]
    changes = [(c.sheet, c.cell, c.field, c.old, c.kind) for c in fixed.result.changes]
    assert changes == [(s, cell, f, old, kind) for _n, s, cell, f, old, _new, kind in EXPECTED]
    assert fixed.result.count == len(EXPECTED)


def _errors(report) -> list[tuple]:
    return [(f.code, f.cell) for f in report.findings if f.severity == "error"]


def test_revalidation_fewer_findings_same_errors_same_meaning(fixed):
    before, after = fixed.before, fixed.after
    assert len(after.findings) < len(before.findings)
    assert _errors(after) == _errors(before)
    assert set(_errors(before)) == {
        ("id-card-checksum", "S4"), ("choice-invalid", "H4"), ("date-future", "AG4"),
        ("id-card-stored-as-number", "S5"), ("date-invalid", "AG5")}
    warnings = {(f.code, f.cell) for f in after.findings if f.severity == "warning"}
    assert warnings == {("date-text", "AG4"), ("phone-leading-zero-lost", "M5"), ("id-card-old", "S6")}
    assert [t.parsed for t in after.tables] == [t.parsed for t in before.tables]
    assert [r.row for r in after.tables[0].table.records] == [2, 3, 4, 5, 6, 7]


def test_fix_sheet_is_not_read_as_data(tmp_path, schema):
    path = generate_template(schema, "registration", tmp_path / "in" / "华东.xlsx")
    _fill(path, [{"客户编号": " HD0001", "客户名称": "李四", "身份证号": ID_OK, "手机": "13912345678",
                  "建档日期": dt.date(2026, 3, 5), "客户来源": "电话营销"}])
    result = fix_workbook(path, schema, tmp_path / "out" / "华东.xlsx", fixed_at=WHEN, as_of=AS_OF)
    assert [(c.cell, c.new) for c in result.changes] == [("A2", "HD0001"), ("I2", "电话")]
    assert [t.table.sheet for t in validate_workbook(result.path, schema, as_of=AS_OF).tables] == [SHEET]


def test_without_report_validates_itself(filled, tmp_path, schema, fixed):
    result = fix_workbook(filled, schema, tmp_path / "again" / "x.xlsx", fixed_at=WHEN, as_of=AS_OF)
    assert result.changes == fixed.result.changes


def test_fixing_the_fixed_copy_changes_nothing(fixed, tmp_path, schema):
    again = fix_workbook(fixed.result.path, schema, tmp_path / "again" / "x.xlsx", fixed_at=WHEN, as_of=AS_OF)
    assert again.changes == []
    wb = openpyxl.load_workbook(again.path)
    assert wb.sheetnames.count(FIX_SHEET) == 1
    assert wb[FIX_SHEET]["A1"].value == f"未发现可自动修正的内容；文件：华东区客户档案.xlsx；修正时间：{WHEN}"
    assert wb[FIX_SHEET].max_row == 2


def test_refuses_to_overwrite_input(filled, schema):
    with pytest.raises(OutputError, match="拒绝覆盖输入文件"):
        fix_workbook(filled, schema, filled, fixed_at=WHEN, as_of=AS_OF)
    assert openpyxl.load_workbook(filled)[SHEET]["A2"].value == " HD0001 "


def test_gbk_csv_becomes_xlsx_with_fixes(tmp_path, schema):
    src = tmp_path / "客户.csv"
    src.write_bytes(("客户编号,客户名称,客户类型,所属区域,客户类别,负责业务员,身份证号,手机,交易金额(元),建档日期\n"
                     f' HD0001 ,张三,个人,华东区,A类客户,张伟,{ID_OK},138 1234 5678,"1,200",2026/3/5\n'
                     f"HD0002,李四,个人,华东,VIP,张伟,{ID_BAD},13912345678,800,2026-02-30\n").encode("gbk"))
    digest = _digest(src)
    result = fix_workbook(src, schema, fixed_path(src, tmp_path / "out"), fixed_at=WHEN, as_of=AS_OF)
    assert result.path == tmp_path / "out" / "客户.xlsx"
    assert _digest(src) == digest
    ws = openpyxl.load_workbook(result.path).worksheets[0]
    assert [c.value for c in ws[2]] == ["HD0001", "张三", "个人", "华东", "重要客户", "张伟", ID_OK,
                                        "13812345678", 1200, dt.datetime(2026, 3, 5)]
    assert [c.value for c in ws[3]] == ["HD0002", "李四", "个人", "华东", "VIP", "张伟", ID_BAD,
                                        "13912345678", 800, "2026-02-30"]
    assert [(c.cell, c.kind) for c in result.changes] == [
        ("A2", "去除空格"), ("D2", "选项别名改为标准值"), ("E2", "选项别名改为标准值"),
        ("H2", "电话格式统一"), ("I2", "文本数字转为数字"), ("J2", "文本日期转为日期"),
        ("I3", "文本数字转为数字")]
    summary = _sheet_rows(result.path)[0][0]
    assert summary == f"共修正 7 处；文件：客户.csv；修正时间：{WHEN}；原文件为 .csv，已转存为 .xlsx"
    before = validate_workbook(src, schema, as_of=AS_OF)
    after = validate_workbook(result.path, schema, as_of=AS_OF)
    assert _errors(after) == _errors(before) and after.tables[0].parsed == before.tables[0].parsed


def test_xlsm_keeps_vba_project(tmp_path, schema):
    src = macro_workbook(tmp_path / "宏表.xlsm", {SHEET: [
        ["客户编号", "客户名称", "客户类型", "所属区域", "客户类别", "负责业务员", "身份证号", "手机", "建档日期"],
        ["HD0001 ", "张三", "个人", "华东", "普通", "张伟", ID_OK, "13812345678", "2026.3.5"]]})
    result = fix_workbook(src, schema, tmp_path / "out" / "宏表.xlsx", fixed_at=WHEN, as_of=AS_OF)
    assert result.path.name == "宏表.xlsm"
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(result.path) as b:
        assert b.read("xl/vbaProject.bin") == a.read("xl/vbaProject.bin")
    assert [(c.cell, c.new) for c in result.changes] == [
        ("A2", "HD0001"), ("E2", "普通客户"), ("I2", dt.date(2026, 3, 5))]


def _ctx() -> CheckContext:
    return CheckContext(as_of=AS_OF)


@pytest.mark.parametrize("label, raw", [
    ("建档日期", "2026-03-05 10:30"),      # the time of day would be lost
    ("建档日期", 46000.0),                 # a serial number: maybe not meant as a date
    ("电话", "75512345678"),               # the area code lost its 0: the user must confirm
    ("邮编", 10000.0),                     # leading zero lost
    ("交易金额(元)", "12345678901234567890"),  # more digits than Excel keeps
    ("交易金额(元)", "-5"),                # below the minimum: an error stays
    ("银行账号", "6222 0212 3456 7890"),   # groups of four are a fine way to write it
    ("手机", 13812345678.0),               # a number in a code column is not rewritten
    ("身份证号", "110105 19800101 0025"),  # inner spaces, but the check digit is wrong
    ("客户名称", "ＡＢＣ贸易"),            # free text is never converted
])
def test_safe_fix_leaves_alone(schema, label, raw):
    field = schema.form("registration").field_by_label(label)
    parsed = checker_for(field)(raw, field, _ctx())[0]
    assert safe_fix(raw, parsed, field, _ctx()) is None


@pytest.mark.parametrize("label, raw, new, kind", [
    ("建档日期", 20260215.0, dt.date(2026, 2, 15), "文本日期转为日期"),
    ("手机", "+86 138-1234-5678", "13812345678", "电话格式统一"),
    ("银行账号", "６２２２０２１２３４５６７８９０", "6222021234567890", "全角转半角"),
    ("身份证号", f" {ID_OK[:6]} {ID_OK[6:14]} {ID_OK[14:]} ", ID_OK, "去除空格"),
    ("电子邮件", "ｌｉ＠example.com", "li@example.com", "全角转半角"),
    ("信誉等级", " B ", "B", "去除空格"),
    ("注册资金(万元)", "１２００万", None, None),  # 万 is not a plain number: not read, not fixed
])
def test_safe_fix_proposals(schema, label, raw, new, kind):
    field = schema.form("registration").field_by_label(label)
    parsed = checker_for(field)(raw, field, _ctx())[0]
    fix = safe_fix(raw, parsed, field, _ctx())
    got = (fix.new, fix.kind) if fix else (None, None)
    assert got == (new, kind)
