"""Turn one column of raw calamine values into a typed column.

Text and dates are converted once per distinct value (``pd.factorize``) and spread back
with ``take``: a million visit rows hold a few thousand distinct dates and salespeople.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from workbook_tools.schema.model import normalize_choice

EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DIGITS8 = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_FAST_DATE_TYPES = frozenset({dt.date, dt.datetime, type(None)})
_NUMBER_JUNK = re.compile(r"[,，\s￥¥元]")
_NAT = np.datetime64("NaT", "D")
# pandas 3's "str" dtype (NaN for blanks) makes isna/notna on text columns ~10x faster than
# object; pandas 2 falls back to object.
TEXT_DTYPE = "str" if int(pd.__version__.split(".")[0]) >= 3 else object


def by_unique(values: Sequence, convert: Callable[[np.ndarray], np.ndarray], missing) -> np.ndarray:
    """``convert`` applied to the distinct values only; blanks (None) become ``missing``."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object) if len(values) else np.array([], dtype=object))
    converted = convert(np.asarray(uniques, dtype=object))
    table = np.append(converted, np.array([missing], dtype=converted.dtype))
    return table[codes]  # code -1 (blank) picks the appended missing value


def parse_dates(values: Sequence) -> np.ndarray:
    """Dates at day precision (``datetime64[D]``, NaT when blank or not a date).

    Accepts date/datetime cells, ISO text (2026-11-22), 2026/11/22, 2026.11.22,
    2026年11月22日, 20261122 and Excel serial numbers.
    """
    return by_unique(values, _dates, _NAT)


def _dates(uniques: np.ndarray) -> np.ndarray:
    if set(map(type, uniques)) <= _FAST_DATE_TYPES:
        return np.array(uniques, dtype="datetime64[D]")
    return np.array([_one_date(v) for v in uniques], dtype="datetime64[D]")


def _one_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return EXCEL_EPOCH + dt.timedelta(days=int(value)) if 1 <= value < 2958466 else None
    if isinstance(value, str):
        text = value.strip()
        match = _DATE_TEXT.match(text) or _DIGITS8.match(text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


def parse_numbers(values: Sequence) -> pd.Series:
    """Floats (NaN when blank or not a number); text such as 1,234.50 or ￥800 is accepted."""
    raw = pd.Series(values, dtype=object)
    nums = pd.to_numeric(raw, errors="coerce").astype("float64")
    texts = raw.map(type).eq(str) & nums.isna() if len(raw) else raw.astype(bool)
    if texts.any():
        cleaned = raw[texts].astype(str).str.replace(_NUMBER_JUNK, "", regex=True)
        nums[texts] = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    return nums


def parse_text(values: Sequence, lookup: dict[str, str] | None = None) -> pd.Series:
    """Stripped text (TEXT_DTYPE, missing when blank); choice values mapped to their canonical value."""
    return pd.Series(by_unique(values, lambda u: _texts(u, lookup), None), dtype=object).astype(TEXT_DTYPE)


def _texts(uniques: np.ndarray, lookup: dict[str, str] | None) -> np.ndarray:
    out = np.empty(len(uniques), dtype=object)
    for i, value in enumerate(uniques):
        text = value.strip() if type(value) is str else _as_text(value)
        if text and lookup:
            text = lookup.get(normalize_choice(text), text)
        out[i] = text or None
    return out


def _as_text(value) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
