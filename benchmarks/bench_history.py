"""History store at scale: 300,000 customers × 52 weekly runs recorded with record_run
(what merge --history and the weekly run call), then the queries `workbook-tools history`
answers — timed in this process and end to end through the CLI — and the store's size.

    .venv/bin/python benchmarks/bench_history.py [--customers 300000] [--weeks 52] [--repeat 5]

Customers come from the seeded sample generator (sampledata.customers, realistic values in
every field). Each later week, with a fixed seed: 1 % of customers change 1–3 fields
(手机, 联系人, 地址, 交易 figures …), 0.3 % new customers arrive, 2 % are absent that week
(本周未出现), 10 % get a visit record and 0.2 % a complaint. The first --full-weeks (4)
runs pass every customer, as the weekly run does (their time is the weekly cost); later runs
pass only the changed and new customers, which gives the same store, since an unchanged
record writes nothing. The store is cached in build/bench/history-<customers>x<weeks>/
(delete it to rebuild).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbook_tools.history import (  # noqa: E402
    AddedRecord, CustomerRecord, FieldInfo, HistoryChange, HistoryStore, RunRecord, changes_since,
    customer_life, iso_week, record_run,
)
from workbook_tools.history.model import ABSENT, CHANGED, COMPLAINT, NEW, VISIT  # noqa: E402
from workbook_tools.sampledata.customers import customer_ids, id_width, make_customers, make_region  # noqa: E402
from workbook_tools.sampledata.vocabulary import Vocabulary  # noqa: E402
from workbook_tools.schema import load_schema  # noqa: E402

FIRST_RUN = dt.date(2025, 12, 7)          # 2025-W49; 52 weeks later: 2026-11-29 (2026-W48)
REGIONS = {"华东": "HD", "华南": "HN", "华北": "HB", "西南": "XN"}
EDITABLE = ("mobile", "contact", "address", "title", "email", "trade_count", "trade_amount",
            "last_trade_date", "revised", "owner")


class Customers:
    """The archive as rows (tuples): 300k dicts of 37 keys would cost > 1 GB."""

    def __init__(self, keys: list[str], file: str):
        self.keys, self.rows, self.files, self.file = keys, {}, {}, file

    def add(self, values: dict, file: str) -> None:
        self.rows[values["customer_id"]] = tuple(values.get(k) for k in self.keys)
        self.files[values["customer_id"]] = file

    def records(self, only: set[str] | None = None) -> "_Records":
        return _Records(self, only)


class _Records:
    """Every customer; or, with ``only``, just those (len() still counts every customer):
    an unchanged customer writes nothing to the store, so the store's content is the same."""

    def __init__(self, c: Customers, only: set[str] | None):
        self.c, self.only = c, only

    def __len__(self) -> int:
        return len(self.c.rows)

    def __iter__(self):
        keys, files = self.c.keys, self.c.files
        for cid in self.c.rows if self.only is None else sorted(self.only):
            yield CustomerRecord(cid, dict(zip(keys, self.c.rows[cid])), {}, files[cid])


def initial(n: int, schema, seed: int) -> Customers:
    vocab = Vocabulary(schema)
    keys = [f.key for f in schema.form("registration").fields]
    out = Customers(keys, "")
    per = n // len(REGIONS)
    for region, code in REGIONS.items():
        rng = random.Random(f"{seed}:{region}")
        ctx = make_region(rng, region, code, per * 2, FIRST_RUN)
        ids = customer_ids(rng, code, per * 2, 0, id_width(per * 2, 1))
        for c in make_customers(rng, vocab, ctx, ids[:per]):
            out.add(c.values, f"{region}_客户档案_{iso_week(FIRST_RUN)}.xlsx")
        out.spare = getattr(out, "spare", {}) | {region: (ctx, ids[per:], vocab)}
    return out


def _new_value(key: str, old, rng: random.Random, day: dt.date):
    if key == "mobile":
        return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
    if key in ("trade_count",):
        return int(old or 0) + 1
    if key == "trade_amount":
        return round(float(old or 0) + rng.uniform(500, 50000), 2)
    if key in ("last_trade_date", "revised"):
        return day - dt.timedelta(days=rng.randrange(7))
    if key == "contact":
        return rng.choice("赵钱孙李周吴郑王") + rng.choice(["伟", "芳", "娜", "敏", "静", "强", "磊"])
    if key == "address":
        return f"{(old or '')[:6]}新区建设路{rng.randrange(1, 999)}号"
    if key == "owner":
        return rng.choice(["王东立", "李海", "张华", "刘洋"])
    return f"{old or ''}（{day:%m%d}更新）"


def week_run(archive: Customers, k: int, rng: random.Random, fields, full: bool = True) -> RunRecord:
    day = FIRST_RUN + dt.timedelta(weeks=k)
    week = iso_week(day)
    ids = list(archive.rows)
    changes: list[HistoryChange] = []
    labels = {f.key: f.label for f in fields}
    pos = {key: i for i, key in enumerate(archive.keys)}
    if k:
        for cid in rng.sample(ids, len(ids) // 100):
            row = list(archive.rows[cid])
            file = f"{row[pos['region']]}_客户档案_{week}.xlsx"
            for key in rng.sample(EDITABLE, rng.randint(1, 3)):
                old, new = row[pos[key]], _new_value(key, row[pos[key]], rng, day)
                row[pos[key]] = new
                changes.append(HistoryChange(week, day, CHANGED, cid, str(row[pos["customer_name"]]),
                                             f"将 {labels[key]} 由 {old} 修改为 {new}", file, labels[key],
                                             str(old), str(new)))
            archive.rows[cid] = tuple(row)
            archive.files[cid] = file
        for cid in rng.sample(ids, len(ids) // 50):
            changes.append(HistoryChange(week, day, ABSENT, cid, "", "本周未出现，保留上期记录",
                                         archive.files[cid]))
        for region, (ctx, spare, vocab) in archive.spare.items():
            take, archive.spare[region] = spare[:len(ids) // 1200], (ctx, spare[len(ids) // 1200:], vocab)
            for c in make_customers(rng, vocab, ctx, take):
                file = f"{region}_客户档案_{week}.xlsx"
                archive.add(c.values, file)
                changes.append(HistoryChange(week, day, NEW, c.values["customer_id"],
                                             str(c.values.get("customer_name")), NEW, file))
    added = [AddedRecord(VISIT, cid, {"record_id": f"BF{k:02d}{i:07d}", "customer_id": cid, "date": day,
                                      "salesperson": "王东立", "method": "上门拜访",
                                      "content": "回访使用情况，介绍新产品", "result": "客户有意向"})
             for i, cid in enumerate(rng.sample(ids, len(ids) // 10))]
    added += [AddedRecord(COMPLAINT, cid, {"record_id": f"TS{k:02d}{i:06d}", "customer_id": cid,
                                           "date": day, "content": "到货延迟三天"})
              for i, cid in enumerate(rng.sample(ids, len(ids) // 500))]
    return RunRecord(week, day, f"客户档案总表_{week}.xlsx",
                     [(f"{r}_客户档案_{week}.xlsx", f"{k:02d}{r.encode().hex()}".ljust(64, "0"))
                      for r in REGIONS], fields,
                     archive.records(None if full else {c.customer_id for c in changes if c.kind != ABSENT}),
                     changes if k else None, added,
                     quarantined=rng.randrange(5, 40), overdue=rng.randrange(1000, 5000))


def build(store: Path, n: int, weeks: int, full_weeks: int) -> tuple[list[float], list[float]]:
    schema = load_schema()
    fields = [FieldInfo(f.key, f.label, f.type) for f in schema.form("registration").fields]
    t0 = time.perf_counter()
    archive = initial(n, schema, 2026)
    print(f"generated {len(archive.rows):,} customers in {time.perf_counter() - t0:.1f} s", flush=True)
    rng = random.Random(2026)
    tmp = store.with_suffix(".building")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    times, cpu = [], []
    for k in range(weeks):
        run = week_run(archive, k, rng, fields, full=k < full_weeks)
        t, c = time.perf_counter(), time.process_time()
        record_run(tmp, run)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        how = "recorded in" if k < full_weeks else "(changed customers only) in"
        print(f"  {run.week}: {len(run.customers):,} customers, {len(run.changes or ()):,} 变更记录 entries, "
              f"{len(run.added):,} visits+complaints {how} {times[-1]:.2f} s (cpu {cpu[-1]:.2f} s)",
              flush=True)
    os.replace(tmp, store)
    return times, cpu


def timed(fn, repeat: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), max(times), result


def queries(store: Path, repeat: int) -> None:
    con = sqlite3.connect(store)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("runs", "versions", "bodies", "changes", "added")}
    changed = [r[0] for r in con.execute("SELECT customer_id FROM changes WHERE kind = '修改' "
                                         "GROUP BY customer_id HAVING count(*) > 3 LIMIT 20")]
    con.close()
    size = sum(Path(f"{store}{s}").stat().st_size for s in ("", "-wal") if Path(f"{store}{s}").exists())
    print(f"store: {store.relative_to(ROOT)}  {size / 2**20:.0f} MB  rows: "
          + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    since = dt.date(2026, 9, 1)

    def life():
        with HistoryStore(store) as s:
            return [customer_life(s, cid) for cid in changed]
    rows = [
        ("history 客户编号 (open + life of 20 customers, per customer)", lambda: life()),
        ("--changed-since 2026-09-01 (count + first 100)", lambda: _since(store, since, None)),
        ("--changed-since 2026-09-01 --field 手机", lambda: _since(store, since, "手机")),
        ("--changed-since 2026-09-01 --limit 0 (all rows)", lambda: _since(store, since, None, 0)),
        ("record_of(客户编号, 2026-W10)", lambda: _record(store, changed[0])),
        ("weekly_totals(12)", lambda: _totals(store)),
    ]
    for label, fn in rows:
        median, worst, result = timed(fn, repeat)
        per = len(changed) if label.startswith("history 客户编号") else 1
        detail = _detail(result)
        print(f"  {label:<58} median {median / per * 1000:8.1f} ms  max {worst / per * 1000:8.1f} ms  {detail}")
    for args in ([changed[0]], ["--changed-since", "2026-09-01", "--field", "手机"]):
        cmd = [sys.executable, "-m", "workbook_tools", "history", *args, "--store", str(store)]
        median, worst, out = timed(lambda: subprocess.run(cmd, capture_output=True, text=True), repeat)
        print(f"  CLI: workbook-tools history {' '.join(args):<36} median {median:6.2f} s  max {worst:6.2f} s"
              f"  ({out.stdout.count(chr(10))} lines)")
    start = [sys.executable, "-m", "workbook_tools", "history", "--help"]
    median, _, _ = timed(lambda: subprocess.run(start, capture_output=True), repeat)
    print(f"  (of which Python start + imports, `history --help`: {median:.2f} s)")


def _since(store, since, field, limit=100):
    with HistoryStore(store) as s:
        return changes_since(s, since, field, limit)


def _record(store, cid):
    with HistoryStore(store) as s:
        return s.record_of(cid, "2026-W10")


def _totals(store):
    with HistoryStore(store) as s:
        return s.weekly_totals(12)


def _detail(result) -> str:
    if isinstance(result, list) and result and hasattr(result[0], "changes"):
        return f"{sum(len(r.changes) for r in result)} changes listed"
    if hasattr(result, "total"):
        return f"{result.total:,} changes, {result.customers:,} customers, {len(result.changes):,} listed"
    if isinstance(result, list):
        return f"{len(result)} rows"
    return ""


QUICK = ["--customers", "5000", "--weeks", "6", "--repeat", "1", "--full-weeks", "2"]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--customers", type=int, default=300_000)
    p.add_argument("--weeks", type=int, default=52)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--full-weeks", type=int, default=4,
                   help="weeks recorded with every customer (timed as the weekly run); later weeks pass only "
                        "the changed and new customers, which gives the same store (an unchanged record "
                        "writes nothing) in a fraction of the time")
    args = p.parse_args(argv)
    folder = ROOT / "build" / "bench" / f"history-{args.customers}x{args.weeks}"
    folder.mkdir(parents=True, exist_ok=True)
    store = folder / "档案历史.sqlite"
    if not store.exists():
        times, cpu = build(store, args.customers, args.weeks, args.full_weeks)
        full = slice(1, max(2, args.full_weeks))
        print(f"recorded {args.weeks} runs: first (all new) {times[0]:.1f} s (cpu {cpu[0]:.1f} s); later weeks "
              f"with every customer: median {statistics.median(times[full]):.1f} s (cpu "
              f"{statistics.median(cpu[full]):.1f} s)")
    queries(store, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
