"""The master's table rows as worksheet XML, for io.sheetxml.splice.

The master's tables hold ~15 million cells at 300,000 customers; XlsxWriter writes the rest
of the package (master_writer) and :class:`Body` generates each table's ``<row>`` elements
row by row at ~1 µs per cell — the common values (plain text, finite numbers, dates)
inline, the rest through io.sheetxml's XlsxWriter-compatible string_cell / value_cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

from xlsxwriter.utility import xl_col_to_name

from workbook_tools.io.sheetxml import EPOCH, ZIP64_FROM_CELLS, plain_text, splice, string_cell, value_cell
from workbook_tools.merge.rows import code_text

__all__ = ["Body", "splice"]

CHUNK_ROWS = 2000


@dataclass
class Body:
    """The data rows of one table sheet: ``first_row`` is the 0-based sheet row of the first;
    ``kinds`` per column (text / code / number / date); ``column_styles`` the xf index of
    each column's format (None if none); ``date_style`` / ``datetime_style`` xf indices."""

    rows: Iterable[Sequence[Any]]
    count: int
    first_row: int
    kinds: list[str]
    column_styles: list[int | None]
    date_style: int
    datetime_style: int

    @property
    def last_cell(self) -> str | None:
        if not self.count:
            return None
        return f"{xl_col_to_name(max(len(self.kinds) - 1, 0))}{self.first_row + self.count}"

    @property
    def large(self) -> bool:
        return self.count * len(self.kinds) > ZIP64_FROM_CELLS

    def chunks(self) -> Iterator[bytes]:
        """``<row>`` elements, a few thousand rows per chunk (UTF-8)."""
        columns = [_Column(xl_col_to_name(c), "" if s is None else f' s="{s}"', k == "code")
                   for c, (k, s) in enumerate(zip(self.kinds, self.column_styles))]
        dates = (f' s="{self.date_style}"', f' s="{self.datetime_style}"')
        parts: list[str] = []
        for number, values in enumerate(self.rows, start=self.first_row + 1):
            row = _row(str(number), values, columns, dates)
            if row:
                parts.append(row)
            if len(parts) >= CHUNK_ROWS:
                yield "".join(parts).encode("utf-8")
                parts = []
        if parts:
            yield "".join(parts).encode("utf-8")


class _Column:
    """Per column: its letter, style attribute and the constant parts of its cells."""

    __slots__ = ("letter", "s", "code", "pre", "text", "number")

    def __init__(self, letter: str, s: str, code: bool):
        self.letter, self.s, self.code = letter, s, code
        self.pre = f'<c r="{letter}'
        self.text = f'"{s} t="inlineStr"><is><t>'
        self.number = f'"{s}><v>'


def _row(r: str, values: Sequence[Any], columns: list[_Column], dates: tuple[str, str]) -> str:
    """One ``<row>`` (or '' when every value is None). The common cases (plain text, finite
    numbers, dates) are written inline; the others go through string_cell / value_cell."""
    cells: list[str] = []
    add = cells.append
    for col, v in zip(columns, values):
        if v is None:
            continue
        cls = v.__class__
        if cls is str:
            if plain_text(v):
                add(f"{col.pre}{r}{col.text}{v}</t></is></c>")
            else:
                add(string_cell(col.letter + r, col.s, v))
        elif col.code:
            add(string_cell(col.letter + r, col.s, code_text(v)))
        elif cls is int or (cls is float and v - v == 0.0):  # finite: nan and inf go the long way
            add(f"{col.pre}{r}{col.number}{v:.16G}</v></c>")
        elif cls is dt.date and v.year >= 1900:
            add(f'{col.pre}{r}"{dates[0]}><v>{(v - EPOCH).days}</v></c>')
        else:
            add(value_cell(col.letter + r, col.s, v, dates))
    return f'<row r="{r}">{"".join(cells)}</row>' if cells else ""
