"""身份证号, 统一社会信用代码 and bank accounts: codes and exact Chinese messages."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc
from test_validate_support import cell_findings, codes, id_card, parsed, uscc_code

from workbook_tools.privacy.masks import mask_id_card
from workbook_tools.validate.identity import uscc_check_char

ID = "身份证号"
PERSON = {"客户类型": "个人"}
GOOD_ID = id_card("11010519900101002")     # 北京朝阳, born 1990-01-01


def _id(raw, **kwargs):
    return cell_findings(ID, raw, **PERSON, **kwargs)


def test_valid_id_card_has_no_findings():
    assert _id(GOOD_ID) == []
    assert parsed(ID, GOOD_ID, **PERSON) == GOOD_ID


def test_bad_check_digit():
    wrong = GOOD_ID[:17] + ("1" if GOOD_ID[17] != "1" else "2")
    assert _id(wrong) == [(
        "error", "id-card-checksum",
        f"身份证号“{mask_id_card(wrong)}”的校验位不正确，号码中有数字抄错；请对照证件逐位核对",
    )]


@pytest.mark.parametrize("prefix", ["810000", "820000", "830000"])
def test_hong_kong_macau_taiwan_residence_permits_are_at_most_a_warning(prefix):
    number = id_card(prefix + "19900101002")
    found = _id(number)
    assert all(severity == "warning" for severity, _, _ in found)


def test_unknown_region_is_a_warning_naming_the_region():
    number = id_card("99999919900101002")
    assert _id(number) == [(
        "warning", "id-card-region-unknown",
        f"身份证号“{mask_id_card(number)}”的地区码 999999 不在已知的行政区划代码表中；如果号码与证件一致可以忽略，否则请核对前 6 位",
    )]


def test_id_stored_as_number_is_the_exact_error():
    assert _id(1.10105199001011e+17) == [(
        "error", "id-card-stored-as-number",
        "该身份证号被 Excel 存成了数字（显示为 1.10105E+17），后几位已丢失；请把该列设置为“文本”格式后重新输入完整号码",
    )]
    assert parsed(ID, 1.10105199001011e+17, **PERSON) is None


def test_lower_case_x_is_normalised_with_a_warning():
    body = next(b for b in (f"1101051990010100{i}" for i in range(10)) if id_card(b).endswith("X"))
    lower = id_card(body).lower()
    assert _id(lower) == [(
        "warning", "value-normalized",
        f"身份证号“{mask_id_card(lower)}”含有全角字符、空格或小写字母，已按“{mask_id_card(lower)}”读取；"
        f"请改为“{mask_id_card(lower)}”",
    )]
    assert parsed(ID, lower, **PERSON) == lower.upper()


def test_full_width_digits_are_normalised():
    full = GOOD_ID.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    assert codes(ID, full, **PERSON) == ["value-normalized"]
    assert parsed(ID, full, **PERSON) == GOOD_ID


def test_fifteen_digit_old_id_is_a_warning():
    assert _id("110105900101002") == [(
        "warning", "id-card-old",
        "身份证号“110105******002”是 15 位的第一代身份证号；请向客户索取 18 位号码后更新",
    )]


def test_wrong_length_and_characters():
    assert _id("1101051990") == [(
        "error", "id-card-length",
        "身份证号“******”有 10 位；身份证号应为 18 位（最后一位可以是 X），请对照证件核对",
    )]
    assert codes(ID, "11010519900101002A", **PERSON) == ["id-card-format"]


def test_impossible_birth_date():
    number = id_card("11010519900230002")
    assert _id(number) == [(
        "error", "id-card-birth-date",
        f"身份证号“{mask_id_card(number)}”中的出生日期（第 7–14 位）不是有效日期；请对照证件核对",
    )]


def test_implausible_age_uses_schema_settings_and_as_of():
    old = id_card("11010518800101002")
    assert _id(old) == [(
        "error", "id-card-age",
        f"身份证号“{mask_id_card(old)}”中的出生日期是 1880-01-01，年龄不在 0–120 岁之间；请对照证件核对",
    )]
    unborn = id_card("11010520300101002")
    assert codes(ID, unborn, **PERSON) == ["id-card-age"]
    assert codes(ID, unborn, **PERSON, as_of=dt.date(2031, 1, 1)) == []


# --- 统一社会信用代码 ---------------------------------------------------------------------------------
USCC = "统一社会信用代码"


@pytest.mark.parametrize("body", ["91440300715267260", "Y1440300715267260", "N2110000MA0ABCDEF",
                                  "51110000500000012", "12100000400000398"])
def test_valid_uscc_including_letter_registration_authority(body):
    assert cell_findings(USCC, uscc_code(body)) == []


def test_uscc_bad_check_character():
    good = uscc_code("91440300715267260")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert cell_findings(USCC, wrong) == [(
        "error", "uscc-checksum",
        f"统一社会信用代码“{wrong}”的校验位不正确，有字符抄错；请对照营业执照逐位核对",
    )]


def test_uscc_letter_o_instead_of_zero():
    code = "9144O300715267260X"
    assert cell_findings(USCC, code) == [(
        "error", "uscc-format",
        f"统一社会信用代码“{code}”中的“O”不允许出现在这个位置；统一社会信用代码只含数字和大写字母"
        "（不用 I、O、Z、S、V），第 3–8 位必须是数字，请对照营业执照核对",
    )]


def test_uscc_lengths_and_old_registration_number():
    assert codes(USCC, "9144030071526726") == ["uscc-length"]
    assert cell_findings(USCC, "440301103456789") == [(
        "warning", "uscc-old",
        "统一社会信用代码“440301103456789”是 15 位的旧工商注册号；请向客户索取 18 位统一社会信用代码后更新",
    )]


def test_uscc_lower_case_is_normalised():
    good = uscc_code("91310000MA1K3YJ12")
    assert codes(USCC, good.lower()) == ["value-normalized"]
    assert parsed(USCC, good.lower()) == good


def test_uscc_stored_as_number():
    assert cell_findings(USCC, 9.14403007152673e+17) == [(
        "error", "code-stored-as-number",
        "统一社会信用代码被 Excel 存成了数字（显示为 9.14403E+17），后几位已丢失；请把该列设置为“文本”格式后重新输入完整号码",
    )]


# --- 银行账号 ------------------------------------------------------------------------------------
def test_bank_account_groups_of_four_are_fine():
    assert cell_findings("银行账号", "6222 0212 3456 7890 123") == []
    assert parsed("银行账号", "6222 0212 3456 7890 123") == "6222021234567890123"


def test_bank_account_errors():
    assert codes("银行账号", "12345") == ["bank-account-invalid"]
    assert codes("银行账号", 6.22202123456789e+18) == ["code-stored-as-number"]


@settings(max_examples=300, deadline=None)
@given(st.text("0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=17, max_size=17))
def test_uscc_check_character_agrees_with_stdnum(body):
    assert uscc_check_char(body) == uscc.calc_check_digit(body)
