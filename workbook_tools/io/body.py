"""The data rows under a header: blank rows skipped, footer rows end the table — but only
when nothing table-like follows them (a row with a value in the form's id column and in
another field column; without an id column, values in three field columns); a
合计/填表人 row with data below it is read as a record and listed in ``inner``, so that no
row under the header is lost while the counts still add up.

This loop runs once per row of every sheet read, so it does as little as possible:
one slice per row (none when the table spans the whole sheet), "" turned into None in
place by C-level list.index calls, and a Record with two slots. The grid's row lists
are reused as record values, so the grid must not be used afterwards.
"""

from __future__ import annotations

import gc
import re

from workbook_tools.io.table import Record

# 填表人：/ 制表人：/ 审核：/ 填表日期：/ 注： … at the start of a cell, or a lone 合计 / 总计.
_FOOTER = re.compile(
    r"\s*(?:(?:填\s*表|制\s*表|填\s*报|审\s*核|复\s*核|审\s*批|批\s*准|统\s*计|经\s*办|主\s*管|负\s*责)\s*人?"
    r"|(?:填\s*表|制\s*表|填\s*报|报\s*表|统\s*计)\s*(?:日\s*期|时\s*间)|注\s*意?|说\s*明)\s*[:：]"
    r"|\s*(?:合\s*计|总\s*计)\s*(?:[:：].*)?$", re.DOTALL)
_FOOTER_START = frozenset("填制审复批统经主负报注说合总 \u3000")


def is_footer(value) -> bool:
    """Whether a row whose first filled cell is ``value`` ends the table."""
    return isinstance(value, str) and value[:1] in _FOOTER_START and _FOOTER.match(value) is not None


def _first_filled(values: list, start: int = 0) -> int:
    """Index of the first non-blank value at or after ``start``, or -1."""
    for i in range(start, len(values)):
        v = values[i]
        if v == "" or v is None or (type(v) is str and v.isspace()):
            continue
        return i
    return -1


def _has_field_value(values: list, first: int, mapped: list[bool]) -> bool:
    """True if a column mapped to a field holds a value (rows with only a pre-printed
    序号 or other unknown-column values are blank for the archive)."""
    i = first
    while i != -1:
        if mapped[i]:
            return True
        i = _first_filled(values, i + 1)
    return False


def _blanks_to_none(values: list) -> list:
    try:
        j = values.index("")
        while True:
            values[j] = None
            j = values.index("", j + 1)
    except ValueError:
        return values


def _blank(v) -> bool:
    return v == "" or v is None or (type(v) is str and v.isspace())


def _last_table_like(rows: list[list], after: int, start: int, end: int, mapped: list[bool],
                     key: int | None) -> int:
    """Index of the last row below ``after`` that looks like a record (see the module
    docstring) and does not start with a footer; -1 if there is none."""
    need = 2 if key is not None else 3
    for i in range(len(rows) - 1, after, -1):
        values = rows[i][start:end]
        first = _first_filled(values)
        if first == -1 or is_footer(values[first]) or (key is not None and _blank(values[key])):
            continue
        if sum(1 for j in range(first, len(values)) if mapped[j] and not _blank(values[j])) >= need:
            return i
    return -1


def extract_records(rows: list[list], header: int, start: int, end: int, first_row: int,
                    mapped: list[bool], inner: list[int] | None = None, key: int | None = None,
                    ) -> tuple[list[Record], int | None]:
    """Records under grid row ``header`` in columns [start, end); and the 1-based sheet
    row of the footer that ended the table, if any. ``first_row`` is the 0-based sheet
    row of ``rows[0]``; ``mapped[k]`` tells whether column start+k belongs to a field.
    Footer-like rows with table-like rows below them are read as records, and their
    1-based rows appended to ``inner``; ``key`` is the id column (index into a row slice). Consumes ``rows``: their lists become the
    records' values."""
    records: list[Record] = []
    append = records.append
    last_table_like = None
    whole = start == 0 and bool(rows) and end == len(rows[0])
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of new objects, none cyclic: the collector would only slow us
    try:
        for i in range(header + 1, len(rows)):
            values = rows[i] if whole else rows[i][start:end]
            first, v = 0, values[0]
            if v == "" or v is None or (type(v) is str and v.isspace()):
                first = _first_filled(values, 1)
                if first == -1:
                    continue  # blank row
                v = values[first]
            if type(v) is str and v[:1] in _FOOTER_START and _FOOTER.match(v):
                if last_table_like is None:
                    last_table_like = _last_table_like(rows, i, start, end, mapped, key)
                if last_table_like < i:
                    return records, first_row + i + 1
                if inner is not None:
                    inner.append(first_row + i + 1)
                append(Record(first_row + i + 1, _blanks_to_none(values)))
                continue
            if not mapped[first] and not _has_field_value(values, first, mapped):
                continue
            append(Record(first_row + i + 1, _blanks_to_none(values)))
    finally:
        if gc_was_enabled:
            gc.enable()
    return records, None
