"""What the buttons of macro-enabled workbooks run (VBA ``RunPython`` → these functions).

The only module importing xlwings, and only inside the thin Excel-facing functions
``validate``, ``merge``, ``summary`` and ``plan``. Each gets the calling workbook, saves it,
calls a plain function below (tested on saved files, no Excel needed) that calls the same
library function as the command line, and shows the result in Excel. Every failure is one
Chinese line in a message box, never a Python traceback.

校验 shows its results in the open workbook: ``validation_marks`` validates the saved file
and returns the cells to mark (fill + note, as in ``validate --annotate``), the marks an
earlier click left (to clear) and the 校验结果 rows; the applier writes them with xlwings.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import sys
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.utils.exceptions import CellCoordinatesException

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.generate.headoffice import MASTER_PREFIX, SETTINGS_SHEET
from workbook_tools.generate.headoffice_settings import HeadOfficeSettings, read_settings
from workbook_tools.schema import load_schema
from workbook_tools.validate.annotate import summary_line
from workbook_tools.validate.annotate_sheet import HEADERS, RESULT_SHEET, WIDTHS, is_error, level_label
from workbook_tools.validate.findings import sort_findings
from workbook_tools.validate.run import run_validation
from workbook_tools.weekly.run import MASTER, SUMMARY, find_previous, iso_week

TITLE = "workbook-tools"
ERROR_RGB, WARNING_RGB, HEADER_RGB = (255, 199, 206), (255, 235, 156), (217, 225, 242)
LEVEL_PREFIXES = ("错误：", "警告：")
# Worksheet.Protect's Allow… arguments, in their positional order (after Password, DrawingObjects,
# Contents, Scenarios, UserInterfaceOnly).
PROTECTION_OPTIONS = ("AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows",
                      "AllowInsertingColumns", "AllowInsertingRows", "AllowInsertingHyperlinks",
                      "AllowDeletingColumns", "AllowDeletingRows", "AllowSorting", "AllowFiltering",
                      "AllowUsingPivotTables")


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


# -- plain functions (no Excel) ----------------------------------------------------------
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
                     "" if f.value is None else str(f.value), f.message, f.code])
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
    run = merge_files([settings.incoming], output, previous=previous, schema=schema, as_of=today, run_date=today)
    c = run.counts()
    lines = [f"已合并：读取 {c['files_read']} 个文件，跳过 {c['files_skipped']} 个"
             + (f"；上期总表：{previous.name}" if previous else "；首次合并（没有上期总表）")]
    lines += [f"  已跳过 {item['file']}：{item['reason']}" for item in c["skipped"][:5]]
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


# -- Excel side (xlwings) ----------------------------------------------------------------
def _alert(book, text: str, critical: bool = False) -> None:
    try:
        book.app.alert(text, title=TITLE, mode="critical" if critical else "info")
    except Exception:  # no Excel to talk to: the console is all there is
        print(text, file=sys.stderr)


def _saved_path(book) -> Path | None:
    full = str(book.fullname or "")
    if "://" in full:
        _alert(book, "工作簿在网络位置（OneDrive/SharePoint），请先另存到本机文件夹，再点击按钮。", critical=True)
        return None
    if not Path(full).is_absolute():
        _alert(book, "请先保存工作簿（文件 → 另存为，保存类型选“Excel 启用宏的工作簿 (*.xlsm)”），再点击按钮。", critical=True)
        return None
    try:
        book.save()
    except Exception:
        raise WorkbookToolsError("无法保存工作簿（可能是只读文件或受保护的视图）；请先“启用编辑”或另存到本机文件夹") from None
    return Path(full)


def _button(action):
    """Run ``action(book, saved path)`` for the calling workbook; any failure → one Chinese line."""
    @functools.wraps(action)
    def run() -> None:
        book = None
        try:
            import xlwings as xw

            book = xw.Book.caller()
            path = _saved_path(book)
            if path is not None:
                action(book, path)
        except WorkbookToolsError as exc:
            _alert(book, str(exc), critical=True)
        except Exception as exc:  # a bug: still one line, never a traceback window
            _alert(book, f"内部错误：{type(exc).__name__}: {exc}（请把这条信息反馈给维护人员）", critical=True)
    return run


@_button
def validate(book, path: Path) -> None:
    marks = validation_marks(path)
    locked = _apply_marks(book, marks)
    extra = f"\n工作表“{'、'.join(locked)}”设有密码保护，只标了颜色，没有添加批注。" if locked else ""
    _alert(book, marks.message() + extra)


def _open_and_report(book, result: ActionResult) -> None:
    for output in result.outputs:
        book.app.books.open(str(output))
    _alert(book, result.message)


@_button
def merge(book, path: Path) -> None:
    _open_and_report(book, run_merge(path))


@_button
def summary(book, path: Path) -> None:
    _open_and_report(book, run_summary(path))


@_button
def plan(book, path: Path) -> None:
    _open_and_report(book, run_plan(path))


def _apply_marks(book, marks: ValidationMarks) -> list[str]:
    """Clear an earlier click's marks, mark the cells, write 校验结果; return sheets left without notes."""
    active, locked = book.sheets.active, []
    by_sheet: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    for sheet, cell, reset in marks.clear:
        by_sheet[sheet][0].append((cell, reset))
    for mark in marks.marks:
        by_sheet[mark.sheet][1].append(mark)
    for name, (clear, new) in by_sheet.items():
        sheet = book.sheets[name]
        with _unprotected(sheet) as notes_allowed:
            if not notes_allowed and new:
                locked.append(name)
            for cell, reset in clear:
                _clear(sheet[cell], reset, notes_allowed)
            for mark in new:
                rng = sheet[mark.cell]
                rng.color = mark.color
                if notes_allowed:
                    _clear(rng, False, True)
                    rng.add_note(mark.note)
    _write_results(book, marks)
    active.activate()
    return locked


def _clear(rng, reset_fill: bool, notes_allowed: bool) -> None:
    if notes_allowed and rng.note is not None:
        rng.note.delete()
    if reset_fill:
        rng.color = None


@contextmanager
def _unprotected(sheet):
    """Lift a password-less sheet protection (Windows) while marking; yields whether notes may be added."""
    api = sheet.api
    if sys.platform != "win32":
        yield not _protected_mac(api)
        return
    if not api.ProtectContents:
        yield True
        return
    options = [getattr(api.Protection, name) for name in PROTECTION_OPTIONS]
    drawing, scenarios = api.ProtectDrawingObjects, api.ProtectScenarios
    try:
        api.Unprotect("")
    except Exception:  # protected with a password: fills only
        yield False
        return
    try:
        yield True
    finally:
        api.Protect("", drawing, True, scenarios, False, *options)


def _protected_mac(api) -> bool:
    try:
        return bool(api.protect_contents.get())
    except Exception:
        return True


def _write_results(book, marks: ValidationMarks) -> None:
    if RESULT_SHEET in [s.name for s in book.sheets]:
        sheet = book.sheets[RESULT_SHEET]
        sheet.clear()
    else:
        sheet = book.sheets.add(RESULT_SHEET, after=book.sheets[len(book.sheets) - 1])
    sheet.range("C:I").number_format = "@"  # values such as 0755… or =… stay as they were typed
    sheet["A1"].value = marks.summary
    sheet["A1"].font.bold = True
    sheet["A2"].value = [list(HEADERS), *marks.rows]
    header = sheet.range((2, 1), (2, len(HEADERS)))
    header.font.bold, header.color = True, HEADER_RGB
    for number, width in enumerate(WIDTHS, start=1):
        sheet.range((1, number)).column_width = width
    for offset, row in enumerate(marks.rows, start=3):
        sheet.range((offset, 2)).color = ERROR_RGB if row[1] == "错误" else WARNING_RGB
