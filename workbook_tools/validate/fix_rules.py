"""Which value a cell should hold after a safe fix (helper of ``fix``); no workbook here.

``safe_fix(raw, parsed, field, ctx)`` proposes the canonical form of a cell from what the
validator understood (``parsed``, the checker's value), then accepts it only when nothing
but formatting changes:

* the old value has no error, and every warning it had is either a formatting warning
  (full-width/spaces/case, text number, text date) or is still there after the fix —
  so 75512345678 (区号开头的 0 丢失) and a bare serial number in a date column stay;
* the new value, run through the same checker, has no error, no formatting warning,
  no warning the old value did not have, and the same parsed value ("same meaning").

Free text (客户名称, 地址, 备注 …) is only trimmed, never converted to half-width. Only
text cells are rewritten — plus 20261122 typed as a number in a date column; numbers in
code columns (an ID stored as a number) and real dates are never touched.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from workbook_tools.schema.model import NUMBER_TYPES
from workbook_tools.validate.catalogue import catalogue
from workbook_tools.validate.checkers import checker_for
from workbook_tools.validate.common import nfkc

TRIM = "去除空格"
FULL_WIDTH = "全角转半角"
TEXT_DATE = "文本日期转为日期"
CHOICE_ALIAS = "选项别名改为标准值"
PHONE_FORMAT = "电话格式统一"
TEXT_NUMBER = "文本数字转为数字"
CASE = "大小写"

FORMAT_CODES = frozenset({"value-normalized", "number-text", "date-text"})
PHONE_TYPES = frozenset({"mobile", "phone"})
# Canonical form = the checker's parsed text (half-width, upper-case, compacted).
CANONICAL_CODE_TYPES = frozenset({"customer_id", "id_card", "uscc", "postal_code", "email", "url"})
MAX_EXACT_DIGITS = 15  # Excel keeps 15 significant digits of a number
_TIME_OF_DAY = re.compile(r"\d\s*:\s*\d")
_DIGIT = re.compile(r"\d", re.ASCII)


@dataclass(frozen=True)
class Fix:
    """The value to write and the kind of change (修正类型)."""

    new: Any
    kind: str


def safe_fix(raw: Any, parsed: Any, field: Any, ctx: Any) -> Fix | None:
    """The safe fix of one non-blank cell, or None when it must stay as it is."""
    if parsed is None or raw is None:
        return None
    new = candidate(raw, parsed, field, ctx)
    if new is None or _same_cell(new, raw):
        return None
    if not same_meaning(raw, new, parsed, field, ctx):
        return None
    return Fix(new, kind_of(raw, new, field))


def candidate(raw: Any, parsed: Any, field: Any, ctx: Any) -> Any:
    """What the cell would hold if written in canonical form (None: nothing to propose)."""
    kind = field.type
    if kind == "date":
        return _date_candidate(raw, parsed)
    if raw.__class__ is not str:
        return None
    if kind in NUMBER_TYPES:
        return parsed if _exact_number(raw) else None
    if kind == "text":
        return raw.strip()
    if kind == "bank_account":  # groups of four are fine; only full-width etc. is compacted
        return parsed if _issue_codes(raw, field, ctx) & FORMAT_CODES else raw.strip()
    if kind in PHONE_TYPES or kind == "choice" or kind in CANONICAL_CODE_TYPES:
        return parsed if isinstance(parsed, str) else None
    return raw.strip()


def _date_candidate(raw: Any, parsed: Any) -> dt.date | None:
    if not isinstance(parsed, dt.date):
        return None
    if raw.__class__ is str:
        return None if _TIME_OF_DAY.search(nfkc(raw)) else parsed  # a time of day would be lost
    if raw.__class__ in (int, float) and 10_000_000 <= raw <= 99_999_999 and float(raw).is_integer():
        return parsed  # 20261122 typed as a number (a serial number is never converted)
    return None


def _exact_number(raw: str) -> bool:
    """A number with more significant digits than Excel keeps would change when written."""
    digits = "".join(_DIGIT.findall(nfkc(raw))).lstrip("0")
    return len(digits) <= MAX_EXACT_DIGITS


def _same_cell(new: Any, raw: Any) -> bool:
    return new.__class__ is raw.__class__ and new == raw


def same_meaning(raw: Any, new: Any, parsed: Any, field: Any, ctx: Any) -> bool:
    """The new value validates clean and means what the old one meant (see module doc)."""
    check = checker_for(field)
    old_value, old_issues = check(raw, field, ctx)
    new_value, new_issues = check(new, field, ctx)
    if old_value != parsed or new_value != parsed or new_value.__class__ is not parsed.__class__:
        return False
    old_codes, new_codes = _codes(old_issues), _codes(new_issues)
    if _has_error(old_codes) or _has_error(new_codes):
        return False
    if new_codes & FORMAT_CODES or not new_codes <= old_codes:
        return False
    return not (old_codes - new_codes - FORMAT_CODES)  # only formatting warnings may go


def kind_of(raw: Any, new: Any, field: Any) -> str:
    """修正类型 of a change (one label; the most telling when several apply)."""
    if isinstance(new, dt.date):
        return TEXT_DATE
    if not isinstance(new, str):
        return TEXT_NUMBER
    stripped = raw.strip()
    if new == stripped:
        return TRIM
    if field.type == "choice":
        return CHOICE_ALIAS
    if field.type in PHONE_TYPES and not _nfkc_only(stripped, new):
        return PHONE_FORMAT
    if nfkc(stripped) != stripped:
        return FULL_WIDTH
    if any(ch.islower() for ch in stripped):
        return CASE
    return TRIM  # inner spaces or hyphens removed from a code


def _nfkc_only(stripped: str, new: str) -> bool:
    return nfkc(stripped) != stripped and nfkc(stripped) == new


def _issue_codes(raw: Any, field: Any, ctx: Any) -> frozenset:
    return _codes(checker_for(field)(raw, field, ctx)[1])


def _codes(issues: tuple) -> frozenset:
    return frozenset(code for code, _params in issues)


def _has_error(codes: frozenset) -> bool:
    types = catalogue()
    return any(types[code].severity == "error" for code in codes)
