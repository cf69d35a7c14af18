"""Adopting a legacy register: a 100,000-row CRM export (悟空CRM-style columns, as CSV and
as .xlsx) adopted into the standard form, next to the time `validate` needs for the
adopted output — in the same run.

Target (adopt issue): adopt ≤ 3× validating its output.

    .venv/bin/python benchmarks/bench_adopt.py [--rows 100000] [--repeat 3]

The legacy files are generated once (seeded, synthetic) and cached under build/bench/.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import xlsxwriter  # noqa: E402

from workbook_tools.adopt import adopt_files  # noqa: E402
from workbook_tools.schema import load_schema  # noqa: E402
from workbook_tools.validate import validate_workbook  # noqa: E402

HEADER = ["客户名称", "客户级别", "客户来源", "客户行业", "成交状态", "电话", "手机", "邮箱", "负责人",
          "详细地址", "创建人", "创建时间", "最后跟进时间", "备注"]
CITIES = ["上海市浦东新区", "广东省深圳市南山区", "北京市海淀区", "四川省成都市高新区", "湖北省武汉市洪山区",
          "浙江省杭州市西湖区", "辽宁省沈阳市和平区", "陕西省西安市雁塔区"]


def legacy_rows(rows: int):
    rng = random.Random(7)
    for i in range(rows):
        yield [f"示例商贸{i:06d}有限公司", rng.choice(["A（重点客户）", "B（普通客户）", "C（非优先客户）"]),
               rng.choice(["转介绍", "展会", "电话咨询", "搜索引擎"]), rng.choice(["制造业", "批发和零售业", "IT"]),
               rng.choice(["已成交", "未成交"]), f"0{rng.randint(10, 99)}-{rng.randint(20000000, 89999999)}",
               f"13{rng.randint(100000000, 999999999)}", f"u{i}@example.com", rng.choice(["张三", "李四", "王五"]),
               f"{rng.choice(CITIES)}示例路{rng.randint(1, 999)}号", "管理员",
               f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 10:00:00", "2026-05-20 09:00:00",
               "" if rng.random() < 0.8 else "老客户"]


def make_inputs(rows: int) -> tuple[Path, Path]:
    folder = ROOT / "build" / "bench" / f"adopt-{rows}"
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, xlsx_path = folder / "悟空CRM_客户.csv", folder / "悟空CRM_客户.xlsx"
    if not csv_path.exists():
        with open(csv_path, "w", encoding="gbk", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            writer.writerows(legacy_rows(rows))
    if not xlsx_path.exists():
        book = xlsxwriter.Workbook(str(xlsx_path), {"constant_memory": True})
        sheet = book.add_worksheet("客户")
        sheet.write_row(0, 0, HEADER)
        for r, row in enumerate(legacy_rows(rows), start=1):
            sheet.write_row(r, 0, row)
        book.close()
    return csv_path, xlsx_path


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
    schema = load_schema()
    inputs = make_inputs(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        for legacy in inputs:
            out = Path(tmp) / f"登记表_{legacy.suffix[1:]}.xlsx"
            adopts, checks = [], []
            for _ in range(args.repeat):  # interleaved, so machine noise hits both alike
                out.unlink(missing_ok=True)
                adopts.append(timed(lambda: adopt_files([legacy], out, schema, region="华东", owner="张三")))
                checks.append(timed(lambda: validate_workbook(out, schema)))
            result = adopts[-1][2]
            print(f"{legacy.suffix[1:]}: {legacy.relative_to(ROOT)} ({legacy.stat().st_size / 1e6:.1f} MB), "
                  f"{result.rows_read} rows read, {result.rows_written} written, "
                  f"{len(result.conversions)} conversions, {len(result.findings)} findings; "
                  f"output {out.stat().st_size / 1e6:.1f} MB")
            for name, runs in (("adopt", adopts), ("validate (the adopted output)", checks)):
                print(f"  {name:32s} wall median {statistics.median(r[0] for r in runs):6.2f} s"
                      f"   cpu median {statistics.median(r[1] for r in runs):6.2f} s")
            wall = statistics.median(r[0] for r in adopts) / statistics.median(r[0] for r in checks)
            cpu = statistics.median(r[1] for r in adopts) / statistics.median(r[1] for r in checks)
            print(f"  ratio adopt / validate ({legacy.suffix[1:]}): wall {wall:.2f}×, cpu {cpu:.2f}× (target ≤ 3×)")


if __name__ == "__main__":
    main()
