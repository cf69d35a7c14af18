"""Seed 003's 填表说明 "不涉及的可填‘无’": 无, 不详, /, —, － (settings.empty_placeholders) in an
optional field mean empty — validate, merge (the master shows them empty) and the card agree;
in a required field they are a finding that names the placeholder. (The self-checking form's
formulas are compared with validate on placeholders in tests/test_form_checks.py.)"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from test_validate_support import uscc_code

from workbook_tools.card.source import read_tables
from workbook_tools.generate.template import generate_template
from workbook_tools.merge.files import merge_files
from workbook_tools.schema import load_schema, parse_schema
from workbook_tools.schema.settings import placeholder_test
from workbook_tools.validate.files import validate_workbook

SCHEMA = load_schema()
AS_OF = dt.date(2026, 11, 20)
FORM = SCHEMA.form("registration")
BASE = {"客户名称": "上海恒丰贸易有限公司", "客户类型": "公司", "所属区域": "华东", "客户类别": "重要客户",
        "手机": "13812345678", "统一社会信用代码": uscc_code("91310000MA1K3YJ12"), "负责业务员": "李明",
        "建档日期": dt.date(2024, 1, 15)}
ROWS = [
    {"客户编号": "HD0001", "传真": "无", "电子邮件": "不详", "网址": "/", "员工人数": "—", "注册资金(万元)": "－",
     "首次交易日期": " 无 ", "所属行业": "无", "备注": "无", "邮编": "／"},
    {"客户编号": "HD0002", "客户名称": "上海恒丰物流有限公司", "统一社会信用代码": uscc_code("91310000MA1K3YJ13"),
     "负责业务员": "无"},
    {"客户编号": "HD0003", "客户名称": "上海恒丰实业有限公司", "统一社会信用代码": "不详"},
]


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """The registration form as generated, filled in openpyxl as a person would type it."""
    tmp = tmp_path_factory.mktemp("placeholders")
    path = generate_template(SCHEMA, "registration", tmp / "blank.xlsx", rows=10, checks=False)
    book = openpyxl.load_workbook(path)
    sheet = book[FORM.title]
    header = next(r for r in range(1, 6) if sheet.cell(r, 1).value and "客户编号" in str(sheet.cell(r, 1).value))
    columns = {}
    for c in range(1, sheet.max_column + 1):
        key = FORM.match_header(sheet.cell(header, c).value)
        if key:
            columns[FORM.field(key).label] = c
    for r, row in enumerate(ROWS, start=header + 1):
        for label, value in {**BASE, **row}.items():
            sheet.cell(r, columns[label], value)
    book.save(tmp / "华东.xlsx")
    return tmp / "华东.xlsx", header


def test_validate_reads_placeholders_as_empty_and_names_them_in_required_fields(filled):
    path, header = filled
    report = validate_workbook(path, SCHEMA, as_of=AS_OF)
    found = [(f.code, f.row, f.message) for f in report.findings]
    assert found == [
        ("required-placeholder", header + 2, "“负责业务员”是必填项，不能填“无”；请填写实际的负责业务员"),
        ("required-if-placeholder", header + 3,
         "客户类型为“公司”时必须填写统一社会信用代码，不能填“不详”；请填写实际的统一社会信用代码"),
    ]


def test_merge_writes_them_as_empty_cells_and_quarantines_the_required_ones(filled, tmp_path):
    path, _ = filled
    merge_files([path], tmp_path / "总表.xlsx", schema=SCHEMA, run_date=AS_OF, as_of=AS_OF)
    book = CalamineWorkbook.from_path(str(tmp_path / "总表.xlsx"))
    rows = book.get_sheet_by_name("客户档案").to_python()
    head = next(i for i, r in enumerate(rows) if "客户编号" in r)
    record = dict(zip(rows[head], next(r for r in rows[head + 1:] if r[0] == "HD0001")))
    for label in ("传真", "电子邮件", "网址", "员工人数", "注册资金(万元)", "首次交易日期", "所属行业", "备注", "邮编"):
        assert record[label] in ("", None), (label, record[label])
    assert record["客户名称"] == "上海恒丰贸易有限公司"
    quarantined = book.get_sheet_by_name("待修正").to_python()
    text = "\n".join(str(c) for r in quarantined for c in r)
    assert "HD0002" in text and "“负责业务员”是必填项，不能填“无”" in text
    assert "HD0003" in text and "不能填“不详”" in text


def test_the_card_shows_an_old_masters_placeholder_as_empty(filled, tmp_path):
    path, _ = filled
    master = tmp_path / "总表.xlsx"
    merge_files([path], master, schema=SCHEMA, run_date=AS_OF, as_of=AS_OF)
    book = openpyxl.load_workbook(master)
    sheet = book["客户档案"]
    head = next(r for r in range(1, 6) if any(c.value == "客户编号" for c in sheet[r]))
    col = {c.value: c.column for c in sheet[head]}
    sheet.cell(head + 1, col["传真"], "无")               # a master merged before the rule
    sheet.cell(head + 1, col["联系人"], "不详")
    book.save(tmp_path / "旧总表.xlsx")
    customer = read_tables(tmp_path / "旧总表.xlsx", SCHEMA).customers[0]
    assert customer.values["fax"] is None and customer.values["contact"] is None


def test_the_placeholder_list_is_a_schema_setting():
    text = (SCHEMA.source and open(SCHEMA.source, encoding="utf-8").read())
    custom = parse_schema(text.replace("empty_placeholders: [无, 不详, /, —, －, \"-\", ——]",
                                       "empty_placeholders: [不适用]"), "custom.yaml")
    test = placeholder_test(custom.settings["empty_placeholders"])
    assert test(" 不适用 ") and not test("无")
    assert placeholder_test()("／") and placeholder_test()("——") and not placeholder_test()("无锡")
