"""The sales sheets (业务员业绩, 客户综合销售力分析, 对比分析) on a hand-made master with a 交易记录 sheet:
exact cells, the comparison period, the fallback without 交易记录, charts, and LibreOffice printing."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest
import test_summary_workbook as base
from clipping import clipped
from office import convert, needs_soffice
from pypdf import PdfReader

from workbook_tools.schema import load_schema
from workbook_tools.summary import build_summary
from workbook_tools.summary.sales.period import periods, recent

D = dt.date.fromisoformat
AS_OF = base.AS_OF  # 2026-11-20: 本月 2026-11-01 … 11-20, 上月同期 2026-10-01 … 10-20
TRADE_KEYS = ["trade_id", "date", "customer_id", "amount", "paid_date", "paid_amount", "salesperson"]
TRADES = [
    ("T01", D("2026-11-02"), "HD0001", 10000, D("2026-11-10"), 10000, "张伟"),
    ("T02", D("2026-11-05"), "HD0002", 5000, None, None, "张伟"),
    ("T03", D("2026-11-12"), "HN0001", 3000, D("2026-11-15"), 1000, "李娜"),
    ("T04", D("2026-11-18"), "HB0002", 2000, None, None, "王强"),
    ("T05", D("2026-10-05"), "HD0001", 8000, D("2026-11-03"), 8000, "张伟"),  # 上期 deal, paid 本期
    ("T06", D("2026-10-15"), "HN0002", 4000, D("2026-10-18"), 4000, "李娜"),
    ("T07", D("2026-10-25"), "HD0003", 6000, D("2026-10-30"), 6000, "张伟"),  # October, after the 20th
    ("T08", D("2026-11-19"), "HD0099", 1000, None, None, "赵敏"),  # not in 客户档案
    ("T09", D("2026-11-25"), "HD0001", 99999, None, None, "张伟"),  # after the as-of date: ignored
    ("T10", D("2026-09-10"), "HB0003", 500, D("2026-09-20"), 500, "王强"),
]
R = "（不在客户档案中）"


def add_trades(master, schema, rows=TRADES) -> None:
    """Add the 交易记录 sheet (headers from the schema's trade form, provenance columns) to a master."""
    trade = schema.form("trade")
    book = openpyxl.load_workbook(master)
    ws = book.create_sheet("交易记录")
    ws.append([f.label for f in trade.fields] + base.PROVENANCE)
    for n, row in enumerate(rows, start=2):
        values = dict(zip(TRADE_KEYS, row)) | {"product": "钢材"}
        ws.append([values.get(f.key) for f in trade.fields] + ["华东.xlsx", "客户交易记录", n])
        for cell in ws[n]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    book.save(master)


@pytest.fixture(scope="module")
def schema():
    return load_schema()


@pytest.fixture(scope="module")
def built(tmp_path_factory, schema):
    folder = tmp_path_factory.mktemp("sales")
    master = folder / "总档案.xlsx"
    base.make_master(master, schema)
    add_trades(master, schema)
    result = build_summary(master, folder / "汇总.xlsx", schema=schema, as_of=AS_OF)
    return master, result, openpyxl.load_workbook(result.path)


def rows(ws, first: int, last: int, cols: str = "A:J") -> list[list]:
    a, b = cols.split(":")
    return [base.values(ws, f"{a}{r}:{b}{r}") for r in range(first, last + 1)]


def find(ws, text: str) -> int:
    return next(c.row for c in ws["A"] if isinstance(c.value, str) and c.value.startswith(text))


def test_result_reports_periods_and_trades(built):
    _, result, wb = built
    assert result.trades == 10
    assert result.period == "按月统计：本期 2026-11-01 至 2026-11-20，上期 2026-10-01 至 2026-10-20"
    assert wb.sheetnames[5:8] == ["业务员统计", "客户综合销售力分析", "对比分析"]
    info = {r[0]: r[1] for r in wb["说明"].iter_rows(min_row=4, max_row=12, max_col=2, values_only=True)}
    assert info["销售统计期间"] == result.period and info["交易数据来源"] == "交易记录工作表，10 行"


def test_salesperson_performance(built):
    ws = built[2]["业务员统计"]
    top = find(ws, "业务员业绩统计")
    assert ws[f"A{top}"].value == "业务员业绩统计（按月：本期 2026-11-01 至 2026-11-20，上期 2026-10-01 至 2026-10-20）"
    assert base.values(ws, f"A{top + 1}:P{top + 1}") == [
        "业务员", "本期销售额", "上期销售额", "销售额增减", "本期回款额", "上期回款额", "回款额增减",
        "本期新增客户", "上期新增客户", "新增客户增减", "本期拜访/成交", "上期拜访/成交", "拜访/成交增减",
        "本期计划完成率", "上期计划完成率", "完成率增减"]
    got = {r[0]: r[1:] for r in rows(ws, top + 2, top + 8, "A:P")}
    assert list(got) == ["孙八", "张伟", "李娜", "王强", "赵敏", "钱七", "合计"]
    # 销售额 (deals dated in the period), 回款额 (回款日期 in the period: T05 of October paid in November)
    assert [got[p][:6] for p in ("张伟", "李娜", "王强", "赵敏")] == [
        [15000, 8000, 7000, 18000, 0, 18000], [3000, 4000, -1000, 1000, 4000, -3000],
        [2000, 0, 2000, 0, 0, 0], [1000, 0, 1000, 0, 0, 0]]
    assert got["合计"][:6] == [21000, 12000, 9000, 19000, 4000, 15000]
    # 新增客户 by 建档日期: HN0003 (李娜) was created on 2026-10-01
    assert got["李娜"][6:9] == [0, 1, -1] and got["合计"][6:9] == [0, 1, -1]
    # 拜访/成交: 张伟 3 visits / 2 deals now, 1 / 1 before; no deals → blank
    assert got["张伟"][9:12] == [1.5, 1, 0.5] and got["李娜"][9:12] == [2, 0, 2]
    assert got["王强"][9:12] == [1, None, None] and got["钱七"][9:12] == [None, None, None]
    assert got["合计"][9:12] == pytest.approx([1.6, 1.5, 0.1])
    # 计划完成率: November plans (P1 done, P2 open, P5 cancelled, P7 done, P8 open); none in October
    assert [got[p][12] for p in ("孙八", "张伟", "李娜", "王强", "赵敏")] == [0, 0.5, 0, 1, None]
    assert got["合计"][12:15] == [0.4, None, None]
    assert ws[f"B{top + 3}"].number_format == "#,##0.00" and ws[f"K{top + 3}"].number_format == "0.00"
    assert ws[f"N{top + 3}"].number_format == "0.0%" and ws[f"H{top + 3}"].number_format == "#,##0"


def test_strength_by_category(built):
    ws = built[2]["客户综合销售力分析"]
    assert ws["A2"].value == "按客户类别分析（本期 2026-11-01 至 2026-11-20，上期 2026-10-01 至 2026-10-20）"
    assert base.values(ws, "A3:J3") == ["客户类别", "客户数", "成交客户数", "交易笔数", "销售额", "销售额占比",
                                        "平均单笔金额", "回款率", "上期销售额", "增长率"]
    assert rows(ws, 4, 9) == [
        base.approx(["重要客户", 3, 2, 2, 15000, 15000 / 21000, 7500, 10000 / 15000, 8000, 0.875]),
        ["主要客户", 3, 0, 0, 0, 0, None, None, 4000, -1],
        base.approx(["普通客户", 4, 2, 2, 5000, 5000 / 21000, 2500, 0.2, 0, None]),
        ["潜在客户", 2, 0, 0, 0, 0, None, None, 0, None],
        base.approx([R, 0, 1, 1, 1000, 1000 / 21000, 1000, 0, 0, None]),
        base.approx(["合计", 12, 5, 5, 21000, 1, 4200, 11000 / 21000, 12000, 0.75]),
    ]
    assert ws["J9"].font.b and ws["F4"].number_format == "0.0%" and ws["E4"].number_format == "#,##0.00"


def test_strength_by_value_class_and_region(built):
    ws = built[2]["客户综合销售力分析"]
    top = find(ws, "按价值分类分析")
    # classes from each customer's 交易记录 total to the as-of date (HD0001 18000, HD0003 6000, HD0002
    # 5000, HN0002 4000 → 主力; HN0001 3000, HB0002 2000 → 一般; HB0003 500 → 零散)
    assert rows(ws, top + 2, top + 7, "A:E") == [
        ["主力客户", 4, 2, 2, 15000], ["一般客户", 2, 2, 2, 5000], ["零散客户", 1, 0, 0, 0],
        ["无交易金额", 5, 0, 0, 0], [R, 0, 1, 1, 1000], ["合计", 12, 5, 5, 21000]]
    top = find(ws, "按所属区域分析")
    got = {r[0]: r for r in rows(ws, top + 2, top + 11)}
    assert list(got) == ["华东", "华南", "华北", "华中", "西南", "西北", "东北", R, "合计", None]
    assert got["华东"] == base.approx(["华东", 5, 2, 2, 15000, 15000 / 21000, 7500, 10000 / 15000, 8000, 0.875])
    assert got["华南"] == base.approx(["华南", 4, 1, 1, 3000, 3000 / 21000, 3000, 1000 / 3000, 4000, -0.25])


def test_compare_periods_and_regions(built):
    ws = built[2]["对比分析"]
    assert ws["A2"].value == "近6月对比"
    assert base.values(ws, "A3:G3") == ["期间", "起止日期", "交易笔数", "成交客户数", "销售额", "回款额", "平均单笔金额"]
    assert rows(ws, 4, 9, "A:G") == [
        ["2026-06", "2026-06-01 至 2026-06-30", 0, 0, 0, 0, None],
        ["2026-07", "2026-07-01 至 2026-07-31", 0, 0, 0, 0, None],
        ["2026-08", "2026-08-01 至 2026-08-31", 0, 0, 0, 0, None],
        ["2026-09", "2026-09-01 至 2026-09-30", 1, 1, 500, 500, 500],
        ["2026-10", "2026-10-01 至 2026-10-31", 3, 3, 18000, 10000, 6000],
        ["2026-11", "2026-11-01 至 2026-11-20", 5, 5, 21000, 19000, 4200],
    ]
    top = find(ws, "按所属区域对比")
    assert base.values(ws, f"A{top + 1}:G{top + 1}") == ["所属区域", "本期销售额", "上期销售额", "增减额", "增长率",
                                                         "本期交易笔数", "上期交易笔数"]
    got = {r[0]: r for r in rows(ws, top + 2, top + 10, "A:G")}
    assert got["华东"] == ["华东", 15000, 8000, 7000, 0.875, 2, 1]
    assert got["华南"] == ["华南", 3000, 4000, -1000, -0.25, 1, 1]
    assert got["华北"] == ["华北", 2000, 0, 2000, None, 1, 0]
    assert got[R] == [R, 1000, 0, 1000, None, 1, 0] and got["合计"] == ["合计", 21000, 12000, 9000, 0.75, 5, 2]
    top = find(ws, "按客户类别对比")
    assert base.values(ws, f"A{top + 2}:G{top + 2}") == ["重要客户", 15000, 8000, 7000, 0.875, 2, 1]


def test_charts_of_the_sales_sheets(built):
    _, result, wb = built
    assert len(wb["客户综合销售力分析"]._charts) == 1 and len(wb["对比分析"]._charts) == 3
    with zipfile.ZipFile(result.path) as z:
        xml = {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")}
    by_title = {next(t for t in ("各客户类别销售额占比", "近6月销售额与回款额", "各所属区域销售额：本期与上期",
                                 "各客户类别销售额：本期与上期") if t in x): x for x in xml.values()
                if any(t in x for t in ("销售额占比", "销售额与回款额", "本期与上期"))}
    assert len(by_title) == 4
    pie = by_title["各客户类别销售额占比"]
    assert "<c:pieChart>" in pie and "客户综合销售力分析!$E$4:$E$8" in pie  # 合计 row left out
    trend = by_title["近6月销售额与回款额"]
    assert '<c:barDir val="col"/>' in trend and trend.count("<c:ser>") == 2
    assert "对比分析!$A$4:$A$9" in trend and "对比分析!$E$4:$E$9" in trend and "对比分析!$F$4:$F$9" in trend
    assert "<c:v>2026-11</c:v>" in trend and '<c:numFmt formatCode="#,##0" sourceLinked="0"/>' in trend
    region = by_title["各所属区域销售额：本期与上期"]
    top = find(wb["对比分析"], "按所属区域对比")
    assert region.count("<c:ser>") == 2 and f"对比分析!$B${top + 2}:$B${top + 9}" in region
    assert f"对比分析!$C${top + 2}:$C${top + 9}" in region and "<c:v>本期销售额</c:v>" in region


def test_no_clipped_cells(built):
    assert clipped(built[1].path, sheets=["业务员统计", "客户综合销售力分析", "对比分析", "说明"]) == []


def test_week_against_the_same_week_last_year(tmp_path, built, schema):
    master = built[0]
    result = build_summary(master, tmp_path / "w.xlsx", schema=schema, as_of=AS_OF, period="week", compare="year")
    assert result.period == "按周统计：本期 2026-11-16 至 2026-11-20，去年同期 2025-11-17 至 2025-11-21"
    ws = openpyxl.load_workbook(result.path)["对比分析"]
    assert ws["A2"].value == "近6周对比" and ws["A9"].value == "2026-W47" and ws["B9"].value == "2026-11-16 至 2026-11-20"
    assert base.values(ws, "C9:F9") == [2, 2, 3000, 0]  # T04 and T08; nothing collected that week
    top = find(ws, "按所属区域对比")
    assert base.values(ws, f"B{top + 1}:C{top + 1}") == ["本期销售额", "去年同期销售额"]


def test_periods():
    p = periods(D("2026-03-31"))
    assert (p.current.start, p.previous.start, p.previous.end) == (D("2026-03-01"), D("2026-02-01"), D("2026-02-28"))
    p = periods(D("2026-11-20"), "quarter")
    assert (p.current.label, p.previous.start, p.previous.end) == ("2026Q4", D("2026-07-01"), D("2026-08-20"))
    p = periods(D("2028-02-29"), "year", "year")
    assert (p.current.start, p.previous.start, p.previous.end) == (D("2028-01-01"), D("2027-01-01"), D("2027-02-28"))
    p = periods(D("2026-01-04"), "week")  # a Sunday: ISO week 2026-W01 began on 2025-12-29
    assert (p.current.label, p.current.start, p.previous.start, p.previous.end) == (
        "2026-W01", D("2025-12-29"), D("2025-12-22"), D("2025-12-28"))
    assert [x.label for x in recent(D("2026-02-10"), "month", 3)] == ["2025-12", "2026-01", "2026-02"]
    with pytest.raises(ValueError):
        periods(D("2026-01-04"), "fortnight")


def test_fallback_without_trade_records(tmp_path, schema):
    master = tmp_path / "总档案.xlsx"
    base.make_master(master, schema)
    result = build_summary(master, tmp_path / "汇总.xlsx", schema=schema, as_of=AS_OF)
    assert result.trades is None and "交易记录" not in result.missing_sheets
    wb = openpyxl.load_workbook(result.path)
    note = "总档案中没有“交易记录”工作表：按客户档案中填写的交易金额(元)和交易次数统计（累计值，不分期间）"
    ws = wb["客户综合销售力分析"]
    assert ws["A2"].value == f"按客户类别分析（{note}）"
    assert base.values(ws, "A3:H3") == ["客户类别", "客户数", "成交客户数", "交易笔数", "销售额", "销售额占比",
                                        "平均单笔金额", None]  # no 回款率 / 上期 / 增长率 without dates
    assert rows(ws, 4, 8, "A:G") == base.approx([
        ["重要客户", 3, 3, 34, 710000, 0.71, 20882.35], ["主要客户", 3, 3, 8, 135000, 0.135, 16875],
        ["普通客户", 4, 4, 14, 155000, 0.155, 11071.43], ["潜在客户", 2, 0, 0, 0, 0, None],
        ["合计", 12, 10, 56, 1000000, 1, 17857.14]])
    people = wb["业务员统计"]
    top = find(people, "业务员业绩统计")
    assert people[f"A{top}"].value.endswith("（总档案中没有“交易记录”工作表：销售额、回款额、拜访/成交无法计算）")
    zhang = base.values(people, f"A{top + 3}:P{top + 3}")
    assert zhang[0] == "张伟" and zhang[1:7] == [None] * 6 and zhang[13] == 0.5  # plans still count
    compare = wb["对比分析"]
    assert compare["A2"].value == f"按所属区域对比（{note}）" and len(compare._charts) == 2
    info = {r[0]: r[1] for r in wb["说明"].iter_rows(min_row=4, max_row=12, max_col=2, values_only=True)}
    assert info["交易数据来源"].startswith("总档案中没有“交易记录”工作表")


def test_no_sensitive_values_in_the_sales_sheets(built, schema):
    """The sales sheets show salespeople and groups only: no customer's contact or ID values."""
    master, result, wb = built
    secret = {f.key for f in schema.form("registration").fields if f.is_sensitive}
    sheets = ("业务员统计", "客户综合销售力分析", "对比分析")
    text = " ".join(str(c.value) for name in sheets for row in wb[name].iter_rows() for c in row if c.value)
    index = {k: i for i, k in enumerate(base.CUSTOMER_KEYS)}
    values = [str(c[index[k]]) for c in base.CUSTOMERS for k in secret if k in index and c[index[k]]]
    assert values and not [v for v in values if v in text]


def test_charts_inside_the_print_area_and_not_cut(built):
    wb = built[2]
    for name in ("客户综合销售力分析", "对比分析"):
        ws = wb[name]
        (a, b), = [part.split("!")[-1].replace("$", "").split(":") for part in ws.print_area.split(",")]
        last_row = openpyxl.utils.cell.coordinate_from_string(b)[1] - 1
        breaks = [brk.id for brk in ws.row_breaks.brk]
        for chart in ws._charts:
            start, end = chart.anchor._from, chart.anchor.to
            assert end.row - (end.rowOff == 0) <= last_row, name
            assert not [r for r in breaks if start.row < r <= end.row - (end.rowOff == 0)], name


@needs_soffice
def test_libreoffice_prints_the_sales_sheets(built, tmp_path):
    _, result, wb = built
    pdf = PdfReader(convert(result.path, "pdf", tmp_path))
    pages = ["".join(p.extract_text().split()) for p in pdf.pages]  # pypdf spaces out "近 6 月"
    for title in ("各客户类别销售额占比", "近6月销售额与回款额", "各所属区域销售额：本期与上期", "各客户类别销售额：本期与上期"):
        assert any(title in text for text in pages), title
    for sheet in ("业务员统计", "客户综合销售力分析", "对比分析"):
        own = [t for t in pages if t.startswith(sheet + "客户档案汇总")]
        assert len(own) == len(wb[sheet].row_breaks.brk) + 1 <= 2, sheet  # LibreOffice broke only where we did
    performance = next(t for t in pages if "业务员业绩统计" in t)
    assert "完成率增减" in performance and "40.0%" in performance  # the last column is on the page


def test_cli_period_options(built, tmp_path, capsys):
    from click.testing import CliRunner

    from workbook_tools.cli import cli, main

    master = built[0]
    out = CliRunner().invoke(cli, ["summary", str(master), "-o", str(tmp_path / "s.xlsx"), "--as-of", "2026-11-20",
                                   "--period", "quarter", "--compare", "year"])
    assert out.exit_code == 0, out.output
    assert "销售按季统计：本期 2026-10-01 至 2026-11-20，去年同期 2025-10-01 至 2025-11-20；交易记录 10 行" in out.output
    with pytest.raises(SystemExit) as bad:
        main(["summary", str(master), "-o", str(tmp_path / "t.xlsx"), "--period", "fortnight"])
    assert bad.value.code == 2
    assert "错误：--period 的值无效：“fortnight”不是可选的值" in capsys.readouterr().err
    assert not (tmp_path / "t.xlsx").exists()


def test_readme_table_is_the_definitions(schema):
    from pathlib import Path

    from workbook_tools.summary.sales.definitions import sales_markdown

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"<!-- SALES:START -->\n{sales_markdown(schema)}<!-- SALES:END -->" in readme


def test_trade_sheet_and_headers_by_their_aliases(tmp_path, schema):
    """A 交易记录 sheet under another of the form's names, with alias headers in another order."""
    master = tmp_path / "总档案.xlsx"
    base.make_master(master, schema)
    book = openpyxl.load_workbook(master)
    ws = book.create_sheet("客户交易记录")
    ws.append(["业务员", "订单编号", "客户代码", "订单日期", "销售金额", "收款金额", "到账日期", "品名"])
    for tid, day, cid, amount, paid_day, paid, person in TRADES:
        ws.append([person, tid, cid, day, amount, paid, paid_day, "钢材"])
    book.save(master)
    result = build_summary(master, tmp_path / "汇总.xlsx", schema=schema, as_of=AS_OF)
    assert result.trades == 10
    ws = openpyxl.load_workbook(result.path)["客户综合销售力分析"]
    assert base.values(ws, "A9:E9") == ["合计", 12, 5, 5, 21000]
