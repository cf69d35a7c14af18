"""Continuation sheets: one table on several worksheets.

A worksheet holds at most ``limits.SHEET_MAX_ROWS`` rows (Excel's 1,048,576), header rows
included. A table the project writes that needs more rows continues on sheets named
``拜访记录(2)``, ``拜访记录(3)`` … placed right after it, each with the same rows above the
data (note line, header) and the same column formats, widths, frozen panes and filter.

Readers take ``NAME`` and its consecutive ``NAME(2)``, ``NAME(3)`` … as one table: the rows
above the data must be the same as on ``NAME``; a continuation sheet whose header differs
is not joined, and the reader reports it (:attr:`Joined.problems`, in Chinese).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Sequence

from workbook_tools.io import limits

_CONTINUED = re.compile(r"^(.+)\((\d+)\)$")


def continuation_name(name: str, number: int) -> str:
    """The ``number``-th sheet of table ``name`` (1: the name itself; 2: ``name(2)`` …)."""
    return name if number <= 1 else f"{name}({number})"


def split_name(sheet: str) -> tuple[str, int]:
    """``拜访记录(3)`` → (``拜访记录``, 3); a name without a continuation number → (name, 1)."""
    m = _CONTINUED.match(sheet)
    if m is None or int(m.group(2)) < 2 or m.group(2).startswith("0"):
        return sheet, 1
    return m.group(1), int(m.group(2))


def rows_per_sheet(head_rows: int) -> int:
    """Data rows one sheet holds under ``head_rows`` rows of note and header."""
    return max(1, limits.SHEET_MAX_ROWS - head_rows)


def sheet_counts(count: int, head_rows: int) -> list[int]:
    """Data rows on each sheet of a table of ``count`` rows ([0] for an empty table)."""
    per = rows_per_sheet(head_rows)
    if count <= per:
        return [count]
    full, rest = divmod(count, per)
    return [per] * full + ([rest] if rest else [])


def chunked(rows: Iterable[Any], counts: Sequence[int]) -> list[Iterator[Any]]:
    """``rows`` (an iterable, consumed once) cut into ``counts`` pieces, streamed: piece k
    must be read to its end before piece k + 1 is read (the writers go sheet by sheet);
    reading them out of order raises RuntimeError rather than mixing rows up."""
    source, turn = iter(rows), [0]
    return [_take(source, n, k, turn) for k, n in enumerate(counts)]


def _take(source: Iterator[Any], n: int, k: int, turn: list[int]) -> Iterator[Any]:
    if turn[0] != k:
        raise RuntimeError(f"continuation piece {k} read before piece {turn[0]}")
    for _ in range(n):
        try:
            yield next(source)
        except StopIteration:
            break
    turn[0] = k + 1


def continued_sheets(names: Sequence[str], base: str) -> list[str]:
    """``base`` and its continuation sheets present in ``names`` (``base(2)``, ``base(3)`` …
    while consecutive); [] when ``base`` itself is missing."""
    present = set(names)
    if base not in present:
        return []
    out, n = [base], 2
    while continuation_name(base, n) in present:
        out.append(continuation_name(base, n))
        n += 1
    return out


def continuation_of(sheet: str, names: Sequence[str]) -> str | None:
    """The table ``sheet`` continues (``拜访记录`` for ``拜访记录(2)`` when ``拜访记录`` and
    every sheet between are in ``names``), else None."""
    base, number = split_name(sheet)
    if number < 2:
        return None
    return base if sheet in continued_sheets(names, base) else None


@dataclass
class Joined:
    """A table read from its sheets: ``rows`` as the first sheet's rows followed by each
    joined continuation's data rows; ``sheets`` [(sheet, index in rows of its first data
    row, 1-based sheet row of that row)]; ``problems``: continuation sheets not joined."""

    rows: list[list[Any]]
    sheets: list[tuple[str, int, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def header_mismatch(sheet: str, base: str) -> str:
    return (f"工作表“{sheet}”的表头与“{base}”不同，没有作为“{base}”的续表读取；"
            f"续表的表头必须与“{base}”完全相同，请检查该工作表")


def join_rows(base: str, first: list[list[Any]], head: int,
              more: Iterable[tuple[str, Callable[[], list[list[Any]]]]]) -> Joined:
    """The table ``base`` whose first sheet's rows are ``first`` (header at 0-based ``head``;
    -1: no header found, nothing is joined) and its continuations ``more`` [(sheet, loader)]:
    a continuation is joined when its rows up to the header equal the first sheet's."""
    joined = Joined(first, [(base, head + 1, head + 2)])
    if head < 0:
        return joined
    top = [trimmed(r) for r in first[:head + 1]]
    for sheet, load in more:
        rows = load()
        if [trimmed(r) for r in rows[:head + 1]] != top:
            joined.problems.append(header_mismatch(sheet, base))
            continue
        joined.sheets.append((sheet, len(joined.rows), head + 2))
        joined.rows.extend(rows[head + 1:])
    return joined


def trimmed(row: Sequence[Any]) -> list[Any]:
    """A row's cells without the blank ones at its end ("" and None are blank; text stripped)."""
    cells = [c.strip() if isinstance(c, str) else c for c in row]
    while cells and cells[-1] in ("", None):
        cells.pop()
    return cells
