"""Phones, e-mail, postcodes and URLs: codes and exact Chinese messages."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_validate_support import cell_findings, codes, parsed

from workbook_tools.validate import contact, identity
from workbook_tools.validate.contact import check_url
from workbook_tools.validate.phoneplan import number_plan

MOBILE, PHONE = "手机", "电话"


# --- the compiled number plan agrees with phonenumbers ---------------------------------------------
def _reference(nsn: str) -> tuple[int, bool]:
    number = phonenumbers.PhoneNumber(country_code=86, national_number=int(nsn))
    return phonenumbers.number_type(number), phonenumbers.is_valid_number(number)


@settings(max_examples=400, deadline=None)
@given(st.one_of(
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    st.from_regex(r"(?:10|2[0-9]|[3-9][0-9][0-9])[0-9]{7,8}", fullmatch=True),
    st.from_regex(r"[1-9][0-9]{4,12}", fullmatch=True),
))
def test_number_plan_agrees_with_phonenumbers(nsn):
    kind = number_plan().number_type(nsn)
    ref_kind, ref_valid = _reference(nsn)
    assert kind == ref_kind
    assert (kind != phonenumbers.PhoneNumberType.UNKNOWN) == ref_valid


# --- mobiles ---------------------------------------------------------------------------------
@pytest.mark.parametrize("raw", ["13812345678", "19912345678", "16612345678", "+86 138-1234-5678",
                                 "0086 13812345678", "138 1234 5678", 13812345678.0])
def test_valid_mobiles(raw):
    assert cell_findings(MOBILE, raw) == []
    assert len(parsed(MOBILE, raw)) == 11


def test_mobile_canonical_form():
    assert parsed(MOBILE, "+86 138-1234-5678") == "13812345678"
    assert parsed(MOBILE, 13812345678.0) == "13812345678"


def test_ten_digit_mobile_is_invalid():
    assert cell_findings(MOBILE, "1381234567") == [(
        "error", "mobile-invalid",
        "手机“******”不是有效的手机号；手机号是 1 开头的 11 位数字，如 13812345678，请核对",
    )]


def test_full_width_mobile_is_valid_with_a_normalisation_warning():
    raw = "１３８ １２３４ ５６７８"
    assert cell_findings(MOBILE, raw) == [(
        "warning", "value-normalized",
        "手机“138****5678”含有全角字符、空格或小写字母，已按“138****5678”读取；请改为“138****5678”",
    )]
    assert parsed(MOBILE, raw) == "13812345678"


def test_landline_in_the_mobile_column_is_a_warning():
    assert cell_findings(MOBILE, "0755-12345678") == [(
        "warning", "mobile-is-landline",
        "手机“0755-********”是固定电话；请把它填到电话列，本列填写 11 位手机号",
    )]


def test_two_numbers_in_one_cell():
    assert cell_findings(MOBILE, "13812345678/13912345678") == [(
        "error", "phone-multiple",
        "手机“******”填了多个号码；每个单元格只填一个号码，其余号码请写到备注",
    )]
    assert codes(PHONE, "0755-12345678，13812345678") == ["phone-multiple"]


# --- landlines ----------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, canonical", [
    ("0755-12345678-123", "0755-12345678-123"),
    ("010-12345678转123", "010-12345678-123"),
    ("0391-2345678-123", "0391-2345678-123"),       # 7-digit local number
    ("(0755)12345678", "0755-12345678"),
    ("（0755）12345678", "0755-12345678"),          # IME full-width brackets: no warning
    ("021 6123 4567", "021-61234567"),
    ("+86 755 12345678", "0755-12345678"),
    ("13812345678", "13812345678"),                 # a mobile in the 电话 column is fine
    ("4008001234", "4008001234"),
])
def test_valid_phones(raw, canonical):
    assert cell_findings(PHONE, raw) == []
    assert parsed(PHONE, raw) == canonical


def test_landline_that_lost_its_leading_zero():
    assert cell_findings(PHONE, 75512345678.0) == [(
        "warning", "phone-leading-zero-lost",
        "电话“75512345678”的区号前缺少 0（多半是被 Excel 存成数字时丢失的），已按 0755-12345678 读取；"
        "请把该列设为“文本”格式并填写 0755-12345678",
    )]
    assert parsed(PHONE, 75512345678.0) == "0755-12345678"


def test_landline_without_area_code():
    assert cell_findings(PHONE, "62345678") == [(
        "error", "phone-no-area-code", "电话“62345678”缺少区号；请写成 区号-号码，如 0755-12345678",
    )]


@pytest.mark.parametrize("raw", ["0755-1234567", "0123-4567890", "12345", "电话号码", "0755-123456789012"])
def test_invalid_phones(raw):
    assert codes(PHONE, raw) == ["phone-invalid"]


def test_invalid_phone_message():
    assert cell_findings("传真", "0755-1234567")[0][2] == (
        "传真“0755-1234567”不是有效的电话号码；固定电话请写成 区号-号码-分机，如 0755-12345678-123，手机写 11 位"
    )


# --- e-mail, postcode, URL ----------------------------------------------------------------------
@pytest.mark.parametrize("raw", ["wang@example.com", "wang.li+crm@mail.example.com.cn", "12345@qq.com"])
def test_valid_email(raw):
    assert cell_findings("电子邮件", raw) == []


@pytest.mark.parametrize("raw", ["wang@163,com", "wang@qq", "wang.example.com", "wang@@qq.com",
                                 ".wang@qq.com", "wang@qq.com。", "王@qq.com"])
def test_invalid_email(raw):
    assert cell_findings("电子邮件", raw) == [(
        "error", "email-invalid",
        f"电子邮件“{raw}”不是有效的电子邮件地址；请按 用户名@域名 的格式填写，如 zhangsan@example.com",
    )]


def test_full_width_at_sign_is_normalised():
    assert codes("电子邮件", "wang＠example.com") == ["value-normalized"]
    assert parsed("电子邮件", "wang＠example.com") == "wang@example.com"


def test_postcode_with_leading_zero_is_valid():
    assert cell_findings("邮编", "010000") == []
    assert parsed("邮编", "010000") == "010000"
    assert cell_findings("邮编", 518000.0) == []


def test_postcode_number_that_lost_its_leading_zero():
    assert cell_findings("邮编", 10000.0) == [(
        "warning", "postal-code-leading-zero-lost",
        "邮编被存成了数字 10000，开头的 0 已丢失，已按 010000 读取；请把该列设为“文本”格式并填写 010000",
    )]
    assert parsed("邮编", 10000.0) == "010000"


@pytest.mark.parametrize("raw", ["51800", "5180001", "51800A", 1234.0])
def test_invalid_postcode(raw):
    assert codes("邮编", raw) == ["postal-code-invalid"]


@pytest.mark.parametrize("raw", ["https://www.example.com", "http://example.com.cn/about?x=1",
                                 "www.example.cn", "example.com", "https://公司.中国"])
def test_valid_url(raw):
    assert cell_findings("网址", raw) == []


@pytest.mark.parametrize("raw", ["ftp://example.com", "http://", "公司网站", "www example com",
                                 "https://localhost", "example"])
def test_invalid_url(raw):
    assert cell_findings("网址", raw) == [(
        "error", "url-invalid",
        f"网址“{raw}”不是有效的网址；请填写如 https://www.example.com 或 www.example.com",
    )]


URLS = ["https://www.example.com", "http://example.com.cn/about?x=1", "www.example.cn", "example.com",
        "HTTPS://Example.COM:8080/a/b.html#top", "example.com/?u=http://x.com", "https://a.b/c:d",
        "-bad.example.com", "example.c", "example.123", "exa_mple.com", "ftp://example.com",
        "http://example.com.", "www.example.com/路径", "http://[::1]/", "example.com:99999",
        "https://example.com:80/x y", "a.bc", "http://example", "https://xn--fiqs8s.cn"]


@pytest.mark.parametrize("raw", URLS)
def test_url_fast_path_agrees_with_urlsplit(raw, monkeypatch):
    fast = check_url(raw, None, None)
    monkeypatch.setattr(contact, "_PLAIN_URL", re.compile(r"(?!)"))  # never matches
    assert check_url(raw, None, None) == fast


@pytest.mark.parametrize("raw", ["91310000MA1K3YJ12X", "91310000ma1k3yj12x", "9131 0000 MA1K 3YJ1 2X",
                                 "９１310000MA1K3YJ12X", " 91310000MA1K3YJ12X ", "91-310000"])
def test_compact_code_fast_path_agrees_with_the_general_one(raw, monkeypatch):
    fast = identity.compact_code(raw)
    slow = (identity._SEPARATORS.sub("", identity.nfkc(raw.strip())).upper())
    assert fast[0] == slow
    assert bool(fast[1]) == (slow != raw.strip())


def test_url_fast_path_is_taken_by_the_common_forms():
    taken = [u for u in URLS if contact._PLAIN_URL.fullmatch(u)]
    assert taken == ["https://www.example.com", "http://example.com.cn/about?x=1", "www.example.cn",
                     "example.com", "HTTPS://Example.COM:8080/a/b.html#top", "example.com:99999", "a.bc",
                     "https://xn--fiqs8s.cn"]
