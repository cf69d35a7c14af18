"""merge_rows: this week's validated rows (+ last week's master) → MergeResult. Pure logic,
no I/O: dicts keyed by 客户编号, no per-row pandas."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from typing import Any, Iterable, Mapping, Sequence

from workbook_tools.accounts import compute_accounts
from workbook_tools.io.gcpause import gc_paused, release_memory
from workbook_tools.merge.changes import change_log
from workbook_tools.merge.duplicates import find_suspected_duplicates
from workbook_tools.merge.extras import ExtraColumns
from workbook_tools.merge.packed import ReadRows
from workbook_tools.merge.reconcile import InputCheck, Reconciliation
from workbook_tools.merge.records import build_records, move_older, visits_from_plans
from workbook_tools.merge.result import MergeResult
from workbook_tools.merge.rows import (
    InputFile, SourceRow, natural_key, norm_id, previous_row, source_order,
)
from workbook_tools.merge.upsert import MergedCustomer, upsert
from workbook_tools.schema.model import Form, Schema

FORMS = ("registration", "visit-record", "visit-plan", "complaint", "trade")
NO_ID = "客户编号为空，无法合并；请填写客户编号"
DEFAULT_THRESHOLD = 92


def merge_rows(rows: Iterable[SourceRow] | ReadRows, schema: Schema, *,
               previous: Sequence[SourceRow | Mapping[str, Any]] | None = None,
               run_date: dt.date, settings: Mapping[str, Any] | None = None,
               inputs: Sequence[InputFile] = (), visit_cutoff: dt.date | None = None) -> MergeResult:
    """Merge rows of all forms into the master's tables. ``rows``: SourceRows, or the
    ReadRows merge_files reads (clean record rows packed, merge/packed.py); either is left
    as it was.

    ``previous``: last week's 客户档案 (see :func:`previous_from_rows`) or None for a first
    merge. ``settings`` override ``schema.settings`` (e.g. ``fuzzy_threshold``). ``inputs``
    describe every file offered (for 合并说明 and the per-file row check). ``visit_cutoff``:
    visit records dated before it leave 拜访记录 for ``result.visits.moved`` (the caller
    stores them in the history store; archive.yaml visit_history_weeks)."""
    with gc_paused():
        return _merge(rows, schema, previous, run_date, settings, inputs, visit_cutoff)


def _merge(rows, schema, previous, run_date, settings, inputs, visit_cutoff=None) -> MergeResult:
    settings = {**schema.settings, **(settings or {})}
    read = rows if isinstance(rows, ReadRows) else ReadRows.from_rows(rows, schema)
    reg = schema.form("registration")
    clean, quarantined = _split(sorted(read.loose, key=source_order), schema, reg, read)
    prev = _previous(previous, reg)
    extra_cols = ExtraColumns()  # previous master's extra columns first, then this week's
    customers, conflicts = upsert(clean["registration"], prev, reg, _id_of(reg), extra_cols)
    _attach_quarantined(customers, quarantined, reg)
    ordered = sort_customers(customers.values(), reg)
    del customers   # the dict of every id: ≈ 0.1 KB a customer until the result is written
    threshold = float(settings.get("fuzzy_threshold", DEFAULT_THRESHOLD))
    q_counts = Counter(r.form for r in quarantined)
    visits = build_records(schema.form("visit-record"), clean["visit-record"], q_counts["visit-record"],
                           visits_from_plans(clean["visit-plan"], schema.form("visit-record")))
    move_older(visits, visit_cutoff)
    plans = build_records(schema.form("visit-plan"), clean["visit-plan"], q_counts["visit-plan"])
    complaints = build_records(schema.form("complaint"), clean["complaint"], q_counts["complaint"])
    trades = build_records(schema.form("trade"), clean["trade"], q_counts["trade"])
    counts = read.counts()
    # the matcher's profiles are the merge's largest transient: built before the accounts
    # exist, the two do not add up in the peak memory (benchmarks/README.md, one million)
    duplicates = find_suspected_duplicates(ordered, reg, threshold, industry_words=settings.get("industry_words"),
                                           placeholders=settings.get("empty_placeholders"))
    release_memory(collect=False)
    accounts = compute_accounts(((c.id, c.values) for c in ordered), trades.rows, complaints.rows, schema,
                                run_date, norm=norm_id)
    release_memory(collect=False)
    return MergeResult(
        run_date=run_date, schema_name=schema.name, schema_version=schema.version,
        settings=settings, customers=ordered, extra_cols=extra_cols,
        visits=visits, plans=plans, complaints=complaints, trades=trades, quarantined=quarantined,
        accounts=accounts,
        conflicts=conflicts,
        duplicates=duplicates,
        changes=None if previous is None else change_log(ordered, reg, extra_cols.headers, run_date),
        reconciliations=_reconcile(counts[0], ordered, quarantined, (visits, plans, complaints, trades)),
        input_checks=_input_checks(counts[1], inputs), inputs=list(inputs), rows_read=len(read),
        previous_count=None if previous is None else len(prev),
    )


def _split(rows: list[SourceRow], schema: Schema, reg: Form, read: ReadRows
           ) -> tuple[dict[str, Any], list[SourceRow]]:
    """Clean rows per form (registration: a list; record forms: ``read``'s PackedRows), and
    the rows for 待修正 (errors, or a registration row without id)."""
    clean: dict[str, Any] = {key: [] for key in FORMS}
    clean.update(read.packed)
    quarantined: list[SourceRow] = []
    for row in rows:
        if row.form not in clean:
            schema.form(row.form)  # raises KeyError naming the known forms
            raise ValueError(f"合并不支持表单类型“{row.form}”")
        if row.errors:
            quarantined.append(row)
        elif row.form == reg.key and not norm_id(row.values.get(reg.id_field)):
            quarantined.append(replace(row, errors=[NO_ID]))
        else:
            clean[row.form].append(row)
    return clean, quarantined


def _id_of(reg: Form):
    key = reg.id_field
    return lambda row: norm_id(row.values.get(key))


def _previous(previous, reg: Form) -> dict[str, SourceRow]:
    """Previous customers by id; the first row of an id wins, rows without id are ignored."""
    out: dict[str, SourceRow] = {}
    for item in previous or ():
        row = previous_row(item)
        cid = norm_id(row.values.get(reg.id_field))
        if cid:
            out.setdefault(cid, row)
    return out


def _attach_quarantined(customers: dict[str, MergedCustomer], quarantined: list[SourceRow],
                        reg: Form) -> None:
    """A previous customer re-sent only with errors keeps its previous record (reported)."""
    for row in quarantined:
        if row.form != reg.key:
            continue
        cid = norm_id(row.values.get(reg.id_field)) or norm_id(row.raw.get(reg.id_field))
        customer = customers.get(cid)
        if customer is not None and not customer.from_this_week:
            customer.quarantined = [*(customer.quarantined or ()), row]


def sort_customers(customers: Iterable[MergedCustomer], reg: Form) -> list[MergedCustomer]:
    """By 所属区域 in the schema's choice order (unknown regions last), then 客户编号."""
    order: dict[Any, int] = {}
    key = "region"
    if "region" in reg.keys:
        order = {v: i for i, v in enumerate(reg.field("region").choice_values)}
    else:
        key = ""
    last = len(order)
    return sorted(customers, key=lambda c: (order.get(c.values.get(key), last), natural_key(c.id)))


def _reconcile(read: Counter | dict, customers, quarantined, tables) -> list[Reconciliation]:
    q = Counter(r.form for r in quarantined)
    week = [c for c in customers if c.n_sources]
    out = [Reconciliation("客户档案", read.get("registration", 0),
                          len(week), sum(c.n_sources - 1 for c in week), q["registration"],
                          kept_label="客户档案中本周客户", folded_label="合并进这些客户的重复行")]
    for label, t in zip(("拜访记录", "拜访计划", "投诉记录", "交易记录"), tables):
        out.append(Reconciliation(label, read.get(t.form.key, 0), len(t.rows),
                                  t.duplicates_removed, q[t.form.key], t.added, len(t.moved),
                                  kept_label=f"{label}中保留", folded_label="完全相同的重复行"))
    return out


def _input_checks(received: dict[tuple[str, str], int], inputs: Sequence[InputFile]) -> list[InputCheck]:
    out = []
    for inp in inputs:
        if inp.skipped_reason:
            continue
        sheets = dict.fromkeys(list(inp.rows_read_by_sheet) +
                               [s for f, s in received if f == inp.name])
        for sheet in sheets:
            out.append(InputCheck(inp.name, sheet, inp.rows_read_by_sheet.get(sheet),
                                  received.get((inp.name, sheet), 0)))
    return out
