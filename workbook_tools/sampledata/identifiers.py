"""Identifiers with valid check characters, and their deliberately broken variants.

- 身份证号 (GB 11643): region code + birth date + sequence (odd = male) + check digit;
  the check digit comes from python-stdnum, the region codes from ``places.id_codes``
  (only codes stdnum accepts for that birth year).
- 统一社会信用代码 (GB 32100): computed here (weights 3^(i-1) mod 31), with a 9-character
  organisation code that itself carries a GB 11714 check character.
"""

from __future__ import annotations

import random
from datetime import date

import stdnum.cn.ric

from workbook_tools.sampledata.places import City, id_codes

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# 统一社会信用代码 prefixes: 9 = 市场监管 registration; 1 企业, 2 个体工商户, 3 农民专业合作社.
USCC_PREFIX = {"company": "91", "sole_trader": "92"}
MOBILE_PREFIXES = tuple(
    [str(p) for p in range(130, 140)] + [str(p) for p in range(150, 160) if p != 154]
    + [str(p) for p in range(180, 190)] + [str(p) for p in (190, 191, 193, 195, 196, 197, 198, 199)]
)
_DIGITS = "0123456789"
_FULLWIDTH = str.maketrans(_DIGITS + "-", "０１２３４５６７８９－")


def id_card(rng: random.Random, cities: tuple[City, ...], city: City, birth: date, female: bool) -> str:
    """An 18-character 身份证号 that python-stdnum accepts (checksum, date and region)."""
    codes = id_codes(city, birth.year)
    if not codes:  # the city's codes did not exist yet: registered elsewhere in the region
        codes = next(c for c in (id_codes(other, birth.year) for other in cities) if c)
    seq = rng.randrange(0, 500) * 2 + (0 if female else 1)
    body = f"{rng.choice(codes)}{birth:%Y%m%d}{seq:03d}"
    return body + stdnum.cn.ric.calc_check_digit(body + "0")


def with_bad_check(rng: random.Random, value: str, alphabet: str) -> str:
    """The same code with a different (wrong) last character."""
    wrong = [c for c in alphabet if c != value[-1]]
    return value[:-1] + rng.choice(wrong)


def uscc_check(first17: str) -> str:
    """GB 32100 check character for the first 17 characters."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code(rng: random.Random) -> str:
    """A GB 11714 organisation code: 8 characters + check (0-9 or X). Newer ones start with MA."""
    if rng.random() < 0.35:
        body = "MA" + "".join(rng.choice(_ORG_CHARS) for _ in range(6))
    else:
        body = f"{rng.randrange(10 ** 8):08d}"
    total = sum(_ORG_CHARS.index(ch) * w for ch, w in zip(body, _ORG_WEIGHTS))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def uscc(rng: random.Random, region_code: str, kind: str = "company") -> str:
    body = USCC_PREFIX[kind] + region_code + org_code(rng)
    return body + uscc_check(body)


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"


def other_mobile(rng: random.Random, current: str) -> str:
    while (new := mobile(rng)) == current:
        pass
    return new


def short_mobile(rng: random.Random, value: str) -> str:
    """A mobile number with one digit dropped (10 digits: invalid)."""
    i = rng.randrange(3, len(value))
    return value[:i] + value[i + 1:]


def landline(rng: random.Random, city: City, extension: bool = False) -> str:
    """Area code + local number (never starting with 0, 1 or 80), e.g. 0571-85123456."""
    first = rng.choice("2345678")
    second = rng.choice("123456789" if first == "8" else _DIGITS)
    rest = f"{rng.randrange(10 ** (city.local_digits - 2)):0{city.local_digits - 2}d}"
    number = f"{city.area_code}-{first}{second}{rest}"
    return f"{number}-{rng.randrange(100, 900)}" if extension else number


def postal_code(rng: random.Random, city: City) -> str:
    """Six digits within the city's range; keeps a leading 0 (010000 呼和浩特)."""
    return city.postal[:4] + f"{rng.randrange(0, 40):02d}"


def bank_account(rng: random.Random) -> str:
    digits = rng.choice((15, 18))
    return f"{rng.randrange(1, 10)}{rng.randrange(10 ** digits):0{digits}d}"


def fullwidth(value: str) -> str:
    """Digits typed with a Chinese input method in full-width mode: 13812345678 → １３８１２３４５６７８."""
    return value.translate(_FULLWIDTH)
