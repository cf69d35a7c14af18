"""The shapes passed from the computations to the writer, and small shared helpers.

A summary is a list of :class:`SummarySheet`; each holds stacks of :class:`Table`
(a stack is a column of tables, one under another; stacks sit side by side) and
chart specifications that point at a table by its key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import numpy as np
import pandas as pd

UNFILLED = "（未填写）"
TOTAL = "合计"
# Column kinds the writer knows how to format.
KINDS = frozenset({"text", "int", "money", "ratio", "pct", "date"})


@dataclass
class Table:
    """One table: a caption, a frame whose columns are the Chinese headers, column kinds."""

    key: str
    title: str
    frame: pd.DataFrame
    kinds: dict[str, str] = field(default_factory=dict)
    total_row: bool = False  # the last row is a 合计 row (written bold)
    widths: dict[str, float] = field(default_factory=dict)  # column width overrides (Excel units)
    wrap: frozenset[str] = frozenset()  # text columns whose cells wrap (long definitions)

    def kind(self, column: str) -> str:
        return self.kinds.get(column, "text")


@dataclass(frozen=True)
class Chart:
    """A native Excel chart over one table: categories from one column, a series per value column."""

    kind: str  # "column" (clustered), "bar" (horizontal) or "pie"
    title: str
    table: str  # Table.key
    categories: str
    values: tuple[str, ...]
    x_title: str = ""
    y_title: str = ""
    rows: int | None = None  # chart only the first N data rows (default: all but the 合计 row)


@dataclass
class SummarySheet:
    name: str
    title: str
    stacks: list[list[Table]]
    charts: list[Chart] = field(default_factory=list)
    freeze_header: bool = False  # freeze the rows above the first table's data and add an autofilter
    print_group: str = ""  # a column of the first table: each new value starts a printed page

    def tables(self) -> Iterable[Table]:
        for stack in self.stacks:
            yield from stack

    def table(self, key: str) -> Table:
        for t in self.tables():
            if t.key == key:
                return t
        raise KeyError(key)


def ordered_labels(values: pd.Series, choices: Iterable[str] = (), *, all_choices: bool = True) -> list[str]:
    """Schema choice order, then values outside the choices (sorted), then （未填写） if any blank."""
    present = set(values.dropna().unique())
    base = list(choices) if all_choices else [c for c in choices if c in present]
    extras = sorted(str(v) for v in present - set(base))
    out = base + extras
    if values.isna().any():
        out.append(UNFILLED)
    return out


def labelled(values: pd.Series) -> pd.Series:
    """The values with blanks shown as （未填写）, as plain Python strings."""
    return values.astype(object).where(values.notna(), UNFILLED)


def share(part: pd.Series | float, whole: float) -> pd.Series | float:
    """part / whole, or NaN (written blank) when the whole is 0."""
    if not whole:
        return part * np.nan if isinstance(part, pd.Series) else np.nan
    return part / whole


def days_between(later: pd.Timestamp | pd.Series, earlier: pd.Series) -> pd.Series:
    """Whole days from ``earlier`` to ``later`` (float, NaN where a date is missing)."""
    return (later - earlier).dt.days.astype("float64")


def map_values(keys: pd.Series, mapping: pd.Series) -> pd.Series:
    """``keys.map(mapping)`` that keeps the mapping's dtype even when the mapping is empty."""
    if mapping.empty:
        return pd.Series(np.full(len(keys), None), index=keys.index).astype(mapping.dtype)
    return keys.map(mapping)
