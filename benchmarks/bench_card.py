"""客户资料卡 at scale, and what the master's 资料卡 lookup sheet costs the merge writer.

    .venv/bin/python benchmarks/bench_card.py [--sizes 1000,10000] [--lookup-customers 300000]

cards:N   build_cards() of every customer of an N-customer master (the seeded sample generator,
          4 regions, merged by merge_files; cached under build/bench/card-N/): one workbook with
          目录 + N card sheets. Time, peak RSS (ru_maxrss of the child process doing only this),
          output size. Target (issue 13): linear; 10,000 cards ≤ 60 s and < 1.5 GB.
lookup    write_sheets() of a synthetic master (--lookup-customers customers, 3 visits each)
          with and without the 资料卡 sheet, and write_lookup_card() alone: the sheet is ~100
          formula cells whatever the size, so it must not add noticeable time.
Each step runs in its own child process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH = ROOT / "build" / "bench"
AS_OF = dt.date(2026, 11, 22)
REGIONS = ("华东", "华南", "华北", "西南")


def cpu_s() -> float:
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def master_for(customers: int) -> Path:
    """The cached N-customer master (samples generated and merged on first use)."""
    from workbook_tools.merge.files import merge_files
    from workbook_tools.sampledata import generate_samples

    folder = BENCH / f"card-{customers}"
    master = folder / "客户档案总表.xlsx"
    if master.exists():
        return master
    print(f"  generating and merging {customers} customers into {folder} …", flush=True)
    samples = generate_samples(folder / "in", regions=list(REGIONS), customers_per_region=customers // len(REGIONS))
    merge_files(list(samples.paths), master, as_of=AS_OF, run_date=AS_OF)
    return master


def step_cards(a: dict) -> dict:
    from workbook_tools.card import build_cards

    start, cpu = time.perf_counter(), cpu_s()
    result = build_cards(a["master"], a["out"], as_of=AS_OF)
    seconds, cpu = time.perf_counter() - start, cpu_s() - cpu
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb(), "cards": len(result.cards),
            "mb": Path(a["out"]).stat().st_size / 1e6}


def _synthetic(customers: int):
    from workbook_tools.merge import SourceRow, merge_rows
    from workbook_tools.schema import load_schema

    schema = load_schema()
    rows = []
    for i in range(customers):
        cid = f"HD{i:06d}"
        # 个人: names are not fuzzy-compared (one block of 300,000 similar company names would be)
        v = {"customer_id": cid, "customer_name": f"客户{i}", "customer_type": "个人", "region": "华东",
             "category": "普通客户", "owner": f"业务员{i % 120}", "created": dt.date(2025, 1, 1 + i % 28),
             "mobile": f"138{i:08d}", "address": f"杭州市西湖区文三路{i}号", "trade_amount": float(i % 9000)}
        rows.append(SourceRow("registration", v, v, {}, "华东.xlsx", "表", i + 2))
        for k in range(3):
            w = {"record_id": f"V{i}-{k}", "customer_id": cid, "date": dt.date(2026, 1 + k, 1 + i % 28),
                 "salesperson": v["owner"], "method": "上门拜访", "content": "回访"}
            rows.append(SourceRow("visit-record", w, w, {}, "华东.xlsx", "拜访", i * 3 + k + 2))
    return merge_rows(rows, schema, run_date=AS_OF), schema


def step_lookup(a: dict) -> dict:
    import xlsxwriter

    from workbook_tools.generate.card_sheet import LookupCard, write_lookup_card
    from workbook_tools.merge.master_writer import master_properties, write_sheets
    from workbook_tools.merge.sheets import lookup_card, master_sheets
    from workbook_tools.merge.tables import Table

    result, schema = _synthetic(a["customers"])
    sheets = [Table(s.name, s.columns, list(s.rows), s.note, s.count) if isinstance(s, Table) else s
              for s in master_sheets(result, schema)]
    props = master_properties(result, schema)
    out = {}
    for label, chosen in (("with 资料卡", sheets), ("without", [s for s in sheets if not isinstance(s, LookupCard)])) * 2:
        start = time.perf_counter()
        write_sheets(chosen, a["out"], properties=props)
        out.setdefault(label, []).append(time.perf_counter() - start)
    start = time.perf_counter()
    wb = xlsxwriter.Workbook(a["out"] + ".lookup.xlsx", {"constant_memory": True})
    write_lookup_card(wb, wb.add_worksheet("资料卡"), lookup_card(result, schema))
    wb.close()
    out["lookup sheet alone"] = [time.perf_counter() - start]
    return {"seconds": {k: min(v) for k, v in out.items()}, "peak_mb": peak_mb(),
            "customers": len(result.customers), "visits": len(result.visits.rows)}


def child(step: str, args: dict) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", step, json.dumps(args)],
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{step} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


QUICK = ["--sizes", "200", "--lookup-customers", "5000"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--lookup-customers", type=int, default=300_000)
    parser.add_argument("--child", nargs=2)
    a = parser.parse_args()
    if a.child:
        print(json.dumps(globals()[f"step_{a.child[0]}"](json.loads(a.child[1]))))
        return
    print(f"python {platform.python_version()}, {platform.machine()}, {AS_OF}")
    out = BENCH / "card-out"
    out.mkdir(parents=True, exist_ok=True)
    for n in (int(s) for s in a.sizes.split(",") if s):
        master = master_for(n)
        r = child("cards", {"master": str(master), "out": str(out / f"客户资料卡-{n}.xlsx")})
        print(f"cards {r['cards']:>6}: {r['seconds']:6.1f} s wall  {r['cpu']:6.1f} s CPU  "
              f"{r['seconds'] / r['cards'] * 1000:5.2f} ms/card  "
              f"peak {r['peak_mb']:6.0f} MB  file {r['mb']:.1f} MB", flush=True)
    if a.lookup_customers:
        r = child("lookup", {"customers": a.lookup_customers, "out": str(out / "master-lookup.xlsx")})
        print(f"master write, {r['customers']} customers / {r['visits']} visits (best of 2), peak {r['peak_mb']:.0f} MB:")
        for label, seconds in r["seconds"].items():
            print(f"  {label:<20} {seconds:7.3f} s")


if __name__ == "__main__":
    main()
