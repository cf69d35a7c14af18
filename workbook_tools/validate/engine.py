"""validate_table: one SheetTable → findings + parsed values.

The work is column by column: the checker is looked up once per column, blank cells are
skipped before any call, and each column keeps a dict of results for the text values it
has seen (choices, regions, repeated phone numbers cost one lookup). Row rules then run
over the parsed columns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from workbook_tools.validate import rules
from workbook_tools.validate.checkers import checker_for
from workbook_tools.validate.columns import ColumnData, header_findings, map_columns
from workbook_tools.validate.common import CheckContext, display
from workbook_tools.validate.findings import Finding, count_severity, sort_findings
from workbook_tools.validate.sink import FindingSink

_BLANK = object()


@dataclass
class TableResult:
    """Findings for one table, and per record (same order as ``table.records``) a dict of
    field key → parsed value (canonical choice, int/float, date, normalised code; None
    when blank or unusable) for every field that has a column."""

    table: Any
    findings: list[Finding]
    parsed: list[dict[str, Any]] = field(repr=False)

    @property
    def errors(self) -> int:
        return count_severity(self.findings, "error")

    @property
    def warnings(self) -> int:
        return count_severity(self.findings, "warning")

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


def _check_column(col: ColumnData, values: list, rows: list, ctx: CheckContext,
                  sink: FindingSink) -> None:
    fld, pos = col.field, col.pos
    if fld.type == "text" and not fld.pattern:
        col.parsed = _plain_text_column(values, pos, col.blank)
        return
    check = checker_for(fld)
    parsed: list = [None] * len(values)
    blank = col.blank
    cache: dict[Any, Any] = {}  # identical values are checked once per column
    for i, row_values in enumerate(values):
        raw = row_values[pos]
        if raw is None:
            blank.add(i)
            continue
        key = raw if raw.__class__ is str else (raw.__class__, raw)
        hit = cache.get(key)
        if hit is None:
            blank_text = raw.__class__ is str and not raw.strip()
            hit = cache[key] = _BLANK if blank_text else check(raw, fld, ctx)
        if hit is _BLANK:
            blank.add(i)
            continue
        value, issues = hit
        parsed[i] = value
        if issues:
            shown, cell = display(raw), f"{col.letter}{rows[i]}"
            for code, params in issues:
                sink.add(code, cell=cell, row=rows[i], label=col.label, value=shown, **params)
    col.parsed = parsed


def _plain_text_column(values: list, pos: int, blank: set) -> list:
    """Free text with no pattern: nothing to report, only trimming (the hot path)."""
    parsed: list = [None] * len(values)
    for i, row_values in enumerate(values):
        raw = row_values[pos]
        if raw is None:
            blank.add(i)
        elif raw.__class__ is str:
            text = raw.strip()
            if text:
                parsed[i] = text
            else:
                blank.add(i)
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
    rows = [record.row for record in table.records]
    for col in columns.values():
        _check_column(col, values, rows, ctx, sink)
    rules.required(columns, rows, sink)
    rules.required_if(table.form, columns, rows, sink)
    _form_rules(table.form, columns, rows, values, sink, table.header_row)
    rules.unique(columns, rows, values, sink)
    rules.duplicate_rows(rows, values, sink)
    keys = list(columns)
    if keys:
        parsed = [dict(zip(keys, row)) for row in zip(*(columns[k].parsed for k in keys))]
    else:
        parsed = [{} for _ in rows]
    return TableResult(table=table, findings=sort_findings(sink.findings), parsed=parsed)
