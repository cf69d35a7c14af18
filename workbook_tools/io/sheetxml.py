"""Worksheet XML written directly, for tables too big to write cell by cell.

XlsxWriter costs 7–15 µs per cell even in constant_memory mode, and a 300,000-customer
master, its summary and its 待安排 lists hold millions of cells. So the writers let
XlsxWriter write the package (properties, styles, widths, titles and header rows, panes,
filters, charts, validation), and :func:`splice` then copies the closed package, streaming
each large table's ``<row>`` elements — built by the callers at about 1 µs per cell — into
its sheet's ``<sheetData>``.

Cells are what XlsxWriter itself writes for the same values: inline strings with its
_xHHHH_ escapes, xml:space and the 32,767-character limit; numbers as ``%.16G``; dates as
serial numbers with a date style. Callers write the common cases inline after checking
:func:`plain_text`, and hand the rest to :func:`string_cell` / :func:`value_cell`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from pathlib import Path
from typing import Any, Iterable, Mapping, Protocol

COMPRESSLEVEL = 1     # zlib level of the package: ~3× faster than the default 6, files ~10 % larger
ZIP64_FROM_CELLS = 1_000_000  # a part that may pass 2 GiB uncompressed needs zip64
EPOCH = dt.date(1899, 12, 30)
_EPOCH_DT = dt.datetime(1899, 12, 30)
_MAX_CHARS = 32767    # Excel's limit, in UTF-16 code units
_FAST_CHARS = _MAX_CHARS // 2  # shorter strings cannot pass the limit
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_").search
_ESCAPED_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_LEADING, _TRAILING = re.compile(r"^\s"), re.compile(r"\s$")
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')
_EDGE_SPACE = re.compile(r"(?:^|\|)\s|\s(?:\||$)")  # whitespace at the start or end of a joined text


def plain_text(v: str) -> bool:
    """Whether ``v`` goes into ``<t>`` as it is: nothing to escape, no xml:space, short enough."""
    return len(v) <= _FAST_CHARS and _NEEDS_ESCAPE(v) is None and not v[:1].isspace() \
        and not v[-1:].isspace()


def any_special(texts: list[str]) -> bool:
    """False when every one of ``texts`` is :func:`plain_text` (one scan of a whole column;
    True may be a false alarm: check each text then)."""
    joined = "|".join(texts)  # "|" needs no escape and is not whitespace
    return (_NEEDS_ESCAPE(joined) is not None or _EDGE_SPACE.search(joined) is not None
            or (bool(texts) and max(map(len, texts)) > _FAST_CHARS))


def string_cell(ref: str, s: str, v: str) -> str:
    """An inline-string cell (``s``: ' s="N"' or ''), escaped as XlsxWriter escapes it."""
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
    """A cell for any value, as XlsxWriter's write() writes it; ``dates``: the style
    attributes of dates and of date-times."""
    if isinstance(v, str):
        return string_cell(ref, s, v)
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
        return f'<c r="{ref}"{dates[0]}><v>{(v - EPOCH).days}</v></c>'
    if isinstance(v, (dt.date, dt.time)):
        return string_cell(ref, s, v.isoformat())
    return string_cell(ref, s, str(v))


def _truncate(text: str) -> str:
    data = text.encode("utf-16-le", "surrogatepass")
    if len(data) <= 2 * _MAX_CHARS:
        return text
    return data[: 2 * _MAX_CHARS].decode("utf-16-le", "ignore")


# --- the package -------------------------------------------------------------------------


class SheetPart(Protocol):
    """Rows for one worksheet part: ``chunks()`` yields ``<row>`` elements (UTF-8) in row
    order; ``last_cell`` ("H1200") sets ``<dimension>`` — None leaves the part as it is;
    ``large``: the part may pass 2 GiB uncompressed (zip64)."""

    last_cell: str | None
    large: bool

    def chunks(self) -> Iterable[bytes]: ...


def splice(xlsx: Path, parts: Mapping[str, SheetPart], compresslevel: int | None = None) -> None:
    """Copy the closed workbook ``xlsx`` (in place), streaming each part's rows into its
    entry (``xl/worksheets/sheetN.xml``). Entry names, order, timestamps and attributes are
    kept. ``compresslevel``: zlib level, default COMPRESSLEVEL."""
    compresslevel = COMPRESSLEVEL if compresslevel is None else compresslevel
    out = xlsx.with_name(xlsx.name + ".splice")
    try:
        with zipfile.ZipFile(xlsx) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                entry = copied_entry(info, compresslevel)
                part = parts.get(info.filename)
                if part is None or part.last_cell is None:
                    dst.writestr(entry, src.read(info))
                else:
                    _stream(dst, entry, src.read(info), part)
        out.replace(xlsx)
    finally:
        out.unlink(missing_ok=True)


def copied_entry(info: zipfile.ZipInfo, compresslevel: int | None = None) -> zipfile.ZipInfo:
    """A deflated entry for a copy of ``info``: same name, timestamp and attributes."""
    entry = zipfile.ZipInfo(info.filename, info.date_time)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry._compresslevel = COMPRESSLEVEL if compresslevel is None else compresslevel  # as writestr sets it
    entry.external_attr = info.external_attr
    return entry


def _stream(dst: zipfile.ZipFile, entry: zipfile.ZipInfo, sheet: bytes, part: SheetPart) -> None:
    sheet = _DIMENSION.sub(f'<dimension ref="A1:{part.last_cell}"/>'.encode(), sheet, count=1)
    head, sep, tail = sheet.partition(b"</sheetData>")
    if not sep:
        head, sep, tail = sheet.partition(b"<sheetData/>")
        head, tail = head + b"<sheetData>", b"</sheetData>" + tail
    else:
        tail = sep + tail
    with dst.open(entry, "w", force_zip64=part.large) as fh:
        fh.write(head)
        for chunk in part.chunks():
            fh.write(chunk)
        fh.write(tail)
