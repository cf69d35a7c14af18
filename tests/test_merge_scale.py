"""Scale guard and the integration helpers (reader contract duck-typed, no reader import)."""

from __future__ import annotations

import random
from datetime import date
from types import SimpleNamespace

from workbook_tools.merge import HeaderDrift, SourceRow, header_drift_from_table, merge_rows
from workbook_tools.schema import load_schema

SCHEMA = load_schema()
REGIONS = [("华东", "HD"), ("华南", "HN"), ("华北", "HB"), ("西南", "XN")]


def synthetic_rows(n: int, seed: int = 5) -> list[SourceRow]:
    rng = random.Random(seed)
    chars = [chr(0x4E00 + rng.randrange(0x51A5)) for _ in range(400)]
    rows = []
    for i in range(n):
        region, prefix = REGIONS[i % len(REGIONS)]
        name = "北京" + "".join(rng.choice(chars) for _ in range(rng.randint(2, 5))) + "科技有限公司"
        v = {"customer_id": f"{prefix}{i:06d}", "customer_name": name, "customer_type": "公司",
             "region": region, "category": "普通客户", "owner": "王五", "created": date(2026, 1, 5),
             "mobile": f"13{rng.randrange(10**9):09d}", "uscc": f"91{rng.randrange(10**16):016d}",
             "revised": date(2026, 11, 1 + i % 20)}
        rows.append(SourceRow("registration", v, v, {}, f"区域{i % 7}.xlsx", "客户档案登记表", 2 + i // 7))
    return rows


def test_30k_rows_merge_with_previous_reconciles():
    """Volume correctness (speed is measured in benchmarks/bench_merge.py, not here)."""
    rows = synthetic_rows(30_000)
    previous = [dict(r.values) for r in rows[:20_000]]
    result = merge_rows(rows, SCHEMA, previous=previous, run_date=date(2026, 11, 23))
    assert len(result.customers) == 30_000 and result.ok
    assert result.counts()["new"] == 10_000


def test_header_drift_from_reader_table():
    form = SCHEMA.form("registration")
    col = SimpleNamespace
    columns = [col(header="客户编号", field="customer_id", matched="label"),
               col(header="手机号", field="mobile", matched="alias"),
               col(header="微信", field=None, matched=None)]
    table = SimpleNamespace(sheet="Sheet1", form=form, columns=columns, unknown_columns=[columns[2]])
    drift = header_drift_from_table(table)
    assert drift.sheet == "Sheet1"
    assert drift.unknown == ("微信",) and drift.aliased == (("手机号", "手机"),)
    assert drift.missing == tuple(label for label in form.labels if label not in ("客户编号", "手机"))
    assert isinstance(drift, HeaderDrift)
