"""Every sheet of every workbook we write prints deliberately: A4, an orientation, a page header
naming the sheet, a footer with page n of m, the header row repeated on table sheets, and either
one page wide or the key columns repeated across. Checked on the saved files (openpyxl reads
the page setup back) and, for the master, by LibreOffice's own page count."""

from __future__ import annotations

import datetime as dt
import math

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


def check_page_setup(ws, table: bool) -> None:
    """What every sheet we write must have (``table``: a sheet with a header row of columns)."""
    where = ws.title
    assert ws.page_setup.paperSize in (9, "9"), where
    assert ws.page_setup.orientation in ("portrait", "landscape"), where
    assert ws.oddHeader.left.text or ws.oddHeader.center.text, where
    assert "&P" in (ws.oddFooter.center.text or "") and "&N" in ws.oddFooter.center.text, where
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
