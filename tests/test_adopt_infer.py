"""adopt's value conversion and inference (workbook_tools.adopt.infer): every inference path
of 所属区域, choice values, dates, phones, full-width text, 客户类型, 负责业务员 — each with
the exact Chinese ``how`` the 迁移说明 sheet shows. Pure functions on the bundled schema."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from stdnum.cn import ric

from workbook_tools.adopt.infer import EXTRAS_KEY, Conversion, convert_row
from workbook_tools.schema import load_schema
from workbook_tools.validate.checkers import checker_for
from workbook_tools.validate.common import CheckContext
from workbook_tools.validate.identity import uscc_check_char


@pytest.fixture(scope="module")
def schema():
    return load_schema()


def id_card(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17)


def uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
CHENGDU_ID = id_card("51010419900101123")      # 成都市锦江区
SHENZHEN_USCC = uscc("91440300MA5F00001")       # registered in 深圳市


def convert(schema, values, **kw):
    return convert_row(schema, values, row=kw.pop("row", 0), **kw)


def how(conversions, field):
    found = [c for c in conversions if c.field == field]
    assert len(found) <= 1, found
    return found[0].how if found else None


def region_of(schema, values, **kw):
    out, conversions = convert(schema, values, **kw)
    return out.get("region"), how(conversions, "region")


# ---------------------------------------------------------------- 所属区域: each source

def test_region_from_the_province_in_the_address(schema):
    assert region_of(schema, {"address": "江苏省苏州市吴中区东吴北路1号"}) == (
        "华东", "由地址中的“江苏省”推断（江苏→华东）")


def test_region_from_a_city_or_district_when_the_address_names_no_province(schema):
    assert region_of(schema, {"address": "杭州市西湖区文三路90号"}) == ("华东", "由地址中的“杭州市”推断（浙江→华东）")
    assert region_of(schema, {"address": "浦东新区张江路88号"}) == ("华东", "由地址中的“浦东新区”推断（上海→华东）")
    assert region_of(schema, {"address": "中国广东深圳南山区科技园"}) == ("华南", "由地址中的“广东”推断（广东→华南）")
    assert region_of(schema, {"address": "吉林市船营区"}) == ("东北", "由地址中的“吉林市”推断（吉林→东北）")


def test_a_street_named_after_a_city_or_a_district_two_provinces_share_decides_nothing(schema):
    assert region_of(schema, {"address": "南京路100号"}) == (None, None)   # 南京路 is in 上海
    assert region_of(schema, {"address": "鼓楼区中山路1号"}) == (None, None)  # 南京, 福州, 开封 …


def test_region_from_the_landline_area_code(schema):
    assert region_of(schema, {"address": "鼓楼区中山路1号", "phone": "025-84561234"}) == (
        "华东", "由电话区号“025”推断（江苏→华东）")
    assert region_of(schema, {"phone": "（0755）8888 6666"}) == ("华南", "由电话区号“0755”推断（广东→华南）")


def test_region_from_the_uscc_registration_authority(schema):
    assert region_of(schema, {"uscc": SHENZHEN_USCC}) == (
        "华南", "由统一社会信用代码的登记机关代码“440300”推断（广东→华南）")


def test_region_from_the_id_card_prefix(schema):
    assert region_of(schema, {"id_card": CHENGDU_ID}) == ("西南", "由身份证号前两位“51”推断（四川→西南）")


def test_region_from_the_mobile_segment(schema):
    # phonenumbers' geocoder data: 138 1234 → 江苏省连云港市, 186 1234 → 北京市
    assert region_of(schema, {"mobile": "13812345678"}) == ("华东", "由手机号段归属地“江苏省连云港市”推断（江苏→华东）")
    assert region_of(schema, {"mobile": "18612345678"}) == ("华北", "由手机号段归属地“北京市”推断（北京→华北）")


def test_order_of_trust_address_landline_uscc_id_card_mobile(schema):
    everything = {"address": "上海市徐汇区漕溪北路1号", "phone": "020-83331234", "uscc": SHENZHEN_USCC,
                  "id_card": CHENGDU_ID, "mobile": "18612345678"}
    expected = ["由地址中的“上海市”推断（上海→华东）", "由电话区号“020”推断（广东→华南）",
                "由统一社会信用代码的登记机关代码“440300”推断（广东→华南）",
                "由身份证号前两位“51”推断（四川→西南）", "由手机号段归属地“北京市”推断（北京→华北）"]
    for key, expect in zip(["address", "phone", "uscc", "id_card", "mobile"], expected):
        assert region_of(schema, everything)[1] == expect
        everything.pop(key)


def test_a_place_name_in_the_region_column(schema):
    assert region_of(schema, {"region": "上海浦东"}) == ("华东", "由所属区域中的地名“上海”推断（上海→华东）")
    assert region_of(schema, {"region": "苏州"}) == ("华东", "由所属区域中的地名“苏州”推断（江苏→华东）")
    # the region column's own place outranks the address
    assert region_of(schema, {"region": "广州", "address": "上海市"})[0] == "华南"


def test_several_columns_mapped_to_region_are_read_as_one_place(schema):
    out, conversions = convert(schema, {"region": ["江苏", "苏州"]})
    assert out["region"] == "华东"
    assert conversions == [Conversion(0, "region", ["江苏", "苏州"], "华东",
                                      "合并多列内容，由所属区域中的地名“江苏”推断（江苏→华东）")]


def test_explicit_region_fills_and_wins_over_inference(schema):
    assert region_of(schema, {"address": "上海市"}, region="华南") == ("华南", "按指定的区域填写")
    assert region_of(schema, {"region": "上海浦东"}, region="华南区") == ("华南", "按指定的区域填写")
    assert region_of(schema, {}, region="西北") == ("西北", "按指定的区域填写")


def test_a_valid_region_is_kept_and_an_alias_spelled_as_the_schema(schema):
    assert region_of(schema, {"region": "华北", "address": "上海市"}, region="华南") == ("华北", None)
    assert region_of(schema, {"region": "华东区"}) == ("华东", "按别名改为标准选项")


def test_a_region_value_that_is_neither_choice_nor_place_is_left_for_validation(schema):
    out, conversions = convert(schema, {"region": "总部直管", "address": "上海市"})
    assert out["region"] == "总部直管" and how(conversions, "region") is None


# ---------------------------------------------------------------- the company's own regions

COMPANY_REGIONS = """\
  region:
    - {value: 江浙沪, code: JZH, provinces: [上海市, 江苏, 浙江]}
    - {value: 华南, code: HN, provinces: [广东]}
"""


def company_schema(tmp_path, regions: str):
    text = load_schema().source
    bundled = open(text, encoding="utf-8").read()
    start = bundled.index("  region:\n")
    end = bundled.index("  industry:\n")
    path = tmp_path / "company.yaml"
    text = bundled[:start] + regions + bundled[end:]
    path.write_text(text.replace("'^(HD|HN|HB|HZ|XN|XB|DB)\\d{4,}$'", "'^(JZH|HN)\\d{4,}$'"), encoding="utf-8")
    return load_schema(path)


def test_a_company_defines_its_own_regions(tmp_path):
    schema = company_schema(tmp_path, COMPANY_REGIONS)
    assert schema.form("registration").field("region").province_lookup() == {
        "上海": "江浙沪", "江苏": "江浙沪", "浙江": "江浙沪", "广东": "华南"}
    assert region_of(schema, {"address": "杭州市西湖区"}) == ("江浙沪", "由地址中的“杭州市”推断（浙江→江浙沪）")
    # a province no region lists decides "no region", not a guess from weaker evidence
    assert region_of(schema, {"address": "成都市", "phone": "020-83331234"}) == (None, None)


def test_unknown_or_twice_listed_province_is_an_error_at_its_line(tmp_path):
    from workbook_tools.errors import SchemaError
    with pytest.raises(SchemaError) as err:
        company_schema(tmp_path, COMPANY_REGIONS.replace("[广东]", "[广东, 广洲]"))
    path = tmp_path / "company.yaml"
    line = path.read_text(encoding="utf-8").splitlines().index("    - {value: 华南, code: HN, provinces: [广东, 广洲]}") + 1
    assert str(err.value).startswith(f"{path}:{line}: choice_lists.region 的选项“华南”的 provinces 中有未知的省份“广洲”")
    with pytest.raises(SchemaError, match=r"choice_lists\.region 中省份“上海”同时属于“江浙沪”和“华南”"):
        company_schema(tmp_path, COMPANY_REGIONS.replace("[广东]", "[广东, 上海]"))


def test_the_bundled_table_places_every_province_once(schema):
    table = schema.form("registration").field("region").province_lookup()
    assert len(table) == 34
    assert {table[p] for p in ("上海", "江苏", "浙江", "安徽", "福建", "山东")} == {"华东"}
    assert (table["广东"], table["北京"], table["湖北"], table["四川"], table["陕西"], table["辽宁"]) == (
        "华南", "华北", "华中", "西南", "西北", "东北")


# ---------------------------------------------------------------- choice values

@pytest.mark.parametrize("raw, value, expect_how, score", [
    ("A类客户", "重要客户", "按别名改为标准选项", None),
    ("重要 客户", "重要客户", "规范为标准写法", None),
    ("重要的客户", "重要客户", "按相似度匹配到标准选项", 88.9),
    ("战略伙伴", "战略伙伴", None, None),     # nothing close: left for validation to report
    ("要客户", "要客户", None, None),         # as close to 重要客户 as to 主要客户: no guess
])
def test_choice_alias_fuzzy_and_unplaceable(schema, raw, value, expect_how, score):
    out, conversions = convert(schema, {"category": raw})
    assert out["category"] == value
    if expect_how is None:
        assert conversions == []
    else:
        assert conversions == [Conversion(0, "category", raw, value, expect_how, score)]


def test_choice_threshold_is_a_schema_setting(tmp_path, schema):
    text = open(schema.source, encoding="utf-8").read().replace("choice_fuzzy_threshold: 80", "choice_fuzzy_threshold: 95")
    path = tmp_path / "strict.yaml"
    path.write_text(text, encoding="utf-8")
    assert convert(load_schema(path), {"category": "重要的客户"})[0]["category"] == "重要的客户"


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("raw, expect_how", [
    ("2023/5/6", "文字日期改为日期"),
    ("2023年5月6日", "文字日期改为日期"),
    ("2023.5.6", "文字日期改为日期"),
    ("20230506", "文字日期改为日期"),
    ("２０２３－０５－０６", "文字日期改为日期"),
    (20230506, "八位数字改为日期"),
    (45052, "Excel 日期序号改为日期"),
    (45052.75, "Excel 日期序号改为日期"),
    ("45052", "Excel 日期序号改为日期"),
    ("2023-05-06 09:30", "去掉时间，只保留日期"),
    ("2023-05-06T01:23:22.623Z", "去掉时间，只保留日期"),
    (dt.datetime(2023, 5, 6, 9, 30), "去掉时间，只保留日期"),
])
def test_dates_from_any_common_form(schema, raw, expect_how):
    out, conversions = convert(schema, {"created": raw})
    assert out["created"] == dt.date(2023, 5, 6)
    assert conversions == [Conversion(0, "created", raw, dt.date(2023, 5, 6), expect_how)]


def test_midnight_datetimes_and_dates_pass_quietly_and_non_dates_stay(schema):
    out, conversions = convert(schema, {"created": dt.datetime(2023, 5, 6), "revised": dt.date(2024, 1, 2),
                                        "first_trade_date": "去年春天", "last_trade_date": "2023年5月"})
    assert (out["created"], out["revised"]) == (dt.date(2023, 5, 6), dt.date(2024, 1, 2))
    assert (out["first_trade_date"], out["last_trade_date"]) == ("去年春天", "2023年5月")
    assert conversions == []


# ---------------------------------------------------------------- phones

def test_several_numbers_in_one_cell_are_split_and_extras_go_to_remarks(schema):
    out, conversions = convert(schema, {"mobile": "13812345678/13987654321、0755-12345678转123",
                                        "remarks": "老客户", "region": "华南"})
    assert (out["mobile"], out.get("phone")) == ("13812345678", "0755-12345678-123")
    assert out["remarks"] == "老客户；其他号码：13987654321"
    assert conversions == [
        Conversion(0, "mobile", "13812345678/13987654321、0755-12345678转123", "13812345678", "拆分一格中的多个号码"),
        Conversion(0, "phone", None, "0755-12345678-123", "座机号移入电话列"),
        Conversion(0, "remarks", "老客户", "老客户；其他号码：13987654321", "多余的号码移入备注"),
    ]


def test_a_mobile_in_the_phone_column_moves_to_mobile(schema):
    out, conversions = convert(schema, {"phone": "手机：13812345678 电话：021-62345678"})
    assert (out["mobile"], out["phone"]) == ("13812345678", "021-62345678")
    assert [(c.field, c.how) for c in conversions if c.field in ("mobile", "phone")] == [
        ("mobile", "手机号移入手机列"), ("phone", "拆分一格中的多个号码")]
    out, conversions = convert(schema, {"phone": "13812345678"})
    assert (out["mobile"], out["phone"]) == ("13812345678", None)
    assert [(c.field, c.before, c.after, c.how) for c in conversions if c.field in ("mobile", "phone")] == [
        ("mobile", None, "13812345678", "手机号移入手机列"), ("phone", "13812345678", None, "手机号移入手机列")]


def test_a_landline_in_the_mobile_column_moves_to_phone(schema):
    out, conversions = convert(schema, {"mobile": "0571-88886666"})
    assert (out["mobile"], out["phone"]) == (None, "0571-88886666")
    assert {c.how for c in conversions if c.field in ("mobile", "phone")} == {"座机号移入电话列"}


def test_numbers_that_already_fit_are_left_as_typed(schema):
    values = {"mobile": "138 1234 5678", "phone": "13987654321", "fax": "0755-12345679", "region": "华东"}
    out, conversions = convert(schema, values)
    assert out == values and conversions == []


def test_several_phone_columns_keep_every_number(schema):
    out, conversions = convert(schema, {"phone": ["0755-12345678", "0755-87654321", "13812345678"]})
    assert (out["mobile"], out["phone"], out[EXTRAS_KEY]) == ("13812345678", "0755-12345678", "其他号码：0755-87654321")


def test_an_unreadable_number_stays_for_validation_or_goes_to_remarks(schema):
    assert convert(schema, {"mobile": "1381234"}) == ({"mobile": "1381234"}, [])
    out, _ = convert(schema, {"mobile": "13812345678/见备注"})
    assert (out["mobile"], out[EXTRAS_KEY]) == ("13812345678", "其他号码：见备注")


def test_converted_phones_pass_validation(schema):
    ctx = CheckContext.build(schema)
    form = schema.form("registration")
    out, _ = convert(schema, {"mobile": "０７５５－１２３４５６７８；１３８１２３４５６７８", "phone": 13987654321.0})
    for key in ("mobile", "phone"):
        assert checker_for(form.field(key))(out[key], form.field(key), ctx)[1] == (), key


# ---------------------------------------------------------------- full-width, codes

def test_full_width_digits_and_letters_are_made_half_width(schema):
    out, conversions = convert(schema, {"customer_name": "ＡＢＣ贸易（上海）有限公司", "mobile": "１３８１２３４５６７８",
                                        "postal_code": "２００１２０", "registered_capital": "５００"})
    assert (out["customer_name"], out["mobile"], out["postal_code"], out["registered_capital"]) == (
        "ABC贸易（上海）有限公司", "13812345678", "200120", "500")
    assert {c.field: c.how for c in conversions if c.field not in ("customer_type", "region")} == dict.fromkeys(
        ["customer_name", "mobile", "postal_code", "registered_capital"], "全角字符改为半角")


def test_codes_are_upper_case_and_compact(schema):
    lower = SHENZHEN_USCC.lower()
    out, conversions = convert(schema, {"uscc": f" {lower[:6]} {lower[6:]} ", "id_card": CHENGDU_ID.translate(FULL_WIDTH),
                                        "customer_id": "hd 0001", "bank_account": "6222 0212 3456 7890"})
    assert (out["uscc"], out["id_card"], out["customer_id"], out["bank_account"]) == (
        SHENZHEN_USCC, CHENGDU_ID, "HD0001", "6222021234567890")
    hows = {c.field: c.how for c in conversions}
    assert hows["uscc"] == "去掉空格和横线，小写字母改为大写"
    assert hows["id_card"] == "全角字符改为半角"
    assert hows["customer_id"] == "去掉空格和横线，小写字母改为大写"
    assert hows["bank_account"] == "去掉空格和横线"


def test_an_id_card_excel_kept_exactly_becomes_text_and_a_lost_one_stays(schema):
    out, conversions = convert(schema, {"id_card": 110101199003071.0, "uscc": 9.1440300123456e17})
    assert out["id_card"] == "110101199003071" and how(conversions, "id_card") == "数字改为文本"
    assert out["uscc"] == 9.1440300123456e17 and how(conversions, "uscc") is None


# ---------------------------------------------------------------- 客户类型, 负责业务员

@pytest.mark.parametrize("values, expect", [
    ({"customer_name": "某某", "uscc": SHENZHEN_USCC}, ("公司", "由统一社会信用代码推断为公司")),
    ({"customer_name": "深圳市恒泰电子有限公司"}, ("公司", "由名称中的“有限公司”推断为公司")),
    ({"customer_name": "红星机械厂"}, ("公司", "由名称中的“厂”推断为公司")),
    ({"customer_name": "城南社区服务中心", "id_card": CHENGDU_ID}, ("公司", "由名称中的“中心”推断为公司")),
    ({"customer_name": "王记五金店"}, ("公司", "由名称中的“店”推断为公司")),
    ({"customer_name": "张伟", "id_card": CHENGDU_ID}, ("个人", "由身份证号和个人姓名推断为个人")),
    ({"customer_name": "欧阳娜娜", "id_card": CHENGDU_ID}, ("个人", "由身份证号和个人姓名推断为个人")),
    ({"customer_name": "张伟"}, (None, None)),                       # a name alone decides nothing
    ({"customer_name": "张伟", "id_card": "123"}, (None, None)),
])
def test_customer_type_inferred(schema, values, expect):
    out, conversions = convert(schema, values)
    assert (out.get("customer_type"), how(conversions, "customer_type")) == expect


def test_customer_type_given_is_kept_and_aliases_spelled(schema):
    out, conversions = convert(schema, {"customer_name": "红星机械厂", "customer_type": "个人"})
    assert out["customer_type"] == "个人" and conversions == []
    out, conversions = convert(schema, {"customer_name": "红星机械厂", "customer_type": "企业客户"})
    assert out["customer_type"] == "公司" and how(conversions, "customer_type") == "按别名改为标准选项"


def test_owner_fills_an_empty_owner_only(schema):
    out, conversions = convert(schema, {"owner": None}, owner="李娜")
    assert out["owner"] == "李娜" and conversions == [Conversion(0, "owner", None, "李娜", "按指定的负责业务员填写")]
    assert convert(schema, {"owner": "王强"}, owner="李娜") == ({"owner": "王强"}, [])


# ---------------------------------------------------------------- several columns, pass-through

def test_address_parts_from_several_columns_are_joined(schema):
    out, conversions = convert(schema, {"address": ["江苏省", "苏州市", "江苏省苏州市吴中区东吴北路1号", None]})
    assert out["address"] == "江苏省苏州市吴中区东吴北路1号"
    out, conversions = convert(schema, {"address": ["广东省", "深圳市", "南山区科技园路1号"]})
    assert out["address"] == "广东省深圳市南山区科技园路1号"
    assert how(conversions, "address") == "合并多列地址"


def test_other_fields_keep_the_first_value_and_move_the_rest_to_remarks(schema):
    out, conversions = convert(schema, {"customer_name": ["恒泰电子有限公司", "恒泰电子", "恒泰电子有限公司"],
                                        "remarks": ["重点跟进", "年底回访"]})
    assert out["customer_name"] == "恒泰电子有限公司"
    assert out["remarks"] == "重点跟进；年底回访；客户名称（另一列）：恒泰电子"
    assert [(c.field, c.how) for c in conversions if c.field != "customer_type"] == [
        ("customer_name", "另一列的值移入备注"), ("remarks", "合并多列内容，另一列的值移入备注")]


def test_leftover_numbers_and_values_share_the_remarks(schema):
    out, conversions = convert(schema, {"mobile": "13812345678;13987654321", "contact": ["李娜", "王强"],
                                        "region": "华东"})
    assert out["remarks"] == "联系人（另一列）：王强；其他号码：13987654321"
    assert how(conversions, "remarks") == "多余的号码移入备注，另一列的值移入备注"


def test_keys_that_are_no_field_pass_through_and_the_input_is_not_changed(schema):
    values = {"其他信息": "微信 abc", "mobile": "13812345678/13987654321"}
    out, _ = convert(schema, values, row=7)
    assert out["其他信息"] == "微信 abc"
    assert values == {"其他信息": "微信 abc", "mobile": "13812345678/13987654321"}


def test_conversion_is_a_frozen_record_with_the_row_index(schema):
    _, conversions = convert(schema, {"category": "A类客户"}, row=41)
    assert conversions[0].row == 41
    with pytest.raises(dataclasses.FrozenInstanceError):
        conversions[0].after = "x"
