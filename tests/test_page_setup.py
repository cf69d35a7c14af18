"""Every sheet of every workbook we write prints deliberately: A4, an orientation, a page header
naming the sheet, a footer with page n of m, the header row repeated on table sheets, and either
one page wide or the key columns repeated across. Checked on the saved files (openpyxl reads
the page setup back) and, for the master, by LibreOffice's own page count."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from office import convert, needs_soffice, pdf_pages
from workbook_tools.io.pagesetup import LANDSCAPE_CHARS, LEGIBLE_SCALE, PORTRAIT_CHARS
from workbook_tools.merge.files import merge_files
from workbook_tools.plan import build_plans
from workbook_tools.sampledata import generate_samples

DAY = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("pages")
    generate_samples(root / "incoming", regions=["华东", "华南"], customers_per_region=40)
    master = merge_files([root / "incoming"], root / "客户档案总表.xlsx", as_of=DAY, run_date=DAY).output
    plans = build_plans(master, schema=None, week="2026-W48", out=root / "拜访计划.xlsx").files
    return {"master": master, "plan": plans[0]}


def _widths(ws) -> list[float]:
    last = ws.max_column
    out = []
    for i in range(1, last + 1):
        dim = ws.column_dimensions.get(chr(64 + i) if i <= 26 else None)
        out.append(dim.width if dim is not None and dim.width else 8.43)
    return out


# sheets whose printed page carries its own title row (a card: 客户资料卡 + the customer's name)
TITLED_ON_SHEET = set()


def check_page_setup(ws, table: bool) -> None:
    """What every sheet we write must have (``table``: a sheet with a header row of columns)."""
    where = ws.title
    assert ws.page_setup.paperSize in (9, "9"), where
    assert ws.page_setup.orientation in ("portrait", "landscape"), where
    header = "".join(part.text or "" for part in (ws.oddHeader.left, ws.oddHeader.center, ws.oddHeader.right))
    footer = "".join(part.text or "" for part in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right))
    assert header.strip() or ws.title in TITLED_ON_SHEET, f"{where}: no page header"
    assert "&P" in footer and "&N" in footer, f"{where}: no page n of m in the footer"
    one_wide = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage \
        and ws.page_setup.fitToWidth in (1, "1", None)
    if table:
        assert ws.print_title_rows, f"{where}: header row not repeated"
        assert one_wide or ws.print_title_cols, f"{where}: neither one page wide nor key columns repeated"


def test_master_sheets_print_deliberately(outputs):
    book = load_workbook(outputs["master"])
    for ws in book.worksheets:
        check_page_setup(ws, table=ws.title not in ("合并说明", "资料卡"))
    customers = book["客户档案"]
    assert customers.page_setup.orientation == "landscape"
    assert customers.print_title_cols == "$A:$B"          # 客户编号 and 客户名称 on every page across
    assert "客户档案" in customers.oddHeader.left.text and "合并日期 2026-11-20" in customers.oddHeader.right.text
    assert book["合并说明"].page_setup.orientation in ("portrait", "landscape")


def test_plan_sheets_print_deliberately_and_show_weekdays(outputs):
    book = load_workbook(outputs["plan"])
    for ws in book.worksheets:
        if ws.sheet_state == "visible":
            check_page_setup(ws, table=ws.title != "说明")
    notes = book["说明"]
    assert notes.page_setup.orientation == "portrait" and notes.column_dimensions["A"].width <= PORTRAIT_CHARS
    plan = book.worksheets[0]
    header = [c.value for c in plan[1]]
    date_col = header.index("计划日期*") if "计划日期*" in header else header.index("计划日期")
    cell = plan.cell(row=2, column=date_col + 1)
    assert isinstance(cell.value, dt.datetime) and cell.number_format == "[$-804]yyyy-mm-dd aaaa"
    id_col = next(i for i, h in enumerate(header) if str(h).startswith("计划编号"))
    width = plan.column_dimensions[chr(65 + id_col)].width
    assert width * 1.0 >= _cells(plan.cell(row=2, column=id_col + 1).value)


def _cells(text) -> int:
    """Terminal cells of a text (a Chinese character is two), ~ Excel's character units."""
    from rich.cells import cell_len
    return cell_len(str(text))


@needs_soffice
def test_master_page_count_in_libreoffice(outputs, tmp_path):
    pdf = convert(outputs["master"], "pdf", tmp_path)
    book = load_workbook(outputs["master"], read_only=False)
    bound = 0
    for ws in book.worksheets:
        rows = ws.max_row
        total = sum(d.width or 8.43 for d in ws.column_dimensions.values()) or 10
        across = 1 if total <= LANDSCAPE_CHARS / LEGIBLE_SCALE else math.ceil(total / (LANDSCAPE_CHARS * 0.8))
        bound += across * (math.ceil(rows / 20) + 1)
    pages = pdf_pages(pdf)
    assert 0 < pages <= bound, (pages, bound)
    assert column_index_from_string("B") == 2


# --- every output kind ----------------------------------------------------------------------
# Sheets that are not one table under one header row (notes, reports, a card, a lookup, charts
# beside several tables): checked for everything but a repeated header row.
NOT_ONE_TABLE = {"合并说明", "资料卡", "客户资料卡", "说明", "发放说明", "设置", "填表说明", "客户归类汇总", "客户构成分析",
                 "档案质量", "业务员统计", "跟进提醒", "业务下滑", "客户综合销售力分析", "对比分析"}


@pytest.fixture(scope="module")
def every_output(tmp_path_factory):
    """One of each workbook the tool writes, from a small two-week demo."""
    from workbook_tools.export import ExportRequest, export_master
    from workbook_tools.export.ledger_sheet import write_ledger_sheet
    from workbook_tools.generate.xlsm.headoffice import generate_headoffice
    from workbook_tools.privacy.ledger import Ledger
    from workbook_tools.schema import load_schema
    from workbook_tools.weekly.demo import run_demo

    root = tmp_path_factory.mktemp("every")
    demo = run_demo(root / "demo", customers=15)
    week = demo.weekly
    schema = load_schema()
    ledger = root / "发放登记.db"
    export_master(week.merge.output, root / "发放.xlsx", ExportRequest("业务员", "朱月", "王经理"),
                  schema=schema, ledger=ledger)
    write_ledger_sheet(Ledger(ledger), root / "借阅表.xlsx")
    out = {"template": demo.templates, "master": [week.merge.output], "summary": [week.summary.path],
           "plan": week.plans.files[:1], "cards": [demo.cards.path], "export": [root / "发放.xlsx"],
           "ledger": [root / "借阅表.xlsx"]}
    out["headoffice"] = [generate_headoffice(root / "总部工具.xlsm")]
    from workbook_tools.validate.run import run_validation
    run = run_validation(demo.samples[:1], schema, annotate_dir=root / "退回", fix_dir=root / "修正")
    out["annotated"], out["fixed"] = list(map(Path, run.annotated.values())), list(map(Path, run.fixed.values()))
    return out


OURS_IN_THEIR_FILE = {"annotated": "校验结果", "fixed": "修正记录"}   # the office's own sheets keep theirs


@pytest.mark.parametrize("kind", sorted(OURS_IN_THEIR_FILE))
def test_our_sheet_in_an_office_file_prints_deliberately(every_output, kind):
    paths = every_output[kind]
    assert paths
    for path in paths:
        ws = load_workbook(path)[OURS_IN_THEIR_FILE[kind]]
        check_page_setup(ws, table=True)
        assert ws.page_setup.orientation == "landscape"


@pytest.mark.parametrize("kind", ["template", "master", "summary", "plan", "cards", "export", "ledger",
                                  "headoffice"])
def test_every_sheet_of_every_output_kind_prints_deliberately(every_output, kind):
    paths = every_output[kind]
    assert paths
    for path in paths:
        book = load_workbook(path)
        for ws in book.worksheets:
            if ws.sheet_state == "visible":
                table = ws.title == "目录" if kind == "cards" else ws.title not in NOT_ONE_TABLE
                check_page_setup(ws, table=table)
