"""What the Excel buttons do, as plain functions on saved workbooks (no Excel, no xlwings).

``workbook_tools.buttons`` (the xlwings adapter the VBA ``RunPython`` lines call) saves the
calling workbook, calls one of these and shows the result: ``validation_marks`` (校验: the
cells to mark, the marks an earlier click left, the 校验结果 rows), ``run_merge`` (合并),
``run_summary`` (汇总) and ``run_plan`` (生成拜访计划) — each the same library function as the
command line, driven by the head-office workbook's 设置 sheet.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.utils.exceptions import CellCoordinatesException

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.generate.xlsm.headoffice import MASTER_PREFIX, SETTINGS_SHEET
from workbook_tools.generate.xlsm.headoffice_settings import HeadOfficeSettings, read_settings
from workbook_tools.schema import load_schema
from workbook_tools.validate.annotate import summary_line
from workbook_tools.validate.annotate.sheet import finding_kind, is_error, level_label
from workbook_tools.validate.findings import sort_findings
from workbook_tools.validate.run import run_validation
from workbook_tools.weekly.run import MASTER, SUMMARY, find_previous, iso_week

ERROR_RGB, WARNING_RGB = (255, 199, 206), (255, 235, 156)
LEVEL_PREFIXES = ("错误：", "警告：")


@dataclass(frozen=True)
class CellMark:
    sheet: str
    cell: str
    color: tuple[int, int, int]
    note: str


@dataclass
class ValidationMarks:
    marks: list[CellMark]
    clear: list[tuple[str, str, bool]]  # (sheet, cell, reset fill) of an earlier click's marks
    rows: list[list]  # 校验结果 rows under the header
    summary: str
    errors: int = 0
    warnings: int = 0

    def message(self) -> str:
        if not self.rows:
            return "校验完成，未发现问题。"
        return (f"校验完成：错误 {self.errors} 个，警告 {self.warnings} 个。有问题的单元格已标红（错误）或标黄（警告），"
                "鼠标移到单元格上可看说明；全部问题列在“校验结果”工作表中。改正后保存，再点“校验”。")


@dataclass
class ActionResult:
    message: str
    outputs: list[Path] = field(default_factory=list)


def validation_marks(path: str | Path, *, schema=None, as_of: dt.date | None = None,
                     checked_at: str | None = None) -> ValidationMarks:
    """Validate the saved workbook ``path``; what the 校验 button shows in it."""
    path = Path(path)
    report = run_validation([path], schema or load_schema(), as_of=as_of).report.files[0]
    if report.status == "unreadable":
        raise WorkbookToolsError(report.error or f"无法读取 {path.name}")
    findings = sort_findings(report.findings)
    wb = openpyxl.load_workbook(path, rich_text=False)
    notes: dict[tuple[str, str], list] = defaultdict(list)
    rows = []
    for n, f in enumerate(findings, start=1):
        cell = _cell(wb, f.sheet, f.cell)
        if cell:
            notes[(f.sheet, cell)].append(f)
        rows.append([n, level_label(f), f.sheet, cell or f.cell or "", f.row or "", f.field or "",
                     "" if f.value is None else str(f.value), f.message, *finding_kind(f)])
    marks = [CellMark(sheet, cell, ERROR_RGB if any(is_error(f) for f in group) else WARNING_RGB,
                      "\n".join(dict.fromkeys(f"{level_label(f)}：{f.message}" for f in group)))
             for (sheet, cell), group in notes.items()]
    summary = summary_line(path, findings, checked_at or dt.datetime.now().strftime("%Y-%m-%d %H:%M"))
    errors = sum(1 for f in findings if is_error(f))
    return ValidationMarks(marks, _previous_marks(wb), rows, summary, errors, len(findings) - errors)


def _cell(wb, sheet: str, cell: str | None) -> str | None:
    """``cell`` normalised ("$c$7" → "C7"; a merged cell → its range's top-left), or None."""
    if not cell or sheet not in wb.sheetnames:
        return None
    try:
        column, row = coordinate_from_string(cell.split(":")[0].replace("$", "").upper())
    except (ValueError, CellCoordinatesException):
        return None
    coord = f"{column}{row}"
    for merged in wb[sheet].merged_cells.ranges:
        if coord in merged:
            return merged.start_cell.coordinate
    return coord


def _previous_marks(wb) -> list[tuple[str, str, bool]]:
    out = []
    colors = {"FF%02X%02X%02X" % rgb for rgb in (ERROR_RGB, WARNING_RGB)}
    for ws in wb.worksheets:
        for cell in list(getattr(ws, "_cells", {}).values()):
            text = cell.comment.text if cell.comment is not None else ""
            if any(line.startswith(LEVEL_PREFIXES) for line in text.splitlines()):
                fill = cell.fill
                ours = fill.fill_type == "solid" and str(fill.fgColor.rgb).upper() in colors
                out.append((ws.title, cell.coordinate, ours))
    return out


def _library(name: str, action: str, *modules: str):
    """The library function ``name`` from the first of ``modules`` that has it (imported lazily)."""
    for module in modules:
        try:
            function = getattr(importlib.import_module(module), name, None)
        except ModuleNotFoundError:
            function = None
        if function is not None:
            return function
    raise WorkbookToolsError(f"当前安装的 workbook-tools 还不支持“{action}”，请升级后再试")


def latest_master(outdir: Path) -> Path | None:
    """The newest master in the week folders of ``outdir`` (<week>/客户档案总表_<week>.xlsx)."""
    found = sorted(f / MASTER.format(week=f.name) for f in outdir.glob("*-W*")
                   if (f / MASTER.format(week=f.name)).is_file())
    return found[-1] if found else None


def _master(settings: HeadOfficeSettings) -> Path:
    master = (latest_master(settings.outdir) if settings.outdir.is_dir() else None) or settings.previous
    if master is None or not master.is_file():
        raise WorkbookToolsError(f"“{settings.outdir}”中还没有{MASTER_PREFIX}，请先点击“合并”")
    return master


def run_merge(path: str | Path, *, today: dt.date | None = None, schema=None) -> ActionResult:
    """合并: the workbooks in 区域文件夹 → 输出文件夹/<week>/客户档案总表_<week>.xlsx (as `weekly`)."""
    settings, today = read_settings(path), today or dt.date.today()
    if not settings.incoming.is_dir():
        raise WorkbookToolsError(f"找不到区域文件夹“{settings.incoming}”，请检查“{SETTINGS_SHEET}”表")
    week = iso_week(today)
    output = settings.outdir / week / MASTER.format(week=week)
    previous = settings.previous or find_previous(settings.outdir, week)
    merge_files = _library("merge_files", "合并", "workbook_tools.merge.files", "workbook_tools.merge")
    run = merge_files([settings.incoming], output, previous=previous, schema=schema, as_of=today, run_date=today,
                      force=True)  # as weekly: the week's own dated master is replaced
    c = run.counts()
    lines = [f"已合并：读取 {c['files_read']} 个文件，跳过 {c['files_skipped_count']} 个"
             + (f"；上期总表：{previous.name}" if previous else "；首次合并（没有上期总表）")]
    lines += [f"  已跳过 {item['file']}：{item['reason']}" for item in c["files_skipped"][:5]]
    lines += [f"客户档案共 {c['customers']} 位客户（新增 {c['new']}，有修改 {c['changed']}）；"
              f"待修正 {c['quarantined']} 行，字段冲突 {c['conflicts']} 处，疑似重复客户 {c['suspected_duplicates']} 对，"
              "详见总表的“待修正”“冲突”“疑似重复”和“合并说明”。", f"已生成：{output}"]
    return ActionResult("\n".join(lines), [output])


def run_summary(path: str | Path, *, today: dt.date | None = None, schema=None) -> ActionResult:
    """汇总: the latest master → 客户档案汇总_<week>.xlsx beside it."""
    settings, today = read_settings(path), today or dt.date.today()
    master = _master(settings)
    build_summary = _library("build_summary", "汇总", "workbook_tools.summary")
    out = master.parent / SUMMARY.format(week=master.parent.name)
    r = build_summary(master, out, schema=schema, as_of=today)
    return ActionResult(f"已根据 {master.name} 生成汇总：客户 {r.customers} 位，逾期未联系 {r.overdue} 位，"
                        f"7 天内应联系 {r.due_soon} 位，业务下滑 {r.declining} 位。\n已生成：{r.path}", [Path(r.path)])


def run_plan(path: str | Path, *, today: dt.date | None = None, schema=None) -> ActionResult:
    """生成拜访计划: the latest master → 客户拜访计划_<week>.xlsx beside it (default: next week)."""
    from workbook_tools.plan.calendar import parse_week

    settings, today = read_settings(path), today or dt.date.today()
    master = _master(settings)
    label, _ = parse_week(settings.week or today + dt.timedelta(days=7))
    build_plans = _library("build_plans", "生成拜访计划", "workbook_tools.plan")
    result = build_plans(master, schema=schema, week=label, out=master.parent / f"客户拜访计划_{label}.xlsx")
    return ActionResult("\n".join(result.summary_lines()), [Path(p) for p in result.files])
