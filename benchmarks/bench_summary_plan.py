"""Summary + plans speed: a 300,000-customer master with 1,000,000 visit records — the
summary workbook and next week's visit plans — next to the time
python-calamine needs just to read every sheet of the same master, in the same run.

Target (performance issue): summary + plans as the weekly run does them ≤ 1.5× the
plain calamine read. (d) does what weekly/run.py does: load the master once with the
columns both need, then the summary and the plans (--out-dir: one workbook per
salesperson). Repeats are interleaved; medians of wall time and of CPU time (this
process plus finished child processes).

    .venv/bin/python benchmarks/bench_summary_plan.py [--customers 300000] [--visits 1000000] [--repeat 3]

The master (客户档案, 拜访记录, 拜访计划 ≈ visits / 5 rows, a few 待修正 rows and
疑似重复 pairs) is generated once with XlsxWriter (constant_memory) from a fixed seed
and cached under build/bench/summary-<customers>[-<visits>]/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import xlsxwriter  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from workbook_tools.plan import build_plans  # noqa: E402
from workbook_tools.schema import load_schema  # noqa: E402
from workbook_tools.summary.build import build_summary  # noqa: E402
from workbook_tools.weekly.run import load_for_summary_and_plans  # noqa: E402

AS_OF = dt.date(2026, 11, 20)  # the master's "today"; plans are for the following week
PLAN_WEEK = "2026-W48"
OWNERS = 120
PROV = ["来源文件", "来源工作表", "来源行"]
CODES = ["HD", "HN", "HB", "HZ", "XN", "XB", "DB"]


def make_master(customers: int, visits: int) -> Path:
    name = f"summary-{customers}" if visits == 1_000_000 else f"summary-{customers}-{visits}"
    folder = ROOT / "build" / "bench" / name
    target = folder / "客户档案总表.xlsx"
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=folder)
    os.close(fd)
    t0 = time.perf_counter()
    _generate(Path(tmp), customers, visits)
    os.replace(tmp, target)
    print(f"generated {target.relative_to(ROOT)} in {time.perf_counter() - t0:.0f} s", flush=True)
    return target


def _generate(out: Path, n_cust: int, n_visit: int) -> None:
    rng = np.random.default_rng(2026)
    schema = load_schema()
    reg, vis, plan = (schema.form(k) for k in ("registration", "visit-record", "visit-plan"))
    regions = reg.field("region").choice_values
    owners = [f"业务员{i:03d}" for i in range(OWNERS)]
    base = dt.datetime.combine(AS_OF, dt.time())
    day = dt.timedelta(days=1)
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    datef = wb.add_format({"num_format": "yyyy-mm-dd"})

    def choice(key, n, blank):
        vals = np.array(reg.field(key).choice_values + [""], dtype=object)
        p = np.full(len(vals), (1 - blank) / (len(vals) - 1))
        p[-1] = blank
        return rng.choice(vals, n, p=p).tolist()

    ws = wb.add_worksheet("客户档案")
    ws.write_row(0, 0, reg.labels + PROV)
    col = {k: i for i, k in enumerate(reg.keys)}
    reg_i = rng.integers(0, len(CODES), n_cust)
    owner_i = rng.integers(0, OWNERS, n_cust)
    ids = [f"{CODES[r]}{i:06d}" for i, r in enumerate(reg_i.tolist())]
    texts = {k: choice(k, n_cust, b) for k, b in (("customer_type", 0.02), ("industry", 0.1), ("ownership", 0.1),
                                                 ("category", 0.01), ("credit", 0.1), ("source", 0.2),
                                                 ("settlement", 0.3))}
    created = rng.integers(30, 2000, n_cust).tolist()
    revised = np.maximum(np.array(created) - rng.integers(0, 30, n_cust), 0).tolist()
    has_trade = (rng.random(n_cust) < 0.8).tolist()
    last = rng.integers(1, 400, n_cust).tolist()
    amount = np.round(rng.pareto(1.2, n_cust) * 10000, 2).tolist()
    count = rng.integers(1, 200, n_cust).tolist()
    cycle = np.where(rng.random(n_cust) < 0.1, rng.integers(5, 90, n_cust), 0).tolist()
    employees = rng.integers(3, 2000, n_cust).tolist()
    for i in range(n_cust):
        r = i + 1
        ri = reg_i[i]
        ws.write_string(r, 0, ids[i])
        ws.write_string(r, 1, f"测试客户{i}有限公司")
        ws.write_string(r, col["region"], regions[ri])
        for k, vals in texts.items():
            if vals[i]:
                ws.write_string(r, col[k], vals[i])
        ws.write_string(r, col["contact"], "张三")
        ws.write_string(r, col["mobile"], f"138{i:08d}")
        ws.write_string(r, col["address"], f"{regions[ri]}某市某路{i % 999 + 1}号")
        ws.write_number(r, col["employees"], employees[i])
        ws.write_string(r, col["owner"], owners[owner_i[i]])
        if cycle[i]:
            ws.write_number(r, col["contact_cycle"], cycle[i])
        if has_trade[i]:
            ws.write_datetime(r, col["first_trade_date"], base - (created[i] - 1) * day, datef)
            ws.write_datetime(r, col["last_trade_date"], base - last[i] * day, datef)
            ws.write_number(r, col["trade_count"], count[i])
            ws.write_number(r, col["trade_amount"], amount[i])
        ws.write_datetime(r, col["created"], base - created[i] * day, datef)
        ws.write_datetime(r, col["revised"], base - revised[i] * day, datef)
        ws.write_string(r, len(reg.keys), f"{regions[ri]}.xlsx")
        ws.write_string(r, len(reg.keys) + 1, "客户档案登记表")
        ws.write_number(r, len(reg.keys) + 2, i % 10000 + 3)

    ws = wb.add_worksheet("拜访记录")
    ws.write_row(0, 0, vis.labels + PROV)
    vcol = {k: i for i, k in enumerate(vis.keys)}
    cust = rng.integers(0, n_cust, n_visit).tolist()
    vd = rng.integers(0, 365, n_visit).tolist()
    methods = vis.field("method").choice_values
    results = ["有意向", "已下单", "暂无需求", "需再跟进"]
    for i in range(n_visit):
        r, c = i + 1, cust[i]
        ws.write_string(r, vcol["record_id"], f"V{i:08d}")
        ws.write_string(r, vcol["customer_id"], ids[c])
        ws.write_string(r, vcol["customer_name"], f"测试客户{c}有限公司")
        ws.write_datetime(r, vcol["date"], base - vd[i] * day, datef)
        ws.write_string(r, vcol["salesperson"], owners[owner_i[c]])
        ws.write_string(r, vcol["method"], methods[i % len(methods)])
        ws.write_string(r, vcol["content"], "介绍新产品")
        ws.write_string(r, vcol["result"], results[i % 4])
        ws.write_string(r, len(vis.keys), f"{regions[reg_i[c]]}.xlsx")
        ws.write_string(r, len(vis.keys) + 1, "客户拜访记录")
        ws.write_number(r, len(vis.keys) + 2, i % 30000 + 3)

    ws = wb.add_worksheet("拜访计划")
    ws.write_row(0, 0, plan.labels + PROV)
    pcol = {k: i for i, k in enumerate(plan.keys)}
    n_plan = n_visit // 5
    cust = rng.integers(0, n_cust, n_plan).tolist()
    pdays = rng.integers(-30, 60, n_plan).tolist()
    status = plan.field("status").choice_values
    st = rng.integers(0, len(status), n_plan).tolist()
    for i in range(n_plan):
        r, c = i + 1, cust[i]
        ws.write_string(r, pcol["plan_id"], f"P{i:08d}")
        ws.write_string(r, pcol["salesperson"], owners[owner_i[c]])
        ws.write_datetime(r, pcol["planned_date"], base - pdays[i] * day, datef)
        ws.write_string(r, pcol["customer_id"], ids[c])
        ws.write_string(r, pcol["customer_name"], f"测试客户{c}有限公司")
        ws.write_string(r, pcol["method"], methods[i % len(methods)])
        ws.write_string(r, pcol["status"], status[st[i]])
        if status[st[i]] == "已完成":
            ws.write_datetime(r, pcol["actual_date"], base - max(pdays[i], 0) * day, datef)

    ws = wb.add_worksheet("待修正")
    ws.write_row(0, 0, ["问题说明"] + reg.labels + PROV)
    for i in range(25):
        ws.write_string(i + 1, 0, "客户编号格式错误")
        ws.write_string(i + 1, 1 + col["customer_name"], f"待修正客户{i}")
        ws.write_string(i + 1, 1 + col["region"], regions[i % len(regions)])
        ws.write_string(i + 1, 1 + col["owner"], owners[i % OWNERS])
    ws = wb.add_worksheet("疑似重复")
    ws.write_row(0, 0, ["客户编号A", "客户名称A", "客户编号B", "客户名称B", "相似度", "处理意见"])
    for i in range(12):
        a, b = (int(x) for x in rng.integers(0, n_cust, 2))
        ws.write_row(i + 1, 0, [ids[a], f"测试客户{a}有限公司", ids[b], f"测试客户{b}有限公司", 0.95,
                                "" if i % 3 else "不是同一客户"])
    wb.close()


def calamine_read(path: Path) -> int:
    """Every sheet of the master."""
    book = CalamineWorkbook.from_path(str(path))
    return sum(len(book.get_sheet_by_name(name).to_python()) for name in book.sheet_names)


def cpu_time() -> float:
    """CPU seconds of this process and of its finished children (load_master reads 拜访记录
    of a big master in a forked process)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(func, *args) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), cpu_time()
    value = func(*args)
    return time.perf_counter() - wall, cpu_time() - cpu, value


# The quick run's arguments (benchmarks/run_all.py, `make bench`); no arguments = full sizes.
QUICK = ["--customers", "10000", "--visits", "30000", "--repeat", "1"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=300_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--generate-only", action="store_true")
    args = parser.parse_args()
    path = make_master(args.customers, args.visits)
    if args.generate_only:
        return
    schema = load_schema()
    out = path.parent / "out"
    out.mkdir(exist_ok=True)

    def summary():
        return build_summary(path, out / "summary.xlsx", schema=schema, as_of=AS_OF)

    def plans():
        return build_plans(path, schema=schema, week=PLAN_WEEK, out=out / "plans.xlsx")

    def weekly():  # as weekly/run.py does it: the master loaded once, shared by both
        data = load_for_summary_and_plans(path, schema)
        build_summary(path, out / "w-summary.xlsx", schema=schema, as_of=AS_OF, data=data)
        return build_plans(path, schema=schema, week=PLAN_WEEK, out_dir=out / "w-plans", data=data)

    runs = {"read": [], "summary": [], "plans": [], "both": []}
    for _ in range(args.repeat):  # interleaved, so machine noise hits all alike
        runs["read"].append(timed(calamine_read, path))
        runs["summary"].append(timed(summary))
        runs["plans"].append(timed(plans))
        runs["both"].append(timed(weekly))
    s, p = runs["summary"][-1][2], runs["plans"][-1][2]
    print(f"file: {path.relative_to(ROOT)} ({path.stat().st_size / 1e6:.1f} MB), "
          f"{runs['read'][-1][2]} sheet rows; {s.customers} customers, {s.visits} visits, {s.plans} plan rows; "
          f"plans {p.week.label}: {p.planned} planned, {len(p.pending)} 待安排; repeat {args.repeat}")
    labels = (("read", "(a) calamine read, every sheet"), ("summary", "(b) build_summary"),
              ("plans", "(c) build_plans -o one workbook"), ("both", "(d) summary + plans (weekly)"))
    for key, label in labels:
        print(f"{label:34s} wall median {statistics.median(r[0] for r in runs[key]):6.2f} s"
              f"   cpu median {statistics.median(r[1] for r in runs[key]):6.2f} s")
    wall = statistics.median(r[0] for r in runs["both"]) / statistics.median(r[0] for r in runs["read"])
    cpu = statistics.median(r[1] for r in runs["both"]) / statistics.median(r[1] for r in runs["read"])
    print(f"ratio (d) / (a): wall {wall:.2f}×, cpu {cpu:.2f}× (target ≤ 1.5×) — "
          f"{'met' if wall <= 1.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
