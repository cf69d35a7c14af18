"""validate_table: one SheetTable → findings + parsed values.

The work is column by column: the checker is looked up once per column, blank cells are
skipped before any call, and each column keeps a dict of results for the text values it
has seen (choices, regions, repeated phone numbers cost one lookup). Row rules then run
over the parsed columns.
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field
from itertools import compress, repeat
from typing import Any, Sequence

from workbook_tools.validate import rules
from workbook_tools.validate.checkers import checker_for
from workbook_tools.validate.columns import ColumnData, header_findings, join_repeated_text, map_columns
from workbook_tools.validate.common import CheckContext, display
from workbook_tools.validate.findings import Finding, SeverityCounts, sort_findings
from workbook_tools.validate.sink import FindingSink
from workbook_tools.validate.vector import KINDS, preclean

_BLANK = object()
EXCEL_MAX_CHARS = 32_767  # what a cell holds; XlsxWriter cuts longer text


@dataclass
class TableResult(SeverityCounts):
    """Findings for one table, and per record (same order as ``table.records``) a dict of
    field key → parsed value (canonical choice, int/float, date, normalised code; None
    when blank or unusable) for every field that has a column."""

    table: Any
    findings: list[Finding]
    parsed: list[dict[str, Any]] = field(repr=False)


    def messages_by_row(self, severity: str = "error") -> dict[int, list[str]]:
        """Sheet row → messages of that severity (e.g. merge's SourceRow.errors)."""
        out: dict[int, list[str]] = {}
        for f in self.findings:
            if f.severity == severity and f.row is not None:
                out.setdefault(f.row, []).append(f.message)
        return out


def _record_values(table: Any) -> list:
    width = len(table.columns)
    out = []
    for record in table.records:
        values = record.values
        if len(values) < width:
            values = list(values) + [None] * (width - len(values))
        out.append(values)
    return out


_NUMERIC = frozenset((bool, int, float))


class _Results(dict):
    """Raw cell value → parsed value, filled on first sight: the check runs once per
    distinct value of a column and the lookups run at C speed (``map``)."""

    def __init__(self, check: Any, fld: Any, ctx: CheckContext):
        super().__init__({None: None})
        self.check, self.fld, self.ctx = check, fld, ctx
        self.blank: set = {None}                  # raw values that count as blank
        self.placeholders: set = set()            # the blank ones that are 无, 不详 …
        self.issues: dict[Any, list] = {}         # raw value → [(code, params)]

    def __missing__(self, raw: Any) -> Any:
        if raw.__class__ is str and (not raw.strip() or self.ctx.is_placeholder(raw)):
            self.blank.add(raw)
            if raw.strip():
                self.placeholders.add(raw)
            value = None
        else:
            value, issues = self.check(raw, self.fld, self.ctx)
            if raw.__class__ is str and len(raw) > EXCEL_MAX_CHARS:
                issues = (*issues, ("cell-too-long", {"length": f"{len(raw):,}"}))
            if issues:
                self.issues[raw] = issues
        self[raw] = value
        return value


def _check_column(col: ColumnData, column: Sequence, rows: list, ctx: CheckContext,
                  sink: FindingSink) -> None:
    """``column``: the column's raw values, one per record."""
    fld = col.field
    if fld.type == "text" and not fld.pattern:
        long: list[int] = []
        col.parsed = _plain_text_column(column, col, long, ctx.is_placeholder)
        _long_text_at(column, long, rows, sink, col.letter, col.label)
        return
    if len(_NUMERIC.intersection(map(type, column))) > 1:
        # 1, 1.0 and True are equal dict keys but may check differently
        col.parsed = _check_column_keyed(col, column, rows, ctx, sink)
        return
    results = _Results(checker_for(fld), fld, ctx)
    if fld.type in KINDS:  # clean values found column-wise (validate/vector.py): no per-value call
        clean = preclean(fld.type, column, ctx, fld)
        results.update(zip(clean, clean))
    col.parsed = parsed = list(map(results.__getitem__, column))
    index = range(len(column))
    unset = compress(index, map(operator.is_, parsed, repeat(None)))
    blank = results.blank
    col.blank.update(i for i in unset if column[i] in blank)
    if results.placeholders:
        col.placeholders.update((i, column[i].strip()) for i in col.blank if column[i] in results.placeholders)
    if results.issues:
        issues = results.issues
        for i in compress(index, map(issues.__contains__, column)):
            raw = column[i]
            _report(sink, col, rows[i], raw, issues[raw])


def _check_column_keyed(col: ColumnData, column: list, rows: list, ctx: CheckContext,
                        sink: FindingSink) -> list:
    """The slow path: values keyed by (type, value), for columns mixing numbers and booleans."""
    check, fld = checker_for(col.field), col.field
    parsed: list = [None] * len(column)
    cache: dict[Any, Any] = {}
    for i, raw in enumerate(column):
        if raw is None:
            col.blank.add(i)
            continue
        key = raw if raw.__class__ is str else (raw.__class__, raw)
        hit = cache.get(key)
        if hit is None:
            blank_text = raw.__class__ is str and (not raw.strip() or ctx.is_placeholder(raw))
            hit = cache[key] = _BLANK if blank_text else check(raw, fld, ctx)
        if hit is _BLANK:
            col.blank.add(i)
            if raw.strip():
                col.placeholders[i] = raw.strip()
            continue
        parsed[i], issues = hit
        if issues:
            _report(sink, col, rows[i], raw, issues)
    return parsed


def _report(sink: FindingSink, col: ColumnData, row: int, raw: Any, issues: list) -> None:
    shown, cell = display(raw), f"{col.letter}{row}"
    if len(shown) > EXCEL_MAX_CHARS:
        shown = shown[:20] + "…"
    for code, params in issues:
        sink.add(code, cell=cell, row=row, label=col.label, value=shown, field=col.field, **params)


def _long_text(column: Sequence, rows: list, sink: FindingSink, letter: str, label: str) -> None:
    """cell-too-long for text over Excel's 32,767 characters in a column the checkers do
    not see (an unknown column)."""
    long = [i for i, v in enumerate(column) if v.__class__ is str and len(v) > EXCEL_MAX_CHARS]
    _long_text_at(column, long, rows, sink, letter, label)


def _long_text_at(column: Sequence, long: list[int], rows: list, sink: FindingSink, letter: str,
                  label: str) -> None:
    for i in long:
        text = column[i]
        sink.add("cell-too-long", cell=f"{letter}{rows[i]}", row=rows[i], label=label,
                 value=text[:20] + "…", length=f"{len(text):,}")


_TEXT_ONLY = frozenset((str, type(None)))
_NONE_AS_EMPTY = {None: ""}
_EMPTY_AS_NONE = {"": None}


def _plain_text_column(column: Sequence, col: ColumnData, long: list[int], is_placeholder: Any) -> list:
    """Free text with no pattern: only trimming (the hot path), and the rows whose text
    is longer than a cell can hold appended to ``long``. A placeholder (无 …) is blank. A
    column of text and blanks only (the usual case) is trimmed with C-level maps, the
    placeholder test run once per distinct text."""
    blank = col.blank
    if _TEXT_ONLY.issuperset(map(type, column)):
        stripped = list(map(str.strip, map(_NONE_AS_EMPTY.get, column, column)))
        marks = {t for t in set(stripped) if t and is_placeholder(t)}
        for i in (i for i, t in enumerate(stripped) if t in marks) if marks else ():
            col.placeholders[i], stripped[i] = stripped[i], ""
        blank.update(compress(range(len(stripped)), map(operator.not_, stripped)))
        if stripped and max(map(len, stripped)) > EXCEL_MAX_CHARS:
            long += [i for i, t in enumerate(stripped) if len(t) > EXCEL_MAX_CHARS]
        return list(map(_EMPTY_AS_NONE.get, stripped, stripped))
    parsed: list = [None] * len(column)
    for i, raw in enumerate(column):
        if raw is None:
            blank.add(i)
        elif raw.__class__ is str:
            text = raw.strip()
            if text and not is_placeholder(text):
                parsed[i] = text
                if len(text) > EXCEL_MAX_CHARS:
                    long.append(i)
            else:
                blank.add(i)
                if text:
                    col.placeholders[i] = text
        else:
            parsed[i] = display(raw)
    return parsed


def _form_rules(form: Any, columns: dict, rows: list, values: list, sink: FindingSink,
                header_row: int | None) -> None:
    labels = {f.key: f.label for f in form.fields}
    for rule in form.rules:
        if rule.kind == "any_required":
            rules.any_required(rule, labels, columns, rows, sink, header_row)
        elif rule.kind == "compare":
            rules.compare(rule, columns, rows, values, sink)
        elif rule.kind == "implies":
            rules.implies(rule, labels, columns, rows, sink)


def validate_table(table: Any, schema: Any = None, *, as_of: dt.date | None = None,
                   date1904: bool = False) -> TableResult:
    """Validate one SheetTable (see docs/architecture.md) against its form.

    ``as_of`` (default today) is the date after which dates count as future; ``schema``
    supplies settings (id_card_age); ``date1904`` is the workbook's date system, used
    for bare serial numbers in date columns."""
    ctx = CheckContext.build(schema, as_of, date1904)
    sink = FindingSink(table.sheet)
    columns = map_columns(table)
    header_findings(table, columns, sink)
    values = _record_values(table)
    by_column = list(zip(*values)) if values else [()] * len(table.columns)  # transposed once, in C
    rows = [record.row for record in table.records]
    for col in columns.values():
        _check_column(col, by_column[col.pos], rows, ctx, sink)
    join_repeated_text(table, columns, values)
    for pos, column in enumerate(table.columns):
        if column.field is None or column.field not in columns or columns[column.field].pos != pos:
            _long_text(by_column[pos], rows, sink, column.letter, str(column.header or column.letter))
    rules.required(columns, rows, sink)
    rules.required_if(table.form, columns, rows, sink)
    _form_rules(table.form, columns, rows, values, sink, table.header_row)
    rules.unique(columns, rows, values, sink)
    rules.duplicate_rows(rows, values, sink)
    keys = list(columns)
    if keys:
        parsed = list(map(dict, map(zip, repeat(keys), zip(*(columns[k].parsed for k in keys)))))
    else:
        parsed = [{} for _ in rows]
    return TableResult(table=table, findings=sort_findings(sink.findings), parsed=parsed)
