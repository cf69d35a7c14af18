"""A table past Excel's 1,048,576-row limit: written as 拜访记录 + 拜访记录(2) and read back.

    .venv/bin/python benchmarks/bench_rowlimit.py [--rows 1100000] [--customers 1000] [--limit N]

write   master_writer.write_sheets() of a master-shaped workbook: 客户档案 (--customers rows)
        and 拜访记录 with --rows visit records of 5 filled columns (记录编号, 客户编号, 日期,
        业务员, 方式), which continue on 拜访记录(2) … (io/continuation.py). Rows are generated
        lazily and streamed: the writer never holds the table.
read    summary.load.load_master() of it (the reader behind summary, plan and card): the
        continuation sheets joined back into one 拜访记录 frame; the count must equal --rows.
raw     calamine alone: every sheet to_python(), the floor of any reader.
Each step runs in its own child process: time, CPU seconds (with its own children), peak RSS
(ru_maxrss of the step's process or of its largest child, the larger). --limit
lowers io.limits.SHEET_MAX_ROWS (the quick run uses it to keep the file small).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BENCH = ROOT / "build" / "bench"
QUICK = ["--rows", "120000", "--limit", "50000"]
METHODS = ("上门拜访", "电话", "微信", "视频会议")


def cpu_s() -> float:
    """CPU seconds of this process and its finished children (load_master reads 拜访记录 of a
    big master in a forked process)."""
    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF,
                                                                         resource.RUSAGE_CHILDREN)))


def peak_mb() -> float:
    """Peak RSS of this process or of its largest child, whichever is larger (MB)."""
    return max(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024


def _limit(a: dict) -> None:
    if a.get("limit"):
        from workbook_tools.io import limits

        limits.SHEET_MAX_ROWS = a["limit"]


def step_write(a: dict) -> dict:
    from workbook_tools.merge.master_writer import write_sheets
    from workbook_tools.merge.sheets import field_columns
    from workbook_tools.merge.tables import Table
    from workbook_tools.schema import load_schema

    _limit(a)
    schema = load_schema()
    reg, visit = schema.form("registration"), schema.form("visit-record")
    n, rows = a["customers"], a["rows"]
    customers = Table("客户档案", field_columns(reg), (
        [f"HD{i:06d}" if k == "customer_id" else (f"客户{i}" if k == "customer_name" else None) for k in reg.keys]
        for i in range(n)), count=n)
    day0 = dt.date(2020, 1, 1)
    keys = visit.keys

    def visits():
        for i in range(rows):
            v = {"record_id": f"V{i:08d}", "customer_id": f"HD{i % n:06d}",
                 "date": day0 + dt.timedelta(days=i % 2500), "salesperson": f"业务员{i % 120}",
                 "method": METHODS[i % 4]}
            yield [v.get(k) for k in keys]
    table = Table("拜访记录", field_columns(visit), visits(), count=rows)
    props = {"title": "bench", "created": dt.datetime(2026, 11, 22),
             "custom": {"schema_name": schema.name, "schema_version": schema.version, "form": "master"}}
    start, cpu = time.perf_counter(), cpu_s()
    write_sheets([customers, table], a["path"], properties=props)
    seconds, cpu = time.perf_counter() - start, cpu_s() - cpu
    from python_calamine import CalamineWorkbook

    names = CalamineWorkbook.from_path(a["path"]).sheet_names
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb(), "sheets": names,
            "mb": Path(a["path"]).stat().st_size / 1e6}


def step_read(a: dict) -> dict:
    from workbook_tools.schema import load_schema
    from workbook_tools.summary.load import load_master

    start, cpu = time.perf_counter(), cpu_s()
    data = load_master(a["path"], load_schema(), fields={
        "registration": {"customer_id"}, "visit-record": {"record_id", "customer_id", "date", "method"},
        "visit-plan": set()})
    seconds, cpu = time.perf_counter() - start, cpu_s() - cpu
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb(), "visits": len(data.visits),
            "customers": len(data.customers), "problems": list(data.problems)}


def step_raw(a: dict) -> dict:
    from python_calamine import CalamineWorkbook

    start, cpu = time.perf_counter(), cpu_s()
    book = CalamineWorkbook.from_path(a["path"])
    rows = sum(len(book.get_sheet_by_name(n).to_python()) for n in book.sheet_names)
    seconds, cpu = time.perf_counter() - start, cpu_s() - cpu
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb(), "rows": rows}


STEPS = {"write": step_write, "read": step_read, "raw": step_raw}


def child(step: str, args: dict) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", step, json.dumps(args)],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{step} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rows", type=int, default=1_100_000)
    p.add_argument("--customers", type=int, default=1000)
    p.add_argument("--limit", type=int, default=None, help="rows per sheet (default: Excel's 1,048,576)")
    p.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.child:
        print(json.dumps(STEPS[a.child[0]](json.loads(a.child[1])), ensure_ascii=False))
        return 0
    BENCH.mkdir(parents=True, exist_ok=True)
    path = BENCH / f"rowlimit-{a.rows}.xlsx"
    args = {"path": str(path), "rows": a.rows, "customers": a.customers, "limit": a.limit}
    limit = a.limit or 1_048_576
    print(f"rowlimit: {a.rows:,} visit rows (5 filled columns of 9), {a.customers:,} customers, "
          f"{limit:,} rows per sheet")
    w = child("write", args)
    print(f"  write  {w['seconds']:7.1f} s  cpu {w['cpu']:7.1f} s  peak {w['peak_mb']:7.0f} MB  "
          f"file {w['mb']:.0f} MB  sheets {', '.join(w['sheets'])}")
    r = child("read", args)
    print(f"  read   {r['seconds']:7.1f} s  cpu {r['cpu']:7.1f} s  peak {r['peak_mb']:7.0f} MB  "
          f"visits {r['visits']:,}  customers {r['customers']:,}  problems {len(r['problems'])}")
    c = child("raw", args)
    print(f"  raw    {c['seconds']:7.1f} s  cpu {c['cpu']:7.1f} s  peak {c['peak_mb']:7.0f} MB  "
          f"rows {c['rows']:,} (calamine to_python of every sheet)")
    ok = r["visits"] == a.rows and r["customers"] == a.customers and not r["problems"]
    print(f"  read / raw {r['seconds'] / c['seconds']:.2f}× wall, {r['cpu'] / c['cpu']:.2f}× CPU; "
          f"every row read back: {'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
