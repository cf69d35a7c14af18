"""`make demo`: a complete archive folder built from the seeded sample data, then one
weekly run on it. Everything goes under one folder (build/demo by default)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from workbook_tools.generate import generate_template
from workbook_tools.io.reader import read_workbook
from workbook_tools.sampledata import generate_samples
from workbook_tools.schema import load_schema
from workbook_tools.weekly.config import CONFIG_NAME
from workbook_tools.weekly.run import WeeklyResult, run_weekly

DEMO_AS_OF = dt.date(2026, 11, 22)  # the Sunday of the sample week 2026-W47
REGIONS = ("华东", "华南", "华北", "西南")


@dataclass
class DemoResult:
    folder: Path
    templates: list[Path]
    samples: list[Path]
    weekly: WeeklyResult


def _salespeople(samples, schema) -> dict[str, list[str]]:
    """The 负责业务员 of each region's sample file (what an office would list)."""
    people: dict[str, set[str]] = {r: set() for r in REGIONS}
    for item in samples.files:
        if item.region not in people:
            continue
        book = read_workbook(item.path, schema, form="registration")
        for table in book.sheets:
            pos = table.position("owner")
            people[item.region].update(str(r.values[pos]).strip() for r in table.records
                                       if pos is not None and pos < len(r.values) and r.values[pos])
    return {r: sorted(names) for r, names in people.items()}


def _config(samples, schema) -> dict:
    """archive.yaml for the samples."""
    return {
        "regions": list(REGIONS), "salespeople": _salespeople(samples, schema),
        "incoming": "incoming", "previous": None,
        "contact_cycles": dict(schema.settings["contact_cycles"]),
        "purchase_cycles": dict(schema.settings["purchase_cycles"]),
        "output": "output", "max_per_day": 6,
    }


def run_demo(folder: str | Path, *, customers: int = 300) -> DemoResult:
    folder = Path(folder)
    schema = load_schema()
    templates = [generate_template(schema, kind, folder / "模板" / f"{form.title}.xlsx", checks=True)
                 for kind, form in ((f.key, f) for f in schema.forms)]
    samples = generate_samples(folder / "incoming", regions=list(REGIONS), customers_per_region=customers)
    config = folder / CONFIG_NAME
    config.write_text(yaml.safe_dump(_config(samples, schema), allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    weekly = run_weekly(folder, as_of=DEMO_AS_OF)
    return DemoResult(folder, templates, list(map(Path, samples.paths)), weekly)
