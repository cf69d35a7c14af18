"""Worksheet ``<row>`` XML for the summary tables and the 待安排 lists, built column-wise in bulk
with io.sheetrows (the one row builder, shared with the master).

A million-customer master puts over ten million cells on 跟进提醒 and 业务下滑. The
writers let XlsxWriter write the workbook (styles, charts, column widths, the title row)
and splice these rows into each sheet's ``<sheetData>`` afterwards (io.sheetxml). Numbers
are ``<v>`` numbers, text is inline strings escaped as XlsxWriter escapes them, dates are
serial numbers with a date style. A table's cells are built when the splice asks for them,
:data:`WINDOW_ROWS` sheet rows at a time (:class:`TableRows`), so only one window's XML
exists at once; the bytes are the same as building the whole sheet in one go.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Callable, Iterator, Mapping

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from workbook_tools.io import sheetxml
from workbook_tools.io.sheetrows import SheetExtent, SheetRows, number_cells, text_cells
from workbook_tools.summary.tables import Table

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
EMPTY_NOTE = "（无）"  # written in the first data row of a table without rows
LINE_PT = 15.0  # height of one line of wrapped text
WINDOW_ROWS = 20_000  # sheet rows whose cells are built at a time

Build = Callable[[int, int], list[list[str]]]   # (first, stop) block rows → cell strings per column


class TableRows(SheetExtent):
    """The cells of one sheet as blocks built on demand (an io.sheetxml SheetPart).

    A block is a rectangle of adjacent columns from a first row down whose cell strings
    ``build(lo, hi)`` makes for its rows lo … hi - 1 (0-based within the block); blocks may
    share rows with blocks further left or right, never overlap. ``chunks`` yields the
    ``<row>`` XML window by window (io.sheetrows.SheetRows orders each window's cells).
    ``heights``: 0-based row → height in points."""

    blocks: list[tuple[int, int, int, int, Build]]   # first row, first/last column, rows, build

    def add_block(self, first_row: int, first_col: int, last_col: int, n_rows: int, build: Build) -> None:
        if n_rows > 0 and last_col >= first_col:
            self.blocks.append((first_row, first_col, last_col, n_rows, build))
            self.max_row = max(self.max_row, first_row + n_rows - 1)
            self.max_col = max(self.max_col, last_col)

    def chunks(self) -> Iterator[bytes]:
        if not self.blocks:
            return
        for start in range(min(b[0] for b in self.blocks), self.max_row + 1, WINDOW_ROWS):
            window = SheetRows()
            window.heights = self.heights
            for first, c0, c1, n, build in self.blocks:
                lo, hi = max(start - first, 0), min(start + WINDOW_ROWS - first, n)
                if lo < hi:
                    window.add_block(first + lo, c0, c1, build(lo, hi))
            data = window.xml()
            if data:
                yield data


def numeric(column: pd.Series, kind: str) -> np.ndarray:
    """Float values for a number column; dates as Excel serial days."""
    if kind == "date":
        return (pd.to_datetime(column) - EXCEL_EPOCH).dt.days.to_numpy(dtype="float64", na_value=np.nan)
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def wrapped_heights(table: Table, first_row: int, widths: Mapping[str, float]) -> dict[int, float]:
    """Row heights (points) that show every line of the wrapped columns of ``table``'s body rows,
    for columns ``widths`` characters wide (15 points a line)."""
    lines = pd.Series(1, index=range(len(table.frame)))
    for name in table.wrap:
        chars = max(widths[name] - 2, 1)
        texts = table.frame[name].fillna("").astype(str)
        lines = np.maximum(lines, np.ceil(texts.map(display_width).to_numpy() / chars).astype(int))
    return {first_row + i: LINE_PT * n for i, n in enumerate(lines.tolist()) if n > 1}


def display_width(text: str) -> int:
    """Width in characters as a spreadsheet shows it (CJK characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def add_table(rows: TableRows, table: Table, header_row: int, first_col: int, styles: Mapping[str, int]) -> None:
    """A table's caption (row above ``header_row``), header and data rows (or （无））.

    ``styles``: style index by name: "caption", "header", each kind and "total:" + kind.
    """
    letters = [xl_col_to_name(first_col + j) for j in range(len(table.frame.columns))]
    last_col = first_col + max(len(letters), 1) - 1
    first_letter = xl_col_to_name(first_col)
    caption = [text_cells(first_letter, [str(header_row)], [table.title], styles["caption"])]
    rows.add_block(header_row - 1, first_col, first_col, 1, lambda lo, hi: caption)
    header = [text_cells(letter, [str(header_row + 1)], [str(name)], styles["header"])
              for letter, name in zip(letters, table.frame.columns)]
    rows.add_block(header_row, first_col, first_col + len(letters) - 1, 1, lambda lo, hi: header)
    first_data = header_row + 1
    if table.frame.empty:
        note = [text_cells(first_letter, [str(first_data + 1)], [EMPTY_NOTE], styles["text"])]
        rows.add_block(first_data, first_col, first_col, 1, lambda lo, hi: note)
        return
    frame = table.frame.iloc[:-1] if table.total_row else table.frame
    _add_body(rows, table, frame, first_data, first_col, letters, styles, total=False)
    if table.total_row:
        _add_body(rows, table, table.frame.iloc[-1:], first_data + len(frame), first_col, letters, styles, True)


def _add_body(rows: TableRows, table: Table, frame: pd.DataFrame, first_row: int, first_col: int,
              letters: list[str], styles: Mapping[str, int], total: bool) -> None:
    kinds = [table.kind(name) for name in frame.columns]
    cell_styles = [styles[f"total:{kind}" if total else "wrap" if kind == "text" and table.wrap else kind]
                   for kind in kinds]

    def build(lo: int, hi: int) -> list[list[str]]:
        numbers = [str(r + 1) for r in range(first_row + lo, first_row + hi)]
        part = frame.iloc[lo:hi]
        return [text_cells(letter, numbers, part[name].tolist(), style) if kind == "text"
                else number_cells(letter, numbers, numeric(part[name], kind), style)
                for letter, name, kind, style in zip(letters, frame.columns, kinds, cell_styles)]

    rows.add_block(first_row, first_col, first_col + len(letters) - 1, len(frame), build)


def splice(xlsx: Path, sheet_rows: Mapping[int, sheetxml.SheetPart]) -> None:
    """io.sheetxml.splice, the sheets given by 0-based index."""
    sheetxml.splice(xlsx, {f"xl/worksheets/sheet{index + 1}.xml": rows for index, rows in sheet_rows.items()})
