"""The one builder of worksheet ``<row>`` XML, column arrays in, for io.sheetxml.splice.

Master (merge.sheet_xml), summary and 待安排 lists (summary.sheetxml, plan.writer) and
cards build their large tables' rows here, one column at a time: each ``*_cells`` function
turns one column into a list of cell strings ('' where the cell is empty and skipped), and
:func:`row_xml` / :class:`SheetRows` join the columns into ``<row>`` elements. Cells are
what XlsxWriter writes for the same values (io.sheetxml): inline strings, numbers, dates as
serial numbers with a date style, style ids as ``s="N"``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np
from xlsxwriter.utility import xl_col_to_name

from workbook_tools.io.sheetxml import EPOCH, ZIP64_FROM_CELLS, any_special, plain_text, string_cell, value_cell

_TEXT_TYPES = {str, type(None)}  # a column of these is written in one comprehension
_NUMBER_TYPES = {int, float, type(None)}   # … and of these
_DATE_TYPES = {dt.date, type(None)}        # … and of these

__all__ = ["SheetRows", "number_cells", "row_xml", "style_attr", "text_cells", "value_cells"]


def style_attr(style: int | None) -> str:
    """The ``s`` attribute of a cell with xf index ``style`` ('' for None)."""
    return "" if style is None else f' s="{style}"'


def text_cells(letter: str, rows: list[str], values: Iterable, style: int) -> list[str]:
    """Inline-string cells ('' where the value is None, NaN or empty); other values as str()."""
    texts = [v if isinstance(v, str) else ("" if v is None or v != v else str(v)) for v in values]
    s = f' s="{style}"'
    head, tail = f'<c r="{letter}', f'"{s} t="inlineStr"><is><t>'
    if any_special(texts):  # one scan of the column; escaping is rarely needed
        return ["" if not v else f"{head}{r}{tail}{v}</t></is></c>" if plain_text(v)
                else string_cell(f"{letter}{r}", s, v) for r, v in zip(rows, texts)]
    return [f"{head}{r}{tail}{v}</t></is></c>" if v else "" for r, v in zip(rows, texts)]


def number_cells(letter: str, rows: list[str], values: np.ndarray, style: int) -> list[str]:
    """Number cells from a float array ('' where NaN or infinite); integral columns are
    written without a decimal point, the others as repr()."""
    finite = np.isfinite(values)
    if np.all(values[finite] == np.round(values[finite])) and np.all(np.abs(values[finite]) < 2**53):
        numbers = np.where(finite, values, 0).astype("int64").tolist()  # Python ints format fast
    else:
        numbers = [repr(v) for v in values.tolist()]
    head, tail = f'<c r="{letter}', f'" s="{style}"><v>'
    return [f"{head}{r}{tail}{n}</v></c>" if ok else "" for r, n, ok in zip(rows, numbers, finite.tolist())]


def value_cells(letter: str, rows: list[str], values: Iterable[Any], s: str, dates: tuple[str, str],
                as_text: Callable[[Any], str] | None = None) -> list[str]:
    """Cells for a column of any Python values, as XlsxWriter's write() writes them ('' for
    None). ``s``: the column's style attribute (:func:`style_attr`); ``dates``: the style
    attributes of dates and of date-times; ``as_text``: for a text column, turns non-str
    values into the text written (e.g. codes: 1234 → "001234"). The common cases (plain
    text, finite numbers, dates) are written inline, the rest through string_cell / value_cell."""
    pre, text, number = f'<c r="{letter}', f'"{s} t="inlineStr"><is><t>', f'"{s}><v>'
    date = f'"{dates[0]}><v>'
    values = values if isinstance(values, (list, tuple)) else list(values)
    types = set(map(type, values))
    if types <= _TEXT_TYPES and not any_special([v for v in values if v is not None]):
        return ["" if v is None else f"{pre}{r}{text}{v}</t></is></c>" for r, v in zip(rows, values)]
    if as_text is None and types <= _NUMBER_TYPES:   # the loop's number case; nan/inf the long way
        return ["" if v is None else f"{pre}{r}{number}{v:.16G}</v></c>" if v - v == 0.0
                else value_cell(letter + r, s, v, dates) for r, v in zip(rows, values)]
    if as_text is None and types <= _DATE_TYPES:     # the loop's date case
        return ["" if v is None else f"{pre}{r}{date}{(v - EPOCH).days}</v></c>" if v.year >= 1900
                else value_cell(letter + r, s, v, dates) for r, v in zip(rows, values)]
    out: list[str] = []
    add = out.append
    for r, v in zip(rows, values):
        if v is None:
            add("")
            continue
        cls = v.__class__
        if cls is str:
            add(f"{pre}{r}{text}{v}</t></is></c>" if plain_text(v) else string_cell(letter + r, s, v))
        elif as_text is not None:
            add(string_cell(letter + r, s, as_text(v)))
        elif cls is int or (cls is float and v - v == 0.0):  # finite: nan and inf go the long way
            add(f"{pre}{r}{number}{v:.16G}</v></c>")
        elif cls is dt.date and v.year >= 1900:
            add(f"{pre}{r}{date}{(v - EPOCH).days}</v></c>")
        else:
            add(value_cell(letter + r, s, v, dates))
    return out


def row_xml(rows: Sequence[str], columns: Sequence[list[str]]) -> str:
    """``<row>`` elements for row numbers ``rows`` from cell columns (left to right); a row
    whose cells are all '' is left out."""
    return "".join(f'<row r="{r}">{cells}</row>' for r, cells in zip(rows, map("".join, zip(*columns)))
                   if cells)


class SheetExtent:
    """What io.sheetxml.splice asks of a sheet's cells besides its rows: the extent of its
    ``blocks`` (``max_row`` / ``max_col``, 0-based; -1 when empty) and the row ``heights``."""

    def __init__(self) -> None:
        self.blocks: list = []
        self.max_row = -1
        self.max_col = -1
        self.heights: dict[int, float] = {}

    @property
    def last_cell(self) -> str | None:
        """The bottom-right cell (for ``<dimension>``); None when there are no cells."""
        return f"{xl_col_to_name(max(self.max_col, 0))}{self.max_row + 1}" if self.blocks else None

    @property
    def large(self) -> bool:
        return (self.max_row + 1) * (self.max_col + 1) > ZIP64_FROM_CELLS


class SheetRows(SheetExtent):
    """Blocks of cells collected for one sheet, emitted as ``<row>`` XML in row and column
    order (a SheetPart for io.sheetxml.splice). ``heights``: 0-based row → height in points."""

    blocks: list[tuple[int, int, list[str]]]  # (first row, first column, row strings)

    def chunks(self) -> Iterator[bytes]:
        if self.blocks:
            yield self.xml()

    def add_block(self, first_row: int, first_col: int, last_col: int, columns: list[list[str]]) -> None:
        """Cells of adjacent columns (one list per column, left to right), rows from ``first_row`` down.

        Blocks may share rows with blocks further left or right, never overlap cells.
        """
        strings = list(map("".join, zip(*columns)))
        if strings:
            self.blocks.append((first_row, first_col, strings))
            self.max_row = max(self.max_row, first_row + len(strings) - 1)
            self.max_col = max(self.max_col, last_col)

    def _row_tag(self, row: int) -> str:
        height = self.heights.get(row)
        return f'<row r="{row + 1}">' if height is None else f'<row r="{row + 1}" ht="{height:g}" customHeight="1">'

    def xml(self) -> bytes:
        if not self.blocks:
            return b""
        rows = np.concatenate([np.arange(r, r + len(s)) for r, _, s in self.blocks])
        cols = np.concatenate([np.full(len(s), c) for _, c, s in self.blocks])
        strings = [text for _, _, s in self.blocks for text in s]
        keep = np.flatnonzero([bool(t) for t in strings])
        order = keep[np.lexsort((cols[keep], rows[keep]))]
        rows = rows[order]
        starts = np.r_[True, rows[1:] != rows[:-1]].tolist()
        ends = np.r_[rows[1:] != rows[:-1], True].tolist()
        parts = [
            (self._row_tag(r) if start else "") + strings[i] + ("</row>" if end else "")
            for r, i, start, end in zip(rows.tolist(), order.tolist(), starts, ends)
        ]
        return "".join(parts).encode("utf-8")
