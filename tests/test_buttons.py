"""workbook_tools.buttons: the plain functions behind each button, run on saved workbooks, and
the thin Excel side driven through a stand-in for xlwings (real xlwings needs Excel)."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
import types
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from test_buttons_support import SHEET, fill, good_row, release
from workbook_tools import button_actions, buttons
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.generate.xlsm.workbook import generate_button_template
from workbook_tools.generate.xlsm.headoffice import SETTINGS_SHEET, generate_headoffice

AS_OF = dt.date(2026, 11, 22)
TODAY = dt.date(2026, 11, 20)


@pytest.fixture()
def registration(tmp_path) -> Path:
    """A saved registration .xlsm: one good row, one row with a 10-digit mobile (sheet row 3)."""
    path = generate_button_template(None, "registration", tmp_path / "华东.xlsm", region="华东").path
    return fill(path, [good_row(), dict(good_row(), 客户编号="HD0002", 手机="1381234567")])


def _mobile_cell(path: Path, row: int) -> str:
    ws = openpyxl.load_workbook(path)[SHEET]
    column = next(c.column_letter for c in ws[1] if str(c.value).rstrip("*") == "手机")
    return f"{column}{row}"


# -- plain functions ---------------------------------------------------------------------
def test_validation_marks_the_exact_cell_red_with_the_message(registration):
    marks = buttons.validation_marks(registration, as_of=AS_OF, checked_at="2026-11-22 09:00")
    cell = _mobile_cell(registration, 3)
    assert [(m.sheet, m.cell, m.color) for m in marks.marks] == [(SHEET, cell, buttons.ERROR_RGB)]
    assert marks.marks[0].note.startswith("错误：手机“******”不是有效的手机号")
    assert (marks.errors, marks.warnings, marks.clear) == (1, 0, [])
    assert marks.rows == [[1, "错误", SHEET, cell, 3, "手机", "******", marks.marks[0].note[3:], "手机号无效", "mobile-invalid"]]
    assert marks.summary.startswith("共 1 个问题：错误 1 个，警告 0 个；文件：华东.xlsm；校验时间：2026-11-22 09:00")
    assert "错误 1 个" in marks.message()


def test_clean_workbook_has_no_marks(tmp_path):
    path = generate_button_template(None, "registration", tmp_path / "ok.xlsm").path
    marks = buttons.validation_marks(fill(path, [good_row()]), as_of=AS_OF)
    assert (marks.marks, marks.rows, marks.message()) == ([], [], "校验完成，未发现问题。")


def test_marks_left_by_an_earlier_click_are_found_and_staff_notes_kept(registration):
    wb = openpyxl.load_workbook(registration, keep_vba=True)
    ws = wb[SHEET]
    ws["B2"].comment = Comment("错误：旧的问题", "张三")
    ws["B2"].fill = PatternFill(fill_type="solid", fgColor="FFFFC7CE")
    ws["C2"].comment = Comment("警告：另一个旧问题", "张三")
    ws["D2"].comment = Comment("请联系张三确认", "李四")
    wb.save(registration)
    release(wb)
    marks = buttons.validation_marks(registration, as_of=AS_OF)
    assert sorted(marks.clear) == [(SHEET, "B2", True), (SHEET, "C2", False)]


def test_unreadable_file_is_one_chinese_error(tmp_path):
    broken = tmp_path / "坏.xlsm"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(WorkbookToolsError, match="坏.xlsm"):
        buttons.validation_marks(broken)


@pytest.fixture()
def office(tmp_path) -> Path:
    """总部工具.xlsm with two regional workbooks in 区域文件; settings left at their defaults."""
    incoming = tmp_path / "区域文件"
    incoming.mkdir()
    for region, prefix in (("华东", "HD"), ("华南", "HN")):
        path = generate_button_template(None, "registration", incoming / f"{region}.xlsm").path
        fill(path, [dict(good_row(), 客户编号=f"{prefix}0001", 所属区域=region)])
    return generate_headoffice(tmp_path / "总部工具.xlsm")


def _set(path: Path, label: str, value) -> None:
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb[SETTINGS_SHEET]
    row = next(r for r in range(1, 20) if ws.cell(row=r, column=1).value == label)
    ws.cell(row=row, column=2).value = value
    wb.save(path)
    release(wb)


def test_read_settings_resolves_paths_next_to_the_workbook(office, tmp_path):
    settings = button_actions.read_settings(office)
    assert (settings.incoming, settings.outdir, settings.previous, settings.week) == (
        tmp_path / "区域文件", tmp_path / "输出", None, None)
    _set(office, "计划周次", "2026-W49")
    _set(office, "上周总表", '"' + str(tmp_path / "旧" / "总表.xlsx") + '"')
    settings = button_actions.read_settings(office)
    assert (settings.week, settings.previous) == ("2026-W49", tmp_path / "旧" / "总表.xlsx")
    _set(office, "输出文件夹", None)
    with pytest.raises(WorkbookToolsError, match="请在“设置”表中填写“输出文件夹”"):
        button_actions.read_settings(office)


def _needs(module: str, name: str) -> None:
    if getattr(importlib.import_module(module), name, None) is None:
        pytest.skip(f"{module}.{name} is not available yet")


def test_merge_then_summary_then_plan(office, tmp_path):
    """Outputs go to week folders, as `workbook-tools weekly` writes them."""
    _needs("workbook_tools.merge.files", "merge_files")
    merged = buttons.run_merge(office, today=TODAY)  # 2026-11-20 is in 2026-W47
    first = tmp_path / "输出" / "2026-W47" / "客户档案总表_2026-W47.xlsx"
    assert merged.outputs == [first] and first.is_file()
    assert "读取 2 个文件" in merged.message and "首次合并" in merged.message
    again = buttons.run_merge(office, today=TODAY + dt.timedelta(days=7))  # next week: previous found
    assert "上期总表：客户档案总表_2026-W47.xlsx" in again.message
    week48 = tmp_path / "输出" / "2026-W48"
    _needs("workbook_tools.summary", "build_summary")
    summary = buttons.run_summary(office, today=TODAY)
    assert summary.outputs == [week48 / "客户档案汇总_2026-W48.xlsx"] and summary.outputs[0].is_file()
    assert "客户 2 位" in summary.message
    _needs("workbook_tools.plan", "build_plans")
    plan = buttons.run_plan(office, today=TODAY)
    assert plan.outputs == [week48 / "客户拜访计划_2026-W48.xlsx"] and plan.outputs[0].is_file()


def test_summary_without_a_master_asks_to_merge_first(office):
    with pytest.raises(WorkbookToolsError, match="请先点击“合并”"):
        buttons.run_summary(office, today=TODAY)


def test_missing_library_function_is_a_chinese_message():
    with pytest.raises(WorkbookToolsError, match="还不支持“合并”"):
        button_actions._library("no_such_function", "合并", "workbook_tools.merge", "workbook_tools.no_such_module")


# -- the Excel side, through a stand-in for xlwings --------------------------------------
class Note:
    def __init__(self, rng, text):
        self.rng, self.text = rng, text

    def delete(self):
        self.rng.note = None


class Range:
    def __init__(self):
        self.color = self.note = self.value = self.number_format = self.column_width = self.wrap_text = None
        self.font = types.SimpleNamespace(bold=False)

    def add_note(self, text):
        assert self.note is None
        self.note = Note(self, text)
        return self.note


class Sheet:
    def __init__(self, book, name):
        self.book, self.name, self.cells = book, name, {}
        self.api = types.SimpleNamespace(ProtectContents=False, protect_contents=types.SimpleNamespace(get=lambda: False))

    def __getitem__(self, key):
        return self.cells.setdefault(key, Range())

    def range(self, *key):
        return self[key]

    def clear(self):
        self.cells.clear()

    def activate(self):
        self.book.sheets.active = self


class Sheets(list):
    active = None

    def __getitem__(self, key):
        return next(s for s in self if s.name == key) if isinstance(key, str) else list.__getitem__(self, key)

    def add(self, name, after=None):
        self.append(Sheet(self.book, name))
        self.active = self[-1]
        return self[-1]


class Book:
    def __init__(self, fullname, sheet_names=(SHEET,)):
        self.fullname, self.saved, self.sheets = str(fullname), 0, Sheets()
        self.sheets.book = self
        self.sheets.extend(Sheet(self, n) for n in sheet_names)
        self.sheets.active = self.sheets[0]
        self.app = types.SimpleNamespace(alerts=[], opened=[])
        self.app.alert = lambda text, title=None, mode=None: self.app.alerts.append((text, mode))
        self.app.books = types.SimpleNamespace(open=self.app.opened.append)

    def save(self):
        self.saved += 1


@pytest.fixture()
def excel(monkeypatch):
    """Install a fake xlwings whose Book.caller() returns the book set by the test."""
    holder = {}
    fake = types.SimpleNamespace(Book=types.SimpleNamespace(caller=lambda: holder["book"]))
    monkeypatch.setitem(sys.modules, "xlwings", fake)
    return holder


def test_validate_button_marks_the_open_workbook(excel, registration):
    book = excel["book"] = Book(registration, (SHEET, "填表说明"))
    buttons.validate()
    cell = book.sheets[SHEET][_mobile_cell(registration, 3)]
    assert cell.color == buttons.ERROR_RGB and cell.note.text.startswith("错误：手机")
    results = book.sheets["校验结果"]
    assert results["A1"].value.startswith("共 1 个问题") and results["A2"].value[0][:3] == ["序号", "级别", "工作表"]
    assert results.range((2, 8), (3, 8)).wrap_text and results.range((1, 8)).column_width == 60
    message = results["A2"].value[1][7]
    assert results.range((1, 9)).column_width >= 10  # 问题类型 as wide as its Chinese title
    assert message and results["A2"].value[1][8:] == ["手机号无效", "mobile-invalid"]
    assert book.saved == 1 and book.sheets.active.name == SHEET
    assert book.app.alerts[-1][0].startswith("校验完成：错误 1 个")


def test_unsaved_workbook_asks_to_save_first(excel):
    book = excel["book"] = Book("工作簿1")
    buttons.validate()
    assert book.saved == 0 and "请先保存工作簿" in book.app.alerts[0][0]


def test_every_failure_is_one_chinese_line(excel, tmp_path, monkeypatch):
    book = excel["book"] = Book(tmp_path / "不存在.xlsm")
    buttons.validate()
    assert book.app.alerts[-1][1] == "critical" and "不存在.xlsm" in book.app.alerts[-1][0]
    monkeypatch.setattr(buttons, "validation_marks", lambda path: 1 / 0)
    buttons.validate()
    assert book.app.alerts[-1] == ("内部错误：ZeroDivisionError: division by zero（请把这条信息反馈给维护人员）", "critical")


def test_merge_button_opens_the_master(excel, office):
    _needs("workbook_tools.merge.files", "merge_files")
    book = excel["book"] = Book(office, (SETTINGS_SHEET,))
    buttons.merge()
    assert len(book.app.opened) == 1 and Path(book.app.opened[0]).is_file()
    assert book.app.alerts[-1][0].startswith("已合并") and book.app.alerts[-1][1] == "info"


def test_protected_sheet_is_unprotected_and_protected_again_on_windows(monkeypatch):
    calls = []
    protection = types.SimpleNamespace(**{name: name == "AllowFormattingCells" for name in buttons.PROTECTION_OPTIONS})
    api = types.SimpleNamespace(ProtectContents=True, Protection=protection, ProtectDrawingObjects=True,
                                ProtectScenarios=True, Unprotect=lambda pw: calls.append(("Unprotect", pw)),
                                Protect=lambda *args: calls.append(("Protect", args)))
    monkeypatch.setattr(sys, "platform", "win32")
    with buttons._unprotected(types.SimpleNamespace(api=api)) as notes_allowed:
        assert notes_allowed and calls == [("Unprotect", "")]
    assert calls[1] == ("Protect", ("", True, True, True, False, True, *[False] * 10))


def test_password_protected_sheet_gets_fills_but_no_notes(monkeypatch):
    def refuse(password):
        raise RuntimeError("password")

    book = Book("/x/登记表.xlsm")
    allowed = types.SimpleNamespace(**dict.fromkeys(buttons.PROTECTION_OPTIONS, True))
    book.sheets[0].api = types.SimpleNamespace(ProtectContents=True, Protection=allowed,
                                               ProtectDrawingObjects=True, ProtectScenarios=True, Unprotect=refuse)
    monkeypatch.setattr(sys, "platform", "win32")
    row = [1, "错误", SHEET, "L3", 3, "手机", "x", "x", "mobile-invalid"]
    marks = buttons.ValidationMarks([button_actions.CellMark(SHEET, "L3", buttons.ERROR_RGB, "错误：x")], [], [row], "共 1 个问题")
    assert buttons._apply_marks(book, marks) == [SHEET]
    assert book.sheets[0]["L3"].color == buttons.ERROR_RGB and book.sheets[0]["L3"].note is None
