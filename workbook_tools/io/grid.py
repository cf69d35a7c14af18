"""What every source (calamine, openpyxl fallback, CSV) hands to header detection."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SheetInfo:
    """A sheet as listed by the workbook, before loading it."""

    name: str
    visible: bool = True
    worksheet: bool = True  # False for chart sheets, dialog sheets, macro sheets


@dataclass
class SheetGrid:
    """A loaded sheet: a rectangle of raw values and where it sits on the sheet.

    ``rows[i][j]`` is the cell at 0-based sheet row ``first_row + i`` and column
    ``first_col + j``; every row has the same length; blank cells are "".
    """

    name: str
    rows: list[list]
    first_row: int = 0
    first_col: int = 0

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0
