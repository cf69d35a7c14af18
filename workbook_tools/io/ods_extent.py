"""Refuse .ods tables whose expansion would exhaust memory, before calamine expands them.

content.xml is streamed with its row/column repeat counts: the value cells' rectangle must
stay within MAX_CELLS, and a row holding values may not repeat more than
MAX_ODS_ROW_REPEAT times (a 1 KB file repeating one row a million times expands to
gigabytes in calamine and to a million records).
"""

from __future__ import annotations

import re
from pathlib import Path

from workbook_tools.errors import UnreadableWorkbook
from workbook_tools.io import limits
from workbook_tools.io.problems import extent_error, unreadable
from workbook_tools.io.zipcheck import ZipPackage

_CHUNK = 1 << 20

# Attributes are matched one by one, so a ">" inside a value cannot hide the ones after it.
_ATTRS = rb"""((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*"""
_ODS_TOKEN = re.compile(
    rb"<(?:[\w.-]+:)?(table-row|table-cell|covered-table-cell|table)(?=[\s/>])" + _ATTRS + rb"(/?)>"
    rb"|</(?:[\w.-]+:)?(table-row|table)\s*>")
_ROWS_REP = re.compile(rb"number-rows-repeated\s*=\s*[\"'](\d+)")
_COLS_REP = re.compile(rb"number-columns-repeated\s*=\s*[\"'](\d+)")
_TABLE_NAME = re.compile(rb"""[:\s]name\s*=\s*["']([^"']*)""")


class _OdsTable:
    def __init__(self, name: str):
        self.name, self.row, self.rows, self.cols = name, 0, 0, 0
        self.row_rep, self.col, self.row_cols = 1, 0, 0
        self.positions = 0  # cells calamine materialises for rows holding values

    def cell(self, attrs: bytes, empty: bool) -> None:
        m = _COLS_REP.search(attrs)
        rep = int(m.group(1)) if m else 1
        if b"value-type" in attrs or not empty:
            self.row_cols = self.col + rep
        self.col += rep

    def end_row(self, path: Path) -> None:
        if self.row_cols:
            if self.row_rep > limits.MAX_ODS_ROW_REPEAT:
                raise unreadable(path, "repeat_bomb", sheet=self.name, count=f"{self.row_rep:,}",
                                 row=self.row + 1)
            self.rows = self.row + self.row_rep
            self.cols = max(self.cols, self.row_cols)
            self.positions += self.row_rep * self.col
            if self.positions > limits.MAX_ODS_POSITIONS:
                raise extent_error(path, self.name, self.row + self.row_rep, max(self.col, 1))
        self.row += self.row_rep
        self.row_rep, self.col, self.row_cols = 1, 0, 0


def check_ods(pkg: ZipPackage) -> None:
    """Raise UnreadableWorkbook if a table's value cells span more than MAX_CELLS, a row
    holding values repeats too often, or the rows holding values materialise more than
    MAX_ODS_POSITIONS cells (their empty cells included)."""
    if not pkg.has("content.xml"):
        return
    table = None
    try:
        with pkg.open("content.xml") as fh:
            carry = b""
            while block := fh.read(_CHUNK):
                buf = carry + block
                cut = buf.rfind(b"<")  # "<" never occurs inside a tag: no tag is cut in two
                if cut <= 0 and len(buf) < 16 * _CHUNK:
                    carry = buf
                    continue
                buf, carry = (buf[:cut], buf[cut:]) if cut > 0 else (buf, b"")
                for m in _ODS_TOKEN.finditer(buf):
                    table = _ods_token(pkg.path, table, m)
            for m in _ODS_TOKEN.finditer(carry):
                table = _ods_token(pkg.path, table, m)
        if table is not None and table.rows * table.cols > limits.MAX_CELLS:  # no </table>
            raise extent_error(pkg.path, table.name, table.rows, table.cols)
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
            table.end_row(path)
    elif tag in (b"table-cell", b"covered-table-cell"):
        table.cell(attrs, bool(empty))
    elif closing == b"table-row":
        table.end_row(path)
    elif closing == b"table":
        if table.rows * table.cols > limits.MAX_CELLS:
            raise extent_error(path, table.name, table.rows, table.cols)
        return None
    return table
