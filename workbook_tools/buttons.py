"""What the buttons of macro-enabled workbooks run (VBA ``RunPython`` → these functions).

The only module importing xlwings, and only inside the thin Excel-facing functions
``validate``, ``merge``, ``summary`` and ``plan``. Each gets the calling workbook, saves it,
calls a plain function of ``button_actions`` (tested on saved files, no Excel needed) that
calls the same library function as the command line, and shows the result in Excel. Every
failure is one Chinese line in a message box, never a Python traceback.

校验 shows its results in the open workbook: ``validation_marks`` validates the saved file
and returns the cells to mark (fill + note, as in ``validate --annotate``), the marks an
earlier click left (to clear) and the 校验结果 rows; the applier writes them with xlwings.
"""

from __future__ import annotations

import functools
import sys
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from workbook_tools.button_actions import (
    ERROR_RGB, WARNING_RGB, ActionResult, ValidationMarks, run_merge, run_plan, run_summary,
    validation_marks,
)
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.validate.annotate.sheet import HEADERS, RESULT_SHEET, WRAPPED, text_widths

TITLE = "workbook-tools"
HEADER_RGB = (217, 225, 242)
# Worksheet.Protect's Allow… arguments, in their positional order (after Password, DrawingObjects,
# Contents, Scenarios, UserInterfaceOnly).
PROTECTION_OPTIONS = ("AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows",
                      "AllowInsertingColumns", "AllowInsertingRows", "AllowInsertingHyperlinks",
                      "AllowDeletingColumns", "AllowDeletingRows", "AllowSorting", "AllowFiltering",
                      "AllowUsingPivotTables")


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
    sheet.range("C:J").number_format = "@"  # values such as 0755… or =… stay as they were typed
    sheet["A1"].value = marks.summary
    sheet["A1"].font.bold = True
    sheet["A2"].value = [list(HEADERS), *marks.rows]
    header = sheet.range((2, 1), (2, len(HEADERS)))
    header.font.bold, header.color = True, HEADER_RGB
    for col in WRAPPED:  # 值 and 问题说明
        sheet.range((2, col + 1), (len(marks.rows) + 2, col + 1)).wrap_text = True
    for number, width in enumerate(text_widths(marks.rows), start=1):
        sheet.range((1, number)).column_width = width
    for offset, row in enumerate(marks.rows, start=3):
        sheet.range((offset, 2)).color = ERROR_RGB if row[1] == "错误" else WARNING_RGB
