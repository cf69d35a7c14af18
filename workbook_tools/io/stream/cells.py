"""Cells of worksheet XML → Python values, the way python-calamine's ``to_python`` gives them.

Only cells written with their reference first (``<c r="B7" …>``: Excel, WPS, LibreOffice,
openpyxl, XlsxWriter and our own splice all write it so) are read; a part that has other
cells raises NotStreamable, and the caller reads the file with calamine instead.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name

from workbook_tools.io.stream.text import unescape

_EPOCH = dt.datetime(1899, 12, 30)
_EPOCH_EARLY = dt.datetime(1899, 12, 31)  # serials below 60 (before Excel's phantom 1900-02-29)
_V = re.compile(rb"<v(?: [^>]*)?>(.*?)</v>", re.S)
_T = re.compile(rb"<t(?: [^>]*)?>(.*?)</t>", re.S)
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)
_TYPE = re.compile(rb'\bt="([a-zA-Z]+)"')
_STYLE = re.compile(rb'\bs="(\d+)"')


class NotStreamable(Exception):
    """The part is not in the form the stream reader reads (the caller uses calamine)."""


@functools.lru_cache(maxsize=16384)
def column_index(letters: str) -> int:
    """"A" → 0, "Z" → 25, "AA" → 26 (XlsxWriter's conversion, cached: called per cell)."""
    return xl_cell_to_rowcol(letters + "1")[1]


def cell_pattern(columns: list[int] | None) -> re.Pattern:
    """Cells of ``columns`` (0-based; None: every column). Groups: letters, row, attributes,
    then the content as one of: a plain inline text, a plain <v> value, anything else (the
    other two b""); all three b"" for ``<c …/>``."""
    letters = rb"[A-Z]{1,3}" if columns is None else b"|".join(
        sorted((xl_col_to_name(c).encode() for c in columns), key=len, reverse=True))
    # attributes hold no "/" or ">"; the content is matched up to "</c>" without backtracking
    return re.compile(rb'<c r="(' + letters + rb')([0-9]+)"([^>/]*)(?:/>|><is><t>([^<]*)</t></is></c>'
                      rb'|><v>([^<]*)</v></c>|>([^<]*(?:<(?!/c>)[^<]*)*)</c>)')


def check_references(piece: bytes) -> None:
    """Raise NotStreamable unless every cell of ``piece`` starts with its reference."""
    if b"<c>" in piece or piece.count(b"<c ") != piece.count(b'<c r="'):
        raise NotStreamable("cells without a leading r attribute")


INLINE, NUMBER, DATE, OTHER = range(4)


class Decoder:
    """Turns one cell's attributes and content into its value. The attributes of a sheet's
    cells take few distinct forms (' s="5" t="inlineStr"'), so what they mean is worked out
    once per form and cached."""

    def __init__(self, strings: list[str], dates: frozenset[int], durations: frozenset[int]):
        self.strings, self.dates, self.durations = strings, dates, durations
        self.kinds: dict[bytes, tuple] = {}

    def value(self, attrs: bytes, itext: bytes, vtext: bytes, other: bytes):
        """One cell from :func:`cell_pattern`'s groups: a plain inline text, a plain <v>, or
        any other content (b"" when absent)."""
        kind = self.kinds.get(attrs) or self._kind(attrs)
        if itext:
            return plain_text(itext) if kind[0] == INLINE else ""
        if vtext:
            return self.typed(kind, vtext)
        if not other:
            return ""
        if kind[0] == INLINE:
            return self.inline(other)
        v = _V.search(other)
        return self.typed(kind, v.group(1)) if v is not None and v.group(1) else ""

    def kind(self, attrs: bytes) -> tuple:
        return self.kinds.get(attrs) or self._kind(attrs)

    def _kind(self, attrs: bytes) -> tuple:
        t = _TYPE.search(attrs)
        t = t.group(1) if t else b"n"
        style = _STYLE.search(attrs)
        style = int(style.group(1)) if style else 0
        if t == b"inlineStr":
            kind = (INLINE,)
        elif t == b"n" and style in self.dates:
            kind = (DATE, style in self.durations)
        elif t == b"n":
            kind = (NUMBER,)
        else:
            kind = (OTHER, t)
        self.kinds[attrs] = kind
        return kind

    def typed(self, kind: tuple, v: bytes):
        """The value of a <v> of a cell of ``kind``."""
        if kind[0] == NUMBER:
            return float(v)
        if kind[0] == DATE:
            return date_value(float(v), kind[1])
        t = kind[1]
        if t == b"s":
            return self.strings[int(v)]
        if t == b"str":
            return unescape(v.decode("utf-8"))
        if t == b"b":
            return v.strip() == b"1"
        if t == b"e" or kind[0] == INLINE:
            return ""
        raise NotStreamable(f"cell type {t!r}")

    def inline(self, inner: bytes) -> str:
        if b"<rPh" in inner:
            inner = _PHONETIC.sub(b"", inner)
        return unescape(b"".join(_T.findall(inner)).decode("utf-8"))


def plain_text(text: bytes) -> str:
    """The text of a plain ``<is><t>…</t></is>``."""
    if b"&" in text or b"_x" in text or b"\r" in text:
        return unescape(text.decode("utf-8"))
    return text.decode("utf-8")


def date_value(number: float, duration: bool):
    """A date-styled number as python-calamine gives it."""
    try:
        if duration:
            return dt.timedelta(milliseconds=round(number * 86400 * 1000))
        return serial_to_python(number)
    except OverflowError:  # past 9999-12-31: calamine gives the number
        return number


def serial_to_python(number: float):
    """A date-styled serial as python-calamine gives it: a time below 1, a date when
    whole, else a datetime."""
    if number < 1:
        ms = round(max(number, 0.0) * 86400 * 1000)
        return (dt.datetime.min + dt.timedelta(milliseconds=ms)).time() if ms < 86400 * 1000 else dt.time()
    base = _EPOCH if number >= 60 else _EPOCH_EARLY
    moment = base + dt.timedelta(milliseconds=round(number * 86400 * 1000))  # calamine: whole ms
    if number == int(number):
        return moment.date()
    return moment


