"""Export (发放) of a 300,000-customer master for the 业务员 role, plain and encrypted.

Issue targets: export ≤ 1.5× the time to write the same rows unmasked; encryption adds
≤ 1 s per 10 MB of output.

    .venv/bin/python benchmarks/bench_export.py --repeat 3

The master is bench_summary_plan's generated master (300,000 customers; built and cached
in build/bench/ on first use; here without visit records, which 业务员 does not receive).
(a) write-only: the rows export_master would write for 业务员, with the raw values, through
the same writer (export.workbook.write_export), read beforehand and not timed;
(a2) the same rows with every registration column unmasked (what a 管理员 export writes);
(b) export_master for 业务员, end to end (read the master, filter, mask, write, ledger);
(c) the same with a password (AES-256 agile encryption of the written package);
(a3) read the master with every column (read_master without a column choice), pick the same
columns and write them unmasked — (a) leaves the reading out, which no export can;
(r1) reading the master as export_master does for 业务员 (io.stream: only the kept columns) and
(r2) the same through the guarded calamine path that files the stream reader does not read take.
Phases of (b) and (c): read (read_master), filter + mask (_sheets: filter, project, mask),
write (write_export), encrypt, sha256 + ledger (the rest).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_summary_plan import cpu_time, make_master, timed  # noqa: E402

from workbook_tools.export import ExportRequest, export_master  # noqa: E402
from workbook_tools.export import run as export_run  # noqa: E402
from workbook_tools.export.read import read_master  # noqa: E402
from workbook_tools.export.run import _project  # noqa: E402
from workbook_tools.export.workbook import write_export  # noqa: E402
from workbook_tools.io.crypto import encrypt_bytes  # noqa: E402
from workbook_tools.privacy.view import RoleView  # noqa: E402
from workbook_tools.schema import load_schema  # noqa: E402

TODAY = dt.date(2026, 11, 20)


QUICK = ["--customers", "5000", "--repeat", "1"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    schema = load_schema()
    master = make_master(args.customers, 0)
    table = read_master(master, schema, {"registration"})["registration"]
    sales, admin = RoleView(schema, "业务员"), RoleView(schema, "管理员")
    headers, _ = _project(table, table.rows[:1], sales)
    picks = [table.keys.index(schema.form("registration").field_by_label(h).key) for h in headers]
    raw_rows = [[row[i] for i in picks] for row in table.rows]

    def sales_wanted(key: str) -> bool:
        return key in export_run.FILTER_KEYS or not sales.hidden(key)

    def read_and_write(out: Path) -> None:
        rows = read_master(master, schema, {"registration"})["registration"].rows
        write_export(out, [("项目", "内容")], [("客户档案", headers, [[row[i] for i in picks] for row in rows])],
                     widths, created)
    all_headers = [schema.form("registration").field(k).label for k in table.keys]
    widths = {f.label: f.width for f in schema.form("registration").fields}
    created = dt.datetime(2026, 11, 20)
    results: dict[str, list] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        request = ExportRequest(role="业务员", recipient="李四", approver="王经理")
        steps = {
            "(a) write same rows unmasked": lambda: write_export(
                folder / "a.xlsx", [("项目", "内容")], [("客户档案", headers, raw_rows)], widths, created),
            "(a2) write all columns unmasked": lambda: write_export(
                folder / "a2.xlsx", [("项目", "内容")], [("客户档案", all_headers, table.rows)], widths, created),
            "(a3) read master + write same rows unmasked": lambda: read_and_write(folder / "a3.xlsx"),
            "(b) export 业务员": lambda: export_master(master, folder / "b.xlsx", request, schema=schema,
                                                     ledger=folder / "l.db", today=TODAY),
            "(r1) read for 业务员: stream reader": lambda: read_master(master, schema, {"registration"},
                                                                     sales_wanted),
            "(r2) read for 业务员: calamine path": lambda: _calamine_read(master, schema, sales_wanted),
            "(c) export 业务员 + password": lambda: export_master(master, folder / "c.xlsx", request, schema=schema,
                                                               password="bench", ledger=folder / "l.db",
                                                               today=TODAY),
        }
        phases: dict[str, dict[str, list]] = {}
        for _ in range(args.repeat):
            for name, step in steps.items():
                with _phases() as spent:
                    wall, cpu, _ = timed(step)
                results.setdefault(name, []).append((wall, cpu))
                if spent:
                    spent["sha256 + ledger + rest"] = [wall - sum(w for w, _ in spent.values()),
                                                       cpu - sum(c for _, c in spent.values())]
                    for phase, figures in spent.items():
                        phases.setdefault(name, {}).setdefault(phase, []).append(figures)
        sizes = {p.name: p.stat().st_size for p in folder.glob("*.xlsx")}
        data = (folder / "b.xlsx").read_bytes()
        enc = [timed(encrypt_bytes, data, "bench")[0] for _ in range(args.repeat)]
    del admin
    print(f"master: {master.relative_to(ROOT)} ({master.stat().st_size / 1e6:.1f} MB), {len(table.rows)} customers, "
          f"业务员 columns {len(headers)} of {len(table.keys)}; repeat {args.repeat}")
    med = {}
    for name, runs in results.items():
        wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        med[name] = (wall, cpu)
        print(f"    {name:34s} wall median {wall:6.2f} s   cpu median {cpu:6.2f} s")
    for name, spent in phases.items():
        print(f"    phases of {name} (median wall / cpu):")
        for phase, figures in spent.items():
            print(f"        {phase:24s} wall {statistics.median(f[0] for f in figures):6.2f} s   "
                  f"cpu {statistics.median(f[1] for f in figures):6.2f} s")
    a, b, c = med["(a) write same rows unmasked"], med["(b) export 业务员"], med["(c) export 业务员 + password"]
    a3 = med["(a3) read master + write same rows unmasked"]
    mb = sizes["b.xlsx"] / 1e6
    print(f"    output {mb:.1f} MB (encrypted {sizes['c.xlsx'] / 1e6:.1f} MB)")
    print(f"    ratio export / write-only: wall {b[0] / a[0]:.2f}×, cpu {b[1] / a[1]:.2f}× (target ≤ 1.5×)")
    print(f"    ratio export / (read master + write unmasked): wall {b[0] / a3[0]:.2f}×, cpu {b[1] / a3[1]:.2f}×")
    print(f"    ratio export / write all columns: wall {b[0] / med['(a2) write all columns unmasked'][0]:.2f}×")
    e = statistics.median(enc)
    print(f"    encryption alone: {e:.2f} s for {mb:.1f} MB = {e / mb * 10:.2f} s per 10 MB; "
          f"(c) − (b) = {c[0] - b[0]:.2f} s wall (target ≤ 1 s per 10 MB)")


def _calamine_read(master: Path, schema, wanted):
    """read_master through the guarded calamine path (what files the stream reader does not
    read take), for comparison."""
    from workbook_tools.export import read as export_read
    from workbook_tools.io.stream import NotStreamable

    with mock.patch.object(export_read, "_streamed", side_effect=NotStreamable("bench")):
        return read_master(master, schema, {"registration"}, wanted)


@contextmanager
def _phases():
    """Time export_master's phases (wall, cpu) while it runs: name → [wall, cpu]."""
    spent: dict[str, list[float]] = {}

    def wrap(phase, func):
        def timed_call(*args, **kwargs):
            wall, cpu = time.perf_counter(), cpu_time()
            try:
                return func(*args, **kwargs)
            finally:
                figures = spent.setdefault(phase, [0.0, 0.0])
                figures[0] += time.perf_counter() - wall
                figures[1] += cpu_time() - cpu
        return timed_call

    with mock.patch.object(export_run, "read_master", wrap("read", export_run.read_master)), \
            mock.patch.object(export_run, "_sheets", wrap("filter + mask", export_run._sheets)), \
            mock.patch.object(export_run, "write_export", wrap("write", export_run.write_export)), \
            mock.patch.object(export_run, "encrypt_bytes", wrap("encrypt", export_run.encrypt_bytes)):
        yield spent


if __name__ == "__main__":
    main()
