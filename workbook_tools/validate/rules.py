"""Row-level and cross-field rules over parsed columns: required, required-if, the form's
rules (any_required, compare, implies), unique fields and exactly repeated rows.

``columns``: field key → ColumnData; ``rows``: sheet row per record; ``values``: the raw
Record.values per record; all lists are aligned by record index.
"""

from __future__ import annotations

import datetime as dt
import operator
from typing import Any

from workbook_tools.validate.common import display, show
from workbook_tools.validate.dates import parse_text_date
from workbook_tools.validate.sink import FindingSink

OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
       "==": operator.eq, "!=": operator.ne}


def required(columns: dict, rows: list, sink: FindingSink) -> None:
    for col in columns.values():
        if col.field.required:
            for i in sorted(col.blank):
                if i in col.placeholders:
                    sink.add("required-placeholder", cell=f"{col.letter}{rows[i]}", row=rows[i],
                             label=col.label, value=col.placeholders[i])
                else:
                    sink.add("required-missing", cell=f"{col.letter}{rows[i]}", row=rows[i], label=col.label)


def _is(parsed: Any, value: str) -> bool:
    return parsed is not None and (parsed == value or show(parsed) == value)


def _missing_column(sink: FindingSink, label: str, hits: list, rows: list, condition: str) -> None:
    if hits:
        sink.add("column-missing-conditional", cell=None, row=None, label=label, count=len(hits),
                 first_row=rows[hits[0]], condition=condition)


def required_if(form: Any, columns: dict, rows: list, sink: FindingSink) -> None:
    """Field.required_if: all (other field, canonical value) pairs hold → must be filled."""
    for field in form.fields:
        if not field.required_if:
            continue
        others = [(columns.get(key), value) for key, value in field.required_if]
        if any(col is None for col, _ in others):
            continue  # the condition cannot be evaluated
        condition = "且".join(f"{col.label}为“{value}”" for col, value in others)
        target = columns.get(field.key)
        candidates = sorted(target.blank) if target else range(len(rows))
        hits = [i for i in candidates if all(_is(col.parsed[i], value) for col, value in others)]
        if target is None:
            _missing_column(sink, field.label, hits, rows, condition)
            continue
        for i in hits:
            if i in target.placeholders:
                sink.add("required-if-placeholder", cell=f"{target.letter}{rows[i]}", row=rows[i],
                         label=field.label, condition=condition, value=target.placeholders[i])
            else:
                sink.add("required-if-missing", cell=f"{target.letter}{rows[i]}", row=rows[i],
                         label=field.label, condition=condition)


def any_required(rule: Any, labels: dict, columns: dict, rows: list, sink: FindingSink,
                 header_row: int | None) -> None:
    present = [columns[key] for key in rule.fields if key in columns]
    names = "、".join(labels[key] for key in rule.fields)
    if not present:
        sink.add("column-missing-any", cell=None, row=header_row, label=None, labels=names,
                 rule=rule.message)
        return
    first = present[0]
    for i in sorted(set.intersection(*(col.blank for col in present))):
        sink.add("rule-any-required", cell=f"{first.letter}{rows[i]}", row=rows[i],
                 label=first.label, labels=names, rule=rule.message)


def compare(rule: Any, columns: dict, rows: list, values: list, sink: FindingSink) -> None:
    """left op right, checked only where both sides were read as values."""
    left, right = columns.get(rule.left), columns.get(rule.right)
    if left is None or right is None:
        return
    op = OPS[rule.op]
    for i, (a, b) in enumerate(zip(left.parsed, right.parsed)):
        if a is None or b is None:
            continue
        try:
            if op(a, b):
                continue
        except TypeError:
            continue
        sink.add("rule-compare", cell=f"{left.letter}{rows[i]}", row=rows[i], label=left.label,
                 value=display(values[i][left.pos]), rule=rule.message, left=show(a),
                 right=show(b), right_label=right.label)


def _coerce(parsed: Any, value: Any) -> Any:
    """The rule's literal as the parsed value's type, or None when they cannot compare."""
    if isinstance(parsed, (int, float)) and not isinstance(parsed, bool):
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if isinstance(parsed, dt.date):
        if isinstance(value, dt.date):
            return value
        return parse_text_date(value)[0] if isinstance(value, str) else None
    return str(value) if isinstance(parsed, str) and value is not None else None


def holds(parsed: Any, op: str, value: Any) -> bool:
    other = _coerce(parsed, value)
    if other is None:
        return False
    try:
        return bool(OPS[op](parsed, other))
    except TypeError:
        return False


def implies(rule: Any, labels: dict, columns: dict, rows: list, sink: FindingSink) -> None:
    when_key, op, value = rule.when
    when = columns.get(when_key)
    if when is None:
        return
    if rule.then is not None:
        implies_value(rule, when, columns, rows, sink)
        return
    target = columns.get(rule.require)
    hits = [i for i, w in enumerate(when.parsed)
            if w is not None and holds(w, op, value) and (target is None or i in target.blank)]
    if target is None:
        _missing_column(sink, labels[rule.require], hits, rows, f"{when.label}{op}{show(value)}")
        return
    for i in hits:
        sink.add("rule-implies", cell=f"{target.letter}{rows[i]}", row=rows[i], label=target.label,
                 rule=rule.message, when_label=when.label, when_value=show(when.parsed[i]))


def implies_value(rule: Any, when: Any, columns: dict, rows: list, sink: FindingSink) -> None:
    """when holds → the ``then`` field's value must satisfy its condition (checked where read)."""
    _, op, value = rule.when
    then_key, then_op, then_value = rule.then
    target = columns.get(then_key)
    if target is None:
        return
    for i, (w, t) in enumerate(zip(when.parsed, target.parsed)):
        if w is None or t is None or not holds(w, op, value) or holds(t, then_op, then_value):
            continue
        sink.add("rule-implies-value", cell=f"{target.letter}{rows[i]}", row=rows[i], label=target.label,
                 rule=rule.message, when_label=when.label, when_value=show(w), value=show(t))


def unique(columns: dict, rows: list, values: list, sink: FindingSink) -> None:
    """Second and later occurrences of a unique field's value, naming the first row."""
    for col in columns.values():
        if not col.field.unique:
            continue
        first: dict[Any, int] = {}
        for i, parsed in enumerate(col.parsed):
            if parsed is None:
                continue
            j = first.setdefault(parsed, i)
            if j != i:
                sink.add("unique-duplicate", cell=f"{col.letter}{rows[i]}", row=rows[i],
                         label=col.label, value=display(values[i][col.pos]), field=col.field,
                         first_row=rows[j], first_sheet="")


def duplicate_rows(rows: list, values: list, sink: FindingSink) -> None:
    seen: dict[tuple, int] = {}
    for i, row_values in enumerate(values):
        try:
            j = seen.setdefault(tuple(row_values), i)
        except TypeError:  # an unhashable value: cannot compare, skip
            continue
        if j != i:
            sink.add("row-duplicate", cell=None, row=rows[i], label=None, first_row=rows[j], first_sheet="")
