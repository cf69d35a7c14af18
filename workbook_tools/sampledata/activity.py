"""Visit records (客户拜访记录) and this week's visit plan (客户拜访计划) for one region.

Field keys are the schema's (visit-record / visit-plan forms); choice values come from
the schema through ``Vocabulary``. Dates are consistent: visits are on or before as_of,
下次跟进日期 ≥ the visit, completed plans have an 实际日期 on or before as_of.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from workbook_tools.sampledata import names
from workbook_tools.sampledata.customers import Customer, RegionContext
from workbook_tools.sampledata.vocabulary import Vocabulary

VISITS_PER_CUSTOMER = (2.0, 1.2, 0.5, 0.3)  # by 客户类别 rank (important … potential)
PLAN_SHARE = 0.25  # plan rows per customer for the two weeks
HISTORY_DAYS = 56  # visit records cover the last eight weeks


def visit_records(rng: random.Random, vocab: Vocabulary, ctx: RegionContext,
                  customers: list[Customer], series: str = "", scale: float = 1.0) -> list[dict]:
    """Visit records of the last weeks, in date order, numbered HD-JL-00001 … (``series``,
    default the region code, keeps the numbers of a region's several files apart);
    ``scale`` multiplies the records per customer (≈ 0.7 on average at 1)."""
    series = series or ctx.code
    form, cats = vocab.visit_record, vocab.categories
    visits = []
    for c in customers:
        rank = min(cats.index(c.values["category"]), len(VISITS_PER_CUSTOMER) - 1)
        expected = VISITS_PER_CUSTOMER[rank] * scale
        count = int(expected) + (rng.random() < expected % 1)
        for _ in range(count):
            day = ctx.as_of - timedelta(days=rng.randrange(HISTORY_DAYS))
            visits.append((day, c))
    visits.sort(key=lambda item: (item[0], item[1].values["customer_id"]))
    out = []
    for seq, (day, c) in enumerate(visits, 1):
        v = c.values
        out.append(dict(
            record_id=f"{series}-JL-{seq:05d}", customer_id=v["customer_id"], customer_name=v["customer_name"],
            date=day, salesperson=v["owner"], method=vocab.pick(rng, "method", form),
            content=rng.choice(names.VISIT_CONTENT), result=rng.choice(names.VISIT_RESULTS),
            next_date=day + timedelta(days=rng.choice((7, 14, 14, 30))) if rng.random() < 0.7 else None,
        ))
    return out


def visit_plans(rng: random.Random, vocab: Vocabulary, ctx: RegionContext, customers: list[Customer],
                monday: date, week_tag: str, series: str = "") -> list[dict]:
    """Plan rows for this week and next; past ones mostly 已完成 with 实际日期 and 拜访结果.
    Numbered HD-JH-2026W47-001 … (``series`` as for visit_records)."""
    series = series or ctx.code
    form, cats = vocab.visit_plan, vocab.categories
    weights = [len(cats) - cats.index(c.values["category"]) for c in customers]
    count = max(5, round(len(customers) * PLAN_SHARE))
    chosen = rng.choices(customers, weights=weights, k=count)
    days = sorted(monday + timedelta(days=rng.choice((0, 1, 2, 3, 4, 7, 8, 9, 10, 11))) for _ in chosen)
    out = []
    for seq, (day, c) in enumerate(zip(days, chosen), 1):
        v = c.values
        row = dict(
            plan_id=f"{series}-JH-{week_tag}-{seq:03d}", salesperson=v["owner"], planned_date=day,
            customer_id=v["customer_id"], customer_name=v["customer_name"],
            method=vocab.pick(rng, "method", form), purpose=rng.choice(names.VISIT_CONTENT),
        )
        row.update(_outcome(rng, vocab, day, ctx.as_of))
        out.append(row)
    return out


def _outcome(rng: random.Random, vocab: Vocabulary, day: date, as_of: date) -> dict:
    statuses = vocab.values("status", vocab.visit_plan)
    planned = statuses[0]
    if day > as_of:
        return dict(status=planned)
    others = [s for s in statuses if s not in (planned, vocab.completed)]
    roll = rng.random()
    if roll < 0.7:
        actual = min(as_of, day + timedelta(days=rng.choice((0, 0, 0, 1, 2))))
        return dict(status=vocab.completed, actual_date=actual, result=rng.choice(names.VISIT_RESULTS),
                    satisfaction=vocab.pick(rng, "satisfaction", vocab.visit_plan),
                    next_date=actual + timedelta(days=rng.choice((7, 14, 30))))
    if roll < 0.85 or not others:
        return dict(status=planned)
    return dict(status=rng.choice(others), remarks=rng.choice(("客户临时出差", "改为下周", "客户要求改期")))
