"""adopt's value conversion and inference (workbook_tools.adopt.infer) on 100,000 legacy rows,
next to validation of the same rows — in the same run.

The rows are the seeded sample generator's registration sheet, read back and made "legacy":
no 客户编号 / 客户类型, 所属区域 missing (70 %) or a place name (15 %), 建档日期 as text
(2023/5/6, 2023年5月6日, 20230506 …), 客户类别 as aliases (A类客户), 手机 and 电话 in one
cell (10 %), full-width digits (3 %). Timed: convert_row over every row, assign_ids,
find_duplicates; and validate_table on the same registration table (read excluded from both).

Budget (adopt issue): adopt of 100,000 rows ≤ 3× validate on its output. The inference is one
part of adopt (besides reading the legacy file, writing the form and checking it); this
script shows its share against validate_table alone — the check without the read, the
strictest comparator.

    .venv/bin/python benchmarks/bench_adopt_infer.py [--rows 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbook_tools.adopt.infer import assign_ids, convert_row, find_duplicates  # noqa: E402
from workbook_tools.io.gcpause import gc_paused  # noqa: E402
from workbook_tools.io.reader import read_workbook  # noqa: E402
from workbook_tools.sampledata import generate_samples  # noqa: E402
from workbook_tools.schema import load_schema  # noqa: E402
from workbook_tools.validate.engine import validate_table  # noqa: E402

# The quick run's arguments (benchmarks/run_all.py, `make bench`); no arguments = full sizes.
QUICK = ["--rows", "5000", "--repeat", "1"]
DATE_FORMS = ("{y}/{m}/{d}", "{y}年{m}月{d}日", "{y}{m:02d}{d:02d}", "{y}.{m}.{d}", "{y}-{m:02d}-{d:02d} 09:30")
ALIASES = {"重要客户": "A类客户", "主要客户": "B类客户", "普通客户": "一般客户", "潜在客户": "潜在"}
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def make_input(rows: int) -> Path:
    folder = ROOT / "build" / "bench" / f"adopt-infer-{rows}"
    found = sorted(folder.glob("*.xlsx"))
    if found:
        return found[0]
    result = generate_samples(folder, seed=11, regions=["华东"], customers_per_region=rows, messy=False)
    return Path(result.paths[0])


def legacy_rows(table, seed: int = 1) -> list[dict]:
    """The registration records as a legacy register would hold them (see the docstring)."""
    rng = random.Random(seed)
    keys = [c.field for c in table.columns]
    out = []
    for record in table.records:
        row = {k: v for k, v in zip(keys, record.values) if k and k not in ("customer_id", "customer_type")}
        draw = rng.random()
        if draw < 0.70:
            row.pop("region", None)
        elif draw < 0.85:
            row["region"] = str(row.get("address") or "上海浦东")[:4]
        created = row.get("created")
        if hasattr(created, "year"):
            row["created"] = rng.choice(DATE_FORMS).format(y=created.year, m=created.month, d=created.day)
        if rng.random() < 0.3:
            row["category"] = ALIASES.get(row.get("category"), row.get("category"))
        if rng.random() < 0.10 and row.get("mobile") and row.get("phone"):
            row["phone"] = f"{row.pop('mobile')} / {row['phone']}"
        if rng.random() < 0.03 and isinstance(row.get("mobile"), str):
            row["mobile"] = row["mobile"].translate(FULL_WIDTH)
        out.append(row)
    return out


def adopt_values(schema, rows: list[dict]) -> tuple[int, int]:
    """What adopt does with the rows, the cyclic GC paused as adopt pauses it (io/gcpause.py:
    with 100,000 rows and their conversions alive each full collection re-traverses them)."""
    converted, count = [], 0
    with gc_paused():
        for index, row in enumerate(rows):
            values, conversions = convert_row(schema, row, row=index, owner="王强")
            converted.append(values)
            count += len(conversions)
        count += len(assign_ids(schema, converted, prefix=None, start=None))
        return count, len(find_duplicates(converted))


def timed(func, *args) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = func(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    schema = load_schema()
    path = make_input(args.rows)
    table = next(t for t in read_workbook(path, schema).sheets if t.form.key == "registration")
    rows = legacy_rows(table)
    ours, checks = [], []
    for _ in range(args.repeat):  # interleaved, so machine noise hits both alike
        ours.append(timed(adopt_values, schema, rows))
        checks.append(timed(lambda t: validate_table(t, schema), table))
    conversions, duplicates = ours[-1][2]
    print(f"file: {path.relative_to(ROOT)}, {len(rows)} legacy rows, {conversions} conversions, "
          f"{duplicates} duplicate groups")
    for name, runs in (("convert_row + assign_ids + find_duplicates", ours),
                       ("validate_table (same rows, in memory)", checks)):
        wall, cpu = (statistics.median(r[i] for r in runs) for i in (0, 1))
        print(f"{name:44s} wall median {wall:6.2f} s   cpu median {cpu:6.2f} s   "
              f"({cpu / len(rows) * 1e6:.0f} µs cpu a row)")
    wall = statistics.median(r[0] for r in ours) / statistics.median(r[0] for r in checks)
    cpu = statistics.median(r[1] for r in ours) / statistics.median(r[1] for r in checks)
    print(f"ratio adopt inference / validate_table: wall {wall:.2f}×, cpu {cpu:.2f}× "
          f"(one part of adopt, whose whole budget is ≤ 3× validate on its output)")


if __name__ == "__main__":
    main()
