"""Refuse sheets whose real cell rectangle would exhaust memory, before loading them.

calamine allocates rows × columns cells for a sheet's used rectangle; a single value
in XFD1048576 next to one in A1 asks for 17 billion cells and aborts the process.
The claimed <dimension> cannot be trusted either way (Gnumeric claims A1:XFD1048576
for two real rows), so small sheets, sheets without a dimension and sheets claiming a
huge one are scanned for the cells that really hold a value. ODS content is scanned
with its row/column repeat counts.
"""

from __future__ import annotations

import re
from pathlib import Path

from workbook_tools.errors import UnreadableWorkbook
from workbook_tools.io import limits
from workbook_tools.io.cells import column_index, range_size
from workbook_tools.io.problems import extent_error, unreadable
from workbook_tools.io.xlsx_meta import sheet_names_by_part, worksheet_parts
from workbook_tools.io.zipcheck import ZipPackage

_CHUNK = 1 << 20
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref\s*=\s*[\"']([A-Za-z0-9:$]+)[\"']")
# A cell reference in a far column (≥ AAA) or a far row (≥ 10000): groups 1-2 or 3-4;
# group 5 is "/" for an empty <c …/>. The literal " r=" start keeps the scan fast; the
# rare files separating attributes with tabs or line breaks get the slower \s variant.
_FAR = rb'r="(?:([A-Z]{3})([0-9]{1,7})|([A-Z]{1,2})([0-9]{5,7}))"[^>]*?(/?)>'
_ANY = rb'r="(?:([A-Z]{1,3})([0-9]{1,7})|()())"[^>]*?(/?)>'
_FAR_CELL = (re.compile(b" " + _FAR), re.compile(rb"\s" + _FAR))
_ANY_CELL = (re.compile(b" " + _ANY), re.compile(rb"\s" + _ANY))
_ODD_SPACES = (b'\tr="', b'\nr="', b'\rr="')
_NEAR_COLS, _NEAR_ROWS = 702, 9999  # bounds when no far cell holds a value


def check_xlsx(pkg: ZipPackage) -> None:
    """Raise UnreadableWorkbook if any worksheet's real extent exceeds MAX_CELLS."""
    for part in worksheet_parts(pkg):
        info = pkg.entries[part]
        claimed = _claimed_size(pkg, part)
        if claimed and claimed[0] * claimed[1] <= limits.MAX_CELLS \
                and info.file_size >= limits.SHEET_SCAN_ALWAYS_BELOW:
            continue
        rows, cols = _scan_xlsx_part(pkg, part)
        if rows * cols > limits.MAX_CELLS:
            sheet = sheet_names_by_part(pkg).get(part, part)
            raise extent_error(pkg.path, sheet, rows, cols)


def _claimed_size(pkg: ZipPackage, part: str) -> tuple[int, int] | None:
    try:
        head = pkg.read_head(part, 16 * 1024)
    except Exception:
        return None  # calamine will report the broken part
    m = _DIMENSION.search(head)
    return range_size(m.group(1).decode("ascii")) if m else None


def _chunks(fh, overlap: int = 256):
    """Decompressed text in 1 MB pieces, each starting with the tail of the previous one."""
    tail = b""
    while True:
        block = fh.read(_CHUNK)
        if not block:
            return
        buf = tail + block
        yield buf
        tail = buf[-overlap:]


def _scan_xlsx_part(pkg: ZipPackage, part: str) -> tuple[int, int]:
    """(rows, columns) of the cells in ``part`` that hold a value: first a cheap pass
    looking only at far cells, then, if that bound is too big, an exact pass."""
    rows, cols = _scan(pkg, part, _FAR_CELL, (_NEAR_ROWS, _NEAR_COLS))
    if rows * cols > limits.MAX_CELLS:
        rows, cols = _scan(pkg, part, _ANY_CELL, (0, 0))
    return rows, cols


def _scan(pkg: ZipPackage, part: str, patterns: tuple, start: tuple[int, int]) -> tuple[int, int]:
    max_row, max_col = start
    try:
        with pkg.open(part) as fh:
            for buf in _chunks(fh):
                pattern = patterns[1] if any(s in buf for s in _ODD_SPACES) else patterns[0]
                for m in pattern.finditer(buf):
                    if m.group(5):
                        continue  # <c r="…" s="1"/>: a styled empty cell
                    letters, digits = m.group(1, 2) if m.group(1) else m.group(3, 4)
                    max_col = max(max_col, column_index(letters.decode()) + 1)
                    max_row = max(max_row, int(digits))
    except Exception:
        return 0, 0  # unreadable part: calamine (or the fallback) reports it
    return max_row, max_col


# --- ODS -------------------------------------------------------------------------------

_ODS_TOKEN = re.compile(
    rb"<(?:[\w.-]+:)?(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>"
    rb"|</(?:[\w.-]+:)?(table-row|table)>")
_ROWS_REP = re.compile(rb"number-rows-repeated\s*=\s*[\"'](\d+)")
_COLS_REP = re.compile(rb"number-columns-repeated\s*=\s*[\"'](\d+)")
_TABLE_NAME = re.compile(rb"""[:\s]name\s*=\s*["']([^"']*)""")


class _OdsTable:
    def __init__(self, name: str):
        self.name, self.row, self.rows, self.cols = name, 0, 0, 0
        self.row_rep, self.col, self.row_cols = 1, 0, 0

    def cell(self, attrs: bytes, empty: bool) -> None:
        m = _COLS_REP.search(attrs)
        rep = int(m.group(1)) if m else 1
        if b"value-type" in attrs or not empty:
            self.row_cols = self.col + rep
        self.col += rep

    def end_row(self) -> None:
        if self.row_cols:
            self.rows = self.row + self.row_rep
            self.cols = max(self.cols, self.row_cols)
        self.row += self.row_rep
        self.row_rep, self.col, self.row_cols = 1, 0, 0


def check_ods(pkg: ZipPackage) -> None:
    """Raise UnreadableWorkbook if a table's value cells span more than MAX_CELLS."""
    if not pkg.has("content.xml"):
        return
    table = None
    try:
        with pkg.open("content.xml") as fh:
            carry = b""
            while block := fh.read(_CHUNK):
                buf = carry + block
                cut = buf.rfind(b">") + 1
                buf, carry = buf[:cut], buf[cut:]
                for m in _ODS_TOKEN.finditer(buf):
                    table = _ods_token(pkg.path, table, m)
    except UnreadableWorkbook:
        raise
    except Exception:
        raise unreadable(pkg.path, "corrupt", what="content.xml 无法解压") from None


def _ods_token(path: Path, table: _OdsTable | None, m: re.Match) -> _OdsTable | None:
    tag, attrs, empty, closing = m.group(1), m.group(2), m.group(3), m.group(4)
    if tag == b"table":
        name = _TABLE_NAME.search(attrs)
        return _OdsTable(name.group(1).decode("utf-8", "replace") if name else "?")
    if table is None:
        return None
    if tag == b"table-row":
        rep = _ROWS_REP.search(attrs)
        table.row_rep = int(rep.group(1)) if rep else 1
        if empty:
            table.end_row()
    elif tag in (b"table-cell", b"covered-table-cell"):
        table.cell(attrs, bool(empty))
    elif closing == b"table-row":
        table.end_row()
    elif closing == b"table":
        if table.rows * table.cols > limits.MAX_CELLS:
            raise extent_error(path, table.name, table.rows, table.cols)
        return None
    return table
