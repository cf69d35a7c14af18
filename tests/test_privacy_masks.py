"""Masking rules of the 权限分配表: one pure function per rule, and what malformed values become."""

from __future__ import annotations

import pytest

from workbook_tools.privacy.masks import (
    FULL, looks_like_person, mask_address, mask_bank_account, mask_customer_name, mask_email,
    mask_full, mask_id_card, mask_mobile, mask_person_name, mask_phone, mask_value,
)


@pytest.mark.parametrize("value, shown", [
    ("110101199003071234", "110101********1234"),
    ("32050019801207206X", "320500********206X"),
    ("32050019801207206x", "320500********206X"),
    ("３２０５００１９８０１２０７２０６Ｘ", "320500********206X"),   # full-width
    (" 320500 19801207 206X ", "320500********206X"),
    ("110101900307123", "110101******123"),                          # 15-digit
    ("11010119900307", FULL),                                        # too short: malformed
    ("1101011990030712345", FULL),
    ("11010119900307123A", FULL),
    (4.40304e17, FULL),                                              # stored as a number
    ("", ""), (None, ""),
])
def test_id_card(value, shown):
    assert mask_id_card(value) == shown


@pytest.mark.parametrize("value, shown", [
    ("13812345678", "138****5678"), ("138 1234 5678", "138****5678"), ("138-1234-5678", "138****5678"),
    ("+8613812345678", "138****5678"), ("１３８１２３４５６７８", "138****5678"), (13812345678, "138****5678"),
    (13812345678.0, "138****5678"), ("1381234567", FULL), ("0755-12345678", "0755-********"), ("23812345678", FULL), ("138abc45678", FULL),
    ("", ""),
])
def test_mobile(value, shown):
    assert mask_mobile(value) == shown


@pytest.mark.parametrize("value, shown", [
    ("0755-12345678", "0755-********"), ("0755-12345678-123", "0755-***********"),
    ("010 6552 1234", "010-********"), ("(021)55344630", "021-********"),
    ("13812345678", "138****5678"), ("12345678", FULL), ("电话待补", FULL), ("", ""),
])
def test_phone_keeps_the_area_code(value, shown):
    assert mask_phone(value) == shown


@pytest.mark.parametrize("value, shown", [
    ("6222021234567890", "************7890"), ("6222 0212 3456 7890", "************7890"),
    ("１２３４５６７８９０", "******7890"), ("1234567", FULL), ("62220212345678901234567890123", "*" * 25 + "0123"),
    ("622202123456789O", FULL), ("", ""),
])
def test_bank_account_keeps_the_last_four(value, shown):
    assert mask_bank_account(value) == shown


@pytest.mark.parametrize("value, shown", [
    ("zhangsan@example.com", "z***@example.com"), ("a@b.cn", "a***@b.cn"),
    ("ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ", "z***@example.com"), ("zhangsan#example.com", FULL),
    ("zhang@localhost", FULL), ("", ""),
])
def test_email(value, shown):
    assert mask_email(value) == shown


@pytest.mark.parametrize("value, shown", [
    ("广东省深圳市南山区科技园路1号", "广东省深圳市南山区****"),
    ("上海市黄浦区工业大道381号", "上海市黄浦区****"),
    ("广西壮族自治区南宁市青秀区民族大道1号", "广西壮族自治区南宁市青秀区****"),
    ("内蒙古自治区锡林郭勒盟正蓝旗上都镇1号", "内蒙古自治区锡林郭勒盟正蓝旗****"),
    ("浙江省杭州市余杭县良渚镇", "浙江省杭州市余杭县****"),
    ("广东省东莞市长安镇振安路5号", "广东省东莞市****"),
    ("科技园路1号", FULL), ("南山区", FULL), ("", ""),
])
def test_address_is_cut_after_the_district(value, shown):
    assert mask_address(value) == shown


@pytest.mark.parametrize("value, shown", [
    ("张三", "张*"), ("张三丰", "张**"), ("欧阳娜娜", "欧阳**"), ("欧阳", "欧*"), ("司马光", "司马*"),
    ("张", "*"), ("Ｊｏｈｎ Ｓｍｉｔｈ", "J***"), ("", ""), (None, ""),
])
def test_person_name(value, shown):
    assert mask_person_name(value) == shown


def test_customer_name_masks_only_natural_persons():
    assert mask_customer_name("郭晓宁") == "郭**"
    assert mask_customer_name("南京元航供应链管理有限公司") == "南京元航供应链管理有限公司"
    assert mask_customer_name("老王五金店") == "老王五金店"
    assert looks_like_person("欧阳娜娜") and not looks_like_person("城南五金店")


def test_mask_value_by_rule_or_type_and_unknown_rules_mask_everything():
    assert mask_value("mobile", "13812345678") == "138****5678"
    assert mask_value("id_card", "110101199003071234") == "110101********1234"
    assert mask_value("full", "anything") == FULL == mask_full(12345)
    assert mask_value("no-such-rule", "13812345678") == FULL
    assert mask_value("full", "") == ""
