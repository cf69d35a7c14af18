"""Which office sent what: each input file is attributed to a region (by the region name
in its file or folder name, else by the 所属区域 most of its customers have)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from workbook_tools.merge.submissions import previous_inputs
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
                    report_path: Path, week: str = "") -> list[OfficeStatus]:
    """One row per configured region (in config order), then any other region seen; ``week`` is
    the reported week (a file named for another week is not on time)."""
    offices = {region: OfficeStatus(region, week=week) for region in cfg.regions}
    for item in inputs:
        if item.skipped_reason:
            continue
        report = reports.get(item.path)
        region = file_region(item.path, report, cfg.regions)
        office = offices.setdefault(region, OfficeStatus(region, week=week))
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


def submission_notices(cfg, inputs, reports: dict[str, FileReport], previous: Path | None) -> list[str]:
    """What the console and the report say about the week's submissions: files resent
    unchanged from the week before (same sha256 as a file merged into ``previous``) and
    configured regions that sent nothing."""
    last = previous_inputs(previous) if previous is not None else {}
    notes = [f"{item.name} 与上期已合并的 {last[item.sha256]} 内容完全相同：可能是重复发送的旧文件，请与该区域确认"
             for item in inputs if item.skipped_reason is None and item.sha256 in last]
    sent = {file_region(i.path, reports.get(i.path), cfg.regions) for i in inputs if i.skipped_reason is None}
    missing = [region for region in cfg.regions if region not in sent]
    if missing:
        notes.append(f"本周未收到以下区域的文件：{'、'.join(missing)}")
    return notes
