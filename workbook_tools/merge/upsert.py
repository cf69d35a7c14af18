"""Upsert customers by 客户编号: this week's clean registration rows (and last week's master)
folded field by field into one record per customer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from workbook_tools.merge.compact import RowValues
from workbook_tools.merge.conflicts import Conflict, field_conflict, priority, revision_key
from workbook_tools.merge.extras import ExtraColumns
from workbook_tools.merge.rows import SourceRow, is_empty
from workbook_tools.schema.model import Form


@dataclass(slots=True)
class MergedCustomer:
    id: str
    values: Mapping[str, Any]            # RowValues (merge/compact.py) or a dict
    extras: dict[str, Any]              # extra column key → value
    candidates: list[SourceRow]         # this week's clean rows and the previous record, winner first
    previous: SourceRow | None = None
    n_sources: int = 0                  # this week's clean rows folded into this record
    quarantined: list[SourceRow] | None = None  # this week's rows with errors (previous kept)

    @property
    def sources(self) -> list[SourceRow]:
        """This week's clean rows folded into this record, winner first."""
        return [r for r in self.candidates if r is not self.previous]

    @property
    def from_this_week(self) -> bool:
        return self.n_sources > 0

    @property
    def provenance(self) -> SourceRow:
        """This week's winning row, else the previous master's row."""
        for r in self.candidates:
            if r is not self.previous:
                return r
        return self.previous

    def supplier(self, key: str) -> SourceRow | None:
        """The row whose value was taken for field ``key``."""
        for r in self.candidates:
            if not is_empty(r.values.get(key)):
                return r
        return None


def upsert(rows: Iterable[SourceRow], previous: dict[str, SourceRow], form: Form,
           id_of, extra_cols: ExtraColumns) -> tuple[dict[str, MergedCustomer], list[Conflict]]:
    """Fold clean registration rows (already in file/sheet/row order) and the previous
    master into one MergedCustomer per id; return them and the field conflicts."""
    previous = {cid: extra_cols.keyed(p) for cid, p in previous.items()}
    groups: dict[str, list[SourceRow]] = {}
    for row in rows:
        groups.setdefault(id_of(row), []).append(extra_cols.keyed(row))
    revised = _revised_key(form)
    customers: dict[str, MergedCustomer] = {}
    conflicts: list[Conflict] = []
    for cid, group in groups.items():
        customer = _fold(cid, group, previous.get(cid), form, revised)
        customers[cid] = customer
        if len(group) > 1 or customer.candidates[0] is customer.previous:
            conflicts.extend(_conflicts(customer, form, revised, extra_cols))
    for cid, prev in previous.items():
        if cid not in customers:
            customers[cid] = MergedCustomer(cid, prev.values, prev.extras, [prev], prev, 0)
    return customers, conflicts


def _revised_key(form: Form) -> str:
    for f in form.fields:
        if f.key == "revised" or f.label == "最新修订日期":
            return f.key
    return "revised"


def _fold(cid: str, group: list[SourceRow], prev: SourceRow | None, form: Form,
          revised: str) -> MergedCustomer:
    if prev is None and len(group) == 1:  # the common case: nothing to fold, nothing copied
        only = group[0]
        values = only.values
        if values.get(form.id_field) != cid:
            values = {**values, form.id_field: cid}
        return MergedCustomer(cid, values, only.extras, group, None, 1)
    if prev is not None and len(group) == 1:  # re-sent customer: this week wins unless older
        newer = revision_key(group[0].values.get(revised)) >= revision_key(prev.values.get(revised))
        candidates = [group[0], prev] if newer else [prev, group[0]]
    else:
        ranked = [(priority(r, revised, True), r) for r in group]
        if prev is not None:
            ranked.append((priority(prev, revised, False), prev))
        ranked.sort(key=lambda pair: pair[0], reverse=True)
        candidates = [r for _, r in ranked]
    values = overlay([r.values for r in candidates])
    values[form.id_field] = cid
    values = _kept_like(values, candidates, form)
    extras = overlay([r.extras for r in candidates]) if any(r.extras for r in candidates) else {}
    return MergedCustomer(cid, values, extras, candidates, prev, len(group))


def overlay(dicts: list[dict]) -> dict[str, Any]:
    """Key by key, the value of the first dict (priority order) where it is non-empty:
    an empty value (None or '') never overwrites a non-empty one. Starts from a copy of the
    lowest-priority dict, so an unchanged record compares equal to it."""
    out = dict(dicts[-1])
    for d in reversed(dicts[:-1]):
        out.update({k: v for k, v in d.items() if v is not None and v != ""})
    return out


def _conflicts(customer: MergedCustomer, form: Form, revised: str,
               extra_cols: ExtraColumns) -> list[Conflict]:
    out = []
    for f in form.fields:
        if f.key in (revised, form.id_field):
            continue
        c = field_conflict(customer.id, f.label, customer.candidates,
                           lambda r, k=f.key: r.values.get(k), customer.previous)
        if c:
            out.append(c)
    for key in dict.fromkeys(k for r in customer.candidates for k in r.extras):
        c = field_conflict(customer.id, extra_cols.headers[key], customer.candidates,
                           lambda r, k=key: r.extras.get(k), customer.previous)
        if c:
            out.append(c)
    return out


def _kept_like(values: dict[str, Any], candidates: list[SourceRow], form: Form) -> Mapping[str, Any]:
    """A folded customer's values packed and spilled where its rows are (merge/compact.py): a
    second week's merge folds nearly every customer with last week's record."""
    spill = next((r.values._spill for r in candidates if r.values.__class__ is RowValues), None)
    return values if spill is None else RowValues.packed(values, form.keys, spill)
