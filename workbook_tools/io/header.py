"""Finding the header row of a sheet and mapping its cells to schema fields.

The header is not assumed to be row 1: title rows, merged titles and blank rows may
sit above it, and the table may start in any column. Within the first rows of the
sheet, the row matching the most distinct fields of a form wins; a form needs at
least 3 matched fields, or 2 when the sheet name or a title row above the header
names the form (its title or an alias).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workbook_tools.io import limits
from workbook_tools.io.cells import column_letter
from workbook_tools.io.grid import SheetGrid
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


def find_header(grid: SheetGrid, forms: list[Form], prefer: str | None = None) -> HeaderMatch | None:
    """The best header row for any of ``forms`` in the first rows of ``grid``, or None.

    Rows and forms are ranked by: distinct fields matched; whether the form is titled;
    fields matched by a header no other form knows (序号 or 客户名称 say little, 所属区域
    says registration); whether it is ``prefer`` (the form named in the workbook's
    version stamp). On equal rank the earlier row and the earlier form win."""
    titled = _title_forms([grid.name], forms)
    best: HeaderMatch | None = None
    lookups: dict[str, dict[str, str | None]] = {f.key: {} for f in forms}
    for i, row in enumerate(grid.rows[: limits.HEADER_SCAN_ROWS]):
        texts = [v for v in row if isinstance(v, str) and v.strip()]
        if not texts:
            continue
        hits = {f.key: {t: _match(f, lookups[f.key], t) for t in texts} for f in forms}
        for form in forms:
            keys = {k for k in hits[form.key].values() if k is not None}
            title = form.key in titled
            if len(keys) < (MIN_FIELDS_TITLED if title else MIN_FIELDS):
                continue
            score = (len(keys), title, _distinctive(form.key, hits), form.key == prefer)
            if best is None or score > best.score:
                best = _build(grid, i, form, lookups[form.key], title, score)
        titled |= _title_forms(texts, forms)
    return best


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
