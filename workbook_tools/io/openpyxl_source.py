"""Fallback reader for xlsx files calamine rejects but openpyxl can open (for example
a package whose _rels/.rels is garbage). Read-only mode, cached values, and values
normalised to what calamine would have returned (floats, dates, "" for blanks).

Only used after sniff's checks (no DOCTYPE/ENTITY, sane extents); openpyxl also parses
through defusedxml when it is installed, which it is.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from workbook_tools.io import limits
from workbook_tools.io.grid import SheetGrid, SheetInfo
from workbook_tools.io.problems import extent_error, unreadable

_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}


def _normalise(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    if isinstance(value, str) and value in _ERRORS:
        return ""
    return value


class OpenpyxlSource:
    def __init__(self, path: Path):
        import openpyxl  # slow to import, and only needed for broken files

        self.path = path
        try:
            self.book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
        except Exception:
            raise unreadable(path, "corrupt", what="工作簿内部结构无法解析") from None

    def sheets(self) -> list[SheetInfo]:
        out = []
        for ws in self.book:
            worksheet = hasattr(ws, "iter_rows")
            out.append(SheetInfo(ws.title, ws.sheet_state == "visible", worksheet))
        return out

    def load(self, name: str) -> SheetGrid:
        try:
            cells = self._cells(name)
        except Exception:
            raise unreadable(self.path, "corrupt", what=f"工作表“{name}”无法解析") from None
        if not cells:
            return SheetGrid(name, [])
        r0 = min(c[0] for c in cells)
        c0 = min(c[1] for c in cells)
        height = max(c[0] for c in cells) - r0 + 1
        width = max(c[1] for c in cells) - c0 + 1
        if height * width > limits.MAX_CELLS:
            raise extent_error(self.path, name, r0 + height, c0 + width)
        rows = [[""] * width for _ in range(height)]
        for r, c, v in cells:
            rows[r - r0][c - c0] = v
        return SheetGrid(name, rows, r0, c0)

    def _cells(self, name: str) -> list[tuple[int, int, object]]:
        ws = self.book[name]
        ws.reset_dimensions()  # never trust the claimed dimension (no padding to XFD)
        out = []
        for row in ws.iter_rows():
            for cell in row:
                value = getattr(cell, "value", None)
                if value is None or value == "":
                    continue
                out.append((cell.row - 1, cell.column - 1, _normalise(value)))
        return out

    def close(self) -> None:
        try:
            self.book.close()
        except Exception:
            pass
