"""``build_plans``: master archive → weekly 客户拜访计划 per salesperson (the `plan` command)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from workbook_tools.errors import OutputError, WorkbookToolsError
from workbook_tools.generate.context import GENERATOR
from workbook_tools.io.atomic import atomic_path
from workbook_tools.io.crypto import opened
from workbook_tools.plan.calendar import PlanWeek, day_text, plan_week
from workbook_tools.plan.due import due_customers
from workbook_tools.plan.schedule import NO_OWNER, PlanItem, check_max_per_day, schedule
from workbook_tools.plan.writer import PENDING_SHEET, PlanBook, PlanSheet, write_book
from workbook_tools.schema.loader import load_schema
from workbook_tools.schema.model import Schema
from workbook_tools.summary.build import require_fields
from workbook_tools.summary.load import MasterData, load_master

# Columns planning reads (plan.due); the other columns of the master are not parsed.
PLAN_FIELDS = {
    "registration": {"customer_id", "customer_name", "category", "owner", "contact_cycle", "created"},
    "visit-record": {"customer_id", "date"},
    "visit-plan": set(),
}
SHEET_MAX = 31
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_FILE_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
RULES = ("每人每天最多安排 {n} 次拜访。",
         "应联系日期 = 最近一次拜访日期（没有拜访记录时取建档日期）+ 联系周期(天)；联系周期未填写时按客户类别：{cycles}。"
         "应联系日期不晚于本周日的客户列入本周计划。",
         "优先顺序：客户类别（{order}），同类别中逾期越久越靠前。已逾期的客户安排在最早的工作日，"
         "其余客户尽量安排在应联系日期当天或之前；名额不够的客户列入“待安排”表，请另行安排。",
         "拜访方式默认重要客户上门拜访、其他客户电话回访，可按实际情况修改。",
         "填写方法：拜访后将“状态”改为“已完成”，填写实际日期、拜访结果、客户满意度和下次跟进日期；"
         "未能拜访的改为“已延期”或“已取消”并在备注中说明。请勿修改计划编号、客户编号和表头。"
         "交回后，已完成的行将并入主档案的拜访记录。")


@dataclass
class PlanResult:
    week: PlanWeek
    max_per_day: int
    plans: dict[str, list[PlanItem]]   # every 负责业务员 of the archive, sorted; [] when none due
    pending: pd.DataFrame              # 待安排: schedule.PENDING_COLUMNS
    customers: int                     # customers in the archive
    due: int                           # of which due this week (planned + 待安排)
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)  # 负责业务员 not in ``salespeople``: no plan

    @property
    def planned(self) -> int:
        return sum(len(items) for items in self.plans.values())

    def summary_lines(self) -> list[str]:
        """What the command prints: figures, warnings, files (Chinese)."""
        lines = [f"{self.week.span_text()}：工作日 {len(self.week.workdays)} 天，"
                 f"业务员 {len(self.plans)} 人，客户 {self.customers} 位，本周应联系 {self.due} 位",
                 f"已安排拜访 {self.planned} 次，待安排 {len(self.pending)} 位"]
        lines += [f"注意：{w}" for w in self.warnings]
        return lines + [f"已生成：{p}" for p in self.files]


def sheet_name(prefix: str, person: str, taken: set[str]) -> str:
    """A valid, unused worksheet name such as 客户拜访计划-张三 (≤ 31 characters)."""
    base = f"{prefix}-{_SHEET_BAD.sub('_', person)}" if person else prefix
    name, n = base[:SHEET_MAX].strip("'"), 2
    while name.lower() in taken:
        suffix = f"({n})"
        name, n = base[:SHEET_MAX - len(suffix)].strip("'") + suffix, n + 1
    taken.add(name.lower())
    return name


def file_name(prefix: str, person: str, week: str, taken: set[str]) -> str:
    """A safe, unused file name such as 客户拜访计划_张三_2026-W48.xlsx."""
    safe = _FILE_BAD.sub("_", person).strip(" .") or "未命名"
    name, n = f"{prefix}_{safe}_{week}.xlsx", 2
    while name.lower() in taken:
        name, n = f"{prefix}_{safe}({n})_{week}.xlsx", n + 1
    taken.add(name.lower())
    return name


def _notes(result: PlanResult, schema: Schema, master: Path, people: str) -> list[str]:
    week = result.week
    days = "、".join(day_text(d) for d in week.workdays) or "无（全部为节假日）"
    reg = schema.form("registration").field("category")
    cycles = "、".join(f"{k} {v} 天" for k, v in (schema.settings.get("contact_cycles") or {}).items())
    rules = [r.format(n=result.max_per_day, cycles=cycles or "未设置", order="→".join(reg.choice_values))
             for r in RULES]
    return [f"周次：{week.span_text()}", f"业务员：{people}", f"本周工作日：{days}", *rules,
            f"依据主档案：{master.name}",
            f"表格版本：{schema.stamp}　表单：visit-plan　生成工具：{GENERATOR}"
            "（合并和校验时据此识别表格，请勿删除本页）"]


def _book(result: PlanResult, schema: Schema, master: Path, sheets: list[tuple[str, str]],
          pending: pd.DataFrame, owner: str | None = None) -> PlanBook:
    """One workbook: ``sheets`` are (sheet name, salesperson); ``owner`` for a personal one."""
    people = [p for _, p in sheets]
    who = owner or (f"{len(people)} 人（每人一个工作表）" if people else "无")
    title = f"{schema.form('visit-plan').title} {result.week.label}" + (f" {owner}" if owner else "")
    planned = sum(len(result.plans[p]) for p in people)
    counts = f"本表共安排拜访 {planned} 次；另有 {len(pending)} 位客户列在“{PENDING_SHEET}”表。"
    return PlanBook(
        title=title, owner=owner, pending=pending, warnings=list(result.warnings),
        sheets=[PlanSheet(n, p, result.plans[p]) for n, p in sheets],
        notes=[counts, *_notes(result, schema, master, who)],
        properties={"week": result.week.label},
    )


def _write(target: Path, book: PlanBook, schema: Schema, master: Path) -> Path:
    with atomic_path(target, inputs=[master]) as tmp:
        write_book(tmp, book, schema)
    return target


def _write_one(result: PlanResult, schema: Schema, master: Path, out: Path) -> list[Path]:
    title, taken = schema.form("visit-plan").title, set()
    sheets = [(sheet_name(title, p, taken), p) for p in result.plans]
    return [_write(out, _book(result, schema, master, sheets, result.pending), schema, master)]


def _write_each(result: PlanResult, schema: Schema, master: Path, out_dir: Path) -> list[Path]:
    title, taken, files = schema.form("visit-plan").title, set(), []
    by_person = {p: rows.reset_index(drop=True) for p, rows in result.pending.groupby("salesperson")}
    for person in result.plans:
        mine = by_person.get(person, result.pending.iloc[:0])
        book = _book(result, schema, master, [(title, person)], mine, owner=person)
        files.append(_write(out_dir / file_name(title, person, result.week.label, taken), book, schema, master))
    orphans = by_person.get("", result.pending.iloc[:0])
    if len(orphans):   # customers without 负责业务员 belong to no salesperson's workbook
        book = _book(result, schema, master, [], orphans)
        book.title = f"{PENDING_SHEET}（{NO_OWNER}） {result.week.label}"
        name = f"{PENDING_SHEET}_{NO_OWNER}_{result.week.label}.xlsx"
        files.append(_write(out_dir / name, book, schema, master))
    return files


def _check_outputs(out, out_dir) -> tuple[Path | None, Path | None]:
    if (out is None) == (out_dir is None):
        raise WorkbookToolsError("请指定输出位置：用 -o 指定一个工作簿（每位业务员一个工作表），"
                                 "或用 --out-dir 指定文件夹（每位业务员一个工作簿），二者选一")
    if out is not None and Path(out).suffix.lower() != ".xlsx":
        raise OutputError(f"输出文件 {out} 的扩展名应为 .xlsx")
    return (Path(out) if out is not None else None), (Path(out_dir) if out_dir is not None else None)


NOT_LISTED = "负责业务员不在业务员名单（archive.yaml 的 salespeople）中"


def _only_listed(frame: pd.DataFrame, everyone: list[str], listed: Iterable[str] | None,
                 ) -> tuple[pd.DataFrame, list[str]]:
    """The due frame with the customers of unlisted salespeople sent to 待安排, and those
    salespeople."""
    if listed is None:
        return frame, []
    listed = set(listed)
    unlisted = [p for p in everyone if p and p not in listed]
    mask = frame["owner"].isin(unlisted) & frame["reason"].eq("")
    if mask.any():
        frame = frame.copy()
        frame.loc[mask, "reason"] = NOT_LISTED
    return frame, unlisted


def build_plans(master_path: str | Path, *, schema: Schema | str | Path | None, week,
                max_per_day: int = 6, out: str | Path | None = None, out_dir: str | Path | None = None,
                extra_holidays: Iterable = (), extra_workdays: Iterable = (),
                data: MasterData | None = None, password: str | None = None,
                salespeople: Iterable[str] | None = None) -> PlanResult:
    """Weekly 客户拜访计划 for every 负责业务员 of the master archive ``master_path``.

    ``week`` is an ISO week ("2026-W48") or any date in it. Customers due by the week's Sunday
    (see plan.due) are spread over its working days (see plan.schedule), at most
    ``max_per_day`` visits per salesperson a day; the rest are listed on 待安排.
    ``out``: one workbook, a sheet 客户拜访计划-<业务员> per salesperson. ``out_dir``: one
    workbook 客户拜访计划_<业务员>_<week>.xlsx each (sheet 客户拜访计划), plus
    待安排_未指定负责业务员_<week>.xlsx when customers have no salesperson.
    ``extra_holidays`` / ``extra_workdays`` (dates or "2026-10-08") override the holiday
    calendar. Outputs are written atomically and are byte-for-byte reproducible.
    ``data``: the master ``master_path`` already loaded (load_master with at least
    PLAN_FIELDS), so a caller that also builds the summary reads the file once.
    ``password`` opens an encrypted master (the plans themselves are written in clear: they
    go to the salespeople and carry no 敏感 field).
    ``salespeople``: only these get a plan; others' due customers go to 待安排 (_only_listed).
    Raises WorkbookToolsError (Chinese message) for bad arguments or an unreadable master.
    """
    out, out_dir = _check_outputs(out, out_dir)
    schema = schema if isinstance(schema, Schema) else load_schema(schema)
    plan = plan_week(week, extra_holidays, extra_workdays)
    max_per_day = check_max_per_day(max_per_day)
    master_path = Path(master_path)
    if data is None:
        with opened(master_path, password) as plain:
            data = load_master(plain, schema, fields=PLAN_FIELDS)
    else:
        require_fields(data, PLAN_FIELDS, "build_plans")
    due = due_customers(data, schema, plan)
    frame, unlisted = _only_listed(due.frame, due.salespeople, salespeople)
    scheduled, pending = schedule(frame, plan, max_per_day, schema)
    warnings = [*plan.warnings, *due.warnings]
    if not plan.workdays:
        warnings.append(f"{plan.label} 没有工作日，本周不安排拜访，应联系的客户全部列入“{PENDING_SHEET}”表")
    plans = {p: scheduled.get(p, []) for p in due.salespeople if p not in unlisted}
    result = PlanResult(week=plan, max_per_day=max_per_day, pending=pending, customers=due.customers,
                        plans=plans, due=len(due.frame), warnings=warnings, unlisted=unlisted)
    result.files = (_write_one(result, schema, master_path, out) if out is not None
                    else _write_each(result, schema, master_path, out_dir))
    return result
