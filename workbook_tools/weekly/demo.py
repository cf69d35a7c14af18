"""`make demo`: a complete archive folder built from the seeded sample data (archive.yaml
written by `weekly init` from the sample files), then one weekly run on it. Everything goes
under one folder (build/demo by default); incoming/ holds only the regional files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from workbook_tools.generate import generate_template
from workbook_tools.sampledata import MANIFEST, generate_samples
from workbook_tools.schema import load_schema
from workbook_tools.weekly.init import init_archive
from workbook_tools.weekly.run import WeeklyResult, run_weekly

DEMO_AS_OF = dt.date(2026, 11, 22)  # the Sunday of the sample week 2026-W47
REGIONS = ("华东", "华南", "华北", "西南")


@dataclass
class DemoResult:
    folder: Path
    templates: list[Path]
    samples: list[Path]
    weekly: WeeklyResult
    manifest: Path


def run_demo(folder: str | Path, *, customers: int = 300) -> DemoResult:
    folder = Path(folder)
    schema = load_schema()
    templates = [generate_template(schema, kind, folder / "模板" / f"{form.title}.xlsx")
                 for kind, form in ((f.key, f) for f in schema.forms)]
    # the manifest of injected problems goes beside incoming/, which holds only submissions
    samples = generate_samples(folder / "incoming", regions=list(REGIONS), customers_per_region=customers,
                               manifest=folder / MANIFEST)
    init_archive(folder, regions=REGIONS, sources=samples.paths, schema=schema, force=True)
    weekly = run_weekly(folder, as_of=DEMO_AS_OF)
    return DemoResult(folder, templates, list(map(Path, samples.paths)), weekly, samples.manifest_path)
