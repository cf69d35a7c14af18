"""The demo-sized summary printed by LibreOffice: pages per sheet, orientation, one page wide,
repeated headers, page header/footer, one 负责业务员 per page on the lists, and no chart cut by a
page break. One PDF conversion shared by every assertion."""

from __future__ import annotations

import datetime as dt
import math
import re

import openpyxl
import pytest
from office import SOFFICE, convert, needs_soffice
from pypdf import PdfReader

from workbook_tools.merge.files import merge_files
from workbook_tools.sampledata import generate_samples
from workbook_tools.summary import build_summary
from workbook_tools.summary.printing import ChartSpot, paginate, row_tops

AS_OF = dt.date(2026, 11, 22)
PERIOD = "2026-W47（统计日期 2026-11-22）"
ROWS_PER_PAGE = 40  # an A4 portrait page holds more 11-pt rows than this, even scaled to the width
DATA_LINE = re.compile(r"^(\S+) [A-Z]{2}\d{4} ", re.M)  # 负责业务员 客户编号 … on the lists


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """sample data (as `make demo`: 4 regions × 300 customers) → merge → summary → PDF."""
    folder = tmp_path_factory.mktemp("print")
    generate_samples(folder / "incoming", regions=["华东", "华南", "华北", "西南"], customers_per_region=300)
    master = merge_files([folder / "incoming"], folder / "总表.xlsx", run_date=AS_OF, as_of=AS_OF).output
    result = build_summary(master, folder / "汇总.xlsx", as_of=AS_OF)
    book = openpyxl.load_workbook(result.path)
    pages = []
    if SOFFICE:
        pdf = convert(result.path, "pdf", folder / "pdf")
        pages = [(p.extract_text(), float(p.mediabox.width), float(p.mediabox.height))
                 for p in PdfReader(pdf).pages]
    return result, book, pages


def sheet_pages(pages, sheet: str) -> list[tuple[str, float, float]]:
    """The pages whose page header names ``sheet`` (the header's left part is the sheet title)."""
    return [p for p in pages if p[0].split("\n", 1)[0].split(" ")[0] == sheet]


def print_area(ws) -> list[tuple[int, int, int, int]]:
    """Print ranges as 0-based (first_row, first_col, last_row, last_col)."""
    out = []
    for part in ws.print_area.split(","):
        a, b = part.split("!")[-1].replace("$", "").split(":")
        (c1, r1), (c2, r2) = (openpyxl.utils.cell.coordinate_from_string(x) for x in (a, b))
        out.append((r1 - 1, openpyxl.utils.column_index_from_string(c1) - 1,
                    r2 - 1, openpyxl.utils.column_index_from_string(c2) - 1))
    return out


def breaks(ws) -> list[int]:
    """0-based first rows of the manually started pages."""
    return sorted(b.id for b in ws.row_breaks.brk)


def test_page_setup_of_every_sheet(printed):
    result, book, _ = printed
    for ws in book:
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.page_setup.fitToWidth in (None, 1), ws.title  # 1 is the default
        assert ws.oddHeader.left.text == ws.title and ws.oddHeader.right.text == PERIOD
        assert ws.oddFooter.center.text == "第 &P 页 / 共 &N 页"
    orientation = {ws.title: ws.page_setup.orientation for ws in book}
    assert orientation == {"客户归类汇总": "landscape", "客户构成分析": "landscape", "跟进提醒": "portrait",
                           "业务下滑": "portrait", "档案质量": "portrait", "业务员统计": "landscape",
                           "客户综合销售力分析": "landscape", "对比分析": "landscape", "说明": "landscape"}
    assert book["跟进提醒"].print_title_rows == "$1:$3" and book["业务下滑"].print_title_rows == "$1:$3"


def test_lists_break_before_every_salesperson(printed):
    result, book, _ = printed
    ws = book["业务下滑"]
    owners = [ws.cell(r, 1).value for r in range(4, ws.max_row + 1)]
    starts = [i + 3 for i in range(1, len(owners)) if owners[i] != owners[i - 1]]  # 0-based rows
    assert breaks(ws) == starts and len(starts) >= 10
    overdue = book["跟进提醒"]
    assert print_area(overdue) == [(0, 0, 3 + result.overdue - 1, 7), (0, 9, 3 + result.due_soon - 1, 16)]


def test_charts_inside_print_area_and_not_cut(printed):
    _, book, _ = printed
    for name, count in (("客户归类汇总", 1), ("客户构成分析", 2)):
        ws = book[name]
        (top, left, bottom, right), = print_area(ws)
        assert len(ws._charts) == count
        for chart in ws._charts:
            start, end = chart.anchor._from, chart.anchor.to
            last_row = end.row - (end.rowOff == 0)  # a chart ending at a row's top edge stops above it
            last_col = end.col - (end.colOff == 0)
            assert top <= start.row and last_row <= bottom and left <= start.col and last_col <= right, name
            assert not [b for b in breaks(ws) if start.row < b <= last_row], name
            table_right = max(c.column for row in ws.iter_rows(min_row=2) for c in row if c.value is not None)
            assert start.col >= table_right, name  # beside the tables, not over them


@needs_soffice
def test_pages_per_sheet(printed):
    result, book, pages = printed
    counts = {ws.title: len(sheet_pages(pages, ws.title)) for ws in book}
    assert sum(counts.values()) == len(pages)  # every page carries its sheet's header
    for name in ("客户归类汇总", "客户构成分析", "档案质量", "业务员统计", "客户综合销售力分析", "对比分析", "说明"):
        assert counts[name] <= (3 if name == "说明" else 2), counts  # 说明: a page more of sales definitions
        assert counts[name] == len(breaks(book[name])) + 1, name  # LibreOffice broke only where we did
    for name in ("跟进提醒", "业务下滑"):
        ws = book[name]
        bound = 0
        for top, _, bottom, _ in print_area(ws):  # each salesperson's run, at ROWS_PER_PAGE rows a page
            cuts = [3] + [b for b in breaks(ws) if 3 < b <= bottom] + [bottom + 1]
            bound += sum(math.ceil((b - a) / ROWS_PER_PAGE) for a, b in zip(cuts, cuts[1:]))
        assert counts[name] <= bound, (name, counts[name], bound)
    print(f"summary PDF: {len(pages)} pages {counts}")


@needs_soffice
def test_page_footer_numbers_and_orientation(printed):
    _, _, pages = printed
    for number, (text, width, height) in enumerate(pages, start=1):
        assert f"第 {number} 页 / 共 {len(pages)} 页" in text
    for text, width, height in sheet_pages(pages, "客户归类汇总") + sheet_pages(pages, "说明"):
        assert width > height
    for text, width, height in sheet_pages(pages, "业务下滑"):
        assert height > width


@needs_soffice
def test_list_pages_one_salesperson_each_with_headers(printed):
    result, book, pages = printed
    owners_seen = []
    for text, _, _ in sheet_pages(pages, "业务下滑"):
        assert "负责业务员" in text and "超出天数" in text  # header repeated, all columns on the page
        owners = set(DATA_LINE.findall(text))
        assert len(owners) == 1, owners
        owners_seen += owners
    ws = book["业务下滑"]
    assert set(owners_seen) == {ws.cell(r, 1).value for r in range(4, ws.max_row + 1)}
    overdue_pages = [t for t, _, _ in sheet_pages(pages, "跟进提醒") if "逾期天数" in t]
    assert all("负责业务员" in t for t in overdue_pages)


@needs_soffice
def test_each_chart_on_one_page(printed):
    _, _, pages = printed
    for title in ("各区域客户类别分布", "客户价值分类（客户数）", "各行业客户数"):
        assert sum(title in text for text, _, _ in pages) == 1, title


def test_paginate_keeps_blocks_and_charts_whole():
    tops = row_tops(100, {})  # 15-point rows
    chart = ChartSpot(row=30, col=5, width_px=560, height_px=400)  # 300 points: rows 30..49
    assert chart.last_row == 49
    page = 40 * 15.0
    assert paginate([(1, 20), (22, 50), (52, 90)], tops, page, [chart]) == [22, 52]
    assert paginate([(0, 99)], tops, page, [chart]) == [30, 70]  # not at 40: the chart would be cut
    taller = row_tops(100, {r: 45.0 for r in range(10)})  # ten rows of wrapped text, three lines each
    assert paginate([(0, 9), (10, 40)], taller, page, []) == [10]
