"""Refuse xlsx packages whose cells would exhaust memory, before calamine loads them.

calamine allocates rows × columns cells for a sheet's used rectangle (a value in
XFD1048576 next to one in A1 asks for 17 billion cells and aborts the process), and it
copies a shared string into every cell that refers to it (one 1 MB string used by
100,000 cells is 100 GB). So, before any parser sees the package:

- every worksheet part (by name and by the workbook's relationships), whatever its size
  and whatever its <dimension> claims, is streamed and its cells are found as calamine
  finds them: attributes one by one, either quote, and, for cells written without an
  ``r`` attribute, the implicit position after the previous cell / row;
- the characters its shared-string cells decode to are bounded: cells using a shared
  string × the longest string, and only when that bound is too big, exactly.

The fast pass counts cells and looks only at far cells (column ≥ AAA or row ≥ 10000), at
C speed, in pieces where every cell is written ``<c r="…"`` as every real producer writes
it; the exact passes (attribute by attribute, in Python) run for the rare parts that need
them.
"""

from __future__ import annotations

import re
from array import array

from workbook_tools.io import limits
from workbook_tools.io.cells import column_index
from workbook_tools.io.problems import extent_error, unreadable
from workbook_tools.io.xlsx_meta import sheet_names_by_part, worksheet_parts
from workbook_tools.io.zipcheck import ZipPackage

_CHUNK = 1 << 20
_ATTR = rb"""(?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))"""
_TAG = rb"<(?:[\w.-]+:)?c(?=[\s/>])"
_CELL = re.compile(_TAG)
# The fast pass, for pieces in which every cell starts <c r="…" (Excel, WPS, LibreOffice,
# XlsxWriter, openpyxl): far cells only. Groups 1-2 far column, 3 "/" of an empty cell (the
# attributes after r are matched one by one: a "/>" in a value is no end) …
_FAST_FAR = re.compile(rb'<c r="\s*\$?([A-Za-z]{3,})\$?(\d+)\s*"' + _ATTR + rb"*\s*(/?)>")
# … and the rows of the cells in far rows, gathered at C speed (a tall sheet has millions of
# them; a styled empty cell counts too: an upper bound is enough, the exact pass decides) …
_FAST_FAR_ROW = re.compile(rb'<c r="\s*\$?[A-Za-z]{1,2}\$?(\d{5,})')
# … and, for a sheet so tall that the near-column bound is too loose, every cell's column.
_FAST_COLUMN = re.compile(rb'<c r="\s*\$?([A-Za-z]+)')
_PREFIXED_CELL = re.compile(rb"<[\w.-]+:c[\s/>]")
_NOT_SPACE = re.compile(rb"<c[^ ]")  # <cols>, <col …>, <cfRule …> — or an unusual cell
_NAME_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-")
_SHARED = _TAG + _ATTR + rb"""*?\s+t\s*=\s*(["'])s\1"""
_SHARED_CELL = re.compile(_SHARED)
_SHARED_INDEX = re.compile(
    _SHARED + _ATTR + rb"*\s*>\s*(?:<(?:[\w.-]+:)?f\b[^>]*?/>|<(?:[\w.-]+:)?f\b[^>]*>[^<]*</(?:[\w.-]+:)?f\s*>)?"
    rb"\s*<(?:[\w.-]+:)?v\s*>\s*(\d+)\s*<")
# the exact pass: rows and cells with their attributes, and closing row tags
_TOKEN = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?=[\s/>])(" + _ATTR + rb"*)\s*(/?)>|</(?:[\w.-]+:)?row\s*>")
_R_ATTR = re.compile(rb"""\sr\s*=\s*(["'])\s*\$?([A-Za-z]*)\$?(\d*)\s*\1""")
_SI = re.compile(rb"<(?:[\w.-]+:)?si(?=[\s/>])")
_NEAR_COLS, _NEAR_ROWS = 702, 9999  # bounds when no far cell holds a value


def check_xlsx(pkg: ZipPackage) -> bool:
    """Raise UnreadableWorkbook if any worksheet's real extent is too big (within_extent) or the
    shared-string cells decode to more than MAX_TEXT_CHARS characters. True when every
    part was bounded by the fast pass (the usual form, which the parser reads as the guard
    does); False when some part needed the exact pass or could not be read."""
    names = sheet_names_by_part(pkg)
    parts = sorted({*worksheet_parts(pkg), *(p for p in names if pkg.has(p))})
    strings = _SharedStrings(pkg)
    text, usual = 0, True
    for part in parts:
        scan = _scan_part(pkg, part)
        usual = usual and scan.usual
        if not within_extent(scan.rows, scan.cols, scan.cells):
            raise extent_error(pkg.path, names.get(part, part), scan.rows, scan.cols)
        text += strings.text_of(pkg, part, scan.cells)
    if text > limits.MAX_TEXT_CHARS:   # the sum of per-sheet bounds: count exactly before refusing
        text = sum(strings.exact(pkg, part) for part in parts)
        if text > limits.MAX_TEXT_CHARS:
            raise unreadable(pkg.path, "text_bomb", chars=f"{text:,}", limit=f"{limits.MAX_TEXT_CHARS:,}")
    return usual and strings.usual


def within_extent(rows: int, cols: int, cells: int) -> bool:
    """A sheet of rows × cols whose parts write ``cells`` cells may be loaded: up to MAX_CELLS
    always; up to MAX_DENSE_CELLS when at least one cell in MIN_DENSE_FILL is written (the
    memory calamine asks for is then what the file holds, not a far cell's empty rectangle)."""
    area = rows * cols
    if area <= limits.MAX_CELLS:
        return True
    return area <= limits.MAX_DENSE_CELLS and cells * limits.MIN_DENSE_FILL >= area


def tag_chunks(fh):
    """Decompressed XML in ~1 MB pieces, each cut just before a "<" (which never occurs
    inside a tag), so that no tag is split between two pieces."""
    carry = b""
    while block := fh.read(_CHUNK):
        buf = carry + block
        cut = buf.rfind(b"<")
        if cut <= 0 and len(buf) < 16 * _CHUNK:
            carry = buf
            continue
        if cut <= 0:
            cut = len(buf)
        yield buf[:cut]
        carry = buf[cut:]
    if carry:
        yield carry


class _Scan:
    def __init__(self):
        self.rows, self.cols, self.cells = _NEAR_ROWS, _NEAR_COLS, 0
        self.usual = True  # bounded by the fast pass alone


def _scan_part(pkg: ZipPackage, part: str) -> _Scan:
    """Far cells holding a value and the number of cells; the exact pass when a piece is
    not in the usual form or the far cells cannot bound the sheet."""
    scan = _Scan()
    try:
        with pkg.open(part) as fh:
            usual = all(_fast_piece(buf, scan) for buf in tag_chunks(fh))
        if usual and not within_extent(scan.rows, scan.cols, scan.cells) and scan.cols == _NEAR_COLS:
            scan.cols = _widest(pkg, part)   # a tall sheet: bound its width exactly
        if not usual or not within_extent(scan.rows, scan.cols, scan.cells):
            scan.usual = False
            scan.rows, scan.cols, scan.cells = _exact_extent(pkg, part)
    except Exception:  # noqa: BLE001 - an unreadable part: calamine (or the fallback) reports it
        scan.rows = scan.cols = scan.cells = 0
        scan.usual = False
    return scan


def _fast_piece(buf: bytes, scan: _Scan) -> bool:
    """Scan one piece at C speed; False if some cell is not written <c r="…" (a cell
    without ``r``, another quote or spacing, a namespace prefix)."""
    others = _NOT_SPACE.findall(buf)
    cells = buf.count(b'<c r="')
    if buf.count(b"<c") != cells + len(others) or any(o[2] not in _NAME_CHARS for o in others) \
            or (b":c" in buf and _PREFIXED_CELL.search(buf)):
        return False
    scan.cells += cells
    for m in _FAST_FAR.finditer(buf):
        if m.group(3):
            continue  # <c r="…" s="1"/>: a styled empty cell
        scan.cols = max(scan.cols, column_index(m.group(1).decode()) + 1)
        scan.rows = max(scan.rows, int(m.group(2)))
    far = _FAST_FAR_ROW.findall(buf)     # columns A–ZZ: within the near-column bound
    if far:
        scan.rows = max(scan.rows, max(map(int, set(far))))
    return True


def _widest(pkg: ZipPackage, part: str) -> int:
    """The number of columns up to the rightmost cell, empty ones included (a part the fast
    pass read: every cell written <c r="…")."""
    widest = 0
    with pkg.open(part) as fh:
        for buf in tag_chunks(fh):
            columns = set(_FAST_COLUMN.findall(buf))
            if columns:
                widest = max(widest, max(column_index(c.decode()) for c in columns) + 1)
    return widest


def _exact_extent(pkg: ZipPackage, part: str) -> tuple[int, int, int]:
    """(rows, columns) reaching the last cell that may hold a value, with calamine's
    implicit positions (a row without ``r`` follows the previous row, a cell without
    ``r`` the previous cell of its row), and the number of cells."""
    row = col = max_row = max_col = cells = 0  # row: 1-based current row; col: 1-based last cell
    with pkg.open(part) as fh:
        for buf in tag_chunks(fh):
            for m in _TOKEN.finditer(buf):
                tag, attrs, empty = m.group(1, 2, 3)
                if tag is None:
                    continue  # </row>
                ref = _R_ATTR.search(attrs)
                if tag == b"row":
                    row = int(ref.group(3)) if ref and ref.group(3) else row + 1
                    col = 0
                    continue
                if ref and ref.group(2):
                    col = column_index(ref.group(2).decode()) + 1
                    row = int(ref.group(3)) if ref.group(3) else row
                else:
                    col += 1
                cells += 1
                if not empty:
                    max_row, max_col = max(max_row, max(row, 1)), max(max_col, col)
    return max_row, max_col, cells


class _SharedStrings:
    """The length (in bytes of XML, an upper bound of its characters) of every shared
    string, read only when some sheet might decode to too much text."""

    def __init__(self, pkg: ZipPackage):
        self.part = next((n for n in pkg.entries if n.lower().endswith("sharedstrings.xml")), None)
        self.size = pkg.entries[self.part].file_size if self.part else 0
        self.lengths: array | None = None
        self.usual = True  # no exact pass was needed

    def text_of(self, pkg: ZipPackage, part: str, cells: int) -> int:
        """Characters (at most) that the shared-string cells of ``part`` (at most ``cells``)
        decode to."""
        if not cells or not self.part:
            return 0
        if cells * self.size <= limits.MAX_TEXT_CHARS:
            return cells * self.size  # cheap bound: no string is longer than the whole part
        lengths = self._lengths(pkg)
        longest = max(lengths, default=0)
        if cells * longest <= limits.MAX_TEXT_CHARS:
            return cells * longest
        self.usual = False
        return _exact_text(pkg, part, lengths, longest)

    def exact(self, pkg: ZipPackage, part: str) -> int:
        """The characters (at most: XML bytes of each string) ``part``'s shared-string cells
        decode to, counted cell by cell."""
        if not self.part:
            return 0
        self.usual = False
        lengths = self._lengths(pkg)
        return _exact_text(pkg, part, lengths, max(lengths, default=0))

    def _lengths(self, pkg: ZipPackage) -> array:
        if self.lengths is None:
            self.lengths = array("q")
            tail = b""
            with pkg.open(self.part) as fh:
                for buf in tag_chunks(fh):
                    pieces = _SI.split(tail + buf)
                    tail = pieces.pop()
                    self.lengths.extend(map(len, pieces))
            self.lengths.append(len(tail))
            if self.lengths:
                self.lengths.pop(0)  # what precedes the first <si>
        return self.lengths


def _exact_text(pkg: ZipPackage, part: str, lengths: array, longest: int) -> int:
    """Characters (at most) of the shared-string cells of ``part``, string by string; a
    cell whose index cannot be read counts as the longest string."""
    total = found = cells = 0
    count = len(lengths)
    with pkg.open(part) as fh:
        for buf in tag_chunks(fh):
            cells += len(_SHARED_CELL.findall(buf))
            for m in _SHARED_INDEX.finditer(buf):
                index = int(m.group(2))
                total += lengths[index] if index < count else 0
                found += 1
    return total + (cells - found) * longest
