"""One regional workbook from start to finish: customers, visits, plans, this file's
share of the mess, the workbook itself. A ``FileJob`` holds everything the file depends
on, so jobs run alone (in worker processes for big sets) and give the same bytes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from workbook_tools.io.atomic import atomic_path
from workbook_tools.sampledata import activity, customers, mess, trades
from workbook_tools.sampledata.sheet import Column, FileModel, Problem, Row, Sheet, resolve
from workbook_tools.sampledata.vocabulary import Vocabulary
from workbook_tools.sampledata.writer import write_file
from workbook_tools.schema import Schema
from workbook_tools.schema.model import Form


CREATED_AT = time(17, 30)  # the workbooks' creation time on the as_of date: fixed, for identical bytes


@dataclass(frozen=True)
class FileJob:
    schema: Schema
    seed: int
    region: str
    code: str
    block: int  # which file of the region (0 …)
    part: int  # which file of the run (0 …)
    parts: int  # files in the run
    customers: int
    id_width: int
    week: str  # 2026-W47
    monday: date
    as_of: date
    path: Path
    plan: mess.FilePlan | None  # None: a clean file
    series: str = ""  # numbering of visit records and plans (HD01 …) when a region has several files
    visit_scale: float = 1.0  # visit records per customer × this (benchmarks: 3 a customer)

    @property
    def week_label(self) -> str:
        year, number = self.monday.isocalendar()[:2]
        return f"{year}年第{number}周"


@dataclass(frozen=True)
class SampleFile:
    path: Path
    region: str
    code: str
    customers: int  # customers generated for this file
    rows: dict[str, int]  # sheet name → data rows written (blank rows not counted)
    header_rows: dict[str, int]  # sheet name → 1-based header row


def run(job: FileJob) -> tuple[SampleFile, list[Problem]]:
    """Build, mess up (if planned) and write one workbook."""
    vocab = Vocabulary(job.schema)
    model = build(job, vocab)
    if job.plan is not None:
        rng = random.Random(f"{job.seed}:{job.region}:{job.block}:mess")
        mess.apply(rng, model, job.plan, vocab, job.week_label)
    index: dict = {}
    problems = [resolve(model.name, p, index) for p in model.pending]
    with atomic_path(job.path) as tmp:
        write_file(tmp, model, datetime.combine(job.as_of, CREATED_AT))
    sheets = model.sheets.values()
    summary = SampleFile(job.path, job.region, job.code, job.customers,
                         {s.name: len(s.data_rows()) for s in sheets}, {s.name: s.header_row for s in sheets})
    return summary, problems


def build(job: FileJob, vocab: Vocabulary) -> FileModel:
    """The clean model of one file (plus the shared customer when the plan names one)."""
    rng = random.Random(f"{job.seed}:{job.region}:{job.block}")
    ctx = customers.make_region(rng, job.region, job.code, job.customers, job.as_of, job.part, job.parts)
    ids = customers.customer_ids(rng, job.code, job.customers, job.block, job.id_width)
    people = customers.make_customers(rng, vocab, ctx, ids, job.part, job.parts)
    if job.plan is not None and job.plan.shared is not None:
        _add_shared(rng, job, vocab, ctx, people)
    year, number = job.monday.isocalendar()[:2]
    records = activity.visit_records(rng, vocab, ctx, people, job.series, job.visit_scale)
    plans = activity.visit_plans(rng, vocab, ctx, people, job.monday, f"{year}W{number:02d}", job.series)
    trade_form = next((f for f in job.schema.forms if f.key == "trade"), None)
    trade_rng = random.Random(f"{job.seed}:{job.region}:{job.block}:trade")   # the other sheets stay as they were
    shared = job.plan.shared if job.plan is not None else None
    if trade_form is not None and "credit_reviewed" in vocab.registration.keys:
        trades.review_dates(trade_rng, people, job.as_of, shared.customer_id if shared is not None else None)
    sheets = {
        "registration": form_sheet(vocab.registration, [(c.values, c) for c in people]),
        "visit-record": form_sheet(vocab.visit_record, [(r, None) for r in records]),
        "visit-plan": form_sheet(vocab.visit_plan, [(p, None) for p in plans]),
    }
    if trade_form is not None:
        skip = frozenset({shared.customer_id} if shared is not None and not shared.home else ())
        deals = trades.trade_records(trade_rng, vocab, people, job.as_of, job.series, skip)
        sheets["trade"] = form_sheet(trade_form, [(d, None) for d in deals])
    return FileModel(job.path.name, job.region, job.code, ctx.clerk, sheets)


def _add_shared(rng: random.Random, job: FileJob, vocab: Vocabulary, ctx, people: list) -> None:
    """The home file lists the shared customer in 客户编号 order; the other file somewhere, with
    its own 手机 and 最新修订日期."""
    role = job.plan.shared
    customer, other_mobile, other_revised = customers.shared_customer(
        job.seed, vocab, role.region, role.code, role.customer_id, job.as_of, job.parts)
    owner = ctx.salesperson(rng)
    customer.values.update(owner=owner, filled_by=owner)
    if role.home:
        at = sum(c.values["customer_id"] < role.customer_id for c in people)
    else:
        customer.values.update(mobile=other_mobile, revised=other_revised)
        at = rng.randrange(len(people) + 1)
    people.insert(at, customer)


def form_sheet(form: Form, records: list[tuple[dict, object]]) -> Sheet:
    """A sheet named like the form, one column per field in schema order, headers = labels."""
    columns = [Column(f.label, f.key, f.type, f.width) for f in form.fields]
    keys = form.keys
    return Sheet(form.title, columns, [Row([values.get(k) for k in keys], meta) for values, meta in records])
