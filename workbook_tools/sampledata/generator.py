"""generate_samples(): seeded regional workbooks (one per region) and manifest.json.

Randomness comes only from ``random.Random`` objects seeded from the parameters, and the
workbooks carry a fixed creation date, so the same parameters give the same bytes —
whether the files are written one after the other or by several worker processes.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.io.atomic import atomic_path
from workbook_tools.sampledata import customers, mess
from workbook_tools.sampledata.mess import SHARED_KIND
from workbook_tools.sampledata.regional import FileJob, SampleFile, run
from workbook_tools.sampledata.sheet import Problem
from workbook_tools.sampledata.vocabulary import Vocabulary
from workbook_tools.schema import Schema, load_schema

DEFAULT_REGIONS = ("华东", "华南", "华北", "西南")
MANIFEST = "manifest.json"
PARALLEL_FROM = 20_000  # customers in the whole set from which files are written by worker processes
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True)
class SampleSet:
    out_dir: Path
    files: tuple[SampleFile, ...]
    manifest: tuple[Problem, ...]  # every injected problem, sorted by file, sheet, row, column
    manifest_path: Path

    @property
    def paths(self) -> list[Path]:
        return [f.path for f in self.files]

    def problems(self, kind: str | None = None, file: str | None = None) -> list[Problem]:
        """Injected problems, optionally of one kind and/or in one file (by file name)."""
        return [p for p in self.manifest if (kind is None or p.kind == kind) and (file is None or p.file == file)]


def generate_samples(out_dir, *, seed: int = 2026, regions=None, customers_per_region: int = 300,
                     week: str = "2026-W47", as_of: date | None = None, messy: bool = True,
                     schema: Schema | None = None, files_per_region: int = 1,
                     workers: int | None = None, manifest: str | Path | None = None,
                     visit_scale: float = 1.0) -> SampleSet:
    """Write one workbook per region into ``out_dir``, plus manifest.json (in ``out_dir``
    unless ``manifest`` names another file: keep it out of a folder that is merged).

    ``regions``: names, aliases or codes (default 华东 华南 华北 西南). ``as_of`` defaults to
    the Friday of ``week`` (2026-11-20 for 2026-W47). ``files_per_region`` > 1 splits a
    region into several files (sales teams), e.g. for benchmarks with many files.
    ``workers``: processes writing files (default: 1 for small sets, else one per CPU);
    the output does not depend on it. ``visit_scale`` multiplies the visit records per
    customer (≈ 0.7 at 1; the one-million benchmark uses ≈ 4.2 for 3 a customer)."""
    vocab = Vocabulary(schema or load_schema())
    names = list(dict.fromkeys(vocab.resolve_region(r) for r in (regions or DEFAULT_REGIONS)))
    if customers_per_region < 1 or files_per_region < 1:
        raise WorkbookToolsError("每个文件的客户数和每个区域的文件数都必须至少为 1")
    _, _, monday = parse_week(week)
    as_of = as_of or monday + timedelta(days=4)
    out_dir = Path(out_dir)
    jobs = _jobs(vocab, seed, names, customers_per_region, files_per_region, week, monday, as_of, out_dir, messy)
    if visit_scale != 1.0:
        jobs = [replace(job, visit_scale=visit_scale) for job in jobs]
    results = _run(jobs, workers)
    files = tuple(summary for summary, _ in results)
    problems = tuple(sorted(_link_shared([p for _, found in results for p in found])))
    params = dict(seed=seed, regions=names, customers_per_region=customers_per_region,
                  files_per_region=files_per_region, week=week, as_of=as_of.isoformat(), messy=messy)
    if visit_scale != 1.0:
        params["visit_scale"] = visit_scale
    manifest_path = Path(manifest) if manifest is not None else out_dir / MANIFEST
    _write_manifest(manifest_path, params, vocab.schema, files, problems)
    return SampleSet(out_dir, files, problems, manifest_path)


def parse_week(week: str) -> tuple[int, int, date]:
    """'2026-W47' → (2026, 47, Monday of that ISO week)."""
    match = _WEEK.match(str(week).strip())
    try:
        year, number = int(match[1]), int(match[2])
        return year, number, date.fromisocalendar(year, number, 1)
    except (TypeError, ValueError):
        raise WorkbookToolsError(f"周次“{week}”无效，格式应为 2026-W47") from None


def _jobs(vocab: Vocabulary, seed: int, regions: list[str], count: int, blocks: int, week: str,
          monday: date, as_of: date, out_dir: Path, messy: bool) -> list[FileJob]:
    width = customers.id_width(count, blocks)
    specs = []  # (file name, region, code, block)
    for region in regions:
        for block in range(blocks):
            suffix = f"_{block + 1:02d}" if blocks > 1 else ""
            specs.append((f"{region}_{vocab.schema.name}_{week}{suffix}.xlsx", region, vocab.regions[region], block))
    plans: list = [None] * len(specs)
    if messy:
        files = [(name, region, code, count, customers.reserved_id(code, count, block, width))
                 for name, region, code, block in specs]
        plans = mess.plan(random.Random(f"{seed}:mess"), files, vocab)
    return [FileJob(vocab.schema, seed, region, code, block, part, len(specs), count, width, week, monday, as_of,
                    out_dir / name, plan, series=f"{code}{block + 1:02d}" if blocks > 1 else code)
            for part, ((name, region, code, block), plan) in enumerate(zip(specs, plans))]


def _run(jobs: list[FileJob], workers: int | None) -> list:
    if workers is None:
        big = sum(j.customers for j in jobs) >= PARALLEL_FROM
        workers = min(len(jobs), os.cpu_count() or 1) if big else 1
    if workers <= 1 or len(jobs) <= 1:
        return [run(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, jobs))


def _link_shared(problems: list[Problem]) -> list[Problem]:
    """Point the two rows of the customer kept by two regions at each other."""
    shared = [p for p in problems if p.kind == SHARED_KIND]
    if len(shared) != 2:
        return problems
    a, b = shared
    others = [p for p in problems if p.kind != SHARED_KIND]
    return others + [replace(a, related_file=b.file, related_row=b.row),
                     replace(b, related_file=a.file, related_row=a.row)]


def _write_manifest(path: Path, params: dict, schema: Schema, files, problems) -> None:
    data = {
        "generator": "workbook-tools sample",
        "schema": schema.stamp,
        "parameters": params,
        "files": [dict(file=f.path.name, region=f.region, code=f.code, customers=f.customers,
                       rows=f.rows, header_rows=f.header_rows) for f in files],
        "problem_counts": dict(Counter(p.kind for p in problems)),
        "problems": [asdict(p) for p in problems],
    }
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
