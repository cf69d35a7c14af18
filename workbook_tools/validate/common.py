"""Shared pieces of the value checkers: the check context, the checker result shape,
normalisation and how raw cell values are shown in messages.

A checker is ``check_<type>(raw, field, ctx) -> (parsed, issues)``: ``raw`` is a
non-empty calamine value (str, int, float, bool, date, datetime, time), ``parsed`` the
value as understood (canonical text, int, float, date) or None when there is none, and
``issues`` a tuple of ``(code, params)`` pairs; the engine adds {label} and {value}.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable

from workbook_tools.schema.settings import placeholder_test

NO_ISSUES: tuple = ()
# 16+ significant digits cannot survive a float: Excel keeps 15.
FLOAT_EXACT_LIMIT = 1e15


@dataclass(frozen=True)
class CheckContext:
    """Per-run settings every checker may need."""

    as_of: dt.date
    id_age_min: int = 0
    id_age_max: int = 120
    date1904: bool = False
    # settings.empty_placeholders (无, 不详, / …): text that means "left empty"
    is_placeholder: Callable[[str], bool] = field(default=placeholder_test(), compare=False)

    @classmethod
    def build(cls, schema: Any = None, as_of: dt.date | None = None,
              date1904: bool = False) -> "CheckContext":
        settings = getattr(schema, "settings", None) or {}
        ages = settings.get("id_card_age") or {}
        return cls(
            as_of=as_of or dt.date.today(),
            id_age_min=int(ages.get("min", 0)),
            id_age_max=int(ages.get("max", 120)),
            date1904=date1904,
            is_placeholder=placeholder_test(settings.get("empty_placeholders")),
        )


def one(code: str, **params: Any) -> tuple:
    """A single-issue result tuple."""
    return ((code, params),)


def nfkc(text: str) -> str:
    """Full-width → half-width (and other compatibility forms); ASCII is returned as is."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def excel_general(number: float) -> str:
    """How Excel's General format shows a big number in a normal-width cell: 1.10105E+17."""
    mantissa, exponent = f"{number:.5E}".split("E")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}E{exponent}"


def number_text(number: float | int) -> str:
    """A number as plain digits when it is whole (13812345678.0 → 13812345678)."""
    if number.__class__ is float:
        if not math.isfinite(number):  # NaN / inf as Excel would show the cell
            return "#NUM!"
        if number.is_integer() and abs(number) < FLOAT_EXACT_LIMIT:
            return str(int(number))
        if abs(number) >= FLOAT_EXACT_LIMIT:
            return excel_general(number)
        return repr(number)
    return str(number)


def display(raw: Any) -> str:
    """A raw cell value as text for messages and reports."""
    if raw is None:
        return ""
    cls = raw.__class__
    if cls is str:
        return raw
    if cls is bool:
        return "TRUE" if raw else "FALSE"
    if cls is float or cls is int:
        return number_text(raw)
    if cls is dt.datetime:
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(" ")
    if isinstance(raw, (dt.date, dt.time)):
        return raw.isoformat()
    return str(raw)


def show(value: Any) -> str:
    """A parsed value as text for messages (dates ISO, whole floats without .0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
