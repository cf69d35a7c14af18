"""Fill a generated self-checking form with thousands of valid and mutated values, as typed:
text into text cells, real dates into date cells (and a few 2026-02-30 texts Excel keeps as
text), numbers into number cells. Writes the data sheet's XML directly (the template has
thousands of formula cells openpyxl would rewrite one by one)."""

from __future__ import annotations

import datetime as dt
import random
import re
import zipfile
from pathlib import Path

from stdnum.cn import ric

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
REGIONS = ("110105", "310101", "440305", "330106", "510104", "420102", "610113", "210102")
WIDE = str.maketrans("0123456789", "０１２３４５６７８９")
EPOCH = dt.date(1899, 12, 30)


def uscc(rng: random.Random) -> str:
    head = rng.choice("123456789ABCDEFGNY") + rng.choice("1239")
    body = head + "".join(rng.choice("0123456789") for _ in range(6)) + \
        "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, USCC_WEIGHTS))
    return body + USCC_ALPHABET[-total % 31]


def id_card(rng: random.Random, birth: dt.date | None = None) -> str:
    birth = birth or dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(24000))
    body = rng.choice(REGIONS) + birth.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
    return body + ric.calc_check_digit(body + "0")  # it drops the last character


def _mutate_code(rng: random.Random, code: str, kind: str) -> str:
    """A typing mistake in a code: check character, one character, length ±1, full width,
    spaces, lower case, X in the wrong place, a character of another alphabet."""
    k = rng.randrange(10)
    if k == 0:
        alphabet = "0123456789X" if kind == "id" else USCC_ALPHABET
        return code[:-1] + rng.choice([c for c in alphabet if c != code[-1]])
    if k == 1:
        i = rng.randrange(len(code) - 1)
        return code[:i] + rng.choice([c for c in "0123456789" if c != code[i]]) + code[i + 1:]
    if k == 2:
        return code[:-1]
    if k == 3:
        return code + rng.choice("0123456789")
    if k == 4:
        return code.translate(WIDE)
    if k == 5:
        return f" {code[:6]} {code[6:]} "
    if k == 6:
        return code.lower()
    if k == 7:
        i = rng.randrange(17)
        return code[:i] + "X" + code[i + 1:]
    if k == 8:
        i = rng.randrange(18)
        return code[:i] + rng.choice("IOZSV-/a中") + code[i + 1:]
    return code[:6] + code[8:10] + code[6:8] + code[10:]       # digits swapped


def id_value(rng: random.Random) -> str | None:
    k = rng.randrange(20)
    if k < 6:
        return id_card(rng)
    if k == 6:
        return None
    if k == 7:    # impossible or implausible birth dates
        body = rng.choice(REGIONS) + rng.choice(["19991301", "20000230", "19990132", "18500101",
                                                 "21500101", "00000101", "20990101"]) + "123"
        return body + ric.calc_check_digit(body + "0")  # it drops the last character
    if k == 8:    # the old 15-digit number, valid or not
        return rng.choice(REGIONS) + f"{rng.randrange(40, 99)}{rng.randrange(1, 14):02d}" \
            f"{rng.randrange(1, 32):02d}{rng.randrange(1000):03d}"
    return _mutate_code(rng, id_card(rng), "id")


def uscc_value(rng: random.Random) -> str | None:
    k = rng.randrange(20)
    if k < 6:
        return uscc(rng)
    if k == 6:
        return None
    if k == 7:
        return "".join(rng.choice("0123456789") for _ in range(15))
    return _mutate_code(rng, uscc(rng), "uscc")


def mobile_value(rng: random.Random) -> str | None:
    good = rng.choice(["138", "139", "150", "186", "177", "199", "135"]) + \
        "".join(rng.choice("0123456789") for _ in range(8))
    k = rng.randrange(10)
    return [good, good, good, None, good[:-1], good + "5", good.translate(WIDE),
            f"{good[:3]} {good[3:7]} {good[7:]}", f"{good[:3]}-{good[3:]}", good[:-2]][k]


def postal_value(rng: random.Random) -> str | None:
    good = f"{rng.randrange(10, 86)}{rng.randrange(10000):04d}"
    k = rng.randrange(8)
    return [good, good, None, good[:-1], good + "1", good.translate(WIDE), f" {good} ",
            good[:3] + "O" + good[4:]][k]


def date_value(rng: random.Random, today: dt.date):
    k = rng.randrange(12)
    if k < 6:
        return today - dt.timedelta(days=rng.randrange(1, 4000))
    if k == 6:
        return today + dt.timedelta(days=rng.randrange(1, 400))    # future
    if k == 7:
        return None
    if k == 8:
        return rng.choice(["2024-02-30", "2023-13-01", "2025-04-31", "2022-00-10", "2021-06-00"])
    if k == 9:
        return (today - dt.timedelta(days=rng.randrange(1, 900))).isoformat()   # text date
    if k == 10:
        return rng.choice(["2150-01-01", "1850-03-03"])
    return dt.date(2150, 1, 1) if rng.random() < 0.5 else today


def registration_row(rng: random.Random, i: int, ids: list[str], today: dt.date) -> dict:
    """One row of the 客户档案登记表 (field key → value as typed, None = left empty)."""
    if ids and rng.random() < 0.05:
        customer_id = rng.choice(ids)                      # a duplicate
    else:
        customer_id = f"{rng.choice(['HD', 'HN', 'XB', 'DB'])}{i:05d}"
        ids.append(customer_id)
        k = rng.randrange(25)
        if k == 0:
            customer_id = customer_id.lower()
        elif k == 1:
            customer_id = "QQ" + customer_id[2:]
        elif k == 2:
            customer_id = customer_id[:4]
        elif k == 3:
            customer_id = None
        elif k == 4:
            customer_id = customer_id.translate(WIDE)
    row = {
        "customer_id": customer_id,
        "customer_name": None if rng.random() < 0.05 else f"测试客户{i}",
        "customer_type": rng.choice(["公司", "个人", "个人客户", "企业", "公 司", "单位x", None]),
        "region": rng.choice(["华东", "华南区", "西北大区", "东北", "华西", None]),
        "category": rng.choice(["重要客户", "普通", "C类客户", "VIP", None]),
        "credit": rng.choice(["A", "b", "C级", "D", None]),
        "mobile": mobile_value(rng),
        "phone": rng.choice([None, None, "0755-12345678"]),
        "postal_code": postal_value(rng),
        "id_card": id_value(rng),
        "uscc": uscc_value(rng),
        "registered_capital": rng.choice([None, 100, 0, -5, 12.5, -0.5]),
        "employees": rng.choice([None, 10, 0, -3, 2.5, 300]),
        "owner": None if rng.random() < 0.05 else "张三",
        "contact_cycle": rng.choice([None, 7, 0, 30, 1.5]),
        "trade_count": rng.choice([None, 0, 3, 12]),
        "first_trade_date": date_value(rng, today),
        "last_trade_date": date_value(rng, today),
        "created": date_value(rng, today),
        "revised": date_value(rng, today),
    }
    _placeholder(row, i)
    return row


# 填表说明 "不涉及的可填‘无’": every 7th row holds a placeholder in one field (cycling through
# required, conditionally required and optional fields of each type); no draw of ``rng`` changes.
PLACEHOLDER_FIELDS = ("owner", "uscc", "postal_code", "employees", "first_trade_date", "mobile", "credit",
                      "customer_id", "id_card", "registered_capital", "customer_name", "region", "phone")
PLACEHOLDERS = ("无", "不详", "/", "—", "－", " 无 ", "／", "——", "-")


def _placeholder(row: dict, i: int) -> None:
    if i % 7 == 3:
        n = i // 7
        row[PLACEHOLDER_FIELDS[n % len(PLACEHOLDER_FIELDS)]] = PLACEHOLDERS[n % len(PLACEHOLDERS)]


def _cell(ref: str, style: str, value) -> str:
    if isinstance(value, str):
        text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'
    if isinstance(value, dt.date):
        value = (value - EPOCH).days
    return f'<c r="{ref}"{style}><v>{value}</v></c>'


def fill(template: Path, target: Path, rows: list[dict], form) -> None:
    """Copy ``template`` to ``target`` with ``rows`` typed into the data sheet from row 2."""
    letters = {f.key: _letter(i) for i, f in enumerate(form.fields)}
    values = {}
    for r, row in enumerate(rows, start=2):
        for key, value in row.items():
            if value is not None:
                values[f"{letters[key]}{r}"] = value
    pattern = re.compile(r'<c r="([A-Z]+\d+)"( s="\d+")?/>')

    def sub(m):
        v = values.get(m.group(1))
        return m.group(0) if v is None else _cell(m.group(1), m.group(2) or "", v)
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = pattern.sub(sub, data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)


def _letter(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        out = chr(65 + rem) + out
    return out
