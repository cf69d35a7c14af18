"""build_summary on a small hand-made master: exact numbers in exact cells, read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import zipfile

import openpyxl
import pytest
import xlsxwriter

from workbook_tools.errors import OutputError, UnreadableWorkbook
from workbook_tools.schema import load_schema
from workbook_tools.summary import build_summary

AS_OF = dt.date(2026, 11, 20)
D = dt.date.fromisoformat
PROVENANCE = ["来源文件", "来源工作表", "来源行"]


class approx:  # noqa: N801 - reads like pytest.approx; numbers to 14 digits, other values exactly
    def __init__(self, expected: list):
        self.expected = expected

    def __eq__(self, actual) -> bool:
        return len(actual) == len(self.expected) and all(
            math.isclose(a, e, rel_tol=1e-14) if isinstance(e, (int, float)) and isinstance(a, (int, float))
            else a == e for a, e in zip(actual, self.expected))

    def __repr__(self) -> str:
        return f"approx({self.expected!r})"

# id, name, type, region, industry, ownership, category, credit, source, contact, mobile, address, owner,
# contact_cycle, first_trade, last_trade, trade_count, trade_amount, created, revised
CUSTOMERS = [
    ("HD0001", "上海甲公司", "公司", "华东", "制造业", "国有企业", "重要客户", "A", "展览会", "陈一", "13800000001",
     "上海路1号", "张伟", None, D("2024-01-01"), D("2026-11-01"), 20, 500000, D("2024-01-01"), D("2026-11-01")),
    ("HD0002", "上海乙公司", "公司", "华东", "制造业", "私营企业", "重要客户", "A", "展览会", "陈二", "13800000002",
     "上海路2号", "张伟", None, D("2024-01-01"), D("2026-10-01"), 10, 200000, D("2024-01-01"), D("2026-09-21")),
    ("HN0001", "广州丙公司", "公司", "华南", "批发和零售业", "私营企业", "普通客户", "B", "展览会", "陈三",
     "13800000003", "广州路3号", "李娜", 10, D("2025-01-01"), D("2026-08-01"), 8, 100000, D("2025-01-01"),
     D("2026-09-20")),
    ("HB0001", "北京丁公司", "公司", "华北", None, "其他", "潜在客户", None, "展览会", None, "13800000004",
     "北京路4号", "王强", None, None, None, None, None, D("2026-08-01"), None),
    ("HD0003", "杭州戊公司", "公司", "华东", "制造业", "外资企业", "主要客户", "A", "客户推荐", "陈五",
     "13800000005", "杭州路5号", "张伟", None, D("2025-03-01"), D("2026-09-01"), 6, 80000, D("2025-03-01"),
     D("2026-10-01")),
    ("HN0002", "深圳己公司", "公司", "华南", "建筑业", "合资企业", "主要客户", "B", "客户推荐", "陈六",
     "13800000006", "深圳路6号", "李娜", None, "2026-09-15", None, 1, 50000, D("2026-09-01"), D("2026-10-01")),
    ("HB0002", "天津庚公司", "公司", "华北", "批发和零售业", "私营企业", "普通客户", "C", "客户推荐", "陈七",
     "13800000007", "天津路7号", "王强", None, D("2025-05-01"), D("2026-11-10"), 3, 30000, D("2025-05-01"),
     D("2026-06-01")),
    ("HD0004", "南京辛公司", "公司", "华东", "信息传输、软件和信息技术服务业", "私营企业", "普通客户", "A", "网站广告",
     "陈八", "13800000008", None, "赵敏", None, D("2025-06-01"), D("2026-08-22"), 2, 20000, D("2025-06-01"),
     D("2026-11-01")),
    ("HN0003", "李四", "个人", "华南", None, None, "潜在客户", None, "网站广告", "李四", "13800000009", "佛山路9号",
     "李娜", None, None, None, None, None, D("2026-10-01"), D("2026-10-01")),
    ("HB0003", "石家庄壬公司", "公司", "华北", "制造业", "国有企业", "重要客户", "A", None, "陈十", "13800000010",
     "石家庄路10号", "王强", None, D("2025-07-01"), D("2026-10-20"), 4, 10000, D("2025-07-01"), D("2026-10-01")),
    ("HD0005", "苏州癸公司", "公司", "华东", "建筑业", "私营企业", "主要客户", "B", None, "陈十一", "13800000011",
     "苏州路11号", "赵敏", None, D("2025-08-01"), D("2026-11-01"), 1, 5000, D("2025-08-01"), None),
    ("HN0004", "王五", "个人", "华南", "其他", None, "普通客户", "C", None, "王五", None, "东莞路12号", "赵敏", None,
     D("2025-09-01"), D("2026-08-21"), 1, 5000, D("2025-09-01"), D("2026-10-01")),
]
CUSTOMER_KEYS = [
    "customer_id", "customer_name", "customer_type", "region", "industry", "ownership", "category", "credit",
    "source", "contact", "mobile", "address", "owner", "contact_cycle", "first_trade_date", "last_trade_date",
    "trade_count", "trade_amount", "created", "revised",
]
VISITS = [  # record id, customer id, date, salesperson
    ("V01", "HD0001", D("2026-11-13"), "张伟"), ("V02", "HD0001", D("2026-10-01"), "张伟"),
    ("V03", "HD0002", D("2026-11-12"), "张伟"), ("V04", "HN0001", D("2026-11-05"), "李娜"),
    ("V05", "HD0003", D("2026-11-10"), "张伟"), ("V06", "HN0002", D("2026-11-19"), "李娜"),
    ("V07", "HB0002", D("2026-11-21"), "王强"), ("V08", "HB0002", D("2026-10-01"), "王强"),
    ("V09", "HD0004", D("2026-11-01"), "赵敏"), ("V10", "HB0003", D("2026-11-18"), "王强"),
    ("V11", "HD0005", D("2026-11-15"), "赵敏"), ("V12", "HN0004", D("2026-10-20"), "赵敏"),
    ("V13", "HB0003", D("2026-10-23"), "钱七"), ("V14", "HB0003", D("2026-10-24"), "钱七"),
]
PLANS = [  # plan id, salesperson, planned date, customer id, status
    ("P1", "张伟", D("2026-11-16"), "HD0001", "已完成"), ("P2", "张伟", D("2026-11-18"), "HD0002", "计划"),
    ("P3", "张伟", D("2026-10-24"), "HD0003", "已完成"), ("P4", "张伟", D("2026-10-23"), "HD0003", "已完成"),
    ("P5", "李娜", D("2026-11-10"), "HN0001", "已取消"), ("P6", "李娜", D("2026-11-25"), "HN0002", "计划"),
    ("P7", "王强", D("2026-11-20"), "HB0001", "已完成"), ("P8", "孙八", D("2026-11-01"), "HD0004", "计划"),
]


def _write_row(ws, row: int, values, date_format) -> None:
    for col, value in enumerate(values):
        if value is None:
            continue
        if isinstance(value, dt.date):
            ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), date_format)
        elif isinstance(value, str):
            ws.write_string(row, col, value)
        else:
            ws.write_number(row, col, value)


def make_master(path, schema) -> None:
    reg = schema.form("registration")
    book = xlsxwriter.Workbook(str(path))
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    ws = book.add_worksheet("客户档案")
    ws.write_row(0, 0, reg.labels + PROVENANCE)
    index = {key: i for i, key in enumerate(reg.keys)}
    for r, customer in enumerate(CUSTOMERS, start=1):
        row = [None] * (len(reg.keys) + 3)
        for key, value in zip(CUSTOMER_KEYS, customer):
            row[index[key]] = value
        row[-3:] = [f"{customer[3]}.xlsx", "客户档案登记表", r + 2]
        _write_row(ws, r, row, date_format)
    ws = book.add_worksheet("拜访记录")
    ws.write_string(0, 0, "拜访记录（合并）")  # a title row above the header
    ws.write_row(1, 0, ["记录编号", "客户编号", "日期", "业务员", "方式"] + PROVENANCE)
    for r, visit in enumerate(VISITS, start=2):
        _write_row(ws, r, [*visit, "上门拜访", "a.xlsx", "客户拜访记录", r], date_format)
    ws = book.add_worksheet("拜访计划")
    ws.write_row(0, 0, ["计划编号", "业务员", "计划日期", "客户编号", "拜访方式", "状态"] + PROVENANCE)
    for r, (pid, person, day, cid, status) in enumerate(PLANS, start=1):
        _write_row(ws, r, [pid, person, day, cid, "电话回访", status, "a.xlsx", "客户拜访计划", r], date_format)
    ws = book.add_worksheet("待修正")
    ws.write_row(0, 0, ["问题说明", "客户编号", "客户名称", "所属区域", "负责业务员"] + PROVENANCE)
    ws.write_row(1, 0, ["客户编号格式错误", "HD01", "某公司", "华东", "张伟", "a.xlsx", "客户档案登记表", 9])
    ws.write_row(2, 0, ["缺少建档日期", "HB0009", "另一公司", "华北", "王强", "b.xlsx", "客户档案登记表", 5])
    ws = book.add_worksheet("疑似重复")
    ws.write_row(0, 0, ["客户编号A", "客户名称A", "客户编号B", "客户名称B", "相似度", "处理状态"])
    ws.write_row(1, 0, ["HD0004", "南京辛公司", "HN0004", "南京辛有限公司", 95, "待处理"])
    ws.write_row(2, 0, ["HD0001", "上海甲公司", "HD0002", "上海乙公司", 93, "已处理"])  # closed: not counted
    for name in ("投诉记录", "冲突", "变更记录", "合并说明"):
        book.add_worksheet(name).write_string(0, 0, "说明")
    book.close()


@pytest.fixture(scope="module")
def schema():
    return load_schema()


@pytest.fixture(scope="module")
def built(tmp_path_factory, schema):
    folder = tmp_path_factory.mktemp("summary")
    master = folder / "总档案.xlsx"
    make_master(master, schema)
    out = folder / "汇总.xlsx"
    result = build_summary(master, out, schema=schema, as_of=AS_OF)
    return master, out, result, openpyxl.load_workbook(out)


def values(ws, cells: str) -> list:
    return [c.value for row in ws[cells] for c in row]


def test_result_and_sheet_order(built):
    master, out, result, wb = built
    assert wb.sheetnames == ["客户归类汇总", "客户构成分析", "跟进提醒", "业务下滑", "档案质量", "业务员统计",
                             "客户综合销售力分析", "对比分析", "说明"]
    assert (result.customers, result.visits, result.plans) == (12, 14, 8)
    assert (result.overdue, result.due_soon, result.declining) == (5, 3, 6)
    assert (result.quarantined, result.duplicates) == (2, 1)
    assert result.sha256 == hashlib.sha256(master.read_bytes()).hexdigest()
    assert result.path == out and result.missing_sheets == ()


def test_category_by_region(built):
    ws = built[3]["客户归类汇总"]
    assert values(ws, "A3:I3") == ["客户类别", "华东", "华南", "华北", "华中", "西南", "西北", "东北", "合计"]
    assert values(ws, "A4:I4") == ["重要客户", 2, 0, 1, 0, 0, 0, 0, 3]
    assert values(ws, "A5:I5") == ["主要客户", 2, 1, 0, 0, 0, 0, 0, 3]
    assert values(ws, "A6:I6") == ["普通客户", 1, 2, 1, 0, 0, 0, 0, 4]
    assert values(ws, "A7:I7") == ["潜在客户", 0, 1, 1, 0, 0, 0, 0, 2]
    assert values(ws, "A8:I8") == ["合计", 5, 4, 3, 0, 0, 0, 0, 12]
    assert ws["B4"].data_type == "n" and ws["I8"].font.b


def test_type_and_source_breakdowns(built):
    ws = built[3]["客户归类汇总"]
    assert ws["A10"].value == "按客户类型统计"
    # charted sheets go through XlsxWriter, which writes 16 significant digits
    assert values(ws, "A12:C14") == approx(["公司", 10, 10 / 12, "个人", 2, 2 / 12, "合计", 12, 1])
    assert ws["C12"].number_format == "0.0%"
    assert ws["A16"].value == "按客户来源统计"
    assert values(ws, "A18:B20") == ["网站广告", 2, "展览会", 4, "客户推荐", 3]
    assert values(ws, "A27:C28") == ["（未填写）", 3, 0.25, "合计", 12, 1]


def test_composition_industry_and_credit(built):
    ws = built[3]["客户构成分析"]
    assert values(ws, "A3:E3") == ["所属行业", "客户数", "占比", "交易次数合计", "交易金额合计"]
    assert values(ws, "A6:E6") == approx(["制造业", 4, 4 / 12, 40, 790000])
    assert values(ws, "A8:E8") == approx(["建筑业", 2, 2 / 12, 2, 55000])
    assert values(ws, "A24:E25") == approx(["（未填写）", 2, 2 / 12, 0, 0, "合计", 12, 1, 56, 1000000])
    assert ws["E6"].number_format == "#,##0.00" and ws["E6"].data_type == "n"
    credit = _find(ws, "按信誉等级分析")
    assert values(ws, f"A{credit + 1}:F{credit + 1}") == ["信誉等级", "含义", "客户数", "占比", "交易次数合计",
                                                         "交易金额合计"]
    assert values(ws, f"A{credit + 2}:C{credit + 6}") == [
        "A", "按时回款", 5, "B", "经常欠款但易追回", 3, "C", "拖欠难追回", 2, "（未填写）", None, 2, "合计", None, 12]


def test_value_classes(built):
    ws = built[3]["客户构成分析"]
    top = _find(ws, "按交易金额价值分类")
    assert values(ws, f"A{top + 1}:F{top + 1}") == ["价值分类", "划分标准", "客户数", "客户占比", "交易金额合计", "金额占比"]
    rows = [values(ws, f"A{r}:F{r}") for r in range(top + 2, top + 7)]
    # HD0003 starts exactly at 80% cumulative: not 主力 (the share BEFORE it must be < 80%).
    assert [r[0] for r in rows] == ["主力客户", "一般客户", "零散客户", "无交易金额", "合计"]
    assert [r[2:] for r in rows] == [
        [3, 0.25, 800000, 0.8], [3, 0.25, 160000, 0.16], approx([4, 4 / 12, 40000, 0.04]), approx([2, 2 / 12, 0, 0]),
        [12, 1, 1000000, 1]]


def test_followup_overdue_and_due_soon(built):
    ws = built[3]["跟进提醒"]
    assert values(ws, "A3:H3") == ["负责业务员", "客户编号", "客户名称", "客户类别", "最近联系日期", "联系周期(天)",
                                   "距今天数", "逾期天数"]
    rows = [values(ws, f"A{r}:H{r}") for r in range(4, 9)]
    assert rows == [
        ["张伟", "HD0002", "上海乙公司", "重要客户", dt.datetime(2026, 11, 12), 7, 8, 1],  # a day past the cycle
        ["李娜", "HN0001", "广州丙公司", "普通客户", dt.datetime(2026, 11, 5), 10, 15, 5],  # own 联系周期 10
        ["王强", "HB0001", "北京丁公司", "潜在客户", dt.datetime(2026, 8, 1), 60, 111, 51],  # no visit: 建档日期
        ["王强", "HB0002", "天津庚公司", "普通客户", dt.datetime(2026, 10, 1), 30, 50, 20],  # future visit ignored
        ["赵敏", "HN0004", "王五", "普通客户", dt.datetime(2026, 10, 20), 30, 31, 1],
    ]
    assert ws["A9"].value is None
    assert ws["E4"].number_format == "yyyy-mm-dd" and ws["H4"].data_type == "n"
    assert ws["J2"].value == "未来7天内到期"
    assert values(ws, "J3:Q3") == ["负责业务员", "客户编号", "客户名称", "客户类别", "最近联系日期", "联系周期(天)",
                                   "到期日期", "剩余天数"]
    soon = [values(ws, f"J{r}:Q{r}") for r in range(4, 7)]
    assert soon == [
        ["张伟", "HD0001", "上海甲公司", "重要客户", dt.datetime(2026, 11, 13), 7, dt.datetime(2026, 11, 20), 0],
        ["张伟", "HD0003", "杭州戊公司", "主要客户", dt.datetime(2026, 11, 10), 14, dt.datetime(2026, 11, 24), 4],
        ["王强", "HB0003", "石家庄壬公司", "重要客户", dt.datetime(2026, 11, 18), 7, dt.datetime(2026, 11, 25), 5],
    ]
    assert ws["J7"].value is None
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref == "A3:H8"


def test_decline(built):
    ws = built[3]["业务下滑"]
    assert values(ws, "A3:H3") == ["负责业务员", "客户编号", "客户名称", "客户类别", "最近交易日期", "购买周期(天)",
                                   "未交易天数", "超出天数"]
    rows = [values(ws, f"A{r}:H{r}") for r in range(4, 10)]
    assert [(r[0], r[1], r[6], r[7]) for r in rows] == [
        ("张伟", "HD0002", 50, 20), ("张伟", "HD0003", 80, 20), ("李娜", "HN0001", 111, 21),
        ("李娜", "HN0002", 66, 6),  # no 最近交易日期: 首次交易日期 (typed as text) is used
        ("王强", "HB0003", 31, 1), ("赵敏", "HN0004", 91, 1)]
    assert rows[3][4] == dt.datetime(2026, 9, 15) and rows[3][5] == 60
    assert ws["A10"].value is None  # HD0004 at exactly 90 days is not listed; never-traded customers neither


def test_quality(built):
    ws = built[3]["档案质量"]
    assert values(ws, "A3:G3") == ["所属区域", "客户数", "重要字段完整度", "超期未修订数", "超期未修订占比", "待修正行数",
                                   "疑似重复（未处理）"]
    assert values(ws, "A4:G4") == ["华东", 5, 0.98, 1, 0.2, 1, 1]
    assert values(ws, "A5:G5") == ["华南", 4, 0.925, 1, 0.25, 0, 1]
    assert values(ws, "A6:G6") == ["华北", 3, 0.9, 2, 2 / 3, 1, 0]
    assert values(ws, "A7:G7") == ["华中", 0, None, 0, None, 0, 0]
    assert values(ws, "A11:G11") == ["合计", 12, 113 / 120, 4, 4 / 12, 2, 1]
    assert ws["C4"].number_format == "0.0%"
    assert values(ws, "A13:A14") == ["按负责业务员统计档案质量", "负责业务员"]
    assert values(ws, "A15:G18") == [
        "张伟", 3, 1, 0, 0, 1, 0, "李娜", 3, 28 / 30, 1, 1 / 3, 0, 0,
        "王强", 3, 0.9, 2, 2 / 3, 1, 0, "赵敏", 3, 28 / 30, 1, 1 / 3, 0, 1]
    assert values(ws, "A19:G19") == ["合计", 12, 113 / 120, 4, 4 / 12, 2, 1]


def test_salespeople(built):
    ws = built[3]["业务员统计"]
    assert values(ws, "A3:G3") == ["业务员", "负责客户数", "本周拜访次数", "近4周拜访次数", "计划拜访数", "已完成数", "计划完成率"]
    assert [values(ws, f"A{r}:G{r}") for r in range(4, 11)] == [
        ["孙八", 0, 0, 0, 1, 0, 0],
        ["张伟", 3, 0, 3, 3, 2, 2 / 3],
        ["李娜", 3, 1, 2, 1, 0, 0],
        ["王强", 3, 1, 1, 1, 1, 1],
        ["赵敏", 3, 1, 2, 0, 0, None],  # no plans: rate left blank
        ["钱七", 0, 0, 1, 0, 0, None],
        ["合计", 12, 3, 9, 6, 3, 0.5],
    ]
    assert ws["G5"].number_format == "0.0%"


def test_notes(built):
    master, _, result, wb = built
    ws = wb["说明"]
    info = {row[0]: row[1] for row in ws.iter_rows(min_row=4, max_row=8, max_col=2, values_only=True)}
    assert info["统计截止日期"] == "2026-11-20"
    assert info["总档案文件"] == "总档案.xlsx"
    assert info["文件 SHA-256"] == result.sha256
    defined = [row[1] for row in ws.iter_rows(min_row=1, max_col=3, values_only=True) if row[2]]
    for measure in ("价值分类", "逾期天数", "重要字段完整度", "超期未修订数", "计划完成率", "本周拜访次数"):
        assert measure in defined
    text = " ".join(str(row[2]) for row in ws.iter_rows(min_row=1, max_col=3, values_only=True) if row[2])
    assert "未填写最新修订日期的也计为超期" in text and "80%" in text


def test_numbers_are_numbers(built):
    wb = built[3]
    for ws in wb:
        for row in ws.iter_rows(min_row=4):
            for cell in row:
                if isinstance(cell.value, str):
                    assert not re.fullmatch(r"-?\d+(\.\d+)?", cell.value) or ws.title == "说明", cell.coordinate


def test_charts(built):
    _, out, _, wb = built
    assert len(wb["客户归类汇总"]._charts) == 1
    assert len(wb["客户构成分析"]._charts) == 2
    with zipfile.ZipFile(out) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        # then 客户综合销售力分析 (1) and 对比分析 (2): tests/test_summary_sales.py
        assert charts == [f"xl/charts/chart{i}.xml" for i in range(1, 7)]
        bar = z.read("xl/charts/chart1.xml").decode()
        pie = z.read("xl/charts/chart2.xml").decode()
        industry = z.read("xl/charts/chart3.xml").decode()
    assert "<c:barChart>" in bar and '<c:barDir val="col"/>' in bar and '<c:grouping val="clustered"/>' in bar
    assert "客户归类汇总!$A$4:$A$7" in bar  # categories: the four 客户类别, 合计 row excluded
    # one series per region with customers: 华东 华南 华北 (B–D); 华中 西南 西北 东北 (E–H) have only
    # zeros, stay in the table as 0 (test_category_by_region) but get no empty series in the legend
    assert bar.count("<c:ser>") == 3
    assert all(f"客户归类汇总!${c}$4:${c}$7" in bar for c in "BCD")
    assert not any(f"客户归类汇总!${c}$" in bar for c in "EFGH")
    assert not any(f"<c:v>{r}</c:v>" in bar for r in ("华中", "西南", "西北", "东北"))
    assert "<c:legend>" in bar
    assert "<c:strRef>" in bar and "<c:v>重要客户</c:v>" in bar  # cached text categories (cells via XlsxWriter)
    assert "<c:pieChart>" in pie
    top = _find(wb["客户构成分析"], "按交易金额价值分类")
    assert f"客户构成分析!$C${top + 2}:$C${top + 4}" in pie  # 主力/一般/零散 counts
    # the industry chart: horizontal bars, one per industry of the table (every row but 合计), every
    # label drawn (tickLblSkip 1) beside a plot area leaving room for the longest name
    assert '<c:barDir val="bar"/>' in industry and "客户构成分析!$B$4:$B$24" in industry
    ws = wb["客户构成分析"]
    industries = [ws.cell(row=r, column=1).value for r in range(4, 25)]
    assert ws["A25"].value == "合计" and len(industries) == 21 and "（未填写）" in industries
    assert "客户构成分析!$A$4:$A$24" in industry and '<c:ptCount val="21"/>' in industry
    assert all(f"<c:v>{name}</c:v>" in industry for name in industries)
    assert '<c:tickLblSkip val="1"/>' in industry and '<c:orientation val="maxMin"/>' in industry
    assert '<c:crosses val="max"/>' in industry        # the value axis below the last industry
    x = float(re.search(r'<c:x val="([0-9.]+)"/>', industry).group(1))
    assert 0.3 < x <= 0.5               # 信息传输、软件和信息技术服务业: 15 CJK characters


def test_spliced_sheet_xml_is_ordered(built):
    """Rows ascending, cells of a row in column order, dimension covering the data (Excel insists)."""
    _, out, _, _ = built
    with zipfile.ZipFile(out) as z:
        xml = z.read("xl/worksheets/sheet3.xml").decode()  # 跟进提醒: two tables side by side
    assert '<dimension ref="A1:Q8"/>' in xml
    rows = re.findall(r'<row r="(\d+)"[^>]*>(.*?)</row>', xml)
    numbers = [int(r) for r, _ in rows]
    assert numbers == sorted(set(numbers)) and numbers[:4] == [1, 2, 3, 4]
    for number, cells in rows:
        refs = re.findall(r'<c r="([A-Z]+)(\d+)"', cells)
        assert all(row == number for _, row in refs)
        columns = [openpyxl.utils.column_index_from_string(c) for c, _ in refs]
        assert columns == sorted(columns)


def test_output_is_deterministic(tmp_path, built, schema):
    master, out, _, _ = built
    again = tmp_path / "again.xlsx"
    build_summary(master, again, schema=schema, as_of=AS_OF)
    assert again.read_bytes() == out.read_bytes()


def test_refuses_to_overwrite_master(built, schema):
    master = built[0]
    before = master.read_bytes()
    with pytest.raises(OutputError):
        build_summary(master, master, schema=schema, as_of=AS_OF)
    assert master.read_bytes() == before


def test_unreadable_master(tmp_path, schema):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(UnreadableWorkbook, match="坏.xlsx"):
        build_summary(bad, tmp_path / "out.xlsx", schema=schema, as_of=AS_OF)
    with pytest.raises(UnreadableWorkbook, match="文件不存在"):
        build_summary(tmp_path / "none.xlsx", tmp_path / "out.xlsx", schema=schema, as_of=AS_OF)
    assert not (tmp_path / "out.xlsx").exists()


def test_missing_optional_sheets(tmp_path, schema):
    reg = schema.form("registration")
    master = tmp_path / "master.xlsx"
    book = xlsxwriter.Workbook(str(master))
    ws = book.add_worksheet("客户档案")
    ws.write_row(0, 0, reg.labels)
    ws.write_row(1, 0, ["HD0001", "甲公司", "公司", "华东"])
    book.close()
    result = build_summary(master, tmp_path / "out.xlsx", schema=schema, as_of=AS_OF)
    assert result.customers == 1 and result.visits == 0 and result.plans == 0
    assert set(result.missing_sheets) == {"拜访记录", "拜访计划", "待修正", "疑似重复"}
    wb = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert wb["业务下滑"]["A4"].value == "（无）"
    quality = wb["档案质量"]
    assert values(quality, "A11:G11") == ["合计", 1, 0.3, 1, 1, 0, 0]


def _find(ws, caption: str) -> int:
    """Row number of a table caption in column A."""
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == caption:
            return row[0].row
    raise AssertionError(f"{caption} not found on {ws.title}")
