"""Validation speed: a 100,000-row registration sheet, validated, next to the time
python-calamine needs just to read the same file — in the same run.

Target (validation issue): validation ≤ 2× the plain calamine read.

    .venv/bin/python benchmarks/bench_validate.py [--rows 100000] [--repeat 3]

The input is generated once by the seeded sample generator (with its usual ~4 % mess)
and cached under build/bench/.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from python_calamine import CalamineWorkbook  # noqa: E402

from workbook_tools.io.reader import read_workbook  # noqa: E402
from workbook_tools.sampledata import generate_samples  # noqa: E402
from workbook_tools.schema import load_schema  # noqa: E402
from workbook_tools.validate import validate_workbook  # noqa: E402

def make_input(rows: int) -> Path:
    folder = ROOT / "build" / "bench" / f"validate-{rows}"
    found = sorted(folder.glob("*.xlsx"))
    if found:
        return found[0]
    result = generate_samples(folder, seed=7, regions=["华东"], customers_per_region=rows)
    return Path(result.paths[0])


def calamine_read(path: Path) -> int:
    """Every sheet of the file, as validation reads every sheet."""
    book = CalamineWorkbook.from_path(str(path))
    return sum(len(book.get_sheet_by_name(name).to_python()) for name in book.sheet_names)


def timed(func, *args) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = func(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, value


# The quick run's arguments (benchmarks/run_all.py, `make bench`); no arguments = full sizes.
QUICK = ["--rows", "5000", "--repeat", "1"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = make_input(args.rows)
    schema = load_schema()
    reads, ours, checks = [], [], []
    for _ in range(args.repeat):  # interleaved, so machine noise hits all alike
        reads.append(timed(calamine_read, path))
        ours.append(timed(lambda p: read_workbook(p, schema), path))
        checks.append(timed(lambda p: validate_workbook(p, schema), path))
    report = checks[-1][2]
    print(f"file: {path.relative_to(ROOT)} ({path.stat().st_size / 1e6:.1f} MB), "
          f"{reads[-1][2]} sheet rows, {report.rows} records, {len(report.findings)} findings")
    for name, runs in (("calamine read only", reads), ("read_workbook (our reader)", ours),
                       ("validate_workbook (read + validate)", checks)):
        print(f"{name:38s} wall median {statistics.median(r[0] for r in runs):6.2f} s"
              f"   cpu median {statistics.median(r[1] for r in runs):6.2f} s")
    wall = statistics.median(r[0] for r in checks) / statistics.median(r[0] for r in reads)
    cpu = statistics.median(r[1] for r in checks) / statistics.median(r[1] for r in reads)
    print(f"ratio validation / read: wall {wall:.2f}×, cpu {cpu:.2f}× (target ≤ 2×)")


if __name__ == "__main__":
    main()
