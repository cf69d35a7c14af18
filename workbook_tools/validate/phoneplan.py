"""The Chinese numbering plan, from phonenumbers' own metadata, compiled once.

``phonenumbers.parse`` + ``is_valid_number`` + ``number_type`` cost 20–35 µs per number;
a 100,000-row file has up to three phone columns. This class applies the same metadata
in the same order as phonenumbers' type lookup (general description first, then the
special services, then fixed line / mobile) to an already-clean national significant
number, at ~1 µs. tests/test_validate_contact.py checks it agrees with phonenumbers.
"""

from __future__ import annotations

import operator
import re
from functools import lru_cache
from itertools import compress, repeat

from phonenumbers import PhoneMetadata, PhoneNumberType

_SPECIAL = (
    ("premium_rate", PhoneNumberType.PREMIUM_RATE),
    ("toll_free", PhoneNumberType.TOLL_FREE),
    ("shared_cost", PhoneNumberType.SHARED_COST),
    ("voip", PhoneNumberType.VOIP),
    ("personal_number", PhoneNumberType.PERSONAL_NUMBER),
    ("pager", PhoneNumberType.PAGER),
    ("uan", PhoneNumberType.UAN),
    ("voicemail", PhoneNumberType.VOICEMAIL),
)
UNKNOWN = PhoneNumberType.UNKNOWN
MOBILE = PhoneNumberType.MOBILE
FIXED_LINE = PhoneNumberType.FIXED_LINE
FIXED_LINE_OR_MOBILE = PhoneNumberType.FIXED_LINE_OR_MOBILE


class _Desc:
    """One PhoneNumberDesc: possible lengths and the national-number pattern."""

    __slots__ = ("lengths", "regex")

    def __init__(self, desc) -> None:
        pattern = getattr(desc, "national_number_pattern", None)
        self.regex = re.compile(pattern) if pattern else None
        self.lengths = frozenset(getattr(desc, "possible_length", None) or ())

    def matches(self, nsn: str) -> bool:
        if self.regex is None or (self.lengths and len(nsn) not in self.lengths):
            return False
        return self.regex.fullmatch(nsn) is not None


class NumberPlan:
    def __init__(self, region: str) -> None:
        meta = PhoneMetadata.metadata_for_region(region)
        self.general = _Desc(meta.general_desc)
        self.special = [(_Desc(getattr(meta, name)), kind) for name, kind in _SPECIAL]
        self.fixed = _Desc(meta.fixed_line)
        self.mobile = _Desc(meta.mobile)
        self.same_pattern = bool(meta.same_mobile_and_fixed_line_pattern)
        self._by_length: dict[int, tuple] = {}

    def _for_length(self, length: int) -> tuple:
        """The patterns that can apply to numbers of this length, in lookup order
        (a description whose possible lengths exclude it never matches)."""
        def usable(desc: _Desc):
            ok = desc.regex is not None and (not desc.lengths or length in desc.lengths)
            return desc.regex if ok else None
        specials = tuple((usable(d), kind) for d, kind in self.special if usable(d))
        plan = (usable(self.general), specials, usable(self.fixed), usable(self.mobile))
        self._by_length[length] = plan
        return plan

    def number_type(self, nsn: str) -> int:
        """A PhoneNumberType for a national significant number (no trunk 0, digits only)."""
        plan = self._by_length.get(len(nsn)) or self._for_length(len(nsn))
        general, specials, fixed, mobile = plan
        if general is None or general.fullmatch(nsn) is None:
            return UNKNOWN
        for regex, kind in specials:
            if regex.fullmatch(nsn):
                return kind
        if fixed is not None and fixed.fullmatch(nsn):
            if self.same_pattern or (mobile is not None and mobile.fullmatch(nsn)):
                return FIXED_LINE_OR_MOBILE
            return FIXED_LINE
        if not self.same_pattern and mobile is not None and mobile.fullmatch(nsn):
            return MOBILE
        return UNKNOWN

    def number_types(self, nsns: list[str]) -> dict[str, int]:
        """number_type of many national significant numbers of one length at once (the
        same lookup, each pattern applied to the whole list with ``map``)."""
        if not nsns:
            return {}
        general, specials, fixed, mobile = self._by_length.get(len(nsns[0])) or self._for_length(len(nsns[0]))
        if general is None:
            return dict.fromkeys(nsns, UNKNOWN)
        out = dict.fromkeys(nsns, UNKNOWN)
        todo = list(compress(nsns, map(general.fullmatch, nsns)))
        for regex, kind in specials:
            hit = list(map(regex.fullmatch, todo))
            out.update(zip(compress(todo, hit), repeat(kind)))
            todo = list(compress(todo, map(operator.not_, hit)))
        is_fixed = list(map(fixed.fullmatch, todo)) if fixed is not None else [None] * len(todo)
        is_mobile = list(map(mobile.fullmatch, todo)) if mobile is not None else [None] * len(todo)
        for nsn, f, m in zip(todo, is_fixed, is_mobile):
            if f:
                out[nsn] = FIXED_LINE_OR_MOBILE if self.same_pattern or m else FIXED_LINE
            elif m and not self.same_pattern:
                out[nsn] = MOBILE
        return out


@lru_cache(maxsize=4)
def number_plan(region: str = "CN") -> NumberPlan:
    return NumberPlan(region)
