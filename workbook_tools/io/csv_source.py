"""CSV as a one-sheet workbook: UTF-8 (with or without BOM), else GB18030 (a superset
of GBK, what Excel on Chinese Windows writes), UTF-16 when it has a BOM.

Every value stays text, as typed; the sheet is named after the file.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from workbook_tools.io import limits
from workbook_tools.io.grid import SheetGrid, SheetInfo
from workbook_tools.io.problems import extent_error, unreadable

csv.field_size_limit(16 * 1024 * 1024)


def decode(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise unreadable(path, "encoding")


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    first = sample.split("\n", 1)[0]
    if first.count("\t") > first.count(","):
        return csv.excel_tab
    if first.count(";") > first.count(",") and first.count(";") >= 2:
        class _Semicolon(csv.excel):
            delimiter = ";"
        return _Semicolon
    return csv.excel


class CsvSource:
    def __init__(self, path: Path):
        self.path = path
        self.name = path.stem

    def sheets(self) -> list[SheetInfo]:
        return [SheetInfo(self.name)]

    def load(self, name: str) -> SheetGrid:
        try:
            data = self.path.read_bytes()
        except OSError:
            raise unreadable(self.path, "no_access") from None
        text = decode(self.path, data)
        rows = self._rows(text)
        while rows and not any(rows[-1]):
            rows.pop()
        width = max((len(r) for r in rows), default=0)
        if len(rows) * width > limits.MAX_CELLS:
            raise extent_error(self.path, name, len(rows), width)
        for row in rows:
            if len(row) < width:
                row.extend([""] * (width - len(row)))
        return SheetGrid(name, rows)

    def _rows(self, text: str) -> list[list[str]]:
        """The parsed rows; a row wider than Excel's 16,384 columns is refused as soon as
        it is met, before any padding (one 200,000-comma line would pad every row)."""
        rows = []
        try:
            for i, row in enumerate(csv.reader(io.StringIO(text, newline=""), _dialect(text[:4096]))):
                if len(row) > limits.EXCEL_MAX_COLS:
                    raise unreadable(self.path, "csv_wide", row=i + 1, cols=f"{len(row):,}",
                                     limit=f"{limits.EXCEL_MAX_COLS:,}")
                rows.append(row)
        except csv.Error:
            raise unreadable(self.path, "csv_broken", what="含有无法解析的内容，可能不是文本文件") from None
        return rows

    def close(self) -> None:
        pass
