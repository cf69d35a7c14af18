"""Contact strategy edge cases and the small helpers of the scheduler."""

import datetime as dt

import pandas as pd

from test_plan_build import SCHEMA, write_master
from workbook_tools.plan import build_plans
from workbook_tools.plan.build import file_name, sheet_name
from workbook_tools.plan.calendar import plan_week
from workbook_tools.plan.due import NO_CYCLE, NO_LAST_CONTACT, category_ranks, due_customers
from workbook_tools.plan.schedule import method_for, purpose_text
from workbook_tools.summary.load import load_master

D = dt.date
BASE = D(2026, 1, 5)


def test_purpose_text():
    assert purpose_text(D(2026, 9, 28), D(2026, 9, 25)) == "定期回访（逾期3天）"
    assert purpose_text(D(2026, 9, 28), D(2026, 9, 28)) == "定期回访（到期）"
    assert purpose_text(D(2026, 9, 28), D(2026, 10, 2)) == "定期回访（10月2日到期）"


def test_method_defaults_follow_the_schema():
    assert method_for(SCHEMA, "重要客户") == "上门拜访"
    assert method_for(SCHEMA, "潜在客户") == "电话回访"
    assert method_for(SCHEMA, "") == "电话回访"


def test_category_order_comes_from_the_schema():
    assert category_ranks(SCHEMA) == {"重要客户": 0, "主要客户": 1, "普通客户": 2, "潜在客户": 3}


def test_sheet_and_file_names():
    taken = set()
    long = "欧阳" * 20
    first = sheet_name("客户拜访计划", long, taken)
    assert len(first) == 31 and first.startswith("客户拜访计划-欧阳")
    second = sheet_name("客户拜访计划", long, taken)
    assert len(second) == 31 and second.endswith("(2)")
    names = set()
    assert file_name("客户拜访计划", 'a:b*"c', "2026-W40", names) == "客户拜访计划_a_b__c_2026-W40.xlsx"
    assert file_name("客户拜访计划", "A:B*\"C", "2026-W40", names) == "客户拜访计划_A_B__C(2)_2026-W40.xlsx"


def _frame(tmp_path, customers, visits=(), week="2026-W40"):
    path = write_master(tmp_path / "m.xlsx", customers, list(visits))
    return due_customers(load_master(path, SCHEMA), SCHEMA, plan_week(week))


def test_unknown_due_dates_and_bad_rows(tmp_path):
    customers = [
        ("HD0001", "甲", "某类客户", "张三", None, BASE),    # unknown category, no cycle
        ("HD0002", "乙", "某类客户", "张三", 10, D(2026, 9, 20)),  # unknown category but own cycle
        ("HD0003", "丙", "重要客户", "张三", None, BASE),
        ("HD0003", "丙二", "重要客户", "张三", None, BASE),  # repeated id
        (None, "丁", "重要客户", "张三", None, BASE),        # no id
    ]
    due = _frame(tmp_path, customers)
    frame = due.frame.set_index("customer_id")
    assert frame.loc["HD0001", "reason"] == NO_CYCLE and pd.isna(frame.loc["HD0001", "due"])
    assert frame.loc["HD0002", "due"] == pd.Timestamp("2026-09-30") and frame.loc["HD0002", "rank"] == 4
    assert frame.loc["HD0003", "customer_name"] == "丙"
    assert due.customers == 3 and due.salespeople == ["张三"]
    assert due.warnings == ["客户档案中有 1 行没有客户编号，未列入拜访计划",
                            "客户档案中有 1 行客户编号重复，按第一次出现的行安排"]
    # priority: known categories first, unknown category after, unknown due date last
    assert list(frame.index) == ["HD0003", "HD0002", "HD0001"]


def test_no_last_contact_reason_reaches_pending(tmp_path):
    path = write_master(tmp_path / "m.xlsx", [("HD0001", "甲", "重要客户", "张三", None, BASE)], [])
    master = load_master(path, SCHEMA)
    master.customers.loc[0, "created"] = pd.NaT
    due = due_customers(master, SCHEMA, plan_week("2026-W40"))
    assert due.frame["reason"].tolist() == [NO_LAST_CONTACT]


def test_latest_visit_wins_over_created_date(tmp_path):
    customers = [("HD0001", "甲", "普通客户", "张三", None, D(2026, 9, 1))]
    due = _frame(tmp_path, customers, [("HD0001", D(2026, 8, 1)), ("HD0001", D(2026, 8, 20))])
    # last contact is the latest visit (08-20) even though 建档日期 is later
    assert due.frame["due"].tolist() == [pd.Timestamp("2026-09-19")]
    assert due.frame["overdue_days"].tolist() == [9]


def test_salesperson_without_due_customers_gets_an_empty_plan(tmp_path):
    customers = [("HD0001", "甲", "潜在客户", "张三", None, D(2026, 9, 1)),
                 ("HD0002", "乙", "重要客户", "李四", None, D(2026, 9, 1))]
    master = write_master(tmp_path / "m.xlsx", customers, [])
    result = build_plans(master, schema=SCHEMA, week="2026-W40", out=tmp_path / "p.xlsx")
    assert result.plans["张三"] == [] and [i.customer_id for i in result.plans["李四"]] == ["HD0002"]
    assert result.due == 1 and len(result.pending) == 0
