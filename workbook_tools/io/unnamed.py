"""Data columns without a header of their own, as under a header cell merged across two
columns (calamine gives the text to the first cell only; the others are blank).

Such a column is kept: it is named after the nearest header on its left plus its letter
("备注（G列）"), listed in ``SheetTable.unnamed_columns`` and treated as an unknown column
(kept by the merge, reported as header drift) — never silently dropped.
"""

from __future__ import annotations

from workbook_tools.io.cells import column_letter
from workbook_tools.io.grid import SheetGrid
from workbook_tools.io.table import Column


def _blank(v) -> bool:
    return v == "" or v is None or (type(v) is str and v.isspace())


def _right_edge(below: list[list], end: int, width: int) -> int:
    """One past the rightmost column at or after ``end`` holding a value below the header."""
    edge = end
    for row in below:
        for j in range(width - 1, edge - 1, -1):
            if not _blank(row[j]):
                edge = j + 1
                break
    return edge


def name_unnamed(grid: SheetGrid, header: int, start: int, end: int, columns: list[Column],
                 ) -> tuple[list[Column], int, list[Column]]:
    """(columns, end, unnamed): the header's columns widened to the last column holding
    data, each blank-headed column with data named after the header on its left."""
    below = grid.rows[header + 1:]
    new_end = _right_edge(below, end, grid.width) if grid.width > end else end
    columns = list(columns)
    for j in range(end, new_end):
        index = grid.first_col + j
        columns.append(Column(index, column_letter(index), "", None, None))
    unnamed: list[Column] = []
    left = ""
    for k, col in enumerate(columns):
        if col.header.strip():
            left = col.header.strip()
            continue
        j = start + k
        if left and any(not _blank(row[j]) for row in below):
            named = Column(col.index, col.letter, f"{left}（{col.letter}列）", None, None)
            columns[k] = named
            unnamed.append(named)
    return columns, new_end, unnamed
