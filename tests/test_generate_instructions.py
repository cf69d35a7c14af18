"""The 填表说明 sheet and the version stamp (document properties) of generated templates."""

from __future__ import annotations

import openpyxl
import pytest

from workbook_tools import __version__
from workbook_tools.generate import FIXED_CREATED, INSTRUCTIONS_SHEET, LISTS_SHEET, generate_template
from workbook_tools.schema import load_schema


@pytest.fixture(scope="module")
def schema():
    return load_schema()


@pytest.fixture(scope="module")
def reg_wb(tmp_path_factory, schema):
    out = tmp_path_factory.mktemp("reg") / "华东客户档案.xlsx"
    generate_template(schema, "registration", out, region="华东", owner="张三")
    return openpyxl.load_workbook(out)


def instruction_rows(wb) -> list[tuple]:
    return list(wb[INSTRUCTIONS_SHEET].iter_rows(values_only=True))


def instruction_row(wb, label: str) -> tuple:
    rows = [r for r in instruction_rows(wb) if r[0] == label]
    assert len(rows) == 1, label
    return rows[0]



# ---------------------------------------------------------------- stamp and properties

def test_custom_properties_and_title(reg_wb):
    props = {p.name: p.value for p in reg_wb.custom_doc_props.props}
    assert props == {"schema_name": "客户档案", "schema_version": "1.0", "form": "registration",
                     "generator": f"workbook-tools {__version__}", "region": "华东", "owner": "张三"}
    assert reg_wb.properties.title == "客户档案登记表（华东，张三）"
    assert reg_wb.properties.subject == "客户档案 v1.0"
    assert reg_wb.properties.created == FIXED_CREATED


# ---------------------------------------------------------------- 填表说明

def test_instructions_head_and_table(schema, reg_wb):
    rows = instruction_rows(reg_wb)
    assert rows[0][0] == "客户档案登记表 填表说明"
    assert rows[1][0].startswith("每位客户一行。")
    assert rows[2][0] == (f"表格版本：客户档案 v1.0　表单：registration　生成工具：workbook-tools {__version__}"
                          "（合并和校验时据此识别表格，请勿删除本页）")
    assert rows[3][0] == "所属区域：华东　业务员：张三"
    assert rows[5] == ("列名", "是否必填", "类型", "说明", "可选值", "示例")
    labels = schema.form("registration").labels
    assert [r[0] for r in rows[6:6 + len(labels)]] == labels
    assert rows[6 + len(labels)] == (None,) * 6


def test_instructions_field_rows(reg_wb):
    assert instruction_row(reg_wb, "客户编号")[1:3] == ("必填", "客户编号")
    assert instruction_row(reg_wb, "客户编号")[5] == "HD0001"
    id_card = instruction_row(reg_wb, "身份证号")
    assert id_card[1] == "条件必填：客户类型为个人时"
    assert id_card[2] == "身份证号"
    assert id_card[3] == "个人客户必填，18位，最后一位可以是X；本列为文本格式，请勿改成数字（敏感信息）"
    assert instruction_row(reg_wb, "统一社会信用代码")[1] == "条件必填：客户类型为公司时"
    assert instruction_row(reg_wb, "银行账号")[3] == "（敏感信息）"
    credit = instruction_row(reg_wb, "信誉等级")
    assert credit[1:3] == ("选填", "下拉选择")
    assert credit[4] == "A（按时回款）／B（经常欠款但易追回）／C（拖欠难追回）"
    assert instruction_row(reg_wb, "所属区域")[4] == "华东／华南／华北／华中／西南／西北／东北"
    assert instruction_row(reg_wb, "员工人数")[2:4] == ("整数", "不小于 0")
    assert instruction_row(reg_wb, "交易金额(元)")[2] == "金额"
    assert instruction_row(reg_wb, "注册资金(万元)")[2] == "小数"
    assert instruction_row(reg_wb, "建档日期")[1:4] == ("必填", "日期", "日期格式 2026-11-22；不能晚于今天")
    assert instruction_row(reg_wb, "手机")[2] == "手机号"
    assert instruction_row(reg_wb, "电子邮件")[2] == "电子邮件"
    assert instruction_row(reg_wb, "网址")[2] == "网址"


def test_instructions_rules_and_tips(reg_wb):
    col_a = [r[0] for r in instruction_rows(reg_wb) if r[0]]
    rules = col_a[col_a.index("填写规则") + 1:col_a.index("注意事项")]
    assert rules == ["1. 手机和电话至少填写一项", "2. 最近交易日期不能早于首次交易日期",
                     "3. 交易次数大于0时必须填写首次交易日期", "4. 交易次数为0时交易金额应为0",
                     "5. 交易金额为0时交易次数应为0", "6. 最新修订日期不能早于建档日期"]
    tips = "\n".join(col_a[col_a.index("注意事项") + 1:])
    for phrase in ("请勿改为数字格式", "日期写成 2026-11-22", "不要修改、删除或移动表头", "填表人", "已预留 200 行"):
        assert phrase in tips


def test_lists_and_instructions_do_not_look_like_a_form_header(schema, reg_wb):
    """The reader looks for header rows; no row of the helper sheets names three fields.

    (A 填表说明 row can name two: 传真 and its type 电话, which is also a label.)"""
    for name in (LISTS_SHEET, INSTRUCTIONS_SHEET):
        for row in reg_wb[name].iter_rows(values_only=True):
            for form in schema.forms:
                keys = {form.match_header(v) for v in row if v} - {None}
                assert len(keys) <= 2, (name, row)
    assert reg_wb[LISTS_SHEET].protection.sheet is True


