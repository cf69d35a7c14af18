"""The master's table rows as worksheet XML, streamed into the package XlsxWriter wrote.

XlsxWriter costs ~7 µs per cell even in constant_memory mode, and a 300,000-customer master
has ~15 million cells: the write dominated the merge. So XlsxWriter writes everything except
the tables' data rows (properties, styles, widths, note and header rows, panes, filters, the
report sheets), and :func:`splice` then copies the package, streaming each table's rows —
generated here at ~1 µs per cell — into its sheet's ``<sheetData>``.

Cells are what XlsxWriter itself writes for the same calls (see master_writer._Styles):
inline strings with its _xHHHH_ escapes, xml:space and 32,767-character limit; numbers as
``%.16G``; dates as serial numbers with the date style; a column's format on unformatted cells.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from xlsxwriter.utility import xl_col_to_name

from workbook_tools.merge.rows import code_text

COMPRESSLEVEL = 1     # zlib level of the package: ~3× faster than the default 6, files ~10 % larger
CHUNK_ROWS = 2000
ZIP64_FROM_CELLS = 1_000_000  # a part that may pass 2 GiB uncompressed needs zip64
_EPOCH = dt.date(1899, 12, 30)
_EPOCH_DT = dt.datetime(1899, 12, 30)
_MAX_CHARS = 32767    # Excel's limit, in UTF-16 code units
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_").search
_FAST_CHARS = _MAX_CHARS // 2  # shorter strings cannot pass the limit
_ESCAPED_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_LEADING, _TRAILING = re.compile(r"^\s"), re.compile(r"\s$")
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')


@dataclass
class Body:
    """The data rows of one table sheet: ``first_row`` is the 0-based sheet row of the first;
    ``kinds`` per column (text / code / number / date); ``column_styles`` the xf index of
    each column's format (None if none); ``date_style`` / ``datetime_style`` xf indices."""

    rows: Iterable[Sequence[Any]]
    count: int
    first_row: int
    kinds: list[str]
    column_styles: list[int | None]
    date_style: int
    datetime_style: int

    @property
    def last_cell(self) -> str:
        return f"{xl_col_to_name(max(len(self.kinds) - 1, 0))}{self.first_row + self.count}"

    def chunks(self) -> Iterator[bytes]:
        """``<row>`` elements, a few thousand rows per chunk (UTF-8)."""
        columns = [_Column(xl_col_to_name(c), "" if s is None else f' s="{s}"', k == "code")
                   for c, (k, s) in enumerate(zip(self.kinds, self.column_styles))]
        dates = (f' s="{self.date_style}"', f' s="{self.datetime_style}"')
        parts: list[str] = []
        for number, values in enumerate(self.rows, start=self.first_row + 1):
            row = _row(str(number), values, columns, dates)
            if row:
                parts.append(row)
            if len(parts) >= CHUNK_ROWS:
                yield "".join(parts).encode("utf-8")
                parts = []
        if parts:
            yield "".join(parts).encode("utf-8")


class _Column:
    """Per column: its letter, style attribute and the constant parts of its cells."""

    __slots__ = ("letter", "s", "code", "pre", "text", "number")

    def __init__(self, letter: str, s: str, code: bool):
        self.letter, self.s, self.code = letter, s, code
        self.pre = f'<c r="{letter}'
        self.text = f'"{s} t="inlineStr"><is><t>'
        self.number = f'"{s}><v>'


def _row(r: str, values: Sequence[Any], columns: list[_Column], dates: tuple[str, str]) -> str:
    """One ``<row>`` (or '' when every value is None). The common cases (plain text, finite
    numbers, dates) are written inline; the others go through string_cell / value_cell."""
    cells: list[str] = []
    add = cells.append
    for col, v in zip(columns, values):
        if v is None:
            continue
        cls = v.__class__
        if cls is str:
            if len(v) <= _FAST_CHARS and _NEEDS_ESCAPE(v) is None and not v[:1].isspace() \
                    and not v[-1:].isspace():
                add(f"{col.pre}{r}{col.text}{v}</t></is></c>")
            else:
                add(string_cell(col.letter + r, col.s, v))
        elif col.code:
            add(string_cell(col.letter + r, col.s, code_text(v)))
        elif cls is int or (cls is float and v - v == 0.0):  # finite: nan and inf go the long way
            add(f"{col.pre}{r}{col.number}{v:.16G}</v></c>")
        elif cls is dt.date and v.year >= 1900:
            add(f'{col.pre}{r}"{dates[0]}><v>{(v - _EPOCH).days}</v></c>')
        else:
            add(value_cell(col.letter + r, col.s, v, dates))
    return f'<row r="{r}">{"".join(cells)}</row>' if cells else ""


def string_cell(ref: str, s: str, v: str) -> str:
    if len(v) > _FAST_CHARS:
        v = _truncate(v)
    if _SPECIAL.search(v) is None:  # the common case: nothing to escape
        return f'<c r="{ref}"{s} t="inlineStr"><is><t>{v}</t></is></c>'
    v = _ESCAPED_ESCAPE.sub(r"_x005F\1", v)
    v = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", v)
    v = v.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    space = ' xml:space="preserve"' if _LEADING.search(v) or _TRAILING.search(v) else ""
    v = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{v}</t></is></c>'


def value_cell(ref: str, s: str, v: Any, dates: tuple[str, str]) -> str:
    """A non-string value, as master_writer._Styles.write_any writes it."""
    if isinstance(v, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(v)}</v></c>'
    if isinstance(v, (int, float)):
        if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
            formula = "#NUM!" if math.isnan(v) else ("1/0" if v > 0 else "-1/0")
            result = "#NUM!" if math.isnan(v) else "#DIV/0!"
            return f'<c r="{ref}"{s} t="e"><f>{formula}</f><v>{result}</v></c>'
        return f'<c r="{ref}"{s}><v>{v:.16G}</v></c>'
    if isinstance(v, dt.datetime) and v.year >= 1900:
        delta = v.replace(tzinfo=None) - _EPOCH_DT
        return f'<c r="{ref}"{dates[1]}><v>{delta.days + delta.seconds / 86400:.16G}</v></c>'
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime) and v.year >= 1900:
        return f'<c r="{ref}"{dates[0]}><v>{(v - _EPOCH).days}</v></c>'
    if isinstance(v, (dt.date, dt.time)):
        return string_cell(ref, s, v.isoformat())
    return string_cell(ref, s, str(v))


def _truncate(text: str) -> str:
    data = text.encode("utf-16-le", "surrogatepass")
    if len(data) <= 2 * _MAX_CHARS:
        return text
    return data[: 2 * _MAX_CHARS].decode("utf-16-le", "ignore")


# --- the package -------------------------------------------------------------------------


def splice(xlsx: Path, bodies: dict[str, Body], compresslevel: int | None = None) -> None:
    """Copy the closed workbook ``xlsx`` (in place), streaming each body into its part
    (``xl/worksheets/sheetN.xml``). Entry names, order and timestamps are kept.
    ``compresslevel``: zlib level, default COMPRESSLEVEL."""
    compresslevel = COMPRESSLEVEL if compresslevel is None else compresslevel
    out = xlsx.with_name(xlsx.name + ".splice")
    try:
        with zipfile.ZipFile(xlsx) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                entry = zipfile.ZipInfo(info.filename, info.date_time)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry._compresslevel = compresslevel  # what writestr(compresslevel=…) sets, for open()
                entry.external_attr = info.external_attr
                body = bodies.get(info.filename)
                if body is None:
                    dst.writestr(entry, src.read(info))
                else:
                    _stream(dst, entry, src.read(info), body)
        out.replace(xlsx)
    finally:
        out.unlink(missing_ok=True)


def _stream(dst: zipfile.ZipFile, entry: zipfile.ZipInfo, sheet: bytes, body: Body) -> None:
    if body.count:
        sheet = _DIMENSION.sub(f'<dimension ref="A1:{body.last_cell}"/>'.encode(), sheet, count=1)
    head, sep, tail = sheet.partition(b"</sheetData>")
    if not sep:
        head, sep, tail = sheet.partition(b"<sheetData/>")
        head, tail = head + b"<sheetData>", b"</sheetData>" + tail
    else:
        tail = sep + tail
    big = body.count * len(body.kinds) > ZIP64_FROM_CELLS
    with dst.open(entry, "w", force_zip64=big) as fh:
        fh.write(head)
        for chunk in body.chunks():
            fh.write(chunk)
        fh.write(tail)
