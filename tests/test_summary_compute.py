"""Unit tests of the summary parts: parsing, boundaries, value classes, loading odd sheets, the cell writer."""

from __future__ import annotations

import datetime as dt
import os
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from workbook_tools.errors import UnreadableWorkbook
from workbook_tools.schema import load_schema
from workbook_tools.summary.classify import NO_AMOUNT, value_classes
from workbook_tools.summary.followup import due_soon_table, followup_status, overdue_table
from workbook_tools.summary.load import load_master
from workbook_tools.summary.parse import parse_dates, parse_numbers, parse_text
from workbook_tools.summary.sales import in_window
from workbook_tools.summary.tables import SummarySheet, Table
from workbook_tools.summary.writer import write_summary

AS_OF = dt.date(2026, 11, 20)
CLASSES = {"主力客户": 0.8, "一般客户": 0.95, "零散客户": 1.0}


@pytest.fixture(scope="module")
def schema():
    return load_schema()


def _customers(rows: list[dict]) -> pd.DataFrame:
    base = {"customer_id": None, "customer_name": "某公司", "category": "普通客户", "owner": "张伟",
            "contact_cycle": np.nan, "created": pd.NaT, "trade_amount": np.nan}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["created"] = pd.to_datetime(frame["created"])
    frame["contact_cycle"] = frame["contact_cycle"].astype("float64")
    frame["trade_amount"] = frame["trade_amount"].astype("float64")
    return frame


def _visits(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [r[0] for r in rows],
                         "date": pd.to_datetime([r[1] for r in rows]), "salesperson": "张伟"})


def test_parse_dates_accepts_cells_text_and_serials():
    raw = [dt.date(2026, 11, 22), dt.datetime(2026, 11, 22, 15, 30), "2026-11-22", "2026/11/22", "2026.11.22",
           "2026年11月22日", "20261122", 46348.0, "", None, "不是日期", "2026-02-30"]
    out = parse_dates(raw).astype(str).tolist()
    assert out == ["2026-11-22"] * 8 + ["NaT"] * 4


def test_parse_dates_fast_path_keeps_blanks():
    assert parse_dates([dt.date(2026, 1, 2), None, dt.date(2026, 1, 2)]).astype(str).tolist() == [
        "2026-01-02", "NaT", "2026-01-02"]
    assert len(parse_dates([])) == 0


def test_parse_text_strips_and_canonicalises(schema):
    lookup = schema.form("registration").field("region").choice_lookup()
    out = parse_text([" 华东区 ", "华南", "", None, "火星"], lookup)
    assert [None if pd.isna(v) else v for v in out] == ["华东", "华南", None, None, "火星"]
    assert parse_text([123.0, 4.5, dt.date(2026, 1, 2)]).tolist() == ["123", "4.5", "2026-01-02"]


def test_parse_numbers():
    out = parse_numbers([1, "2", "1,234.50", "￥800", "", None, "abc"]).tolist()
    assert out[:4] == [1.0, 2.0, 1234.5, 800.0] and all(np.isnan(out[4:]))


def test_value_classes_boundary_and_ties():
    amounts = [50, 30, 20, 0, np.nan]  # before-shares 0, 0.5, 0.8 → 主力 主力 一般
    frame = pd.DataFrame({"customer_id": ["C1", "C2", "C3", "C4", "C5"], "trade_amount": amounts})
    assert value_classes(frame, CLASSES).tolist() == ["主力客户", "主力客户", "一般客户", NO_AMOUNT, NO_AMOUNT]
    tied = pd.DataFrame({"customer_id": ["B", "A", "C"], "trade_amount": [40.0, 40.0, 20.0]})
    assert value_classes(tied, {"甲": 0.3, "乙": 1.0}).tolist() == ["乙", "甲", "乙"]  # equal amounts: A first
    small = pd.DataFrame({"customer_id": ["B", "A"], "trade_amount": [4.0, 96.0]})
    assert value_classes(small, CLASSES).tolist() == ["零散客户", "主力客户"]


def test_value_classes_custom_thresholds():
    frame = pd.DataFrame({"customer_id": list("ABCD"), "trade_amount": [25.0, 25.0, 25.0, 25.0]})
    assert value_classes(frame, {"A类": 0.5, "B类": 1.0}).tolist() == ["A类", "A类", "B类", "B类"]


@pytest.mark.parametrize("last_visit, overdue, due_soon", [
    ("2026-11-13", None, 0),   # exactly at its 7-day cycle: due today, not overdue
    ("2026-11-12", 1, None),   # a day past
    ("2026-11-20", None, 7),   # due in exactly 7 days: still in the list
    ("2026-11-21", None, 7),   # a visit after as_of is ignored: 建档日期 2026-11-20 is used
])
def test_followup_boundaries(last_visit, overdue, due_soon):
    customers = _customers([{"customer_id": "HD0001", "category": "重要客户", "created": "2026-11-20"}])
    status = followup_status(customers, _visits([("HD0001", last_visit)]), AS_OF, {"重要客户": 7})
    over, soon = overdue_table(customers, status).frame, due_soon_table(customers, status).frame
    assert over["逾期天数"].tolist() == ([overdue] if overdue is not None else [])
    assert soon["剩余天数"].tolist() == ([due_soon] if due_soon is not None else [])


def test_followup_due_soon_window_and_own_cycle():
    customers = _customers([
        {"customer_id": "HD0001", "category": "主要客户", "created": "2026-01-01"},  # due 11-27: as_of + 7
        {"customer_id": "HD0002", "category": "主要客户", "created": "2026-01-01"},  # due 11-28: as_of + 8
        {"customer_id": "HD0003", "category": "主要客户", "contact_cycle": 3, "created": "2026-11-16"},
        {"customer_id": "HD0004", "category": None, "created": "2020-01-01"},  # no cycle at all: skipped
    ])
    visits = _visits([("HD0001", "2026-11-13"), ("HD0002", "2026-11-14")])
    status = followup_status(customers, visits, AS_OF, {"主要客户": 14})
    assert due_soon_table(customers, status).frame[["客户编号", "剩余天数"]].values.tolist() == [["HD0001", 7.0]]
    assert overdue_table(customers, status).frame[["客户编号", "联系周期(天)", "逾期天数"]].values.tolist() == [
        ["HD0003", 3.0, 1.0]]


def test_in_window_is_inclusive():
    dates = pd.Series(pd.to_datetime(["2026-11-13", "2026-11-14", "2026-11-20", "2026-11-21"]))
    assert in_window(dates, AS_OF, 7).tolist() == [False, True, True, False]


def test_writer_escapes_text_and_marks_empty_tables(tmp_path):
    frame = pd.DataFrame({"名称": ["<甲&乙>", "控制\x01字符", None], "数量": [1, np.nan, 3.5],
                          "日期": pd.to_datetime(["2026-01-02", None, "2026-12-31"])})
    table = Table("t", "标题", frame, {"数量": "int", "日期": "date"})
    empty = Table("e", "空表", pd.DataFrame({"甲": []}))
    out = write_summary([SummarySheet("表", "表", [[table, empty]])], tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(out)["表"]
    assert [[c.value for c in row] for row in ws["A4:C6"]] == [
        # a control character is kept as XlsxWriter keeps it: escaped as _x0001_ (Excel shows the character)
        ["<甲&乙>", 1, dt.datetime(2026, 1, 2)], ["控制_x0001_字符", None, None], [None, 3.5, dt.datetime(2026, 12, 31)]]
    assert ws["A8"].value == "空表" and ws["A9"].value == "甲" and ws["A10"].value == "（无）"
    assert ws.max_row == 10


def _master(path, sheets: dict[str, list[list]]) -> None:
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
    book.close()


def test_load_aliases_quarantine_without_columns_and_pair_variants(tmp_path, schema):
    path = tmp_path / "m.xlsx"
    _master(path, {
        "客户档案": [["客户代码", "公司名称", "区域", "客户等级", "业务员"], ["HD0001", "甲", "华东区", "重要", "张伟"],
                 [None, None, None, None, None], ["HN0001", "乙", "华南", "普通", "李娜"]],
        "待修正": [["问题", "原始数据"], ["缺客户编号", "x"], ["格式错误", "y"], [None, None], ["重复", "z"]],
        "疑似重复": [["客户编号1", "客户编号2", "状态"], ["HD0001", "HN0001", "已合并到HD0001"], ["HD0001", "HN0001", None]],
    })
    data = load_master(path, schema)
    assert data.customers[["customer_id", "region", "category", "owner"]].values.tolist() == [
        ["HD0001", "华东", "重要客户", "张伟"], ["HN0001", "华南", "普通客户", "李娜"]]
    assert data.quarantined == 3 and data.quarantined_by_region is None and data.quarantined_by_owner is None
    assert data.duplicate_pairs.values.tolist() == [["HD0001", "HN0001"]]
    assert data.missing_sheets == ("拜访记录", "拜访计划")
    assert list(data.visits.columns) == schema.form("visit-record").keys and data.visits.empty


def test_load_reads_sheets_the_same_in_threads_or_not(tmp_path, schema):
    path = tmp_path / "m.xlsx"
    _master(path, {"客户档案": [["客户编号", "客户名称"], ["HD0001", "甲"]],
                   "拜访记录": [["记录编号", "客户编号", "日期", "业务员"], ["V1", "HD0001", "2026-11-01", "张伟"]]})
    one, two = load_master(path, schema, workers=1), load_master(path, schema, workers=2)
    pd.testing.assert_frame_equal(one.visits, two.visits)
    assert one.visits["date"].tolist() == [pd.Timestamp("2026-11-01")]


def test_damaged_sheet_is_an_unreadable_workbook(tmp_path, schema):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    _master(good, {"客户档案": [["客户编号"], ["HD0001"]]})
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, b"<worksheet><sheetData><row r=" if info.filename.endswith("sheet1.xml") else data)
    with pytest.raises(UnreadableWorkbook, match="客户档案"):
        load_master(bad, schema)


def test_load_in_a_forked_process_matches(tmp_path, schema, monkeypatch):
    import workbook_tools.summary.load as load_module

    path = tmp_path / "m.xlsx"
    _master(path, {"客户档案": [["客户编号", "客户名称"], ["HD0001", "甲"]],
                   "拜访记录": [["记录编号", "客户编号", "日期", "业务员"], ["V1", "HD0001", "2026-11-01", "张伟"],
                            ["V2", "HD0001", "2026-11-02", "李娜"]]})
    expected = load_master(path, schema, workers=1)
    monkeypatch.setattr(load_module, "PROCESS_MIN_BYTES", 0)
    forked = load_master(path, schema, workers=2)
    pd.testing.assert_frame_equal(forked.visits, expected.visits)
    pd.testing.assert_frame_equal(forked.customers, expected.customers)


PARENT = os.getpid()


def _dies_in_child(value):
    if os.getpid() != PARENT:
        os._exit(3)  # the worker process dies (killed, out of memory …)
    return value


def test_a_dead_worker_process_is_not_fatal():
    from workbook_tools.summary.load import _collect, _fork_job

    remote = _fork_job(_dies_in_child, ("本地结果",))
    if remote is None:
        pytest.skip("no fork on this platform")
    assert _collect(remote) == "本地结果"
