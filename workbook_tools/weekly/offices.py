"""Which office sent what: each input file is attributed to a region (by the region name
in its file or folder name, else by the 所属区域 most of its customers have)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from workbook_tools.validate.findings import FileReport
from workbook_tools.weekly.report import OfficeStatus, relative_link

UNKNOWN_REGION = "（未识别区域）"


def file_region(path: str, report: FileReport | None, regions: tuple[str, ...]) -> str:
    """The region a submitted file belongs to."""
    parts = Path(path).parts[-2:]
    for region in regions:
        if any(region in part for part in parts):
            return region
    votes: Counter = Counter()
    for table in (report.tables if report else []):
        for parsed in table.parsed:
            if parsed.get("region"):
                votes[parsed["region"]] += 1
    return votes.most_common(1)[0][0] if votes else UNKNOWN_REGION


def office_statuses(cfg, inputs, reports: dict[str, FileReport], annotated: dict[str, Path],
                    report_path: Path) -> list[OfficeStatus]:
    """One row per configured region (in config order), then any other region seen."""
    offices = {region: OfficeStatus(region) for region in cfg.regions}
    for item in inputs:
        if item.skipped_reason:
            continue
        report = reports.get(item.path)
        region = file_region(item.path, report, cfg.regions)
        office = offices.setdefault(region, OfficeStatus(region))
        office.files.append(Path(item.path).name)
        if report is not None:
            office.rows += report.rows
            office.errors += report.errors
            office.warnings += report.warnings
        if item.path in annotated:
            office.annotated.append(relative_link(annotated[item.path], report_path))
    return list(offices.values())


def unknown_owners(cfg, plans) -> list[str]:
    """负责业务员 of the archive that archive.yaml's salespeople do not list."""
    known = {name for names in cfg.salespeople.values() for name in names}
    return sorted({*(p for p in plans.plans if p and p not in known), *getattr(plans, "unlisted", ())})
