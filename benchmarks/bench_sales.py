"""The summary's sales sheets (业务员统计 with 业绩, 客户综合销售力分析, 对比分析) at scale: their compute
on in-memory frames shaped like load_master's (no file I/O: bench_summary_plan times reading and
writing the whole summary).

    .venv/bin/python benchmarks/bench_sales.py [--customers 300000] [--visits 1000000] [--plans 200000]
                                               [--trades 0,1000000] [--repeat 3]

For each --trades size (0: a master without 交易记录, the typed totals are counted) it prints the
median wall time of build_deals and of each sheet, over --repeat runs, seeded data (120
salespeople, 4 regions, dates over three years).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbook_tools.schema import load_schema  # noqa: E402
from workbook_tools.summary.sales import (  # noqa: E402
    DEFAULT_VALUE_CLASSES, build_deals, compare_sheet, periods, sales_sheet, strength_sheet,
)

QUICK = ["--customers", "30000", "--visits", "100000", "--plans", "20000", "--trades", "0,100000", "--repeat", "1"]
AS_OF = dt.date(2026, 11, 20)
DAY0 = np.datetime64("2024-01-01")
REGIONS = np.array(["华东", "华南", "华北", "西南"])
CATEGORIES = np.array(["重要客户", "主要客户", "普通客户", "潜在客户"])


def frames(customers: int, visits: int, plans: int, trades: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    people = np.array([f"业务员{i:03d}" for i in range(120)])
    ids = np.array([f"HD{i:06d}" for i in range(customers)], dtype=object)
    days = lambda n: DAY0 + rng.integers(0, 1050, n)  # noqa: E731
    reg = pd.DataFrame({
        "customer_id": ids, "region": REGIONS[rng.integers(0, 4, customers)],
        "category": CATEGORIES[rng.integers(0, 4, customers)], "owner": people[rng.integers(0, 120, customers)],
        "trade_amount": rng.integers(0, 100000, customers).astype(float),
        "trade_count": rng.integers(0, 20, customers).astype(float), "created": days(customers)})
    vis = pd.DataFrame({"customer_id": ids[rng.integers(0, customers, visits)],
                        "salesperson": people[rng.integers(0, 120, visits)], "date": days(visits)})
    pl = pd.DataFrame({"salesperson": people[rng.integers(0, 120, plans)], "planned_date": days(plans),
                       "status": np.array(["已完成", "计划"])[rng.integers(0, 2, plans)]})
    if not trades:
        return reg, vis, pl, None
    dates = days(trades)
    tr = pd.DataFrame({"customer_id": ids[rng.integers(0, customers, trades)],
                       "salesperson": people[rng.integers(0, 120, trades)], "date": dates,
                       "amount": rng.integers(100, 50000, trades).astype(float), "paid_date": dates + 20,
                       "paid_amount": rng.integers(0, 50000, trades).astype(float)})
    return reg, vis, pl, tr


def run_once(schema, reg, vis, pl, tr) -> dict[str, float]:
    span = periods(AS_OF)
    choices = {"category": list(CATEGORIES), "region": list(REGIONS)}
    t0 = time.perf_counter()
    deals = build_deals(reg, tr, AS_OF, DEFAULT_VALUE_CLASSES, choices)
    t1 = time.perf_counter()
    sales_sheet(reg, vis, pl, AS_OF, deals, span)
    t2 = time.perf_counter()
    strength_sheet(deals, span, schema)
    t3 = time.perf_counter()
    compare_sheet(deals, span, schema, AS_OF)
    t4 = time.perf_counter()
    return {"build_deals": t1 - t0, "业务员统计": t2 - t1, "客户综合销售力分析": t3 - t2, "对比分析": t4 - t3,
            "total": t4 - t0}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--customers", type=int, default=300_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--plans", type=int, default=200_000)
    parser.add_argument("--trades", default="0,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    schema = load_schema()
    for trades in (int(x) for x in args.trades.split(",")):
        data = frames(args.customers, args.visits, args.plans, trades)
        runs = [run_once(schema, *data) for _ in range(args.repeat)]
        medians = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        source = f"{trades} 交易记录 rows" if trades else "no 交易记录 (typed totals)"
        print(f"{args.customers} customers, {args.visits} visits, {args.plans} plans, {source}; repeat {args.repeat}")
        print("    " + ", ".join(f"{k} {v:.2f} s" for k, v in medians.items()) + " (wall, median)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
