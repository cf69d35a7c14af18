"""date fields.

Real date cells are accepted. Text dates staff type (2026-11-22, 2026/11/22, 2026.11.22,
2026.3.5, 2026年11月22日, 20261122 as text or number) are read with a ``date-text``
warning; a date with a time of day (2026-11-22 09:30, the ISO timestamps system exports
write: 2025-07-24T01:23:22.623Z) is read as its date part with ``date-time-dropped``; a bare number in Excel's serial range is read as a serial with ``date-serial``.
Impossible days, years outside 1900–2100 and future dates in fields with
``allow_future: false`` (relative to ``ctx.as_of``) are errors.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from workbook_tools.validate.common import NO_ISSUES, nfkc, one

MIN_YEAR, MAX_YEAR = 1900, 2100
# An optional time of day, as typed (2026-11-22 9:30) or as ISO 8601 timestamps from
# system exports (2025-07-24T01:23:22.623Z, +08:00): group "time", None when absent.
_TIME = (r"(?:\s*(?P<time>(?:[ T]|\s+)(?P<hms>\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)"
         r"(?:\s*(?:Z|[+-]\d{2}(?::?\d{2})?))?))?")
_SEPARATED = re.compile(r"(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})" + _TIME, re.ASCII)
_CHINESE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?" + _TIME, re.ASCII)
_MIDNIGHT = re.compile(r"0{1,2}:00(?::00(?:[.,]0+)?)?", re.ASCII)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
_MONTH_ONLY = re.compile(r"(\d{4})\s*(?:年\s*(\d{1,2})\s*月份?|[-/.]\s*(\d{1,2}))", re.ASCII)
# Excel serials: 1 = 1900-01-01 … 73050 = 2099-12-31 (1900 system).
_SERIAL_MAX = 73050
_EPOCH_1900 = dt.date(1899, 12, 30)
_EPOCH_1904 = dt.date(1904, 1, 1)


def _make(year: int, month: int, day: int) -> tuple[dt.date | None, tuple]:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None, one("date-out-of-range")
    try:
        return dt.date(year, month, day), NO_ISSUES
    except ValueError:
        return None, one("date-impossible")


def parse_text_date(text: str) -> tuple[dt.date | None, tuple]:
    """(date, issues) for a text cell; issues hold the error when no date came out."""
    value, issues, _ = _parse_text(text)
    return value, issues


def _parse_text(text: str) -> tuple[dt.date | None, tuple, str | None]:
    """(date, issues, time of day dropped or None)."""
    text = nfkc(text).strip()
    match = _SEPARATED.fullmatch(text)
    if match:
        return (*_make(int(match[1]), int(match[3]), int(match[4])), _dropped(match))
    match = _CHINESE.fullmatch(text)
    if match:
        return (*_make(int(match[1]), int(match[2]), int(match[3])), _dropped(match))
    match = _COMPACT.fullmatch(text)
    if match:
        return (*_make(int(match[1]), int(match[2]), int(match[3])), None)
    match = _MONTH_ONLY.fullmatch(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2) or match.group(3))
        return None, one("date-incomplete", example=f"{year}-{month:02d}-01"), None
    return None, one("date-invalid"), None


def _dropped(match: re.Match) -> str | None:
    """The time of day a date-and-time text carries, unless it is midnight."""
    hms = match["hms"]
    return None if hms is None or _MIDNIGHT.fullmatch(hms) else hms


def _from_number(raw: float | int, ctx: Any) -> tuple[dt.date | None, tuple]:
    if raw.__class__ is float and not math.isfinite(raw):  # NaN / inf written into the XML
        return None, one("date-invalid")
    if raw.__class__ is float and not raw.is_integer():
        whole = int(raw)  # a serial with a time of day
    else:
        whole = int(raw)
        if 10_000_000 <= whole <= 99_999_999:  # 20261122 typed as a number
            value, issues = parse_text_date(str(whole))
            if value is not None:
                return value, one("date-text", parsed=value.isoformat())
            return None, issues
    if not 1 <= whole <= _SERIAL_MAX:
        return None, one("date-invalid")
    if ctx.date1904:
        value = _EPOCH_1904 + dt.timedelta(days=whole)
    else:  # Excel's fictitious 1900-02-29 (serial 60) shifts serials below 61 by one day
        value = _EPOCH_1900 + dt.timedelta(days=whole + (1 if whole < 61 else 0))
    return value, one("date-serial", parsed=value.isoformat())


def _future(value: dt.date, field: Any, ctx: Any) -> tuple:
    if not field.allow_future and value > ctx.as_of:
        return one("date-future", as_of=ctx.as_of.isoformat())
    return NO_ISSUES


def check_date(raw: Any, field: Any, ctx: Any) -> tuple[Any, tuple]:
    cls = raw.__class__
    if cls is dt.datetime:
        raw = raw.date()
        cls = dt.date
    if cls is dt.date:
        if not MIN_YEAR <= raw.year <= MAX_YEAR:
            return None, one("date-out-of-range")
        return raw, _future(raw, field, ctx)
    if cls is str:
        value, issues, time = _parse_text(raw)
        if value is not None and time is not None:
            issues = one("date-time-dropped", parsed=value.isoformat(), time=time)
        elif value is not None:
            issues = one("date-text", parsed=value.isoformat())
    elif cls is float or cls is int:
        value, issues = _from_number(raw, ctx)
    else:  # bool, time
        return None, one("date-invalid")
    if value is None:
        return None, issues
    return value, issues + _future(value, field, ctx)
