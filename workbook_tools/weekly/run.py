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
from typing import Any, Callable, Sequence

from workbook_tools.io.atomic import atomic_path
from workbook_tools.history import HistoryStore, check_store, record_run
from workbook_tools.io.crypto import opened
from workbook_tools.merge.files import MergeRun, merge_files
from workbook_tools.merge.reading import Progress
from workbook_tools.merge.recording import run_record
from workbook_tools.privacy.ledger import DEFAULT_NAME, Ledger
from workbook_tools.plan import PlanResult, build_plans
from workbook_tools.plan.build import PLAN_FIELDS
from workbook_tools.schema.model import Schema
from workbook_tools.summary.archived import with_archived_visits
from workbook_tools.summary.build import (
    SUMMARY_FIELDS, SummaryResult, archived_of, build_summary, merge_fields, presence_only, summary_fields,
)
from workbook_tools.summary.load import MasterData, load_master
from workbook_tools.validate.annotate import annotate_workbook, annotated_path
from workbook_tools.validate.findings import FileReport
from workbook_tools.weekly.charts import WeekFigures, week_charts, week_figures
from workbook_tools.weekly.config import WeeklyConfig, load_config
from workbook_tools.weekly.offices import office_statuses, submission_notices, unknown_owners
from workbook_tools.weekly.report import relative_link, render_report
from workbook_tools.weekly.trends import WeekTrend

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
    notices: list[str] = field(default_factory=list)   # resent files, regions that sent nothing
    figures: WeekFigures = field(default_factory=WeekFigures)    # the report's chart numbers
    history: Path | None = None                                   # the history store recorded into

    def outputs(self) -> list[tuple[str, Path]]:
        items = [("客户档案总表", self.merge.output), ("汇总表", self.summary.path)]
        items += [("拜访计划", p) for p in self.plans.files]
        items += [("退回修改的标注副本", p) for p in self.annotated.values()]
        items += [("档案历史库", self.history)] if self.history else []
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
    return load_master(master, schema, fields=merge_fields(summary_fields(schema), PLAN_FIELDS),
                       presence=presence_only(schema, SUMMARY_FIELDS, PLAN_FIELDS))


def run_weekly(folder: str | Path, *, out_dir: str | Path | None = None,
               as_of: dt.date | None = None, step: Callable[[str], Any] | None = None,
               progress: Progress | None = None, trends: Sequence[WeekTrend] = (),
               password: str | None = None) -> WeeklyResult:
    """Run the week for the archive folder ``folder`` (it holds archive.yaml). ``step(text)`` is
    told each stage as it starts (Chinese), ``progress`` is merge_files' per-file callback,
    ``trends`` the totals of earlier weeks (history store) for the report's 12-week trend.
    ``password``: the master and the summary are written encrypted with it, and last week's
    master is opened with it."""
    step = step or (lambda text: None)
    cfg = load_config(folder)
    as_of = as_of or dt.date.today()
    week, plan_week = iso_week(as_of), iso_week(as_of + dt.timedelta(days=7))
    out = Path(out_dir) if out_dir else cfg.output / week
    previous = cfg.previous or find_previous(cfg.output, week)
    reports: dict[str, FileReport] = {}
    if cfg.history is not None:
        check_store(cfg.history)
    step("正在校验并合并各区域文件…")
    merge = merge_files([cfg.incoming], out / MASTER.format(week=week), previous=previous,
                        schema=cfg.schema, run_date=as_of, as_of=as_of,
                        on_report=lambda path, report: reports.__setitem__(str(path), report),
                        force=True, progress=progress,   # a re-run replaces the week's own outputs
                        ignore=cfg.ignore, password=password,
                        visit_history_weeks=cfg.visit_history_weeks, visit_store=cfg.history)
    step("正在生成退回修改的标注副本…")
    annotated = _annotate(reports, out / RETURNED, as_of)
    step("正在生成汇总表…")
    with opened(merge.output, password) as plain:
        data = load_for_summary_and_plans(plain, cfg.schema)   # read once, used twice
    if cfg.visit_history_weeks is not None:   # the older visits are in the history store
        data = with_archived_visits(data, archived_of(cfg.history), cfg.schema)
    summary = build_summary(merge.output, out / SUMMARY.format(week=week), schema=cfg.schema, as_of=as_of,
                            data=data, password=password)
    step("正在生成拜访计划…")
    plans = build_plans(merge.output, schema=cfg.schema, week=plan_week, max_per_day=cfg.max_per_day,
                        out_dir=_fresh(out / PLANS), extra_holidays=cfg.holidays,
                        extra_workdays=cfg.workdays, data=data,
                        salespeople=[n for names in cfg.salespeople.values() for n in names])
    figures = week_figures(data, cfg.schema, as_of)
    del data
    if cfg.history is not None:
        step("正在记录进档案历史库…")
        merge.notices += record_run(cfg.history, run_record(merge.result, cfg.schema, merge.output,
                                                            overdue=summary.overdue))
    result = WeeklyResult(week, plan_week, out, previous, merge, summary, plans,
                          out / REPORT.format(week=week), reports, annotated,
                          submission_notices(cfg, merge.inputs, reports, previous), figures, cfg.history)
    step("正在写出周报…")
    write_report(result, cfg, as_of, trends or week_trends(cfg.history))
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


def write_report(result: WeeklyResult, cfg: WeeklyConfig, as_of: dt.date,
                 trends: Sequence[WeekTrend] = ()) -> None:
    """(Re)write the week's HTML report ``result.report`` (atomically)."""
    counts = result.merge.result.counts()
    recon = result.merge.result.reconciliation("客户档案")
    offices = office_statuses(cfg, result.merge.inputs, result.reports, result.annotated, result.report,
                              result.week)
    context = {
        "charts": week_charts(result.figures, counts), "trends": list(trends),
        "week": result.week, "as_of": as_of.isoformat(), "config": cfg.path.name,
        "previous": str(result.previous) if result.previous else None,
        "figures": _figures(result, counts), "offices": offices,
        "recon": {"rows_read": recon.rows_read, "customers": recon.kept, "folded": recon.folded,
                  "quarantined": recon.quarantined, "ok": recon.ok},
        "skipped": [{"name": Path(f.path).name, "reason": f.skipped_reason}
                    for f in result.merge.inputs if f.skipped_reason],
        "unknown_owners": unknown_owners(cfg, result.plans),
        "overdue_loans": overdue_loans(cfg.path.parent, as_of), "ledger": DEFAULT_NAME,
        "outputs": [(label, relative_link(p, result.report)) for label, p in result.outputs()],
        "warnings": [*result.notices, *result.merge.notices, *result.plans.warnings],
    }
    with atomic_path(result.report) as tmp:
        tmp.write_text(render_report(context), encoding="utf-8")


def week_trends(store: Path | None, weeks: int = 12) -> list[WeekTrend]:
    """The last ``weeks`` weeks' totals from the history store, for the report's trend charts."""
    if store is None or not Path(store).exists():
        return []
    with HistoryStore(store) as history:
        return [WeekTrend(**row) for row in history.weekly_totals(last=weeks)]


def overdue_loans(folder: Path, as_of: dt.date) -> list:
    """发放 entries past their return-by date in the ledger beside archive.yaml (if any)."""
    path = folder / DEFAULT_NAME
    return Ledger(path).issues(overdue_on=as_of) if path.exists() else []


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
