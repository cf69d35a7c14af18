"""Worksheet ``<row>`` XML for the summary tables and the 待安排 lists, built column-wise in bulk
with io.sheetrows (the one row builder, shared with the master).

A 300,000-customer master can put a few million cells on 跟进提醒 and 业务下滑. The
writers let XlsxWriter write the workbook (styles, charts, column widths, the title row)
and splice these rows into each sheet's ``<sheetData>`` afterwards (io.sheetxml). Numbers
are ``<v>`` numbers, text is inline strings escaped as XlsxWriter escapes them, dates are
serial numbers with a date style.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from workbook_tools.io import sheetxml
from workbook_tools.io.sheetrows import SheetRows, number_cells, text_cells
from workbook_tools.summary.tables import Table

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
EMPTY_NOTE = "（无）"  # written in the first data row of a table without rows
LINE_PT = 15.0  # height of one line of wrapped text


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


def add_table(rows: SheetRows, table: Table, header_row: int, first_col: int, styles: Mapping[str, int]) -> None:
    """A table's caption (row above ``header_row``), header and data rows (or （无）).

    ``styles``: style index by name: "caption", "header", each kind and "total:" + kind.
    """
    letters = [xl_col_to_name(first_col + j) for j in range(len(table.frame.columns))]
    last_col = first_col + max(len(letters), 1) - 1
    first_letter = xl_col_to_name(first_col)
    caption = [text_cells(first_letter, [str(header_row)], [table.title], styles["caption"])]
    rows.add_block(header_row - 1, first_col, first_col, caption)
    header = [str(header_row + 1)]
    rows.add_block(header_row, first_col, last_col, [text_cells(letter, header, [str(name)], styles["header"])
                                                     for letter, name in zip(letters, table.frame.columns)])
    first_data = header_row + 1
    if table.frame.empty:
        note = text_cells(first_letter, [str(first_data + 1)], [EMPTY_NOTE], styles["text"])
        rows.add_block(first_data, first_col, first_col, [note])
        return
    frame = table.frame.iloc[:-1] if table.total_row else table.frame
    _add_body(rows, table, frame, first_data, first_col, letters, styles, total=False)
    if table.total_row:
        _add_body(rows, table, table.frame.iloc[-1:], first_data + len(frame), first_col, letters, styles, True)


def _add_body(rows: SheetRows, table: Table, frame: pd.DataFrame, first_row: int, first_col: int,
              letters: list[str], styles: Mapping[str, int], total: bool) -> None:
    numbers = [str(r + 1) for r in range(first_row, first_row + len(frame))]
    columns = []
    for letter, name in zip(letters, frame.columns):
        kind = table.kind(name)
        plain = "wrap" if kind == "text" and table.wrap else kind
        style = styles[f"total:{kind}" if total else plain]
        if kind == "text":
            columns.append(text_cells(letter, numbers, frame[name].tolist(), style))
        else:
            columns.append(number_cells(letter, numbers, numeric(frame[name], kind), style))
    rows.add_block(first_row, first_col, first_col + len(letters) - 1, columns)


def splice(xlsx: Path, sheet_rows: Mapping[int, SheetRows]) -> None:
    """io.sheetxml.splice, the sheets given by 0-based index."""
    sheetxml.splice(xlsx, {f"xl/worksheets/sheet{index + 1}.xml": rows for index, rows in sheet_rows.items()})
