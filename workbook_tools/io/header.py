"""Finding the header row of a sheet and mapping its cells to schema fields.

The header is not assumed to be row 1: title rows, merged titles and blank rows may
sit above it, and the table may start in any column. Within the first rows of the
sheet, the row matching the most distinct fields of a form wins; a form needs at
least 3 matched fields, or 2 when the sheet name or a title row above the header
names the form (its title or an alias), or 1 required field when the caller named the
form. io/recognise.py refuses rows that are not the form's table (another table's
title, a customer form without the customer's identity) and words the reasons.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workbook_tools.io import limits
from workbook_tools.io.cells import column_letter
from workbook_tools.io.grid import SheetGrid
from workbook_tools.io.recognise import better_form, enough_fields, is_title_text, near_miss, refusal
from workbook_tools.io.table import Column
from workbook_tools.schema.model import Form, header_variants, normalize_header

MIN_FIELDS = 3
MIN_FIELDS_TITLED = 2


@dataclass
class HeaderMatch:
    form: Form
    row: int  # index into grid.rows
    start: int  # first column of the table, index into the grid row
    end: int  # one past the last column
    columns: list[Column]
    title_matched: bool
    score: tuple


def header_text(value) -> str:
    """A header cell as text: numbers without a trailing .0, dates in ISO form."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return "" if value is None else str(value)


def _title_forms(texts, forms: list[Form]) -> set[str]:
    """Keys of the forms whose title or alias occurs in any of ``texts``."""
    hits = set()
    normed = [normalize_header(t) for t in texts if t]
    for form in forms:
        names = [normalize_header(n) for n in form.title_names()]
        if any(name and name in text for text in normed for name in names):
            hits.add(form.key)
    return hits


@dataclass
class HeaderScan:
    """The header found (or None) and, when none was, why: the reason of the best row
    refused by io/recognise.py, else of the best row short of the threshold."""

    match: HeaderMatch | None
    refused: tuple | None = None  # (score, reason)
    nearest: tuple | None = None  # (fields matched, reason)

    @property
    def reason(self) -> str | None:
        if self.match is not None:
            return None
        if self.refused is not None:
            return self.refused[1]
        return self.nearest[1] if self.nearest is not None else None


def find_header(grid: SheetGrid, forms: list[Form], prefer: str | None = None,
                named: bool = False) -> HeaderMatch | None:
    """The best header row for any of ``forms`` in the first rows of ``grid``, or None."""
    return scan_header(grid, forms, prefer, named).match


def scan_header(grid: SheetGrid, forms: list[Form], prefer: str | None = None,
                named: bool = False, all_forms: list[Form] | None = None) -> HeaderScan:
    """The best header row for any of ``forms`` in the first rows of ``grid``.

    Rows and forms are ranked by: distinct fields matched; whether the form is titled;
    fields matched by a header no other form knows (序号 or 客户名称 say little, 所属区域
    says registration); whether it is ``prefer`` (the form named in the workbook's
    version stamp). On equal rank the earlier row and the earlier form win. ``named``:
    the caller named the form (one required field is enough); ``all_forms``: every form
    of the schema (default ``forms``), whose titles name other tables."""
    return _Scanner(grid, forms, prefer, named, all_forms or forms).run()


class _Scanner:
    def __init__(self, grid: SheetGrid, forms: list[Form], prefer: str | None, named: bool,
                 all_forms: list[Form]):
        self.grid, self.forms, self.prefer, self.named, self.all_forms = grid, forms, prefer, named, all_forms
        self.titled = _title_forms([grid.name], forms)
        self.titles = [("工作表名", grid.name)]
        self.scan = HeaderScan(None)
        self.lookups: dict[str, dict[str, str | None]] = {f.key: {} for f in forms}

    def run(self) -> HeaderScan:
        for i, row in enumerate(self.grid.rows[: limits.HEADER_SCAN_ROWS]):
            texts = [v for v in row if isinstance(v, str) and v.strip()]
            if not texts:
                continue
            hits = {f.key: {t: _match(f, self.lookups[f.key], t) for t in texts} for f in self.forms}
            for form in self.forms:
                keys = {k for k in hits[form.key].values() if k is not None}
                self._candidate(i, form, keys, texts, hits)
            self.titled |= _title_forms(texts, self.forms)
            self.titles.extend((f"第 {self.grid.first_row + i + 1} 行的标题", t)
                               for t in texts if is_title_text(t))
        scan = self.scan
        if scan.match is not None and scan.refused is not None and scan.refused[0] > scan.match.score:
            scan.match = None  # the best header was refused: a weaker form must not take the sheet
        return scan

    def _candidate(self, i: int, form: Form, keys: set[str], texts: list[str], hits: dict) -> None:
        title, row = form.key in self.titled, self.grid.first_row + i + 1
        minimum = MIN_FIELDS_TITLED if title else MIN_FIELDS
        scan, best = self.scan, self.scan.match
        if not enough_fields(form, keys, title, self.named, MIN_FIELDS, MIN_FIELDS_TITLED):
            if keys and (scan.nearest is None or len(keys) > scan.nearest[0]):
                scan.nearest = (len(keys), near_miss(form, keys, row, self.named, minimum))
            return
        score = (len(keys), title, _distinctive(form.key, hits), form.key == self.prefer)
        if best is not None and score <= best.score:
            return
        why = refusal(form, self.all_forms, keys, texts, self.titles, self.named, title, row)
        if why is None and self.named:  # the user's form, unless the row is plainly another's
            why = better_form(form, self.all_forms, keys, texts, row, MIN_FIELDS)
        if why is None:
            scan.match = _build(self.grid, i, form, self.lookups[form.key], title, score)
        elif scan.refused is None or score > scan.refused[0]:
            scan.refused = (score, why)


def _distinctive(key: str, hits: dict[str, dict[str, str | None]]) -> int:
    """How many of form ``key``'s matched fields have a header no other form matches."""
    fields = set()
    for text, field in hits[key].items():
        if field is not None and all(h[text] is None for k, h in hits.items() if k != key):
            fields.add(field)
    return len(fields)


def _match(form: Form, cache: dict, text: str) -> str | None:
    if text not in cache:
        cache[text] = form.match_header(text)
    return cache[text]


def _build(grid: SheetGrid, i: int, form: Form, cache: dict, title: bool, score: tuple) -> HeaderMatch:
    row = grid.rows[i]
    filled = [j for j, v in enumerate(row) if header_text(v).strip()]
    start, end = filled[0], filled[-1] + 1
    columns = []
    for j in range(start, end):
        text = header_text(row[j])
        key = _match(form, cache, text) if isinstance(row[j], str) and text.strip() else None
        columns.append(Column(grid.first_col + j, column_letter(grid.first_col + j), text, key,
                              _how(form, key, text)))
    return HeaderMatch(form, i, start, end, columns, title, score)


def _how(form: Form, key: str | None, text: str) -> str | None:
    if key is None:
        return None
    label = normalize_header(form.field(key).label)
    return "label" if label in header_variants(text) else "alias"
