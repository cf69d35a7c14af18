"""The master's table rows as worksheet XML, for io.sheetxml.splice.

The master's tables hold ~15 million cells at 300,000 customers; XlsxWriter writes the rest
of the package (master_writer) and :class:`Body` generates each table's ``<row>`` elements
in blocks of rows, column by column through io.sheetrows (the builder the summary, plans
and cards share).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Any, Iterable, Iterator, Sequence

from xlsxwriter.utility import xl_col_to_name

from workbook_tools.io.sheetrows import row_xml, style_attr, value_cells
from workbook_tools.io.sheetxml import ZIP64_FROM_CELLS, splice
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
        """``<row>`` elements, a few thousand rows per chunk (UTF-8), built column by column
        (io.sheetrows.value_cells; code columns as text through merge.rows.code_text)."""
        columns = [(xl_col_to_name(c), style_attr(s), code_text if k == "code" else None)
                   for c, (k, s) in enumerate(zip(self.kinds, self.column_styles))]
        dates = (style_attr(self.date_style), style_attr(self.datetime_style))
        number = self.first_row + 1
        for block in _blocks(self.rows, CHUNK_ROWS):
            rows = [str(r) for r in range(number, number + len(block))]
            number += len(block)
            values = zip(*(_padded(row, len(columns)) for row in block))
            cells = [value_cells(letter, rows, column, s, dates, as_text)
                     for (letter, s, as_text), column in zip(columns, values)]
            xml = row_xml(rows, cells)
            if xml:
                yield xml.encode("utf-8")


def _blocks(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    it = iter(rows)
    while block := list(islice(it, size)):
        yield block


def _padded(row: Sequence[Any], width: int) -> Sequence[Any]:
    """``row`` cut or padded with None to ``width`` values (so the columns transpose)."""
    return row if len(row) == width else (list(row[:width]) + [None] * (width - len(row)))
