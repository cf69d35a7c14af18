"""Property: rows built from valid values (check digits computed, numbers from the
numbering plan, dates in order, any spelling of a choice) validate with zero errors."""

from __future__ import annotations

import datetime as dt

import phonenumbers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_validate_support import AS_OF, SCHEMA, id_card, run, uscc_code

FORM = SCHEMA.form("registration")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
REGIONS = ["110105", "310101", "440305", "510104", "330106", "150102", "810000", "820000"]
_META = phonenumbers.PhoneMetadata.metadata_for_region("CN")


def _pattern(desc) -> str:
    return desc.national_number_pattern.replace(r"\d", "[0-9]")


def _valid(nsn: str) -> bool:
    return phonenumbers.is_valid_number(phonenumbers.PhoneNumber(country_code=86, national_number=int(nsn)))


MOBILE_PREFIXES = [p for p in map(str, range(130, 200)) if _valid(p + "12345678")]
mobiles = st.builds(lambda p, rest: p + rest, st.sampled_from(MOBILE_PREFIXES),
                    st.from_regex(r"[0-9]{8}", fullmatch=True)).filter(_valid)
landlines = st.from_regex(_pattern(_META.fixed_line), fullmatch=True).filter(_valid)
dates = st.dates(dt.date(1995, 1, 1), AS_OF)


@st.composite
def id_cards(draw):
    born = draw(st.dates(dt.date(1930, 1, 1), dt.date(2005, 12, 31)))
    sequence = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    return id_card(draw(st.sampled_from(REGIONS)) + born.strftime("%Y%m%d") + sequence)


@st.composite
def usccs(draw):
    head = draw(st.sampled_from("1259YN")) + draw(st.sampled_from("123ABC"))
    region = draw(st.from_regex(r"[0-9]{6}", fullmatch=True))
    org = "".join(draw(st.lists(st.sampled_from(USCC_ALPHABET), min_size=9, max_size=9)))
    return uscc_code(head + region + org)


def choice(key: str):
    names = [name for c in FORM.field(key).choices for name in (c.value, *c.aliases)]
    return st.sampled_from(names)


def as_cell(value: dt.date):
    return st.sampled_from([value, value.isoformat(), value.strftime("%Y年%m月%d日")])


@st.composite
def rows(draw, number: int):
    person = draw(st.booleans())
    created = draw(dates)
    first = draw(dates)
    row = {
        "客户编号": f"{draw(st.sampled_from(['HD', 'HN', 'XB']))}{number:04d}",
        "客户名称": draw(st.text("甲乙丙丁公司贸易", min_size=2, max_size=12)),
        "客户类型": draw(st.sampled_from(["个人", "个人客户", "自然人"] if person else ["公司", "企业"])),
        "所属区域": draw(choice("region")), "所属行业": draw(choice("industry")),
        "客户类别": draw(choice("category")), "信誉等级": draw(choice("credit")),
        "结算方式": draw(choice("settlement")),
        "手机": draw(st.one_of(mobiles, mobiles.map(float), mobiles.map(lambda m: f"+86 {m}"))),
        "电话": draw(st.one_of(st.none(), landlines.map(lambda n: "0" + n), mobiles)),
        "电子邮件": draw(st.one_of(st.none(), st.emails())),
        "邮编": draw(st.from_regex(r"[0-9]{6}", fullmatch=True)),
        "身份证号": draw(id_cards()) if person else None,
        "统一社会信用代码": None if person else draw(usccs()),
        "员工人数": float(draw(st.integers(0, 100_000))),
        "交易次数": float(trades := draw(st.integers(0, 500))),
        # 交易次数 0 ⇔ 交易金额 0 (schema rules trade_count_zero_amount / trade_amount_zero_count)
        "交易金额(元)": draw(st.floats(0.01, 1e9, allow_nan=False)) if trades else 0.0,
        "首次交易日期": draw(as_cell(first)),
        "最近交易日期": draw(as_cell(draw(st.dates(first, AS_OF)))),
        "负责业务员": "李明",
        "建档日期": draw(as_cell(created)),
        "最新修订日期": draw(as_cell(draw(st.dates(created, AS_OF)))),
    }
    return row


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 3).flatmap(lambda n: st.tuples(*(rows(i + 1) for i in range(n)))))
def test_valid_rows_have_no_errors(generated):
    result = run(*generated)
    errors = [(f.cell, f.code, f.value) for f in result.findings if f.severity == "error"]
    assert errors == []
    assert len(result.parsed) == len(generated)
