"""Cross-row checks across a table and its continuation sheets (io/continuation.py).

The reader returns ``客户档案``, ``客户档案(2)`` … as separate SheetTables and
validate_table checks each alone; a table that continues on numbered sheets is one table,
so a 客户编号 on ``客户档案(2)`` that repeats one on ``客户档案`` is a duplicate as well.
Only the first occurrence on a later sheet of a value seen on an earlier sheet is reported
here (later occurrences on the same sheet are already reported against that one), on the
later sheet's own cell, naming the sheet and row of the first occurrence.
"""

from __future__ import annotations

from typing import Any, Sequence

from workbook_tools.io.continuation import split_name
from workbook_tools.validate.columns import map_columns
from workbook_tools.validate.common import display
from workbook_tools.validate.findings import Finding, sort_findings
from workbook_tools.validate.sink import FindingSink


def continued_groups(results: Sequence[Any]) -> list[list[Any]]:
    """TableResults grouped by table: a base sheet followed by its ``base(2)``, ``base(3)`` …
    of the same form, consecutive as the writer places them; only groups of two or more."""
    by_sheet = {r.table.sheet: r for r in results}
    groups = []
    for result in results:
        base, number = split_name(result.table.sheet)
        if number != 1:
            continue
        group, n = [result], 2
        while (nxt := by_sheet.get(f"{base}({n})")) is not None and nxt.table.form.key == result.table.form.key:
            group.append(nxt)
            n += 1
        if len(group) > 1:
            groups.append(group)
    return groups


def cross_sheet_findings(results: Sequence[Any]) -> list[Finding]:
    """Duplicates of unique fields and whole-row duplicates across continuation sheets; each
    finding is also added to the TableResult of the sheet it points at."""
    out: list[Finding] = []
    for group in continued_groups(results):
        for result, found in zip(group, _group_findings(group)):
            if found:
                result.findings = sort_findings(result.findings + found)
                out += found
    return out


def _group_findings(group: list[Any]) -> list[list[Finding]]:
    first_value: dict[tuple[str, Any], tuple[str, int]] = {}   # (field, value) → (sheet, row)
    first_row: dict[tuple, tuple[str, int]] = {}
    per_sheet = []
    for result in group:
        table, sink = result.table, FindingSink(result.table.sheet)
        columns = [c for c in map_columns(table).values() if c.field.unique]
        width = len(table.columns)
        here: dict[tuple[str, Any], tuple[str, int]] = {}
        here_rows: dict[tuple, tuple[str, int]] = {}
        for record, parsed in zip(table.records, result.parsed):
            for col in columns:
                key = (col.field.key, parsed.get(col.field.key))
                if key[1] is None or key in here:
                    continue
                here[key] = (table.sheet, record.row)
                if key in first_value:
                    raw = record.values[col.pos] if col.pos < len(record.values) else None
                    sink.add("unique-duplicate", cell=f"{col.letter}{record.row}", row=record.row,
                             label=col.label, value=display(raw), field=col.field,
                             **_where(first_value[key]))
            _row_duplicate(record, width, table.sheet, first_row, here_rows, sink)
        per_sheet.append(sink.findings)
        first_value = {**here, **first_value}
        first_row = {**here_rows, **first_row}
    return per_sheet


def _row_duplicate(record: Any, width: int, sheet: str, earlier: dict, here: dict, sink: FindingSink) -> None:
    values = list(record.values) + [None] * (width - len(record.values))
    try:
        key = tuple(values)
        if key in here:
            return
        here[key] = (sheet, record.row)
    except TypeError:  # an unhashable value: cannot compare, skip
        return
    if key in earlier:
        sink.add("row-duplicate", cell=None, row=record.row, label=None, **_where(earlier[key]))


def _where(place: tuple[str, int]) -> dict[str, Any]:
    """The message's parameters naming a row on another sheet: 与工作表“客户档案”第 12 行…"""
    sheet, row = place
    return {"first_row": row, "first_sheet": f"工作表“{sheet}”"}
