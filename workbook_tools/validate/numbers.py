"""integer, decimal and money fields.

Number cells are taken as they are. Text that is clearly a number — "￥1,200.50",
"1,200", "１２００", "1200元" — is read with a ``number-text`` warning (text does not
sum in Excel). min/max from the schema are checked on the value read.
"""

from __future__ import annotations

import math
import re
from typing import Any

from workbook_tools.validate.common import NO_ISSUES, nfkc, one, show

# After NFKC (￥ → ¥, full-width digits → ASCII) and removing spaces.
_NUMBER_TEXT = re.compile(
    r"(?:¥|RMB|CNY)?([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)(?:元|圆)?",
    re.ASCII | re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")


def _parse_text(text: str) -> float | int | None:
    """The number a text cell spells, or None."""
    match = _NUMBER_TEXT.fullmatch(_SPACES.sub("", nfkc(text)))
    if match is None:
        return None
    digits = match.group(1).replace(",", "")
    if "." in digits:
        return float(digits)
    return int(digits)


def _bounds(value: float | int, field: Any) -> tuple:
    if field.min is not None and value < field.min:
        return one("number-below-min", min=show(field.min))
    if field.max is not None and value > field.max:
        return one("number-above-max", max=show(field.max))
    return NO_ISSUES


def _read(raw: Any) -> tuple[float | int | None, tuple]:
    """(number, issues) for any raw cell; number None when it is not a number."""
    cls = raw.__class__
    if cls is float and not math.isfinite(raw):  # NaN / inf: no number Excel can hold
        return None, one("number-invalid")
    if cls is float or cls is int:
        return raw, NO_ISSUES
    if cls is str:
        value = _parse_text(raw)
        if value is None:
            return None, one("number-invalid")
        return value, one("number-text", parsed=show(value))
    return None, one("number-invalid")  # bool, date, time


def check_decimal(raw: Any, field: Any, ctx: Any) -> tuple[Any, tuple]:
    """decimal and money: an int or float (whole floats become int)."""
    value, issues = _read(raw)
    if value is None:
        return None, issues
    if value.__class__ is float and value.is_integer():
        value = int(value)
    bounds = _bounds(value, field)
    return value, (issues + bounds) if bounds else issues


check_money = check_decimal


def check_integer(raw: Any, field: Any, ctx: Any) -> tuple[Any, tuple]:
    value, issues = _read(raw)
    if value is None:
        return None, issues
    if value.__class__ is float:
        if not value.is_integer():
            return value, issues + one("number-not-integer")
        value = int(value)
    bounds = _bounds(value, field)
    return value, (issues + bounds) if bounds else issues
