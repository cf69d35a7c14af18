"""Record forms (visit records, visit plans, complaints): all rows kept, exact duplicates
removed; completed visit plans also become visit records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable

from workbook_tools.merge.extras import ExtraColumns
from workbook_tools.merge.rows import SourceRow, source_order
from workbook_tools.schema.model import Form

COMPLETED = "已完成"
# visit-record field ← visit-plan field, for plans whose 状态 is 已完成.
PLAN_TO_VISIT = {
    "record_id": "plan_id",
    "customer_id": "customer_id",
    "customer_name": "customer_name",
    "date": "actual_date",
    "salesperson": "salesperson",
    "method": "method",
    "content": "purpose",
    "result": "result",
    "next_date": "next_date",
}


@dataclass(slots=True)
class RecordTable:
    """One record sheet of the master and the counts that reconcile it:
    read + added = kept + duplicates_removed + quarantined."""

    form: Form
    rows: list[SourceRow] = field(default_factory=list)
    extra_cols: ExtraColumns = field(default_factory=ExtraColumns)
    read: int = 0                 # rows of this form received (clean and quarantined)
    added: int = 0                # rows converted from completed visit plans
    duplicates_removed: int = 0
    quarantined: int = 0
    moved: list[SourceRow] = field(default_factory=list)  # visits dated before the cutoff (history store)


def move_older(table: RecordTable, cutoff: dt.date | None, key: str = "date") -> None:
    """Move the rows dated before ``cutoff`` (field ``key``) from ``table.rows`` to
    ``table.moved``; undated rows stay. Nothing moves without a cutoff."""
    if cutoff is None:
        return
    keep: list[SourceRow] = []
    for row in table.rows:
        day = row.values.get(key)
        if isinstance(day, dt.datetime):
            day = day.date()
        (table.moved if isinstance(day, dt.date) and day < cutoff else keep).append(row)
    table.rows = keep


def build_records(form: Form, clean: Iterable[SourceRow], quarantined: int,
                  added: Iterable[SourceRow] = ()) -> RecordTable:
    """Keep every clean row once (first in file/sheet/row order), drop exact duplicates:
    rows with the same values in every schema field."""
    clean, added = list(clean), list(added)
    table = RecordTable(form, read=len(clean) + quarantined, added=len(added),
                        quarantined=quarantined)
    seen: set = set()
    keys = form.keys
    for row in sorted(clean + added, key=source_order):
        signature = tuple(map(row.values.get, keys))
        try:
            hash(signature)
        except TypeError:  # an unhashable value: compared by its repr
            signature = tuple(_hashable(v) for v in signature)
        if signature in seen:
            table.duplicates_removed += 1
            continue
        seen.add(signature)
        table.rows.append(table.extra_cols.keyed(row))
    return table


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def visits_from_plans(plans: Iterable[SourceRow], visit_form: Form) -> list[SourceRow]:
    """Completed plan rows (状态 已完成) as visit records, provenance kept."""
    wanted = [(v, p) for v, p in PLAN_TO_VISIT.items() if v in visit_form.keys]
    out = []
    for plan in plans:
        if plan.values.get("status") != COMPLETED:
            continue
        values = {v: plan.values.get(p) for v, p in wanted}
        out.append(SourceRow(visit_form.key, values, dict(values), {}, plan.file, plan.sheet, plan.row))
    return out
