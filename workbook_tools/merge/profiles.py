"""What the duplicate matcher knows of one company customer: its name core (folded to
简体, legal form and place names stripped), the core without trailing industry words,
the places it names (in the name or at the start of the address), and the contact
evidence (landline prefix, address, e-mail, contact person)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

from workbook_tools.merge.chinese import to_simplified
from workbook_tools.validate.names import leading_places, normalize_company_name, place_key
from workbook_tools.schema.model import Form
from workbook_tools.schema.settings import DEFAULT_INDUSTRY_WORDS, placeholder_test

MIN_BASE = 2            # industry words are never stripped below this many characters
ADDRESS_KEY = 10        # characters of the address (after its place names) compared
ADDRESS_SHORTEST = 6    # shorter addresses (after their place names) are no evidence
TEL_PREFIX = 6          # digits of a landline after its area code: one switchboard's block of 100
MUNICIPALITIES = frozenset(("北京", "天津", "上海", "重庆"))   # a province and a city at once
_NOT_WORD = re.compile(r"[^\w]|_")
_DIGITS = re.compile(r"\d+")


@dataclass(slots=True)
class Profile:
    index: int                   # position among the customers (master order)
    plain: str                   # name core before 繁简 folding (to tell "same" from "same after folding")
    core: str                    # folded name core: 北京華夏電子有限公司 → 华夏电子
    base: str                    # core without trailing industry words: 华夏电子 → 华夏
    words: tuple[str, ...]       # the industry words stripped, in name order
    provinces: frozenset[str]    # 省-level places named (北京, 广东 …)
    cities: frozenset[str]       # cities named (深圳 …)
    area: str                    # landline area code ("010"), "" without a landline
    tel: str                     # landline prefix: area code + the first TEL_PREFIX digits of the number
    phone: str                   # the landline's digits (with an extension)
    address: str                 # address without its leading place names, normalised
    email: str
    contact: str

    @property
    def address_key(self) -> str:
        return self.address[:ADDRESS_KEY] if len(self.address) >= ADDRESS_SHORTEST else ""


def strip_industry_words(core: str, words: Sequence[str] | dict[str, tuple[str, ...]]
                         ) -> tuple[str, tuple[str, ...]]:
    """Remove industry words from the end of ``core`` until none is left (longest first;
    at least MIN_BASE characters stay): 润和电子科技 → ("润和", ("电子", "科技")).
    ``words``: a list, or :func:`by_last_char` of one (faster)."""
    index = words if isinstance(words, dict) else by_last_char(words)
    found: list[str] = []
    while core:
        for w in index.get(core[-1], ()):
            if core.endswith(w) and len(core) - len(w) >= MIN_BASE:
                found.append(w)
                core = core[: -len(w)]
                break
        else:
            break
    return core, tuple(reversed(found))


def by_last_char(words: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Words grouped by their last character, longest first."""
    out: dict[str, list[str]] = {}
    for w in sorted(set(words), key=len, reverse=True):
        if w:
            out.setdefault(w[-1], []).append(w)
    return {k: tuple(v) for k, v in out.items()}


def matcher_words(industry_words: Iterable[str] | None) -> dict[str, tuple[str, ...]]:
    """The industry words (schema setting, else the defaults) normalised and folded to 简体,
    as :func:`by_last_char` of them."""
    words = sorted(set(industry_words if industry_words is not None else DEFAULT_INDUSTRY_WORDS),
                   key=len, reverse=True)
    return by_last_char([to_simplified([_norm(w)])[0] for w in words if _norm(w)])


class RowTexts:
    """The texts a profile is built from, read from a customer's values: [name, address,
    phone, e-mail, contact], placeholders (无, 不详 …) read as empty."""

    def __init__(self, form: Form, placeholders: Iterable[str] | None = None) -> None:
        self.fields = [_keys(form)[role] for role in ("name", "address", "phone", "email", "contact")]
        self.empty = placeholder_test(placeholders)

    def __call__(self, values: Any) -> list[str]:
        empty = self.empty
        return [_text(v, empty) for v in map(values.get, self.fields)]


CHUNK = 8192   # companies profiled at a time


def profile_rows(chunk: list[tuple[int, list[str]]], words: dict, shared: dict) -> Iterator[tuple]:
    """For each (position, :class:`RowTexts`) of a chunk (one OpenCC call for its names and
    addresses): (position, plain, core, words, provinces, cities, landline digits, address,
    e-mail, contact) — a :class:`Profile`'s fields without the derived ones; equal word
    tuples and place sets are one object (``shared``)."""
    folded = to_simplified([t[0] for _, t in chunk] + [_norm(t[1]) for _, t in chunk])
    for n, (i, (name, _, phone_text, email, contact)) in enumerate(chunk):
        places: list[str] = []
        plain = normalize_company_name(name)
        core = normalize_company_name(folded[n], places)
        core = plain if core == plain else core
        found = strip_industry_words(core, words)[1]
        addr_places, address = leading_places(folded[len(chunk) + n])
        levels = [place_key(p) for p in (*places, *addr_places)]
        provinces = frozenset(k for lvl, k in levels if lvl == "省")
        cities = frozenset(k for lvl, k in levels if lvl == "市" or k in MUNICIPALITIES)
        yield (i, plain, core, shared.setdefault(found, found), shared.setdefault(provinces, provinces),
               shared.setdefault(cities, cities), _landline(phone_text), address,
               email.strip().lower(), _norm(contact))


def _keys(form: Form) -> dict[str, str]:
    """The registration fields the matcher reads, by key (or the first field of the type)."""
    by_key = set(form.keys)
    out = {}
    for role, ftype in (("name", "text"), ("contact", "text"), ("phone", "phone"),
                        ("address", "text"), ("email", "email")):
        key = "customer_name" if role == "name" else role
        if key not in by_key:
            key = next((f.key for f in form.fields if f.type == ftype and ftype != "text"), "")
        out[role] = key
    return out


def _text(value: Any, empty) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return "" if empty(text) else text


def _norm(text: str) -> str:
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text).lower()
    return s if s.isalnum() else _NOT_WORD.sub("", s)


def landline_parts(digits: str) -> tuple[str, str]:
    """(area code, area code + the first TEL_PREFIX digits) of a landline's digits as
    :func:`_landline` gives them ("" for both without a landline)."""
    if not digits:
        return "", ""
    width = 3 if digits[1] in "12" else 4
    return digits[:width], digits[: width + TEL_PREFIX]


def _landline(text: str) -> str:
    """The digits of a landline with its area code; "" for anything else (a mobile, 400
    numbers, no area code)."""
    digits = "".join(_DIGITS.findall(text))
    if text.startswith("+86") or digits.startswith("86") and len(digits) > 11:
        digits = "0" + digits[2:]
    if not digits.startswith("0") or len(digits) < 10:
        return ""
    return digits
