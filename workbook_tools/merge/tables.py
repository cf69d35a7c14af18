"""Sheets as plain data: a Table (header row, typed columns, rows) or a free-form Report."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from rich.cells import cell_len

from workbook_tools.io.continuation import chunked, continuation_name, sheet_counts


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: str = "text"     # text | prose (wrapped text) | code (text format) | date | number
    width: float = 12


def fitted(col: Column, values: Iterable[Any], most: float = 60) -> Column:
    """``col`` widened to its widest value (display cells + 2, at most ``most``)."""
    return Column(col.header, col.kind, max(col.width, min(widest(values) + 2, most)))


def widest(values: Iterable[Any]) -> int:
    """The most display cells (rich's cell_len) any value takes, None not counted. A character
    takes 0–2 cells, so only texts at least half as long as the widest found need measuring."""
    texts = sorted(set(v if type(v) is str else _shown(v) for v in values if v is not None), key=len, reverse=True)
    best = 0
    for text in texts:
        if 2 * len(text) <= best:
            break
        if len(text) > best or not text.isascii():   # an ASCII character takes at most one cell
            best = max(best, cell_len(text))
    return best


@dataclass(slots=True)
class Table:
    name: str
    columns: list[Column]
    rows: Iterable[Sequence[Any]]   # aligned with columns; may be a generator
    note: str = ""                  # one line above the header row
    count: int | None = None        # len(rows) when rows is a generator (lets the writer stream)

    def fit(self, most: float = 60) -> "Table":
        """Widen text and code columns to their widest value (display cells + 2, at most ``most``);
        prose columns keep their width and wrap. Materialises the rows: for the small report
        tables, not the data tables."""
        rows = self.rows if isinstance(self.rows, (list, tuple)) else list(self.rows)
        self.rows, self.count = rows, len(rows)
        for c, col in enumerate(self.columns):
            if col.kind in ("text", "code"):
                self.columns[c] = fitted(col, (r[c] for r in rows), most)
        return self

    def fit_head(self, sample: int = 2000, most: float = 60) -> "Table":
        """``fit`` measured on the first ``sample`` rows only, still streaming the rest: for the
        data tables (客户档案, 拜访记录 … up to a million rows), whose widths then come from their
        content at a bounded cost (a longer value further down may still be cut)."""
        rows, count = iter(self.rows), self.count
        head = list(itertools.islice(rows, sample))
        self.rows = head
        self.fit(most)
        self.rows, self.count = itertools.chain(head, rows), count if count is not None else None
        if self.count is None:   # no count given: the rows are materialised after all
            self.rows = list(self.rows)
            self.count = len(self.rows)
        return self

    def sized(self) -> tuple[Iterable[Sequence[Any]], int]:
        """The rows and their number (a generator without ``count`` is materialised)."""
        if self.count is not None:
            return self.rows, self.count
        rows = self.rows if isinstance(self.rows, (list, tuple)) else list(self.rows)
        return rows, len(rows)

    @property
    def head_rows(self) -> int:
        """Rows above the data: the note line (if any) and the header."""
        return 2 if self.note else 1

    def sheet_counts(self) -> list[int]:
        """Data rows on each of the sheets this table needs (io.continuation)."""
        return sheet_counts(self.sized()[1], self.head_rows)

    def pieces(self) -> list["Table"]:
        """The table as written: itself when it fits on one sheet (limits.SHEET_MAX_ROWS),
        else one Table per sheet — NAME, NAME(2), NAME(3) … — with the same columns and note,
        streaming the rows (write the pieces in order)."""
        rows, count = self.sized()
        self.rows, self.count = rows, count
        counts = sheet_counts(count, self.head_rows)
        if len(counts) == 1:
            return [self]
        return [Table(continuation_name(self.name, k + 1), self.columns, piece, self.note, count=n)
                for k, (piece, n) in enumerate(zip(chunked(rows, counts), counts))]


@dataclass(slots=True)
class Report:
    """A free-form sheet: lines of cells, each with a style (title, section, header, plain)."""

    name: str
    widths: list[float]
    lines: list[tuple[str, list[Any]]] = field(default_factory=list)

    def add(self, style: str, *cells: Any) -> None:
        self.lines.append((style, list(cells)))

    def fit(self, most: float = 100) -> "Report":
        """Widen each column to its widest cell that has a neighbour on its right (display cells
        + 2, at most ``most``): a cell before an empty one may run on, as titles and notes do."""
        for _, cells in self.lines:
            for c, value in enumerate(cells[:-1]):
                if value is None or cells[c + 1] is None or c >= len(self.widths):
                    continue
                need = min(cell_len(_shown(value)) + 2, most)
                self.widths[c] = max(self.widths[c], need)
        return self


def _shown(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
