"""`workbook-tools weekly DIR`: the whole week in one call.

validate every incoming file (once, inside the merge) → an annotated copy for every file
with findings → merge with last week's master → summary → next week's visit plans →
an HTML report → all in a dated folder OUTPUT/<year>-W<week>/ that becomes next week's
"previous". Re-running the same week gives the same outputs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from workbook_tools.io.atomic import atomic_path
from workbook_tools.merge.files import MergeRun, merge_files
from workbook_tools.plan import PlanResult, build_plans
from workbook_tools.plan.build import PLAN_FIELDS
from workbook_tools.schema.model import Schema
from workbook_tools.summary.build import SummaryResult, build_summary, merge_fields, summary_fields
from workbook_tools.summary.load import MasterData, load_master
from workbook_tools.validate.annotate import annotate_workbook, annotated_path
from workbook_tools.validate.findings import FileReport
from workbook_tools.weekly.config import WeeklyConfig, load_config
from workbook_tools.weekly.offices import office_statuses, unknown_owners
from workbook_tools.weekly.report import relative_link, render_report

MASTER = "客户档案总表_{week}.xlsx"
SUMMARY = "客户档案汇总_{week}.xlsx"
REPORT = "周报_{week}.html"
RETURNED = "退回修改"
PLANS = "拜访计划"


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class WeeklyResult:
    week: str
    plan_week: str
    out_dir: Path
    previous: Path | None
    merge: MergeRun
    summary: SummaryResult
    plans: PlanResult
    report: Path
    reports: dict[str, FileReport] = field(default_factory=dict)   # input path → validation
    annotated: dict[str, Path] = field(default_factory=dict)      # input path → annotated copy

    def outputs(self) -> list[tuple[str, Path]]:
        items = [("客户档案总表", self.merge.output), ("汇总表", self.summary.path)]
        items += [("拜访计划", p) for p in self.plans.files]
        items += [("退回修改的标注副本", p) for p in self.annotated.values()]
        return items + [("周报", self.report)]


def find_previous(output_root: Path, week: str) -> Path | None:
    """The newest master in OUTPUT/<week>/ folders of weeks before ``week``."""
    found = []
    for folder in output_root.glob("*-W*"):
        if folder.is_dir() and folder.name < week:
            master = folder / MASTER.format(week=folder.name)
            if master.exists():
                found.append((folder.name, master))
    return max(found)[1] if found else None


def load_for_summary_and_plans(master: str | Path, schema: Schema) -> MasterData:
    """The master read once, with the columns both build_summary and build_plans need."""
    return load_master(master, schema, fields=merge_fields(summary_fields(schema), PLAN_FIELDS))


def run_weekly(folder: str | Path, *, out_dir: str | Path | None = None,
               as_of: dt.date | None = None) -> WeeklyResult:
    """Run the week for the archive folder ``folder`` (it holds archive.yaml)."""
    cfg = load_config(folder)
    as_of = as_of or dt.date.today()
    week, plan_week = iso_week(as_of), iso_week(as_of + dt.timedelta(days=7))
    out = Path(out_dir) if out_dir else cfg.output / week
    previous = cfg.previous or find_previous(cfg.output, week)
    reports: dict[str, FileReport] = {}
    merge = merge_files([cfg.incoming], out / MASTER.format(week=week), previous=previous,
                        schema=cfg.schema, run_date=as_of, as_of=as_of,
                        on_report=lambda path, report: reports.__setitem__(str(path), report))
    annotated = _annotate(reports, out / RETURNED, as_of)
    data = load_for_summary_and_plans(merge.output, cfg.schema)   # read once, used twice
    summary = build_summary(merge.output, out / SUMMARY.format(week=week), schema=cfg.schema, as_of=as_of,
                            data=data)
    plans = build_plans(merge.output, schema=cfg.schema, week=plan_week, max_per_day=cfg.max_per_day,
                        out_dir=_fresh(out / PLANS), extra_holidays=cfg.holidays,
                        extra_workdays=cfg.workdays, data=data,
                        salespeople=[n for names in cfg.salespeople.values() for n in names])
    del data
    result = WeeklyResult(week, plan_week, out, previous, merge, summary, plans,
                          out / REPORT.format(week=week), reports, annotated)
    _write_report(result, cfg, as_of)
    return result


def _fresh(folder: Path) -> Path:
    """A folder of our generated workbooks, emptied of last run's .xlsx (a re-run of the
    same week must not keep copies that no longer apply)."""
    if folder.is_dir():
        for item in folder.glob("*.xlsx"):
            item.unlink()
    return folder


def _annotate(reports: dict[str, FileReport], folder: Path, as_of: dt.date) -> dict[str, Path]:
    out: dict[str, Path] = {}
    _fresh(folder)
    for path, report in sorted(reports.items()):
        if report.findings and not report.error:
            target = annotated_path(path, folder)
            out[path] = annotate_workbook(path, report.findings, target, checked_at=as_of.isoformat())
    return out


def _write_report(result: WeeklyResult, cfg: WeeklyConfig, as_of: dt.date) -> None:
    counts = result.merge.result.counts()
    recon = result.merge.result.reconciliation("客户档案")
    offices = office_statuses(cfg, result.merge.inputs, result.reports, result.annotated, result.report)
    context = {
        "week": result.week, "as_of": as_of.isoformat(), "config": cfg.path.name,
        "previous": str(result.previous) if result.previous else None,
        "figures": _figures(result, counts), "offices": offices,
        "recon": {"rows_read": recon.rows_read, "customers": recon.kept, "folded": recon.folded,
                  "quarantined": recon.quarantined, "ok": recon.ok},
        "skipped": [{"name": Path(f.path).name, "reason": f.skipped_reason}
                    for f in result.merge.inputs if f.skipped_reason],
        "unknown_owners": unknown_owners(cfg, result.plans),
        "outputs": [(label, relative_link(p, result.report)) for label, p in result.outputs()],
        "warnings": [*result.merge.notices, *result.plans.warnings],
    }
    with atomic_path(result.report) as tmp:
        tmp.write_text(render_report(context), encoding="utf-8")


def _figures(result: WeeklyResult, counts: dict) -> list[tuple[str, object]]:
    s = result.summary
    return [
        ("客户总数", counts["customers"]), ("本周新增客户", counts["new"]),
        ("信息有变更的客户", counts["changed"]), ("本周未出现的客户", counts["absent"]),
        ("待修正行（未并入）", counts["quarantined"]), ("字段冲突", counts["conflicts"]),
        ("疑似重复客户对", counts["suspected_duplicates"]), ("逾期未跟进客户", s.overdue),
        ("7 天内到期需跟进", s.due_soon), ("业务下滑客户", s.declining),
        (f"{result.plan_week} 已安排拜访", result.plans.planned),
        (f"{result.plan_week} 待安排客户", len(result.plans.pending)),
    ]
