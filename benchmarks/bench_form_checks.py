"""LibreOffice recalculation of a filled self-checking form (the 检查结果 formulas).

    .venv/bin/python benchmarks/bench_form_checks.py [--rows 2000] [--repeat 3]

Fills a generated 客户档案登记表 of --rows rows (every row: valid and mutated 身份证号, 信用代码,
手机, 邮编, 客户编号, dates, numbers, choices — tests/formfill.py) twice, once with the checks and
once as the plain form (--no-checks) with the same values, and times LibreOffice headless opening
each (recalculating every formula on load) and writing its values as CSV. The figure is the
difference: the time the formulas add, as wall time and as soffice's CPU time (user + system of
the child process; a busy shared box inflates wall time, not CPU time). Repeats are interleaved;
medians are printed.
Target (issue #12): < 2 s for 2,000 rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from formfill import fill, registration_row  # noqa: E402
from office import convert_sheets  # noqa: E402

from workbook_tools.generate.template import generate_template  # noqa: E402
from workbook_tools.schema import load_schema  # noqa: E402


QUICK = ["--rows", "300", "--repeat", "1"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    schema = load_schema()
    form = schema.form("registration")
    rng, ids, today = random.Random(12), [], dt.date.today()
    rows = [registration_row(rng, i, ids, today) for i in range(args.rows)]
    times: dict[str, list[float]] = {"checks": [], "plain": []}
    cpu: dict[str, list[float]] = {"checks": [], "plain": []}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = {}
        for name, checks in (("checks", True), ("plain", False)):
            blank = generate_template(schema, "registration", tmp / f"{name}-blank.xlsx",
                                      rows=args.rows, checks=checks)
            files[name] = tmp / f"{name}.xlsx"
            fill(blank, files[name], rows, form)
        for i in range(args.repeat):
            for name, path in files.items():
                before, start = _children_cpu(), time.perf_counter()
                convert_sheets(path, tmp / f"out-{name}-{i}")
                times[name].append(round(time.perf_counter() - start, 2))
                cpu[name].append(round(_children_cpu() - before, 2))
    print(f"rows: {args.rows}, repeats: {args.repeat}, load average {os.getloadavg()[0]:.1f}")
    for label, figures in (("wall", times), ("cpu", cpu)):
        checks, plain = statistics.median(figures["checks"]), statistics.median(figures["plain"])
        print(f"{label:4}  with checks median {checks:6.2f} s {figures['checks']}  "
              f"plain form median {plain:6.2f} s {figures['plain']}  "
              f"→ the checks add {checks - plain:.2f} s (target < 2 s)")


def _children_cpu() -> float:
    """CPU seconds (user + system) of finished child processes: soffice's own work, which a
    busy shared machine does not inflate the way it inflates wall time."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
