"""Duplicate matching at scale: N customers from the seeded sample generator (seven regions,
15 % persons), plus injected known duplicates of company customers, each a second row of
one firm as another region would type it:

  typo     one character of the 字号 replaced (a homophone where the word list has one)
  trad     the name in 繁体 (OpenCC s2t)
  drop     the industry word left out (润和科技 → 润和)
  form     another legal form, the city in brackets (北京华夏贸易有限公司 → 华夏贸易（北京）股份有限公司)

The copy never keeps the 手机, 统一社会信用代码 or 身份证号 (those would make it certain);
it keeps the contact person (70 %), the landline (60 %), the address (60 %, half of them
without the province/city prefix) and the e-mail (40 %), each drawn independently.

    .venv/bin/python benchmarks/bench_dupes.py [--customers 300000] [--dupes 3000] [--seed 7]

Prints time and peak memory (ru_maxrss before / after the match) of
find_suspected_duplicates, and precision / recall on the injected pairs. Pairs flagged only
by a shared identifier (two generated customers drawing one random mobile) are counted
apart: they are right by definition, not name matches.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import opencc  # noqa: E402

from workbook_tools.merge.duplicates import IDENTIFIERS, find_suspected_duplicates  # noqa: E402
from workbook_tools.sampledata import names  # noqa: E402
from workbook_tools.sampledata.customers import make_customers, make_region  # noqa: E402
from workbook_tools.sampledata.vocabulary import Vocabulary  # noqa: E402
from workbook_tools.schema import load_schema  # noqa: E402

QUICK = ["--customers", "20000", "--dupes", "400"]
REGIONS = (("华东", "HD"), ("华南", "HN"), ("华北", "HB"), ("华中", "HZ"), ("西南", "XN"), ("西北", "XB"),
           ("东北", "DB"))
KINDS = ("typo", "trad", "drop", "form")
AS_OF = dt.date(2026, 11, 20)
_TO_TRAD = opencc.OpenCC("s2t")


def customers(schema, total: int, seed: int) -> list:
    vocab = Vocabulary(schema)
    out = []
    per = -(-total // len(REGIONS))
    for part, (region, code) in enumerate(REGIONS):
        rng = random.Random(seed * 100 + part)
        ctx = make_region(rng, region, code, per, AS_OF, part, len(REGIONS))
        ids = [f"{code}{i:06d}" for i in range(1, per + 1)]
        out += make_customers(rng, vocab, ctx, ids, part, len(REGIONS))
    return out[:total]


def inject(rng: random.Random, pool: list, count: int) -> tuple[list[SimpleNamespace], set]:
    """Copies of ``count`` company customers, each a known duplicate of its original."""
    chosen = rng.sample([c for c in pool if c.parts], count)
    copies, truth = [], set()
    for n, c in enumerate(chosen):
        kind = KINDS[n % len(KINDS)]
        place, brand, word, form = c.parts
        values = {k: v for k, v in c.values.items() if k not in ("mobile", "uscc", "id_card")}
        values["customer_name"] = _mutate(rng, kind, place, brand, word, form)
        values["customer_id"] = cid = f"DUP{n:06d}"
        for key, keep in (("contact", 0.7), ("phone", 0.6), ("address", 0.6), ("email", 0.4)):
            if rng.random() >= keep:
                values.pop(key, None)
        if values.get("address") and rng.random() < 0.5:
            values["address"] = values["address"].removeprefix(c.city.full_name)
        copies.append(SimpleNamespace(id=cid, values=values))
        truth.add((c.values["customer_id"], cid))
    return copies, truth


def _mutate(rng, kind: str, place: str, brand: str, word: str, form: str) -> str:
    if kind == "typo":
        i = rng.randrange(len(brand))
        sound = names.BRAND_CHARS.get(brand[i])
        same = [ch for ch, py in names.BRAND_CHARS.items() if py == sound and ch != brand[i]]
        other = rng.choice(same or [ch for ch in names.BRAND_CHARS if ch not in brand])
        return f"{place}{brand[:i]}{other}{brand[i + 1:]}{word}{form}"
    if kind == "trad":
        return _TO_TRAD.convert(f"{place}{brand}{word}{form}")
    if kind == "drop":
        return f"{place}{brand}{form}"
    other = "股份有限公司" if form != "股份有限公司" else "有限公司"
    return f"{brand}{word}（{place}）{other}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=300_000)
    ap.add_argument("--dupes", type=int, default=3_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    schema = load_schema()
    form, settings = schema.form("registration"), schema.settings
    start = time.perf_counter()
    base = customers(schema, args.customers - args.dupes, args.seed)
    copies, truth = inject(random.Random(args.seed), base, args.dupes)
    rows = [SimpleNamespace(id=c.values["customer_id"], values=c.values) for c in base] + copies
    print(f"customers: {len(rows):,} ({len(base):,} generated + {len(copies):,} injected duplicates), "
          f"generated in {time.perf_counter() - start:.1f} s")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start, cpu = time.perf_counter(), time.process_time()
    found = find_suspected_duplicates(rows, form, float(settings["fuzzy_threshold"]),
                                      industry_words=settings["industry_words"],
                                      placeholders=settings["empty_placeholders"])
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report(found, truth, wall, cpu, rss_before, rss_after)
    return 0


def report(found, truth: set, wall: float, cpu: float, rss_before: float, rss_after: float) -> None:
    ids_only = {label for _, label in IDENTIFIERS}
    pairs = {(d.id_a, d.id_b) for d in found if not all(e.split("（")[0] in ids_only for e in d.evidence)}
    pairs |= {(b, a) for a, b in pairs}
    hits = sum(1 for p in truth if p in pairs)
    named = len(pairs) // 2
    print(f"match: wall {wall:.1f} s, cpu {cpu:.1f} s; peak RSS {rss_after:,.0f} MB "
          f"(before the match {rss_before:,.0f} MB, +{rss_after - rss_before:,.0f} MB)")
    print(f"pairs listed: {len(found):,} ({len(found) - named:,} by a shared identifier only)")
    print(f"injected duplicates found: {hits:,} of {len(truth):,}")
    print(f"precision {hits / named if named else 0:.3f} (name-matched pairs that are injected duplicates), "
          f"recall {hits / len(truth):.3f}")
    by_kind = {}
    for d in found:
        for e in d.evidence:
            by_kind[e.split("（")[0].split("“")[0].split(" ")[0]] = by_kind.get(
                e.split("（")[0].split("“")[0].split(" ")[0], 0) + 1
    print("evidence counts: " + "，".join(f"{k} {v:,}" for k, v in sorted(by_kind.items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    sys.exit(main())
