"""Record forms (visit records, visit plans, complaints): all rows kept, exact duplicates
removed; completed visit plans also become visit records."""

from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass, field
from typing import Iterable

from workbook_tools.merge.extras import ExtraColumns
from workbook_tools.merge.packed import PackedRows, pack_rows, repeated_hashes
from workbook_tools.merge.rows import SourceRow
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
    read + added = kept + duplicates_removed + quarantined. ``rows`` and ``moved`` are
    PackedRows (a sequence of SourceRows, merge/packed.py)."""

    form: Form
    rows: PackedRows | list[SourceRow] = field(default_factory=list)
    extra_cols: ExtraColumns = field(default_factory=ExtraColumns)
    read: int = 0                 # rows of this form received (clean and quarantined)
    added: int = 0                # rows converted from completed visit plans
    duplicates_removed: int = 0
    quarantined: int = 0
    moved: PackedRows | list[SourceRow] = field(default_factory=list)  # visits dated before the cutoff (history store)


def move_older(table: RecordTable, cutoff: dt.date | None, key: str = "date") -> None:
    """Move the rows dated before ``cutoff`` (field ``key``) from ``table.rows`` to
    ``table.moved``; undated rows stay. Nothing moves without a cutoff."""
    if cutoff is None:
        return
    rows: PackedRows = table.rows
    keep, moved = rows.like(), rows.like()
    at = rows.keys.index(key)
    for block, item in rows.items():
        day = item[0][at] if item[0].__class__ is tuple else item[0].get(key)
        if isinstance(day, dt.datetime):
            day = day.date()
        (moved if isinstance(day, dt.date) and day < cutoff else keep).add_items(block.file, block.sheet, [item])
    table.rows, table.moved = keep.close(), moved.close()


def build_records(form: Form, clean: PackedRows, quarantined: int,
                  added: Iterable[SourceRow] = ()) -> RecordTable:
    """Keep every clean row once (first in file/sheet/row order), drop exact duplicates:
    rows with the same values in every schema field. The rows are hashed first; only rows
    sharing a hash are compared (and only their blocks, or those with extra columns, are
    rewritten)."""
    added = pack_rows(form.key, form.keys, added)
    rows = clean.like()
    rows.blocks = sorted([*clean.close().blocks, *added.blocks], key=lambda b: (b.file, b.sheet, b.first_row))
    rows._len = len(clean) + len(added)
    table = RecordTable(form, rows, read=len(clean) + quarantined, added=len(added), quarantined=quarantined)
    hashes, extras = array("q"), set()
    for pos, (block, item) in enumerate(rows.items()):
        hashes.append(hash(_signature(item[0], rows.keys)))
        if item[1]:
            extras.add(pos)
    repeated = repeated_hashes(hashes)
    del hashes
    if not repeated and not extras:
        return table
    seen: set = set()
    dropped: list[int] = []

    def keep(block, pos, item):
        signature = _signature(item[0], rows.keys)
        if hash(signature) in repeated:
            if signature in seen:
                dropped.append(pos)
                return None
            seen.add(signature)
        if item[1]:
            return (item[0], table.extra_cols.normalise(item[1]) or None, item[2])
        return item
    rows.rewrite(keep, rows.blocks_of(extras) | _blocks_with(rows, repeated))
    table.duplicates_removed = len(dropped)
    return table


def _signature(values, keys) -> tuple:
    signature = values if values.__class__ is tuple else tuple(map(values.get, keys))
    try:
        hash(signature)
    except TypeError:  # an unhashable value: compared by its repr
        signature = tuple(_hashable(v) for v in signature)
    return signature


def _blocks_with(rows: PackedRows, repeated: set[int]) -> set[int]:
    if not repeated:
        return set()
    return rows.blocks_of(pos for pos, (_, item) in enumerate(rows.items())
                          if hash(_signature(item[0], rows.keys)) in repeated)


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def visits_from_plans(plans: PackedRows, visit_form: Form) -> list[SourceRow]:
    """Completed plan rows (状态 已完成) as visit records, provenance kept."""
    wanted = [(v, p) for v, p in PLAN_TO_VISIT.items() if v in visit_form.keys]
    keys = plans.keys
    status = keys.index("status") if "status" in keys else None
    at = {p: keys.index(p) for _, p in wanted if p in keys}
    out = []
    for block, (values, _, row) in plans.items():
        if values.__class__ is not tuple:
            values = tuple(map(values.get, keys))
        if status is None or values[status] != COMPLETED:
            continue
        visit = {v: values[at[p]] if p in at else None for v, p in wanted}
        out.append(SourceRow(visit_form.key, visit, dict(visit), {}, block.file, block.sheet, row))
    return out
