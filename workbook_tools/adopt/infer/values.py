"""One legacy value to the form's: choice values to the schema's lists (alias, then fuzzy),
dates from any common form, codes half-width / upper-case / compact, full-width digits and
letters in any text made half-width.

Each converter returns ``(value, how, score)``; ``how`` is None when nothing changed.
Parsing is validate's (dates.check_date, identity.compact_code, schema's normalize_choice),
so adopt reads a value exactly as validation will then check it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rapidfuzz import fuzz, process

from workbook_tools.schema.model import Field, normalize_choice
from workbook_tools.validate.common import FLOAT_EXACT_LIMIT, CheckContext, display, nfkc
from workbook_tools.validate.dates import check_date
from workbook_tools.adopt.infer.model import (
    HOW_CHOICE_ALIAS, HOW_CHOICE_FUZZY, HOW_CHOICE_SPELLING, HOW_DATE_NUMBER, HOW_DATE_SERIAL,
    HOW_DATE_TEXT, HOW_DATE_TIME, HOW_FULL_WIDTH, HOW_NUMBER_TEXT, HOW_SEPARATORS, HOW_UPPER,
)

Converted = tuple[Any, "str | None", "float | None"]
DEFAULT_CHOICE_THRESHOLD = 80.0
UNCHANGED: tuple = (None, None)
# full-width digits and Latin letters (０-９ Ａ-Ｚ ａ-ｚ) → ASCII; punctuation stays (（）、：)
_HALF = str.maketrans({chr(c): chr(c - 0xFEE0) for c in
                       (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))})
_SEPARATORS = re.compile(r"[\s\-]+")
_SERIAL_TEXT = re.compile(r"[1-7]\d{4}", re.ASCII)  # 5-digit Excel serial typed or exported as text
_DATE_HOW = {"date-text": HOW_DATE_TEXT, "date-time-dropped": HOW_DATE_TIME,
             "date-serial": HOW_DATE_SERIAL}
_DATE_FIELD = Field(key="date", label="日期", type="date")
_DATE_CONTEXT = CheckContext(as_of=dt.date(2100, 12, 31))


_FULL_WIDTH = re.compile("[０-９Ａ-Ｚａ-ｚ]")  # searched first: translate costs ~3 µs a cell


def convert_text(raw: Any) -> Converted:
    """Full-width digits and letters made ASCII; everything else as typed."""
    if raw.__class__ is str and not raw.isascii() and _FULL_WIDTH.search(raw):
        return raw.translate(_HALF), HOW_FULL_WIDTH, None
    return raw, None, None


def convert_code(raw: Any, *, upper: bool, compact: bool, number_ok: bool) -> Converted:
    """身份证号, 统一社会信用代码, 客户编号 (upper-case, compact), e-mail and URLs (half-width
    only). A whole number Excel stored exactly becomes its digits (``number_ok``)."""
    cls = raw.__class__
    if cls is int or (cls is float and raw.is_integer() and abs(raw) < FLOAT_EXACT_LIMIT):
        return (str(int(raw)), HOW_NUMBER_TEXT, None) if number_ok else (raw, None, None)
    if cls is not str:
        return raw, None, None
    if raw.isascii() and raw.isalnum() and not (upper and raw != raw.upper()):
        return raw, None, None  # the usual case: nothing to remove or raise
    text = raw.strip()
    steps = []
    normal = nfkc(text)
    if normal != text:
        steps.append(HOW_FULL_WIDTH)
    if compact:
        joined = _SEPARATORS.sub("", normal)
        if joined != normal:
            steps.append(HOW_SEPARATORS)
        normal = joined
    if upper and not normal.isupper() and normal != normal.upper():
        steps.append(HOW_UPPER)
        normal = normal.upper()
    return (normal, "，".join(steps), None) if steps else (raw, None, None)


def convert_date(raw: Any, date1904: bool = False) -> Converted:
    """A date from a date, a datetime (time dropped), an Excel serial (number or 5-digit
    text), 20230506 (number or text) or text (2023/5/6, 2023年5月6日, 2023.5.6, ISO with
    time); anything else unchanged for validation to report."""
    cls = raw.__class__
    if cls is dt.date:
        return raw, None, None
    if cls is dt.datetime:
        return raw.date(), (HOW_DATE_TIME if raw.time() != dt.time() else None), None
    if cls is str:
        text = nfkc(raw).strip()
        if _SERIAL_TEXT.fullmatch(text):
            raw, cls = int(text), int
    if cls is bool or cls not in (str, int, float):
        return raw, None, None
    ctx = _DATE_CONTEXT if not date1904 else CheckContext(as_of=_DATE_CONTEXT.as_of, date1904=True)
    value, issues = check_date(raw, _DATE_FIELD, ctx)
    if value is None:
        return raw, None, None
    code = issues[0][0] if issues else ""
    if cls is not str and code == "date-text":
        return value, HOW_DATE_NUMBER, None
    return value, _DATE_HOW.get(code, HOW_DATE_TEXT), None


class ChoiceMatcher:
    """A choice field's values: exact (spelling), alias, then fuzzy above ``threshold``
    (rapidfuzz ratio on normalised text; a tie between two values decides nothing).
    Results are cached per distinct text: legacy columns repeat a handful of values."""

    def __init__(self, field: Field, threshold: float) -> None:
        self.lookup = field.choice_lookup()
        self.values = {normalize_choice(v): v for v in field.choice_values}
        self.names = list(self.lookup)
        self.threshold = threshold
        self.cache: dict[str, Converted] = {}

    def convert(self, raw: Any) -> Converted:
        text = raw if raw.__class__ is str else display(raw)
        known = self.cache.get(text)
        if known is None:
            known = self.cache[text] = self._match(raw, text)
        return known if known[1] is not None else (raw, None, None)

    def _match(self, raw: Any, text: str) -> Converted:
        key = normalize_choice(text)
        canonical = self.lookup.get(key)
        if canonical is not None:
            if canonical == raw:
                return canonical, None, None
            how = HOW_CHOICE_SPELLING if key in self.values else HOW_CHOICE_ALIAS
            return canonical, how, None
        if not key:
            return raw, None, None
        hits = process.extract(key, self.names, scorer=fuzz.ratio, score_cutoff=self.threshold, limit=None)
        if not hits:
            return raw, None, None
        best = hits[0][1]
        winners = {self.lookup[name] for name, score, _ in hits if score == best}
        if len(winners) != 1:
            return raw, None, None
        return winners.pop(), HOW_CHOICE_FUZZY, round(best, 1)
