"""Reading values with python-calamine: fast, formula cached values, 1904 dates.

Sheets are loaded one at a time; each load is preceded by sniff's extent checks and
followed by a cheap rows × columns check before any Python objects are made.
"""

from __future__ import annotations

import io
from pathlib import Path

import python_calamine as pc

from workbook_tools.io import limits
from workbook_tools.io.grid import SheetGrid, SheetInfo
from workbook_tools.io.problems import extent_error, unreadable

# Suffixes python-calamine's from_path maps to each format; other names are read from bytes.
_PATH_SUFFIXES = {"xlsx": {".xlsx", ".xlsm", ".xlam"}, "xlsm": {".xlsx", ".xlsm", ".xlam"},
                  "xls": {".xls", ".xla"}, "ods": {".ods"}}


class CalamineFailed(Exception):
    """calamine could not parse the file (the caller may try openpyxl)."""


def _guard(path: Path, action):
    """Run ``action()``; map calamine's errors (and Rust panics) to ours."""
    try:
        return action()
    except pc.PasswordError:
        raise unreadable(path, "encrypted") from None
    except MemoryError:
        raise unreadable(path, "memory") from None
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # CalamineError family, pyo3 PanicException, OSError
        raise CalamineFailed(f"{type(exc).__name__}: {exc}") from None


class CalamineSource:
    def __init__(self, path: Path, kind: str):
        self.path = path
        # xlsx sheets past MAX_CELLS passed sniff's density rule (extent.within_extent)
        self.max_cells = limits.MAX_DENSE_CELLS if kind in ("xlsx", "xlsm") else limits.MAX_CELLS
        if path.suffix.lower() in _PATH_SUFFIXES.get(kind, ()):
            self.book = _guard(path, lambda: pc.CalamineWorkbook.from_path(str(path)))
        else:  # e.g. a real .xlsx saved as "客户.xls": calamine picks the format by content
            data = path.read_bytes()
            self.book = _guard(path, lambda: pc.CalamineWorkbook.from_filelike(io.BytesIO(data)))

    def sheets(self) -> list[SheetInfo]:
        out = []
        for meta in self.book.sheets_metadata:
            visible = meta.visible == pc.SheetVisibleEnum.Visible
            worksheet = meta.typ == pc.SheetTypeEnum.WorkSheet
            out.append(SheetInfo(meta.name, visible, worksheet))
        return out

    def load(self, name: str) -> SheetGrid:
        sheet = _guard(self.path, lambda: self.book.get_sheet_by_name(name))
        if sheet.height * sheet.width > self.max_cells:
            end = sheet.end or (0, 0)
            raise extent_error(self.path, name, end[0] + 1, end[1] + 1)
        start = sheet.start
        if start is None:
            return SheetGrid(name, [])
        rows = _guard(self.path, sheet.to_python)
        return SheetGrid(name, rows, start[0], start[1])

    def close(self) -> None:
        try:
            self.book.close()
        except Exception:
            pass
