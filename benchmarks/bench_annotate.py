"""Annotating a regional file: the package-editing path (shipped) next to openpyxl's.

    .venv/bin/python benchmarks/bench_annotate.py [--customers 10000] [--repeat 3]

The input is the seeded sample generator's 华东 file (cached under build/bench/, shared with
bench_merge.py); its findings come from validate_workbook. Each path runs --repeat times in
this process; medians are printed. The target is qualitative (the weekly run annotates every
file with findings, so a copy must not cost several times the validation).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_merge import inputs_for  # noqa: E402

from workbook_tools.schema import load_schema  # noqa: E402
from workbook_tools.validate.annotate import workbook as annotate  # noqa: E402
from workbook_tools.validate.files import validate_workbook  # noqa: E402


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


# The quick run's arguments (benchmarks/run_all.py, `make bench`); no arguments = full sizes.
QUICK = ["--customers", "2000", "--repeat", "1"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    src = inputs_for(3, args.customers, 2026)[0]
    schema = load_schema()
    report = validate_workbook(src, schema, as_of=dt.date(2026, 11, 20))
    fast_path = annotate.annotate_package
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)

        def fast():
            assert fast_path(src, report.findings, out / "fast.xlsx", "x") is not None

        def slow():
            annotate.annotate_package = lambda *a: None
            try:
                annotate.annotate_workbook(src, report.findings, out / "slow.xlsx", checked_at="x")
            finally:
                annotate.annotate_package = fast_path

        def check():
            validate_workbook(src, schema, as_of=dt.date(2026, 11, 20))

        runs = {name: [timed(f) for _ in range(args.repeat)] for name, f in
                (("validate", check), ("fast", fast), ("openpyxl", slow))}
    print(f"file: {src.relative_to(ROOT)} ({src.stat().st_size / 1e6:.1f} MB), "
          f"{report.rows} rows, {len(report.findings)} findings; median of {args.repeat}")
    for name, label in (("validate", "validate_workbook (for scale)"),
                        ("fast", "annotate: package edits (shipped)"), ("openpyxl", "annotate: openpyxl")):
        print(f"{label:36s} {statistics.median(runs[name]):6.2f} s")
    print(f"openpyxl / package edits: {statistics.median(runs['openpyxl']) / statistics.median(runs['fast']):.1f}×")


if __name__ == "__main__":
    main()
