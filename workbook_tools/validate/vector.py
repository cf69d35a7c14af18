"""Column-wise pre-checks: the values of a column that are already clean are found for the
whole column at once, instead of one Python call chain per value (≈ 2–5 µs each; ID, USCC,
phone, e-mail, account and customer-id values are mostly distinct, so the per-column
result cache does not help them).

- 身份证号 / 统一社会信用代码: NumPy over one byte buffer of the column's 18-character
  values (format, GB 11643 / GB 32100 check character, birth date, age, region);
- 手机 / 电话: the numbering plan's patterns applied to the whole list (phoneplan.number_types);
- e-mail, bank account, 客户编号: their patterns mapped over the list at C speed.

Only the *clean* values are decided here — they parse to themselves with no finding, which
is exactly what the per-value checker returns for them. Every other value (spaces, lower
case, full-width digits, a wrong check digit, …) still goes through the checker, so each
finding and message is the checker's own. tests/test_validate_vector.py cross-checks the
result against python-stdnum, phonenumbers and the checkers on many generated values.
"""

from __future__ import annotations

from itertools import compress
from typing import Any, Iterable

import numpy as np

from workbook_tools.validate.contact import _EMAIL, _MOBILE_TYPES, _PLAIN_LANDLINE, _format
from workbook_tools.validate.identity import _BANK_ACCOUNT, _USCC_ALPHABET, _USCC_WEIGHTS, region_known
from workbook_tools.validate.phoneplan import FIXED_LINE, UNKNOWN, number_plan
from workbook_tools.validate.text import compiled

MIN_VALUES = 64  # below this a column is checked value by value (the set-up is not worth it)
_WIDTH = 18
_ID_WEIGHTS = np.array([pow(2, 16 - i, 11) for i in range(17)], dtype=np.int64)
_DAYS = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)

_USCC_LOOKUP = np.full(256, 255, dtype=np.uint8)
for _value, _char in enumerate(_USCC_ALPHABET):
    _USCC_LOOKUP[ord(_char)] = _value
_USCC_W = np.array(_USCC_WEIGHTS, dtype=np.int64)
_ALPHABET_BYTES = np.frombuffer(_USCC_ALPHABET.encode("ascii"), dtype=np.uint8)


def _candidates(values: Iterable[Any]) -> tuple[list[str], np.ndarray]:
    """The distinct 18-character ASCII strings and their bytes as an (n, 18) uint8 array."""
    found = [v for v in dict.fromkeys(values) if v.__class__ is str and len(v) == _WIDTH and v.isascii()]
    if not found:
        return found, np.zeros((0, _WIDTH), dtype=np.uint8)
    buf = np.frombuffer("".join(found).encode("ascii"), dtype=np.uint8)
    return found, buf.reshape(-1, _WIDTH)


def _number(digits: np.ndarray) -> np.ndarray:
    """Decimal digits (rows of 0–9) → integers."""
    out = np.zeros(len(digits), dtype=np.int64)
    for k in range(digits.shape[1]):
        out = out * 10 + digits[:, k]
    return out


def clean_id_cards(values: Iterable[Any], ctx: Any) -> list[str]:
    """The distinct values of ``values`` that check_id_card accepts unchanged, with no
    finding: 18 characters, 17 digits and a digit or upper-case X, GB 11643 check digit,
    a real birth date, age within ctx.id_age_min–max on ctx.as_of, a known region."""
    found, b = _candidates(values)
    if not found:
        return []
    d = b.astype(np.int64) - 48
    ok = ((d[:, :17] >= 0) & (d[:, :17] <= 9)).all(axis=1)
    last = b[:, 17]
    ok &= ((last >= 48) & (last <= 57)) | (last == ord("X"))
    digits = np.where(ok[:, None], d[:, :17], 0)
    check = (1 - 2 * (digits @ _ID_WEIGHTS)) % 11
    ok &= np.where(check == 10, ord("X"), check + 48) == last
    year, month, day = _number(digits[:, 6:10]), _number(digits[:, 10:12]), _number(digits[:, 12:14])
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = _DAYS[np.clip(month, 0, 12)] - ((month == 2) & ~leap)
    ok &= (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= days)
    as_of = ctx.as_of
    age = as_of.year - year - ((as_of.month * 100 + as_of.day) < (month * 100 + day))
    ok &= (age >= ctx.id_age_min) & (age <= ctx.id_age_max)
    region = _number(digits[:, :6])
    known = {int(r): region_known(f"{int(r):06d}") for r in np.unique(region[ok])}
    ok &= np.fromiter((known.get(int(r), False) for r in region), dtype=bool, count=len(region)) if known else False
    return [v for v, keep in zip(found, ok.tolist()) if keep]


def clean_usccs(values: Iterable[Any]) -> list[str]:
    """The distinct values of ``values`` that check_uscc accepts unchanged, with no
    finding: 18 characters of the GB 32100 alphabet (upper case), digits at 3–8, and the
    right check character."""
    found, b = _candidates(values)
    if not found:
        return []
    v = _USCC_LOOKUP[b]
    ok = (v != 255).all(axis=1)
    ok &= (v[:, 2:8] <= 9).all(axis=1)
    total = np.where(ok[:, None], v[:, :17], 0).astype(np.int64) @ _USCC_W
    ok &= _ALPHABET_BYTES[-total % 31] == b[:, 17]
    return [s for s, keep in zip(found, ok.tolist()) if keep]


def _ascii_texts(values: Iterable[Any]) -> list[str]:
    """Distinct non-empty ASCII strings with no surrounding whitespace (NFKC leaves them as
    they are; a blank or padded value is the checker's business)."""
    return [v for v in dict.fromkeys(values)
            if v.__class__ is str and v and v.isascii() and not v[0].isspace() and not v[-1].isspace()]


def _types_by_length(nsns: list[str]) -> dict[str, int]:
    groups: dict[int, list[str]] = {}
    for nsn in nsns:
        groups.setdefault(len(nsn), []).append(nsn)
    plan, out = number_plan(), {}
    for group in groups.values():
        out.update(plan.number_types(group))
    return out


def _plain_numbers(texts: list[str]) -> list[str]:
    """Digit strings parse_phone classifies as they are (no trunk 0, no 86 prefix)."""
    return [t for t in texts if t.isdigit() and not t.startswith(("0", "86"))]


def clean_mobiles(values: Iterable[Any]) -> list[str]:
    """Values check_mobile accepts unchanged: digits of a mobile number (13812345678)."""
    kinds = _types_by_length(_plain_numbers(_ascii_texts(values)))
    return [t for t, kind in kinds.items() if kind in _MOBILE_TYPES]


def clean_phones(values: Iterable[Any]) -> list[str]:
    """Values check_phone accepts unchanged: a mobile or service number as digits, or a
    landline written 0571-88886666 with its area code where _format puts it."""
    texts = _ascii_texts(values)
    kinds = _types_by_length(_plain_numbers(texts))
    clean = [t for t, kind in kinds.items() if kind != UNKNOWN and kind != FIXED_LINE]
    landlines = [t for t, m in zip(texts, map(_PLAIN_LANDLINE.fullmatch, texts)) if m]
    nsns = {t: t[1:].replace("-", "", 1) for t in landlines}
    kinds = _types_by_length(list(dict.fromkeys(nsns.values())))
    clean += [t for t, nsn in nsns.items() if kinds[nsn] == FIXED_LINE and _format(nsn, FIXED_LINE, "") == t]
    return clean


def clean_emails(values: Iterable[Any]) -> list[str]:
    """Values check_email accepts unchanged (ASCII, the address pattern, lengths)."""
    texts = [t for t in _ascii_texts(values) if len(t) <= 254]
    return [t for t, m in zip(texts, map(_EMAIL.fullmatch, texts)) if m and len(t.partition("@")[0]) <= 64]


def clean_bank_accounts(values: Iterable[Any]) -> list[str]:
    """Values check_bank_account accepts unchanged: 8–30 ASCII digits."""
    texts = _ascii_texts(values)
    return [t for t, m in zip(texts, map(_BANK_ACCOUNT.fullmatch, texts)) if m]


def clean_customer_ids(values: Iterable[Any], field: Any) -> list[str]:
    """Values check_customer_id accepts unchanged: upper-case ASCII matching the field's
    pattern (if any)."""
    texts = [t for t in _ascii_texts(values) if t == t.upper() and len(t) <= 32_767]
    if not field.pattern:
        return texts
    return list(compress(texts, map(compiled(field.pattern).search, texts)))


def preclean(kind: str, values: list, ctx: Any, field: Any = None) -> list[str]:
    """The clean values of a column of ``kind`` (one of KINDS); [] for other kinds and for
    columns too short to be worth it."""
    if len(values) < MIN_VALUES:
        return []
    if kind == "id_card":
        return clean_id_cards(values, ctx)
    if kind == "uscc":
        return clean_usccs(values)
    if kind == "customer_id":
        return clean_customer_ids(values, field)
    simple = _SIMPLE.get(kind)
    return simple(values) if simple else []


_SIMPLE = {"mobile": clean_mobiles, "phone": clean_phones, "email": clean_emails,
           "bank_account": clean_bank_accounts}
KINDS = frozenset(("id_card", "uscc", "customer_id", *_SIMPLE))
