"""One million customers on this machine: merge, summary + plans and the history-store append
at 100k / 300k / 1M customers (regional files of 10,000 customers), each step next to the
python-calamine read of the same data, with its peak memory.

    .venv/bin/python benchmarks/bench_million.py [--sizes 100000,300000,1000000] [--per-file 10000]
                                                 [--steps merge,summary-plans] [--visit-scale 4.2]

Inputs: the merge benchmark's cached sample sets (bench_merge.inputs_for: seeded generator,
build/bench/merge-Nfiles-10000-s2026/); a size uses the first N / per-file files of the
smallest cached set that has enough (30 files for 100k and 300k, 100 files for 1M —
generated on first use, ≈ 30 min for the 100 files on the shared box). Every step runs in
its own child process, which reports its wall and CPU seconds and its peak RSS:

  read inputs     calamine: every sheet of every input, to_python (the floor for merge)
  merge           merge_files (read + validate each file, merge, write the master)
  read master     calamine: every sheet of the master (the floor for the two steps below)
  read master (stream)  io.stream: every column of every sheet of the master in chunks of
                  rows (the floor of a step that reads the master in chunks)
  summary+plans   what the weekly run does: the master loaded once, build_summary and
                  build_plans (one workbook per salesperson)
  history append  record_from_master + record_run into a new store (a first run: every
                  customer is new, the most a weekly append writes); the master read in
                  chunks, customers recorded in batches
  history, whole sheets   the same with chunked=False: every sheet read whole with calamine
                  (the path before issue 16; --steps history-whole)

Targets (issue 16): peak memory < 2 GB for every step, time linear in rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

BENCH = ROOT / "build" / "bench"
OUT = BENCH / "million"
AS_OF, RUN, PLAN_WEEK = dt.date(2026, 11, 20), dt.date(2026, 11, 23), "2026-W48"
STEPS = ("read-inputs", "merge", "read-master", "read-master-stream", "summary-plans", "history",
         "history-whole")
DEFAULT_STEPS = STEPS[:-1]
LABELS = {"read-inputs": "read inputs (calamine)", "merge": "merge (merge_files)",
          "read-master": "read master (calamine)", "read-master-stream": "read master (stream)",
          "summary-plans": "summary + plans (weekly)",
          "history": "history append (first run)", "history-whole": "history, whole sheets (before)"}


def inputs_for(customers: int, per_file: int, seed: int = 2026, visit_scale: float = 1.0) -> list[Path]:
    """The first customers / per_file files of the smallest cached set that has enough."""
    import bench_merge

    files = max(1, customers // per_file)
    suffix = f"-v{visit_scale:g}" if visit_scale != 1 else ""
    cached = sorted((int(p.name.split("-")[1].removesuffix("files")), p)
                    for p in BENCH.glob(f"merge-*files-{per_file}-s{seed}{suffix}") if (p / "manifest.json").exists())
    for count, folder in cached:
        found = sorted(folder.glob("*.xlsx"))
        if count >= files and len(found) == count:
            return found[:files]
    return bench_merge.inputs_for(files, per_file, seed, visit_scale)[:files]


# --- child steps ----------------------------------------------------------------------------


def cpu_s() -> float:
    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage,
                                                        (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))


def peak_mb() -> float:
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF,
                                                             resource.RUSAGE_CHILDREN)) / 1024


def _calamine(paths: list[str]) -> int:
    from python_calamine import CalamineWorkbook

    rows = 0
    for path in paths:
        book = CalamineWorkbook.from_path(path)
        for name in book.sheet_names:
            rows += len(book.get_sheet_by_name(name).to_python())
    return rows


def step(name: str, a: dict) -> dict:
    from workbook_tools.schema import load_schema

    schema = load_schema()
    start, cpu = time.perf_counter(), cpu_s()
    info = _STEP[name](a, schema)
    return {"seconds": time.perf_counter() - start, "cpu": cpu_s() - cpu, "peak_mb": peak_mb(), **(info or {})}


def _read_inputs(a, schema):
    return {"rows": _calamine(a["inputs"])}


def _read_master(a, schema):
    return {"rows": _calamine([a["master"]])}


def _read_master_stream(a, schema):
    from workbook_tools.io.stream import XlsxStream

    rows = 0
    with XlsxStream(a["master"]) as book:
        for name in book.sheet_names:
            width = max((len(r) for r in book.head(name, 30)), default=0)
            for chunk in book.columns(name, list(range(width)), chunk_rows=8192):
                rows += len(chunk)
    return {"rows": rows}


def _merge(a, schema):
    from workbook_tools.merge.files import merge_files

    run = merge_files(a["inputs"], a["master"], schema=schema, as_of=AS_OF, run_date=RUN, force=True)
    r = run.result
    return {"customers": len(r.customers), "visits": len(r.visits.rows), "trades": len(r.trades.rows),
            "rows_read": r.rows_read,
            "mb": Path(a["master"]).stat().st_size / 1e6}


def _summary_plans(a, schema):
    from workbook_tools.plan import build_plans
    from workbook_tools.summary.build import build_summary
    from workbook_tools.weekly.run import load_for_summary_and_plans

    out = Path(a["out"])
    data = load_for_summary_and_plans(a["master"], schema)
    summary = build_summary(a["master"], out / "summary.xlsx", schema=schema, as_of=AS_OF, data=data)
    plans = build_plans(a["master"], schema=schema, week=PLAN_WEEK, out_dir=out / "plans", data=data)
    return {"visits": summary.visits, "planned": plans.planned}


def _history(a, schema, chunked=True):
    from workbook_tools.history import record_run
    from workbook_tools.merge.recording import record_from_master

    store = Path(a["store"])
    store.unlink(missing_ok=True)
    run = record_from_master(a["master"], schema, chunked=chunked)
    record_run(store, run)
    return {"store_mb": store.stat().st_size / 1e6, **run.counts()}


_STEP = {"read-inputs": _read_inputs, "merge": _merge, "read-master": _read_master,
         "read-master-stream": _read_master_stream,
         "summary-plans": _summary_plans, "history": _history,
         "history-whole": lambda a, schema: _history(a, schema, chunked=False)}


def run_child(name: str, **arg) -> dict:
    cmd = [sys.executable, __file__, "--child", name, json.dumps(arg, default=str)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode or not lines:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(lines[-1][len("RESULT "):])


# --- the run ----------------------------------------------------------------------------------


def measure(customers: int, args) -> dict:
    inputs = [str(p) for p in inputs_for(customers, args.per_file, visit_scale=args.visit_scale)]
    folder = OUT / f"{customers}"
    folder.mkdir(parents=True, exist_ok=True)
    master = folder / "客户档案总表.xlsx"
    if "merge" in args.steps:
        master.unlink(missing_ok=True)
    arg = dict(inputs=inputs, master=str(master), out=str(folder), store=str(folder / "档案历史.sqlite"))
    res = {"files": len(inputs), "inputs_mb": sum(Path(p).stat().st_size for p in inputs) / 1e6}
    for name in args.steps:
        print(f"  {customers:,} customers: {name} …", flush=True)
        res[name] = run_child(name, **arg)
        print(f"    {json.dumps(res[name], ensure_ascii=False)}", flush=True)  # each step as it ends
        if name == "merge" and "error" in res[name]:
            break
    res["master_mb"] = master.stat().st_size / 1e6 if master.exists() else 0
    return res


def report(results: dict[int, dict], args) -> None:
    sizes = list(results)
    w = 30
    print()
    print(f"workbook-tools one-million benchmark — Python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{dt.date.today()}, load average {os.getloadavg()[0]:.1f}; wall s / CPU s / peak MB per step")
    print(f"{'':30s}" + "".join(f"{f'{n:,} customers':>{w}s}" for n in sizes))
    info = [("input files / MB", lambda r: f"{r['files']} / {r['inputs_mb']:.0f} MB"),
            ("input rows (all sheets)", lambda r: f"{r.get('merge', {}).get('rows_read', 0):,}"),
            ("master customers / visits",
             lambda r: f"{r.get('merge', {}).get('customers', 0):,} / {r.get('merge', {}).get('visits', 0):,}"),
            ("master trade records", lambda r: f"{r.get('merge', {}).get('trades', 0):,}"),
            ("master MB", lambda r: f"{r.get('master_mb', 0):.0f} MB")]
    for label, get in info:
        print(f"{label:30s}" + "".join(f"{get(results[n]):>{w}s}" for n in sizes))

    def cell(r):
        if not r:
            return "—"
        if "error" in r:
            return "failed"
        return f"{r['seconds']:6.1f} {r['cpu']:6.1f} {r['peak_mb']:6.0f} MB"

    for name in (s for s in STEPS if s in args.steps):
        print(f"{LABELS[name]:30s}" + "".join(f"{cell(results[n].get(name)):>{w}s}" for n in sizes))
    for a, b in (("merge", "read-inputs"), ("summary-plans", "read-master"), ("history", "read-master"),
                 ("history", "read-master-stream")):
        def ratio(r):
            x, y = r.get(a, {}), r.get(b, {})
            if "cpu" not in x or "cpu" not in y:
                return "—"
            return f"{x['seconds'] / y['seconds']:.2f}× / {x['cpu'] / y['cpu']:.2f}×"
        print(f"{a + ' / ' + b:30s}" + "".join(f"{ratio(results[n]):>{w}s}" for n in sizes))
    for name in ("merge", "summary-plans", "history"):
        def per(r, n):
            x = r.get(name, {})
            return f"{1e6 * x['cpu'] / n:.0f} µs" if "cpu" in x else "—"
        print(f"{'CPU per customer, ' + name:30s}" + "".join(f"{per(results[n], n):>{w}s}" for n in sizes))
    ours = ("merge", "summary-plans", "history")   # the reads are the floor they are compared with
    peak = max((r.get("peak_mb", 0) for res in results.values() for k, r in res.items()
                if k in ours and isinstance(r, dict)), default=0)
    print(f"{'peak memory, our steps':30s}{peak:>{w}.0f} MB (target < 2048 MB: {'met' if peak < 2048 else 'NOT met'}; "
          "merge, summary + plans, history)")
    for n, res in results.items():
        for k, r in res.items():
            if isinstance(r, dict) and "error" in r:
                print(f"error: {n:,} customers, {k}: {r['error']}")


# The quick run's arguments (benchmarks/run_all.py, `make bench`); no arguments = full sizes.
QUICK = ["--sizes", "2000,6000", "--per-file", "2000"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,300000,1000000", help="customers, comma-separated")
    parser.add_argument("--per-file", type=int, default=10_000, help="customers per regional file")
    parser.add_argument("--visit-scale", type=float, default=1.0,
                        help="visit records per customer × this (≈ 0.7 at 1; 4.2 gives ≈ 3, the issue's 3M at 1M)")
    parser.add_argument("--steps", default=",".join(DEFAULT_STEPS),
                        help="steps to run, comma-separated (without merge: the master of an earlier run)")
    parser.add_argument("--child", nargs=2, metavar=("STEP", "JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(step(args.child[0], json.loads(args.child[1]))))
        return
    args.steps = [s for s in args.steps.split(",") if s]
    unknown = [s for s in args.steps if s not in STEPS]
    if unknown:
        parser.error(f"unknown steps {unknown}; choose from {','.join(STEPS)}")
    results = {int(n): measure(int(n), args) for n in args.sizes.split(",") if n}
    report(results, args)


if __name__ == "__main__":
    main()
