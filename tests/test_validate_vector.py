"""The column-wise pre-check of 身份证号 / 统一社会信用代码 (validate/vector.py) against
python-stdnum and the per-value checkers, on many generated valid and invalid values."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest
from stdnum.cn import ric, uscc
from test_validate_support import AS_OF, SCHEMA, make_table, valid_registration

from workbook_tools.validate import engine, vector
from workbook_tools.validate.common import CheckContext
from workbook_tools.validate.engine import validate_table
from workbook_tools.validate.identity import _USCC_ALPHABET, check_id_card, check_uscc

CTX = CheckContext.build(SCHEMA, AS_OF)
REGIONS = ["110105", "310101", "440305", "330106", "510107", "830000", "990000", "110100", "000000"]


def _id_values(rng: random.Random, n: int) -> list:
    """ID-like values: most well formed with the right check digit, the rest broken in
    each way the checker distinguishes (check digit, date, age, region, case, spaces,
    length, full-width digits, numbers)."""
    out: list = []
    for i in range(n):
        born = dt.date(1900, 1, 1) + dt.timedelta(days=rng.randrange(0, 50_000))
        birth = born.strftime("%Y%m%d")
        if i % 17 == 0:
            birth = rng.choice(["19900230", "20010229", "20000229", "19901301", "19900100", "00000101"])
        body = rng.choice(REGIONS) + birth + f"{rng.randrange(1000):03d}"
        good = body + ric.calc_check_digit(body + "0")
        kind = i % 11
        if kind == 1:
            good = body + rng.choice("0123456789X")          # often a wrong check digit
        elif kind == 2 and good.endswith("X"):
            good = good[:-1] + "x"
        elif kind == 3:
            good = " " + good
        elif kind == 4:
            good = good[:rng.choice([15, 17])] + ("1" if rng.random() < 0.5 else "")
        elif kind == 5:
            good = good.replace("1", "１", 1)
        elif kind == 6:
            good = good[:5] + "A" + good[6:]
        out.append(good)
    out += [110105199001010021, 1.5, "", "   ", None]
    return out


def _uscc_values(rng: random.Random, n: int) -> list:
    out: list = []
    letters = _USCC_ALPHABET + "IOSVZa"
    for i in range(n):
        head = rng.choice(["91", "92", "93", "Y1", "11", "51", "O1"])
        body = head + f"{rng.randrange(10 ** 6):06d}" + "".join(rng.choice(_USCC_ALPHABET) for _ in range(9))
        good = body + uscc.calc_check_digit(body) if body.isascii() and body[:8].isdigit() else body + "0"
        kind = i % 7
        if kind == 1:
            good = body + rng.choice(letters)
        elif kind == 2:
            good = good[:4] + rng.choice(letters) + good[5:]
        elif kind == 3:
            good = good.lower()
        elif kind == 4:
            good = good[:17]
        out.append(good)
    return out


def _accepted_unchanged(check, value) -> bool:
    """What the pre-check promises: the checker parses the value to itself, no finding."""
    parsed, issues = check(value, None, CTX)
    return parsed == value and not issues


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_id_cards_match_the_checker_and_stdnum(seed):
    values = _id_values(random.Random(seed), 4000)
    clean = set(vector.clean_id_cards(values, CTX))
    strings = [v for v in dict.fromkeys(values) if isinstance(v, str)]
    assert clean == {v for v in strings if _accepted_unchanged(check_id_card, v)}
    assert 1000 < len(clean) < len(strings) - 1000     # both sides well populated
    # every clean number has stdnum's check digit and a birth date stdnum reads (stdnum's
    # place table is not ours: an unknown region is our warning, not a rejection) …
    assert all(ric.calc_check_digit(v) == v[17] and ric.get_birth_date(v) for v in clean)
    # … and among well-formed numbers, the check digit alone decides as stdnum's does
    formed = [v for v in strings if len(v) == 18 and v[:17].isascii() and v[:17].isdigit()
              and v[17] in "0123456789X" and _accepted_unchanged(check_id_card, v[:17] + ric.calc_check_digit(v))]
    assert {v for v in formed if v in clean} == {v for v in formed if ric.calc_check_digit(v) == v[17]}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_usccs_match_the_checker_and_stdnum(seed):
    values = _uscc_values(random.Random(seed), 4000)
    clean = set(vector.clean_usccs(values))
    assert clean == {v for v in dict.fromkeys(values) if _accepted_unchanged(check_uscc, v)}
    assert 800 < len(clean) < 3200
    numeric_authority = [v for v in values if v[:8].isascii() and v[:8].isdigit() and v == v.upper()]
    assert {v for v in numeric_authority if v in clean} == {v for v in numeric_authority if uscc.is_valid(v)}
    assert any(v.startswith("Y1") for v in clean)           # a letter authority (Y = 其他) is accepted


def test_age_limits_follow_the_context():
    young = "110105" + (AS_OF - dt.timedelta(days=365 * 10)).strftime("%Y%m%d") + "002"
    number = young + ric.calc_check_digit(young + "0")
    strict = dataclasses.replace(CTX, id_age_min=18)
    assert vector.clean_id_cards([number], CTX) == [number]
    assert vector.clean_id_cards([number], strict) == []


def _findings(table):
    result = validate_table(table, SCHEMA, as_of=AS_OF)
    return [(f.cell, f.code, f.message) for f in result.findings], result.parsed


def test_a_sheet_validates_the_same_with_and_without_the_pre_check(monkeypatch):
    """Findings, messages and parsed values of a registration sheet whose 身份证号 and
    统一社会信用代码 columns mix clean and broken values are identical either way."""
    rng = random.Random(7)
    ids, codes = _id_values(rng, 600), _uscc_values(rng, 600)
    rows = []
    for i in range(600):
        person = i % 2 == 0
        row = valid_registration(客户编号=f"HD{i:05d}", 客户类型="个人" if person else "公司",
                                 身份证号=ids[i] if person else None, 统一社会信用代码=None if person else codes[i])
        rows.append(row)
    headers = list(dict.fromkeys(k for row in rows for k in row))
    table = make_table(headers, [[row.get(h) for h in headers] for row in rows])
    fast = _findings(table)
    monkeypatch.setattr(engine, "preclean", lambda *args: [])
    slow = _findings(table)
    assert fast == slow
    assert any(code == "id-card-checksum" for _, code, _ in fast[0])
    assert any(code == "uscc-checksum" for _, code, _ in fast[0])


def _phone_values(rng: random.Random, n: int) -> list:
    out: list = []
    for i in range(n):
        kind = i % 12
        mobile = rng.choice(["13", "15", "17", "18", "19", "14", "16", "12", "10"]) + f"{rng.randrange(10 ** 9):09d}"
        area = rng.choice(["010", "021", "0571", "0755", "0991", "0123", "0570"])
        local = f"{rng.randrange(2 * 10 ** 6, 10 ** 8):d}"[: rng.choice([7, 8])]
        value = {0: mobile, 1: mobile, 2: f"{area}-{local}", 3: f"{area}-{local}",
                 4: f"{area[:2]}-{area[2:]}{local}", 5: f"{area}{local}", 6: f"+86 {mobile}",
                 7: "86" + mobile, 8: f"400{rng.randrange(10 ** 7):07d}", 9: mobile[:10],
                 10: f"{area}-{local}-{rng.randrange(1000)}", 11: f"{area[1:]}{local}"}[kind]
        out.append(value)
    return out + ["１３８１２３４５６７８", " 13812345678", "13812345678/13912345678", 13812345678]


def _text_values(rng: random.Random, n: int, make) -> list:
    return [make(rng, i) for i in range(n)] + ["", "  ", None, 12345678.0]


def _email(rng: random.Random, i: int) -> str:
    user = "".join(rng.choice("abcxyz._-+") for _ in range(rng.randrange(1, 12)))
    value = f"{user}@{rng.choice(['qq.com', 'example.com.cn', '163.com', 'x', 'a-.com'])}"
    return [value, value.upper(), " " + value, value.replace("@", "＠"), "a" * 70 + "@qq.com"][i % 5]


def _account(rng: random.Random, i: int) -> str:
    digits = f"{rng.randrange(10 ** 19):019d}"[: rng.randrange(5, 20)]
    return [digits, digits, f"{digits[:4]} {digits[4:]}", digits + "x", "６" + digits][i % 5]


def _customer_id(rng: random.Random, i: int) -> str:
    code = rng.choice(["HD", "HN", "hd", "XX", "ＨＤ"]) + f"{rng.randrange(10 ** 6):0{rng.choice([4, 6])}d}"
    return [code, code, " " + code, code + "-1"][i % 4]


@pytest.mark.parametrize("kind, values", [
    ("mobile", _phone_values(random.Random(4), 3000)),
    ("phone", _phone_values(random.Random(5), 3000)),
    ("email", _text_values(random.Random(6), 2000, _email)),
    ("bank_account", _text_values(random.Random(7), 2000, _account)),
])
def test_contact_and_account_values_match_their_checkers(kind, values):
    from workbook_tools.validate.checkers import CHECKERS

    check = CHECKERS[kind]
    clean = set(vector.preclean(kind, values, CTX))
    expected = {v for v in dict.fromkeys(values) if isinstance(v, str) and v.strip() and _accepted_unchanged(check, v)}
    assert clean <= expected          # never a value the checker would flag or change
    # and every accepted form but a landline with an extension (left to the checker)
    assert all(v.count("-") == 2 for v in expected - clean)
    assert 100 < len(clean) < len({v for v in values if isinstance(v, str)}) - 100


def test_mobile_types_agree_with_phonenumbers():
    import phonenumbers

    values = [v for v in _phone_values(random.Random(8), 2000) if isinstance(v, str)]
    clean = set(vector.clean_mobiles(values))
    for v in {v for v in values if v.isascii() and v.isdigit() and len(v) == 11 and v[0] == "1"}:
        number = phonenumbers.parse(v, "CN")
        is_mobile = phonenumbers.number_type(number) in (phonenumbers.PhoneNumberType.MOBILE,
                                                         phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
        assert (v in clean) == (is_mobile and phonenumbers.is_valid_number(number)), v


def test_customer_ids_follow_the_field_pattern():
    from workbook_tools.validate.text import check_customer_id

    field = SCHEMA.form("registration").field("customer_id")
    values = _text_values(random.Random(9), 2000, _customer_id)
    clean = set(vector.preclean("customer_id", values, CTX, field))
    parsed = {v: check_customer_id(v, field, CTX) for v in dict.fromkeys(values) if isinstance(v, str) and v.strip()}
    assert clean == {v for v, (p, issues) in parsed.items() if p == v and not issues}
    assert 300 < len(clean) < len(parsed) - 300
