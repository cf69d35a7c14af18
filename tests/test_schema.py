"""The schema loader: the bundled YAML, header matching, and errors that name file and line."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from workbook_tools.errors import SchemaError
from workbook_tools.generate import LISTS_SHEET, generate_template
from workbook_tools.schema import DEFAULT_SCHEMA, load_schema, parse_schema

BUNDLED = DEFAULT_SCHEMA.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def schema():
    return load_schema()


def _index(lines: list[str], anchor: str) -> int:
    hits = [i for i, line in enumerate(lines) if anchor in line]
    assert len(hits) == 1, f"anchor {anchor!r} found {len(hits)} times"
    return hits[0]


def edit(tmp_path: Path, anchor: str, new: str, *, after: bool = False) -> tuple[Path, int]:
    """The bundled YAML with the line containing ``anchor`` replaced by (or followed by) ``new``.

    Returns the written file and the 1-based line number of the first line of ``new``.
    """
    lines = BUNDLED.splitlines()
    i = _index(lines, anchor)
    if after:
        lines[i + 1:i + 1] = new.splitlines()
        line = i + 2
    else:
        lines[i:i + 1] = new.splitlines()
        line = i + 1
    path = tmp_path / "schema.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, line


def load_error(path: Path) -> str:
    with pytest.raises(SchemaError) as err:
        load_schema(path)
    return str(err.value)


# ---------------------------------------------------------------- the bundled schema

def test_bundled_schema_loads(schema):
    assert (schema.name, schema.version, schema.stamp) == ("客户档案", "1.0", "客户档案 v1.0")
    assert schema.form_keys == ["registration", "visit-plan", "visit-record", "complaint", "trade"]
    assert [f.title for f in schema.forms] == ["客户档案登记表", "客户拜访计划", "客户拜访记录", "客户投诉记录", "客户交易记录"]
    reg = schema.form("registration")
    assert len(reg.fields) == 37
    assert reg.id_field == "customer_id"
    customer_id = reg.field("customer_id")
    assert customer_id.pattern == r"^(HD|HN|HB|HZ|XN|XB|DB)\d{4,}$"
    assert re.match(customer_id.pattern, "HD0001") and not re.match(customer_id.pattern, "XX0001")
    assert customer_id.required and customer_id.unique and customer_id.is_code
    assert schema.settings["contact_cycles"] == {"重要客户": 7, "主要客户": 14, "普通客户": 30, "潜在客户": 60}
    assert schema.settings["stale_days"] == 60
    assert reg.field("region").choice_values == ["华东", "华南", "华北", "华中", "西南", "西北", "东北"]
    assert reg.field("id_card").required_if == (("customer_type", "个人"),)
    assert reg.field("id_card").sensitive is True
    assert [r.key for r in reg.rules] == ["contact_phone", "trade_dates_order",
                                          "trade_count_needs_first_date", "trade_count_zero_amount",
                                          "trade_amount_zero_count", "revised_after_created"]
    assert schema.form("visit-plan").field("method").choice_values[0] == "电话回访"
    assert schema.source == str(DEFAULT_SCHEMA)


def test_unknown_form_key_is_a_chinese_key_error(schema):
    with pytest.raises(KeyError, match="未知的表格类型“nosuch”，可用的类型：registration（客户档案登记表）"):
        schema.form("nosuch")


def test_form_by_key_title_or_alias(schema):
    assert schema.form("客户拜访计划").key == "visit-plan"
    assert schema.form(" 客户档案登记表 ").key == "registration"
    assert schema.form("客户资料卡").key == "registration"   # an alias of the registration form


@pytest.mark.parametrize("header, key", [
    ("客户编号", "customer_id"),
    ("客户编号*", "customer_id"),
    ("*客户编号", "customer_id"),
    ("客户代码", "customer_id"),            # alias
    ("手机\n号码", "mobile"),               # line break inside the header cell
    ("手 机", "mobile"),
    ("\u3000联系人\u3000", "contact"),      # ideographic spaces
    ("注册资金（万元）", "registered_capital"),  # full-width brackets
    ("联系周期（天）", "contact_cycle"),
    ("交易金额(元)", "trade_amount"),
    ("备注（选填）", "remarks"),            # trailing note ignored
    ("E-MAIL", "email"),                   # case-insensitive alias
    ("ｅｍａｉｌ", "email"),                 # full-width letters
    ("说明", "remarks"),
    ("客户", None),
    ("", None),
    (None, None),
])
def test_header_matching(schema, header, key):
    assert schema.form("registration").match_header(header) == key


def test_choice_lookup_aliases(schema):
    reg = schema.form("registration")
    assert reg.field("region").choice_lookup()["华东区"] == "华东"
    lookup = reg.field("credit").choice_lookup()
    assert lookup["a级"] == "A" and lookup["a"] == "A"


# ---------------------------------------------------------------- errors with file:line

@pytest.mark.parametrize("anchor, new, after, expected", [
    ('version: "1.0"', "colour: red", True, "schema 顶层中有未知的键“colour”"),
    ("label: 信誉等级", "        colour: red", True, "字段中有未知的键“colour”"),
    ("{value: 公司, aliases", "          - {value: 公司, colour: red, aliases: [企业]}", False,
     "的选项中有未知的键“colour”"),
    ("stale_days: 60", "  stale: 60", False, "settings中有未知的键“stale”"),
    ("type: mobile", "        type: cellphone", False, "字段 mobile 的类型“cellphone”未知"),
    ("label: 邮编", "        pattern: '^(HD'", True, "字段 postal_code 的 pattern 不是有效的正则表达式"),
    ("fields: [mobile, phone]", "        fields: [mobile, pager]", False, "引用了不存在的字段“pager”"),
    ("left: last_trade_date", "        left: last_deal_date", False, "引用了不存在的字段“last_deal_date”"),
    ("kind: any_required", "        kind: one_of", False, "规则 contact_phone 的 kind“one_of”未知"),
    ("label: 信誉等级", "        label: 信用", True, "键“label”重复出现"),
    ("choices: industry", "        choices: industries", False, "引用了不存在的选项列表“industries”"),
    ("width: 28", "        width: wide", False, "字段 customer_name 的“width”应当是数字"),
])
def test_errors_name_file_and_line(tmp_path, anchor, new, after, expected):
    path, line = edit(tmp_path, anchor, new, after=after)
    message = load_error(path)
    assert message.startswith(f"{path}:{line}: "), message
    assert expected in message, message


def test_card_sections_every_registration_field_has_one_and_the_default_is_basic(schema, tmp_path):
    reg = schema.form("registration")
    by_section = {}
    for f in reg.fields:
        by_section.setdefault(f.section, []).append(f.key)
    assert list(by_section) == ["基础资料", "客户特征", "业务状况", "交易现状"]
    assert by_section["交易现状"][:2] == ["credit", "bank"] and "trade_amount" in by_section["交易现状"]
    assert BUNDLED.count("        section:") == len(reg.fields)
    credit = "        type: choice\n        section: 交易现状\n        choices:\n          - {value: A,"
    assert BUNDLED.count(credit) == 1
    path = tmp_path / "schema.yaml"
    path.write_text(BUNDLED.replace(credit, credit.replace("        section: 交易现状\n", "")), encoding="utf-8")
    assert load_schema(path).form("registration").field("credit").section == "基础资料"
    industry = "        section: 客户特征\n        choices: industry"
    line = BUNDLED[:BUNDLED.index(industry)].count("\n") + 1
    path.write_text(BUNDLED.replace(industry, industry.replace("客户特征", "经营状况")), encoding="utf-8")
    assert load_error(path) == (f"{path}:{line}: 表单 registration 字段 industry 的 section“经营状况”未知"
                                "（可用：基础资料、客户特征、业务状况、交易现状）")


def test_duplicate_field_key_and_yaml_syntax_error(tmp_path):
    path, _ = edit(tmp_path, "- key: fax", "      - key: phone")
    assert "表单 registration 中字段 key 重复：phone" in load_error(path)
    path, _ = edit(tmp_path, "label: 信誉等级", "        label: [unclosed")
    message = load_error(path)
    assert re.match(rf"{re.escape(str(path))}:\d+: YAML 语法错误", message), message


def test_missing_file_is_a_schema_error(tmp_path):
    assert load_error(tmp_path / "nosuch.yaml").startswith(f"无法读取 schema 文件 {tmp_path / 'nosuch.yaml'}")


def test_parse_schema_names_the_source():
    with pytest.raises(SchemaError, match=r"^inline\.yaml:3: schema 顶层中有未知的键“extra”"):
        parse_schema('name: x\nversion: "1"\nextra: 1\nforms: []\n', "inline.yaml")


# ---------------------------------------------------------------- customising by YAML only

def test_company_adds_field_alias_and_choice_by_editing_yaml(tmp_path):
    text = BUNDLED
    for needle in ("aliases: [手机号, 手机号码, 移动电话, 联系手机, 客户手机号]", "      - key: phone\n",
                   "          - {value: 朋友介绍, aliases: [熟人介绍]}\n"):
        assert text.count(needle) == 1, needle
    text = text.replace("aliases: [手机号, 手机号码, 移动电话, 联系手机, 客户手机号]",
                        "aliases: [手机号, 手机号码, 移动电话, 联系手机, 客户手机号, 手机号码2]")
    text = text.replace("      - key: phone\n",
                        "      - key: wechat\n        label: 微信号\n        type: text\n"
                        "        help: 填微信号，不是昵称\n        width: 14\n      - key: phone\n")
    text = text.replace("          - {value: 朋友介绍, aliases: [熟人介绍]}\n",
                        "          - {value: 朋友介绍, aliases: [熟人介绍]}\n          - {value: 微信, aliases: [微信群]}\n")
    path = tmp_path / "company.yaml"
    path.write_text(text, encoding="utf-8")

    schema = load_schema(path)
    reg = schema.form("registration")
    assert len(reg.fields) == 38
    assert reg.match_header("手机号码2") == "mobile"
    assert reg.match_header("微信号") == "wechat"
    assert reg.field("source").choice_lookup()["微信群"] == "微信"

    out = generate_template(schema, "registration", tmp_path / "company.xlsx", rows=10)
    wb = openpyxl.load_workbook(out)
    ws = wb["客户档案登记表"]
    headers = [c.value for c in ws[1]]
    assert headers[headers.index("手机") + 1] == "微信号"
    col = ws.cell(row=1, column=headers.index("微信号") + 1).column_letter
    assert ws[f"{col}2"].number_format == "@"
    source_col = ws.cell(row=1, column=headers.index("客户来源") + 1).column_letter
    dv, = [dv for dv in ws.data_validations.dataValidation if f"{source_col}2" in dv.sqref]
    (sheet, ref), = wb.defined_names[dv.formula1].destinations
    assert sheet == LISTS_SHEET
    min_col, min_row, _, max_row = range_boundaries(ref.replace("$", ""))
    values = [wb[sheet].cell(row=r, column=min_col).value for r in range(min_row, max_row + 1)]
    assert values == ["网站广告", "展览会", "客户推荐", "电话", "邮件", "报刊广告", "黄页", "朋友介绍", "微信", "其他"]
    notes = [r for r in wb["填表说明"].iter_rows(values_only=True) if r[0] == "微信号"]
    assert notes == [("微信号", "选填", "文本", "填微信号，不是昵称", "", "")]
