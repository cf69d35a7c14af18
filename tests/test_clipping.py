"""No output cuts its text: every shown cell of every workbook kind we write fits its column or
wraps in a row high enough (tests/clipping.py says exactly what counts). The forms' rows in the
annotated/fixed copies are the offices' own sheets, kept as they sent them, and are not measured;
every sheet the tool itself lays out is — the master's data sheets (客户档案, 拜访记录 …) included,
whose widths come from their first 2,000 rows (merge.tables.Table.fit_head)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from clipping import clipped
from rich.cells import cell_len

from workbook_tools.card import make_cards
from workbook_tools.export import ExportRequest, export_master
from workbook_tools.export.ledger_sheet import write_ledger_sheet
from workbook_tools.generate import generate_template
from workbook_tools.merge.files import merge_files
from workbook_tools.plan import build_plans
from workbook_tools.privacy.ledger import Ledger
from workbook_tools.sampledata import generate_samples
from workbook_tools.schema import load_schema
from workbook_tools.summary.build import build_summary
from workbook_tools.validate.run import run_validation

DAY = dt.date(2026, 11, 20)
SCHEMA = load_schema()
FORMS = [form.key for form in SCHEMA.forms]
DATA_SHEETS = {form.title for form in SCHEMA.forms} | {"客户档案", "拜访记录", "拜访计划", "投诉记录"}


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("clip")
    generate_samples(root / "incoming", regions=["华东", "华南"], customers_per_region=12)
    run = run_validation([root / "incoming"], SCHEMA, as_of=DAY, annotate_dir=root / "annotated",
                         fix_dir=root / "fixed", checked_at="2026-11-20 09:30")
    master = merge_files([root / "incoming"], root / "客户档案总表.xlsx", schema=SCHEMA, as_of=DAY,
                         run_date=DAY).output
    generate_samples(root / "next", regions=["华东", "华南"], customers_per_region=12, seed=7, week="2026-W48")
    later = merge_files([root / "next"], root / "客户档案总表_W48.xlsx", schema=SCHEMA, previous=master,
                        as_of=DAY + dt.timedelta(days=7), run_date=DAY + dt.timedelta(days=7)).output
    ledger = root / "发放登记.db"
    request = ExportRequest(role="客户服务", recipient="李四", approver="王经理", purpose="年底回访客户",
                            return_by=dt.date(2026, 12, 31))
    export = export_master(master, root / "导出.xlsx", request, schema=SCHEMA, ledger=ledger, today=DAY)
    Ledger(ledger).give_back(1, time="2026-11-30T10:00:00")
    write_ledger_sheet(Ledger(ledger), root / "借阅表.xlsx", today=dt.date(2026, 12, 2))
    return {
        "root": root, "run": run, "master": master, "later": later, "export": export,
        "summary": build_summary(master, root / "客户档案汇总.xlsx", schema=SCHEMA, as_of=DAY),
        "plans": build_plans(master, schema=SCHEMA, week="2026-W48", out_dir=root / "plans").files,
        "cards": make_cards(master, root / "客户资料卡.xlsx", schema=SCHEMA, as_of=DAY),
    }


def _tool_sheets(path) -> list[str]:
    return [name for name in openpyxl.load_workbook(path, read_only=True).sheetnames if name not in DATA_SHEETS]


@pytest.mark.parametrize("checks", [False, True], ids=["plain", "checks"])
@pytest.mark.parametrize("form", FORMS)
def test_templates_and_their_instructions(form, checks, tmp_path):
    path = generate_template(SCHEMA, form, tmp_path / f"{form}.xlsx", region="华东", rows=5, checks=checks)
    assert clipped(path) == []
    sheet = openpyxl.load_workbook(path)["填表说明"]
    head = next(r for r in range(1, 20) if sheet.cell(row=r, column=1).value == "列名")
    for col in (1, 2, 3, 6):  # 列名, 是否必填, 类型, 示例 are as wide as their longest text
        letter = "ABCDEF"[col - 1]
        texts = [sheet.cell(row=r, column=col).value or "" for r in range(head, head + len(SCHEMA.form(form).fields) + 1)]
        assert sheet.column_dimensions[letter].width >= max(cell_len(t) for t in texts), (form, letter)


def test_registration_instructions_show_whole_examples(tmp_path):
    path = generate_template(SCHEMA, "registration", tmp_path / "r.xlsx", region="华东", rows=5)
    sheet = openpyxl.load_workbook(path)["填表说明"]
    email = next(row for row in sheet.iter_rows(values_only=True) if row[5] == "zhangsan@example.com")
    assert email and sheet.column_dimensions["F"].width >= len("zhangsan@example.com")


def test_annotated_results_sheet(made):
    copies = sorted((made["root"] / "annotated").glob("*.xlsx"))
    assert copies
    for path in copies:
        assert clipped(path, sheets=["校验结果"]) == [], path.name
    sheet = openpyxl.load_workbook(copies[0])["校验结果"]
    assert [c.value for c in sheet[2]][7:] == ["问题说明", "问题类型", "代码"]
    kinds = {(row[8], row[9]) for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert all(title and code and not any("a" <= ch <= "z" for ch in title) for title, code in kinds)


def test_fixed_copy_change_list(made):
    copies = sorted((made["root"] / "fixed").glob("*.xlsx"))
    assert copies
    for path in copies:
        assert clipped(path, sheets=["修正记录"]) == [], path.name


@pytest.mark.parametrize("which", ["master", "later"])
def test_master_report_sheets(made, which):
    sheets = _tool_sheets(made[which])
    assert {"合并说明", "待修正", "冲突", "疑似重复"} <= set(sheets)
    assert which == "master" or "变更记录" in sheets
    assert clipped(made[which], sheets=sheets) == []
    changes = openpyxl.load_workbook(made["later"], read_only=True)["变更记录"]
    assert changes.max_row > 3


@pytest.mark.parametrize("which", ["master", "later"])
def test_master_data_sheets(made, which):
    data = ["客户档案", "拜访记录", "拜访计划"]
    assert clipped(made[which], sheets=data) == []


def test_summary(made):
    assert clipped(made["summary"].path) == []


def test_plan_workbooks(made):
    assert made["plans"]
    for path in made["plans"]:
        assert clipped(path) == [], path.name


def test_card_workbook(made):
    assert clipped(made["cards"].cards.path) == []


def test_export(made):
    """An export is a hand-out to be read: its data sheets are measured too."""
    path = made["export"].path
    assert {"发放说明", "客户档案", "拜访记录"} <= set(openpyxl.load_workbook(path, read_only=True).sheetnames)
    assert clipped(path) == []


def test_ledger_loan_sheet(made):
    assert clipped(made["root"] / "借阅表.xlsx") == []


def test_the_check_itself(tmp_path):
    """What counts as clipped: cut by a filled neighbour, a merged wrapped note too low, a number
    wider than its column; not an overflow into an empty cell, a wrapped cell Excel fits, hidden."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "表"
    ws.column_dimensions["A"].width = 10
    ws["A1"], ws["B1"] = "上海市普陀区滨江大道571号", "x"            # cut by B1
    ws["A2"] = "上海市普陀区滨江大道571号"                             # runs on into empty B2
    ws["A3"], ws["B3"] = "上海市普陀区滨江大道571号", "x"
    ws["A3"].alignment = openpyxl.styles.Alignment(wrap_text=True)     # wraps; Excel fits the row
    ws["A4"], ws["B4"] = 12345678901234.5, "x"                       # shows ###
    ws["A4"].number_format = "#,##0.00"
    ws.merge_cells("A5:B5")
    ws["A5"] = "很长的说明" * 10
    ws["A5"].alignment = openpyxl.styles.Alignment(wrap_text=True)     # 100 cells in ~18: 15 pt is too low
    ws["D6"], ws["E6"] = "统一社会信用代码统一社会信用代码", "x"
    ws.column_dimensions["D"].hidden = True
    book.save(tmp_path / "t.xlsx")
    found = clipped(tmp_path / "t.xlsx")
    assert [line.split(" ")[0] for line in found] == ["表!A1", "表!A4", "表!A5"], found
