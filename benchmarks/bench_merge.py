"""Weekly merge at scale: N regional files × 10,000 customers, merged in one run next to the
I/O floor, the writer alternatives and the naive pandas script.

    .venv/bin/python benchmarks/bench_merge.py [--sizes 3,10,30] [--customers 10000]
        [--naive-max-files 3] [--writers splice,xlsxwriter,...] [--no-naive]

Every step runs in its own child process, so each peak memory (ru_maxrss, measured by the
child right after its timed work) is that step's alone:

  merge    merge_files(): read + validate every file, merge, write the master (what we ship)
  read     the reader alone: read_workbooks() of every input, no validation
  write:*  the writer alone, writing the master's sheets saved by the merge step:
           splice (shipped), xlsxwriter (cell by cell, constant_memory), xlsxwriter-normal,
           xlsxwriter-zlib1 (zip level 1, patched in: XlsxWriter has no option for it),
           splice-zlib6, rustpy (rustpy-xlsxwriter, if installed; tables only, see README)
  phases   (--phases) merge_files' work timed phase by phase
  naive    pandas.read_excel(engine="openpyxl") of every sheet + concat + drop_duplicates +
           to_excel; slow, so measured on --naive-max-files files and extrapolated linearly.

Inputs are generated once by the seeded sample generator and cached under build/bench/.
Targets (merge issue): merge ≥ 4× faster than naive, ≤ 1.5× the floor (reader + shipped
writer), peak memory < 2 GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
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
OUT = BENCH / "out"
AS_OF, RUN = dt.date(2026, 11, 20), dt.date(2026, 11, 23)
WRITERS = ("splice", "xlsxwriter", "xlsxwriter-normal", "xlsxwriter-zlib1", "splice-zlib6", "rustpy")
LABELS = {
    "merge": "merge (merge_files, shipped)", "merge:xlsxwriter": "merge, XlsxWriter engine",
    "read": "reader alone (read_workbooks)",
    "write:splice": "writer: splice (shipped)", "write:xlsxwriter": "writer: XlsxWriter constant_memory",
    "write:xlsxwriter-normal": "writer: XlsxWriter normal mode", "write:xlsxwriter-zlib1": "writer: XlsxWriter + zlib 1",
    "write:splice-zlib6": "writer: splice + zlib 6", "write:rustpy": "writer: rustpy-xlsxwriter",
    "floor": "floor = reader + splice writer", "floor:xlsxwriter": "floor = reader + XlsxWriter",
    "phases": "merge with phase timers", "naive": "naive pandas",
}


# --- inputs --------------------------------------------------------------------------------


def inputs_for(files: int, customers: int, seed: int, visit_scale: float = 1.0) -> list[Path]:
    """The cached input set (generated on first use): regions × files per region = files;
    ``visit_scale`` multiplies the visit records per customer (≈ 0.7 at 1)."""
    from workbook_tools.sampledata import generate_samples
    from workbook_tools.schema import load_schema

    folder = BENCH / (f"merge-{files}files-{customers}-s{seed}" + (f"-v{visit_scale:g}" if visit_scale != 1 else ""))
    found = sorted(folder.glob("*.xlsx"))
    if (folder / "manifest.json").exists() and len(found) == files:
        return found
    names = load_schema().form("registration").field("region").choice_values
    regions = max(d for d in range(1, len(names) + 1) if files % d == 0)
    print(f"  generating {files} files ({regions} regions × {files // regions}) into {folder} …", flush=True)
    result = generate_samples(folder, seed=seed, regions=names[:regions], customers_per_region=customers,
                              files_per_region=files // regions, visit_scale=visit_scale)
    return sorted(result.paths)


# --- child steps (each in its own process) ------------------------------------------------


def cpu_s() -> float:
    """CPU seconds of this process so far (all its threads, user + system) and of its
    finished children (the reader's memory-capped child processes, io/isolate.py)."""
    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage,
                                                        (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))


def peak_mb() -> float:
    """Peak RSS of this process, or of its largest finished child if that was bigger."""
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF,
                                                             resource.RUSAGE_CHILDREN)) / 1024


def step_merge(a: dict) -> dict:
    from workbook_tools.merge.files import merge_files
    from workbook_tools.merge.master_writer import master_properties
    from workbook_tools.merge.sheets import master_sheets
    from workbook_tools.merge.tables import Table
    from workbook_tools.schema import load_schema

    schema = load_schema()
    if a.get("engine"):
        from workbook_tools.merge import master_writer

        master_writer.ENGINE = a["engine"]
    start, cpu = time.perf_counter(), cpu_s()
    run = merge_files(a["inputs"], a["out"], schema=schema, as_of=AS_OF, run_date=RUN, force=True)
    seconds, cpu, peak = time.perf_counter() - start, cpu_s() - cpu, peak_mb()
    if not a.get("dump"):
        return {"seconds": seconds, "cpu": cpu, "peak_mb": peak}
    # untimed: the master's sheets as plain rows, for the writer steps
    sheets = [Table(s.name, s.columns, list(s.rows), s.note, s.count) if isinstance(s, Table) else s
              for s in master_sheets(run.result, schema)]
    with open(a["dump"], "wb") as fh:
        pickle.dump((sheets, master_properties(run.result, schema)), fh, pickle.HIGHEST_PROTOCOL)
    cells = sum(v is not None for s in sheets if isinstance(s, Table) for r in s.rows for v in r)
    c = run.counts()
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak, "rows_read": c["rows_read"], "customers": c["customers"],
            "cells": cells, "mb": Path(a["out"]).stat().st_size / 1e6, "ok": c["ok"]}


def step_phases(a: dict) -> dict:
    """merge_files with every phase timed (benchmarks/phase_timer.py): wall and CPU seconds
    per phase, validation per check family; the files read in this process (the shipped
    merge reads them in worker processes, merge/workers.py, whose phases no timer sees). The timers add ≈ 1 % (they wrap per table and
    per column, never per row)."""
    from phase_timer import PhaseTimer, merge_phases
    from workbook_tools.merge.files import merge_files
    from workbook_tools.schema import load_schema

    schema = load_schema()
    for change in a.get("off", []):
        OFF[change]()
    os.environ["WORKBOOK_TOOLS_READ_WORKERS"] = "0"   # every phase in this process, where the timers are
    timer = merge_phases(PhaseTimer())
    start, cpu = time.perf_counter(), cpu_s()
    merge_files(a["inputs"], a["out"], schema=schema, as_of=AS_OF, run_date=RUN, force=True)
    seconds, cpu = time.perf_counter() - start, cpu_s() - cpu
    timer.restore()
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb(), "phases": timer.table()}


def _vector_off() -> None:
    from workbook_tools.validate import engine

    engine.preclean = lambda *args: []


# This session's changes, each of which `--phases-without NAME` turns off for a comparison run
OFF = {"vector": _vector_off}


def step_read(a: dict) -> dict:
    """The shipped reader: read_workbooks (as merge_files reads; it reads one file ahead on a
    thread, which overlaps calamine's parse with the caller's work — here there is none)."""
    from workbook_tools.io.reader import read_workbooks
    from workbook_tools.schema import load_schema

    schema = load_schema()
    start, cpu = time.perf_counter(), cpu_s()
    rows = sum(len(t.records) for _, book in read_workbooks(a["inputs"], schema) for t in book.sheets)
    return {"seconds": time.perf_counter() - start, "cpu": cpu_s() - cpu, "peak_mb": peak_mb(), "rows": rows}


def step_write(a: dict) -> dict:
    with open(a["dump"], "rb") as fh:
        sheets, properties = pickle.load(fh)
    write = _writer(a["engine"])
    start, cpu = time.perf_counter(), cpu_s()
    note = write(sheets, properties, Path(a["out"]))
    result = {"seconds": time.perf_counter() - start, "cpu": cpu_s() - cpu, "peak_mb": peak_mb(),
              "mb": Path(a["out"]).stat().st_size / 1e6}
    return {**result, "note": note} if note else result


def _writer(engine: str):
    from workbook_tools.io import sheetxml
    from workbook_tools.merge.master_writer import WORKBOOK_OPTIONS, write_sheets

    if engine == "rustpy":
        return _rustpy
    if engine == "xlsxwriter-zlib1":
        import functools
        import zipfile

        import xlsxwriter.workbook

        xlsxwriter.workbook.ZipFile = functools.partial(zipfile.ZipFile, compresslevel=1)
    if engine == "splice-zlib6":
        sheetxml.COMPRESSLEVEL = 6
    options = {**WORKBOOK_OPTIONS, "constant_memory": False} if engine == "xlsxwriter-normal" else None
    kind = "splice" if engine.startswith("splice") else "xlsxwriter"
    return lambda sheets, props, out: write_sheets(sheets, out, properties=props, options=options, engine=kind) and ""


def _rustpy(sheets, properties, out: Path) -> str:
    """The same rows through rustpy-xlsxwriter: records keyed by header (one dict per row: its
    API), text format on code columns, dates as yyyy-mm-dd, widths, frozen header, filter;
    report sheets as rows keyed A, B, …"""
    try:
        import rustpy_xlsxwriter as rx
    except ImportError:
        raise SystemExit("rustpy-xlsxwriter is not installed (pip install rustpy-xlsxwriter)") from None
    from workbook_tools.merge.tables import Table

    def records(sheet):
        if isinstance(sheet, Table):
            headers = [c.header for c in sheet.columns]
            return (dict(zip(headers, row)) for row in sheet.rows)
        letters = [chr(65 + i) for i in range(max(len(cells) for _, cells in sheet.lines))]
        return (dict(zip(letters, cells)) for _, cells in sheet.lines)

    tables = [s for s in sheets if isinstance(s, Table)]
    text = rx.Format().set_num_format("@")
    rx.write_worksheets(
        [(s.name, records(s)) for s in sheets], str(out), datetime_format="yyyy-mm-dd", bold_headers=True,
        freeze_panes={t.name: {"row": 1, "col": 0} for t in tables}, autofilter={t.name: True for t in tables},
        column_widths={t.name: [c.width for c in t.columns] for t in tables},
        column_formats={t.name: {c.header: text for c in t.columns if c.kind == "code"} for t in tables})
    return (f"rustpy-xlsxwriter {rx.__version__}: rows must be dicts keyed by header; no custom document "
            "properties (the version stamp the reader needs), no note line above a header, reports as tables")


def step_naive(a: dict) -> dict:
    import pandas as pd

    start = time.perf_counter()
    frames: dict[str, list] = {}
    for path in a["inputs"]:
        for name, frame in pd.read_excel(path, sheet_name=None, engine="openpyxl").items():
            frames.setdefault(name, []).append(frame)
    with pd.ExcelWriter(a["out"]) as writer:
        for name, parts in frames.items():
            pd.concat(parts, ignore_index=True).drop_duplicates().to_excel(writer, sheet_name=name[:31], index=False)
        engine = writer.engine
    return {"seconds": time.perf_counter() - start, "peak_mb": peak_mb(), "files": len(a["inputs"]),
            "note": f"to_excel engine: {engine}"}


STEPS = {"merge": step_merge, "read": step_read, "write": step_write, "naive": step_naive,
         "phases": step_phases}


def child(step: str, arg: str) -> None:
    result = STEPS[step](json.loads(arg))
    print("RESULT " + json.dumps(result))


def run_child(step: str, **arg) -> dict:
    cmd = [sys.executable, __file__, "--child", step, json.dumps(arg, default=str)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode or not lines:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(lines[-1][len("RESULT "):])


# --- the run ----------------------------------------------------------------------------------


def measure(files: int, args) -> dict:
    inputs = [str(p) for p in inputs_for(files, args.customers, args.seed)]
    OUT.mkdir(parents=True, exist_ok=True)
    dump, out = OUT / f"master-{files}.pickle", OUT / f"merge-{files}.xlsx"
    res = {"inputs_mb": sum(Path(p).stat().st_size for p in inputs) / 1e6}
    out.unlink(missing_ok=True)  # merge refuses to overwrite a file that is not a master: start clean
    steps = [("merge", dict(inputs=inputs, out=out, dump=dump)), ("read", dict(inputs=inputs))]
    if "xlsxwriter" in args.writers:
        steps.append(("merge:xlsxwriter", dict(inputs=inputs, out=OUT / f"merge-xw-{files}.xlsx",
                                               engine="xlsxwriter")))
    steps += [(f"write:{w}", dict(dump=dump, engine=w, out=OUT / f"write-{w}-{files}.xlsx")) for w in args.writers]
    if args.phases:
        steps.append(("phases", dict(inputs=inputs, out=OUT / f"phases-{files}.xlsx")))
        for change in args.phases_without:
            steps.append((f"phases:-{change}", dict(inputs=inputs, out=OUT / f"phases-{files}.xlsx",
                                                    off=change.split("+"))))
    if not args.no_naive:
        k = min(files, args.naive_max_files)
        steps.append(("naive", dict(inputs=inputs[:k], out=OUT / f"naive-{files}.xlsx")))
    for name, arg in steps:
        print(f"  {files} files: {name} …", flush=True)
        runs = []
        for _ in range(1 if name == "naive" else args.repeat):
            runs.append(run_child(name.split(":")[0], **arg))
            if "out" in arg and name != "merge":
                Path(arg["out"]).unlink(missing_ok=True)
        ok = [r for r in runs if "seconds" in r]
        # the median run (the lower middle one for an even count), as the figures are medians
        res[name] = sorted(ok, key=lambda r: r["seconds"])[(len(ok) - 1) // 2] if ok else runs[-1]
    naive = res.get("naive", {})
    if "seconds" in naive:
        naive["measured"] = naive["seconds"]
        naive["seconds"] = naive["seconds"] * files / naive["files"]
    for floor, writer in (("floor", "write:splice"), ("floor:xlsxwriter", "write:xlsxwriter")):
        if "seconds" in res["read"] and "seconds" in res.get(writer, {}):
            res[floor] = {"seconds": res["read"]["seconds"] + res[writer]["seconds"],
                          "cpu": res["read"].get("cpu", 0) + res[writer].get("cpu", 0),
                          "peak_mb": max(res["read"]["peak_mb"], res[writer]["peak_mb"])}
    dump.unlink(missing_ok=True)
    return res


def cell(r: dict | None) -> str:
    if not r:
        return "—"
    if "error" in r:
        return "failed"
    return f"{r['seconds']:7.1f} s {r['peak_mb']:6.0f} MB"


def ratio(a: dict, b: dict, key: str = "seconds") -> str:
    if key not in (a or {}) or key not in (b or {}):
        return "—"
    return f"{a[key] / b[key]:.2f}×"


def report(results: dict[int, dict], args) -> None:
    from phase_timer import print_table

    sizes = list(results)
    width = 22
    print()
    print(f"workbook-tools merge benchmark — Python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{dt.date.today()}, {args.customers:,} customers per file, seed {args.seed}, "
          f"median of {args.repeat} run(s) per step")
    print(f"{'':40s}" + "".join(f"{f'{n} files':>{width}s}" for n in sizes))
    info = [("input data rows (all sheets)", lambda r: f"{r['merge'].get('rows_read', 0):,}"),
            ("inputs / master size", lambda r: f"{r['inputs_mb']:.0f} / {r['merge'].get('mb', 0):.0f} MB"),
            ("master cells in tables", lambda r: f"{r['merge'].get('cells', 0):,}")]
    for label, get in info:
        print(f"{label:40s}" + "".join(f"{get(results[n]):>{width}s}" for n in sizes))
    keys = ["merge", "merge:xlsxwriter", "read", *[f"write:{w}" for w in args.writers], "floor",
            "floor:xlsxwriter", "phases", "naive"]
    for key in keys:
        if any(key in results[n] for n in sizes):
            print(f"{LABELS.get(key, key):40s}" + "".join(f"{cell(results[n].get(key)):>{width}s}" for n in sizes))
    for key in ["merge", "read", "write:splice", "floor"]:
        got = [results[n].get(key, {}).get("cpu") for n in sizes]
        if any(got):
            print(f"{'  CPU seconds, ' + key:40s}" + "".join(f"{(f'{c:.1f} s' if c else '—'):>{width}s}" for c in got))
    for key in sorted({k for res in results.values() for k in res if k.startswith("phases:-")}):
        print(f"{'phase timers, without ' + key[8:]:40s}" + "".join(f"{cell(results[n].get(key)):>{width}s}" for n in sizes))
    for label, a, b, *key in (("merge / floor   (target ≤ 1.5×)", "merge", "floor"),
                        ("naive / merge   (target ≥ 4×)", "naive", "merge"),
                        ("merge / floor, CPU seconds", "merge", "floor", "cpu"),
                        ("XlsxWriter engine: merge / floor", "merge:xlsxwriter", "floor:xlsxwriter"),
                        ("XlsxWriter engine: naive / merge", "naive", "merge:xlsxwriter"),
                        ("writer: XlsxWriter / splice", "write:xlsxwriter", "write:splice")):
        print(f"{label:40s}" + "".join(f"{ratio(results[n].get(a), results[n].get(b), *key):>{width}s}"
                                       for n in sizes))
    peak = max((r.get("peak_mb", 0) for res in results.values() for k, r in res.items()
                if isinstance(r, dict) and k in ("merge", "read", "write:splice")), default=0)
    print(f"{'peak memory, shipped steps (< 2 GB)':40s}{peak:>{width}.0f} MB")
    notes = {r["note"] for res in results.values() for r in res.values() if isinstance(r, dict) and "note" in r}
    for n in sizes:
        naive = results[n].get("naive", {})
        if "measured" in naive:
            print(f"naive, {n} files: measured {naive['measured']:.1f} s on {naive['files']} file(s), "
                  f"extrapolated ×{n / naive['files']:g} (peak memory is the measured run's)")
    for n in sizes:
        for key in [k for k in results[n] if k.startswith("phases")]:
            step = results[n][key]
            if step.get("phases"):
                off = key.partition(":-")[2]
                print(f"phase table, {n} files (merge_files timed phase by phase"
                      + (f", without {off}" if off else "") + "):")
                print_table(step["phases"], step["seconds"], step["cpu"])
    for note in sorted(notes):
        print(f"note: {note}")
    errors = [(n, k, r["error"]) for n, res in results.items() for k, r in res.items()
              if isinstance(r, dict) and "error" in r]
    for n, k, e in errors:
        print(f"error: {n} files, {k}: {e}")


# The quick run's arguments (benchmarks/run_all.py, `make bench`); no arguments = full sizes.
QUICK = ["--sizes", "3", "--customers", "2000", "--writers", "splice,xlsxwriter", "--repeat", "1"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="3,10,30", help="numbers of files, comma-separated")
    parser.add_argument("--customers", type=int, default=10_000, help="customers per file")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--naive-max-files", type=int, default=3,
                        help="run the naive path on at most this many files and extrapolate linearly")
    parser.add_argument("--no-naive", action="store_true")
    parser.add_argument("--phases", action="store_true", help="also time merge_files phase by phase")
    parser.add_argument("--phases-without", default="", metavar="CHANGES",
                        help=f"with --phases: also time merge_files with a change turned off, one run per "
                             f"comma-separated item, '+' joins changes ({', '.join(OFF)})")
    parser.add_argument("--repeat", type=int, default=1, help="runs per step (the median is shown; naive: 1)")
    parser.add_argument("--writers", default=",".join(WRITERS))
    parser.add_argument("--child", nargs=2, metavar=("STEP", "JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    args.writers = [w for w in args.writers.split(",") if w]
    args.phases_without = [c for c in args.phases_without.split(",") if c]
    if "splice" not in args.writers:
        args.writers.insert(0, "splice")  # the floor needs the shipped writer
    results = {int(n): measure(int(n), args) for n in args.sizes.split(",") if n}
    report(results, args)


if __name__ == "__main__":
    main()
