"""Portable spreadsheet expressions (Excel 2010+, WPS, LibreOffice): string literals, the
catalogue's messages as ``&``-joined text, digit tests and the normalisation a value gets
before it is checked. No dynamic arrays, LAMBDA, LET, TEXTJOIN or XLOOKUP: array constants
only inside SUMPRODUCT, text built with ``&``."""

from __future__ import annotations

import string
from contextlib import contextmanager
from typing import Any

from workbook_tools.schema.catalogue import finding_type
from workbook_tools.schema.settings import PLACEHOLDER_MAX

MAX_LITERAL = 255      # Excel: a string constant in a formula
MAX_FORMULA = 8192     # Excel: characters of a formula
SEPARATOR = "；"
FULL_WIDTH_DIGITS = "０１２３４５６７８９"
DIGITS = "0123456789"
_FORMATTER = string.Formatter()


class Expr(str):
    """A spreadsheet expression (as opposed to a literal text to quote)."""


class Texts:
    """The messages' fixed texts, one cell each on a hidden sheet: the formulas refer to them
    instead of repeating them (LibreOffice copies every filled-down formula's tokens, so long
    literals cost recalculation time on every row)."""

    MIN_LENGTH = 8   # shorter texts stay inline

    def __init__(self, sheet: str):
        self.sheet = sheet
        self.items: dict[str, int] = {}

    def ref(self, text: str) -> str:
        row = self.items.setdefault(text, len(self.items) + 1)
        return f"'{self.sheet}'!$A${row}"


_texts: Texts | None = None
_verdict = False


@contextmanager
def verdict_messages():
    """Build formulas whose every message is "!" (a cell's error test, not its text)."""
    global _verdict
    _verdict = True
    try:
        yield
    finally:
        _verdict = False


def collect_texts(texts: Texts | None) -> None:
    """Send the messages' fixed texts built from now on to ``texts`` (None: inline literals)."""
    global _texts
    _texts = texts


def _text(text: str) -> str:
    if _texts is not None and len(text) >= Texts.MIN_LENGTH:
        return _texts.ref(text)
    return lit(text)


def lit(text: str) -> str:
    """``text`` as a string constant (split where Excel's 255-character limit requires)."""
    parts = [text[i:i + MAX_LITERAL] for i in range(0, len(text), MAX_LITERAL)] or [""]
    return "&".join('"' + p.replace('"', '""') + '"' for p in parts)


def message(code: str, **params: Any) -> str:
    """The catalogue's message for ``code``, after the "；" separator, as a text expression:
    literal parameters are formatted into the text, :class:`Expr` parameters are joined in
    with ``&`` (which turns a number or a date serial into text, as validate shows it)."""
    template = finding_type(code).message
    if _verdict:
        return '"!"'
    pieces: list[str] = []
    text = SEPARATOR          # every message starts with it (in its first literal text)
    for literal, name, spec, _ in _FORMATTER.parse(template):
        text += literal
        if name is None:
            continue
        value = params[name]
        if isinstance(value, Expr):
            if text:
                pieces.append(_text(text))
            text = ""
            pieces.append(f"({value})" if "&" in value else value)
        else:
            text += format(value, spec or "")
    if text or not pieces:
        pieces.append(_text(text))
    return "&".join(pieces)


def condition(code: str, **refs: str) -> str:
    """The catalogue's spreadsheet condition for ``code`` with its placeholders filled."""
    formula = finding_type(code).formula
    if formula is None:
        raise KeyError(f"finding {code!r} has no formula in the catalogue")
    return formula.format_map(refs)


def chain(cases: list[tuple[str, str]], otherwise: str = '""') -> str:
    """IF(c1, m1, IF(c2, m2, … otherwise)): the first case that holds (each message
    starts with the "；" separator)."""
    out = otherwise
    for cond, text in reversed(cases):
        out = f'IF({cond},{text},{out})'
    return out


def all_digits(text: str, length: int) -> str:
    """TRUE when the first ``length`` characters of ``text`` are ASCII digits."""
    positions = ",".join(str(i) for i in range(1, length + 1))
    return f'SUMPRODUCT(ISNUMBER(FIND(MID({text},{{{positions}}},1),"{DIGITS}"))*1)={length}'


def half_width(text: str, extra: tuple[tuple[str, str], ...] = ()) -> str:
    """``text`` with full-width digits (and the ``extra`` pairs) replaced by ASCII."""
    out = text
    for wide, narrow in (*zip(FULL_WIDTH_DIGITS, DIGITS), *extra):
        out = f'SUBSTITUTE({out},"{wide}","{narrow}")'
    return out


def stripped(cell: str) -> str:
    """The cell without surrounding spaces (ASCII or ideographic), as Python's strip()."""
    return f'TRIM(SUBSTITUTE({cell},"　"," "))'


def blank(cell: str) -> str:
    """TRUE when the cell is empty or only spaces (validate counts it as blank)."""
    return f'LEN({stripped(cell)})=0'


def _listed(cell: str, words: tuple[str, ...], blank_too: bool) -> str:
    """TRUE when the trimmed cell is one of ``words`` (or blank, with ``blank_too``): one FIND of
    "|text|" in "|无|不详|…|" (with "||" in front for a blank). A "|" in the text is doubled, and
    the list has no "||" but at its start, so a text can never match across two entries."""
    variants = []
    for w in words:
        for v in (w, "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in w)):
            if v and "|" not in v and v not in variants:
                variants.append(v)
    listed = _text("|" + ("|" if blank_too else "") + "|".join(variants) + "|")
    return f'ISNUMBER(FIND("|"&SUBSTITUTE({stripped(cell)},"|","||")&"|",{listed}))'


def placeholder(cell: str, words: tuple[str, ...]) -> str:
    """TRUE when the trimmed cell is one of the placeholders (无, 不详, / …) that mean empty;
    a full-width form of an ASCII placeholder counts too (validate folds NFKC). A cell longer
    than PLACEHOLDER_MAX never is one (validate's rule; most cells skip the FIND)."""
    return f'IF(LEN({cell})>{PLACEHOLDER_MAX},FALSE,{_listed(cell, words, False)})'


def blank_or_placeholder(cell: str, words: tuple[str, ...]) -> str:
    """``OR(blank(cell), placeholder(cell, words))`` in one FIND."""
    return f'IF(LEN({cell})>{PLACEHOLDER_MAX},{blank(cell)},{_listed(cell, words, True)})'


def iso_date(serial: str) -> str:
    return f'TEXT({serial},"yyyy-mm-dd")'


def check_length(formula: str, what: str) -> str:
    if len(formula) > MAX_FORMULA:
        raise ValueError(f"formula for {what} is {len(formula)} characters (limit {MAX_FORMULA})")
    return formula
