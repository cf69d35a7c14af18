"""merge_rows on small hand-built rows: upsert, conflicts, quarantine, previous master,
change log, record sheets, reconciliation, counts."""

from __future__ import annotations

from datetime import date

import pytest

from workbook_tools.merge import (
    CONFLICT_RULE, Conflict, InputFile, SourceRow, merge_rows,
)
from workbook_tools.merge.changes import ABSENT_TEXT, KEPT_TEXT
from workbook_tools.merge.core import NO_ID
from workbook_tools.merge.sheets import conflicts_table, master_sheets, quarantine_table
from workbook_tools.schema import load_schema

SCHEMA = load_schema()
RUN = date(2026, 11, 23)
SHEET = "客户档案登记表"


def reg(cid, file="华东.xlsx", row=2, *, errors=(), extras=None, **values) -> SourceRow:
    """A registration row with the required fields filled; keyword args override."""
    v = {"customer_id": cid, "customer_name": f"客户{cid}", "customer_type": "公司",
         "region": "华东", "category": "普通客户", "owner": "王五", "created": date(2026, 1, 5)}
    v.update(values)
    return SourceRow("registration", v, dict(v), dict(extras or {}), file, SHEET, row, list(errors))


def prev(cid, row, **values) -> dict:
    """A customer of last week's master, as previous_from_rows would give it (dict form)."""
    d = reg(cid, **values).values
    d.update({"_file": "上周总表.xlsx", "_sheet": "客户档案", "_row": row})
    return d


def visit(rid, file="华东.xlsx", row=2, *, errors=(), **values) -> SourceRow:
    v = {"record_id": rid, "customer_id": "HD0001", "date": date(2026, 11, 2),
         "salesperson": "王五", "method": "上门拜访", "content": "介绍新品"}
    v.update(values)
    return SourceRow("visit-record", v, dict(v), {}, file, "客户拜访记录", row, list(errors))


def plan(pid, status, row, *, errors=(), **values) -> SourceRow:
    v = {"plan_id": pid, "salesperson": "王五", "planned_date": date(2026, 11, 3),
         "customer_id": "HD0001", "customer_name": "客户HD0001", "method": "电话回访",
         "purpose": "回访满意度", "status": status}
    v.update(values)
    return SourceRow("visit-plan", v, dict(v), {}, "华东计划.xlsx", "客户拜访计划", row, list(errors))


def merge(rows, **kw):
    return merge_rows(rows, SCHEMA, run_date=RUN, **kw)


def customer(result, cid):
    return next(c for c in result.customers if c.id == cid)


# --- upsert and conflicts --------------------------------------------------------------


def two_versions():
    return [reg("HD0001", "a.xlsx", 2, mobile="13800000000", email="a@example.com",
                revised=date(2026, 11, 1)),
            reg("HD0001", "b.xlsx", 5, mobile="13900000000", email=None,
                revised=date(2026, 11, 10))]


def test_upsert_latest_revision_wins_field_by_field_and_empty_never_overwrites():
    result = merge(two_versions())
    [c] = result.customers
    assert c.values["mobile"] == "13900000000"          # the later 最新修订日期 wins
    assert c.values["email"] == "a@example.com"         # the empty value does not overwrite
    assert c.values["revised"] == date(2026, 11, 10)
    assert (c.provenance.file, c.provenance.row) == ("b.xlsx", 5)
    assert result.counts()["duplicates_folded"] == 1


def test_conflict_rows_exact():
    result = merge(two_versions())
    assert result.conflicts == [Conflict(
        "HD0001", "手机",
        (("13900000000", ("b.xlsx/客户档案登记表/5",)), ("13800000000", ("a.xlsx/客户档案登记表/2",))),
        "13900000000", "b.xlsx/客户档案登记表/5")]
    table = conflicts_table(result)
    assert table.note == CONFLICT_RULE
    assert [c.header for c in table.columns] == ["客户编号", "字段", "各来源的值", "采用的值", "采用来源"]
    assert list(table.rows) == [[
        "HD0001", "手机",
        "13900000000 ← b.xlsx/客户档案登记表/5；13800000000 ← a.xlsx/客户档案登记表/2",
        "13900000000", "b.xlsx/客户档案登记表/5"]]


def test_tie_on_revision_date_is_decided_by_file_name_then_row():
    same_day = date(2026, 11, 5)
    rows = [reg("HD0001", "b.xlsx", 9, contact="李雷", revised=same_day),
            reg("HD0001", "a.xlsx", 3, contact="韩梅梅", revised=same_day)]
    assert customer(merge(rows), "HD0001").values["contact"] == "李雷"      # b.xlsx sorts last
    rows = [reg("HD0001", "a.xlsx", 3, contact="韩梅梅"), reg("HD0001", "a.xlsx", 8, contact="李雷")]
    assert customer(merge(rows), "HD0001").values["contact"] == "李雷"      # no dates: later row
    rows = [reg("HD0001", "a.xlsx", 3, contact="韩梅梅", revised=date(2026, 1, 1)),
            reg("HD0001", "z.xlsx", 8, contact="李雷")]
    assert customer(merge(rows), "HD0001").values["contact"] == "韩梅梅"    # a date beats none


def test_same_value_in_several_rows_is_listed_once_with_all_sources():
    rows = [reg("HD0001", "a.xlsx", 2, contact="张三"), reg("HD0001", "b.xlsx", 2, contact="李四"),
            reg("HD0001", "c.xlsx", 2, contact="张三")]
    [conflict] = merge(rows).conflicts
    assert conflict.values_text == ("张三 ← c.xlsx/客户档案登记表/2、a.xlsx/客户档案登记表/2；"
                                    "李四 ← b.xlsx/客户档案登记表/2")
    assert conflict.chosen == "张三"


def test_identical_rows_fold_without_conflict():
    result = merge([reg("HD0001", "a.xlsx", 2), reg("HD0001", "b.xlsx", 2)])
    assert result.conflicts == []
    assert len(result.customers) == 1


def test_master_order_is_region_choice_order_then_natural_id():
    rows = [reg("HB0003", region="华北"), reg("HD0010"), reg("HN0001", region="华南"),
            reg("HD0002"), reg("HD00003")]
    assert [c.id for c in merge(rows).customers] == ["HD0002", "HD00003", "HD0010", "HN0001", "HB0003"]


def test_unknown_columns_kept_in_first_seen_order_and_provenance_headers_dropped():
    rows = [reg("HD0001", "a.xlsx", extras={"微信号": "wx1", "来源文件": "旧.xlsx"}),
            reg("HD0002", "b.xlsx", extras={"QQ": "10001", "微信号 ": "wx2"})]
    result = merge(rows)
    assert result.extra_cols.labels == ["微信号", "QQ"]
    assert [c.extras for c in result.customers] == [{"微信号": "wx1"}, {"qq": "10001", "微信号": "wx2"}]
    table = master_sheets(result, SCHEMA)[0]
    headers = [c.header for c in table.columns]
    assert headers[-5:] == ["微信号", "QQ", "来源文件", "来源工作表", "来源行"]
    assert headers[:2] == ["客户编号", "客户名称"] and len(headers) == 37 + 5
    assert list(table.rows)[1][-5:] == ["wx2", "10001", "b.xlsx", SHEET, 2]


def test_caller_rows_are_not_modified():
    row = reg("HD0001", extras={"微信号 ": "wx1"})
    merge([row, reg("HD0001", "b.xlsx")])
    assert row.extras == {"微信号 ": "wx1"} and row.errors == []


# --- quarantine ----------------------------------------------------------------------------


def test_quarantined_rows_exact_and_not_merged():
    bad = reg("HD0002", "a.xlsx", 7, mobile=None, errors=["手机号码应为11位数字", "建档日期不能晚于今天"],
              extras={"微信号": "wx9"})
    bad.raw["mobile"] = "1380000"
    result = merge([reg("HD0001"), bad])
    assert [c.id for c in result.customers] == ["HD0001"]
    assert result.quarantined == [bad]
    table = quarantine_table(result, SCHEMA)
    headers = [c.header for c in table.columns]
    assert headers[:5] == ["表单", "来源文件", "来源工作表", "来源行", "错误信息"]
    assert headers[5:42] == SCHEMA.form("registration").labels and headers[42:] == ["微信号"]
    [row] = list(table.rows)
    assert row[:5] == ["客户档案登记表", "a.xlsx", SHEET, 7, "手机号码应为11位数字；建档日期不能晚于今天"]
    cell = dict(zip(headers, row))
    assert (cell["客户编号"], cell["手机"], cell["建档日期"], cell["微信号"]) == \
        ("HD0002", "1380000", date(2026, 1, 5), "wx9")


def test_quarantine_sheet_unions_labels_of_all_forms_present():
    result = merge([reg("HD0001", errors=["x"]), visit("V1", errors=["y"])])
    headers = [c.header for c in quarantine_table(result, SCHEMA).columns]
    assert headers.count("客户编号") == 1 and "记录编号" in headers and "方式" in headers
    rows = list(quarantine_table(result, SCHEMA).rows)
    cells = [dict(zip(headers, r)) for r in rows]
    # file → sheet → row order: 客户拜访记录 sorts before 客户档案登记表
    assert [(c["表单"], c["记录编号"], c["客户编号"]) for c in cells] == \
        [("客户拜访记录", "V1", "HD0001"), ("客户档案登记表", None, "HD0001")]


def test_row_without_customer_id_is_quarantined():
    result = merge([reg(None, "a.xlsx", 4)])
    assert result.customers == []
    assert [(r.row, r.errors) for r in result.quarantined] == [(4, [NO_ID])]


def test_warnings_only_rows_are_merged():
    # the validator only puts errors into SourceRow.errors; a row with warnings has none
    assert [c.id for c in merge([reg("HD0001", remarks="仅有警告")]).customers] == ["HD0001"]


# --- previous master and change log -----------------------------------------------------


def test_previous_customer_resent_with_error_keeps_previous_record():
    previous = [prev("HD0001", 2, mobile="13800000000")]
    bad = reg("HD0001", "华东.xlsx", 6, mobile="13900000000", errors=["客户类别不在可选范围内"])
    result = merge([bad], previous=previous)
    [c] = result.customers
    assert c.values["mobile"] == "13800000000"
    assert (c.provenance.file, c.provenance.sheet, c.provenance.row) == ("上周总表.xlsx", "客户档案", 2)
    assert [(e.kind, e.text, e.file) for e in result.changes] == [("保留上期记录", KEPT_TEXT, "华东.xlsx")]
    counts = result.counts()
    assert (counts["kept_previous"], counts["absent"], counts["quarantined"]) == (1, 0, 1)


def test_change_log_new_changed_absent():
    previous = [prev("HD0001", 2, mobile="13800000000"), prev("HD0003", 7)]
    rows = [reg("HD0001", "华东.xlsx", 3, mobile="13900000000", email="a@example.com"),
            reg("HD0002", "华东.xlsx", 4)]
    result = merge(rows, previous=previous)
    assert [(e.kind, e.customer_id, e.text, e.file) for e in result.changes] == [
        ("修改", "HD0001", "将 手机 由 13800000000 修改为 13900000000", "华东.xlsx"),
        ("修改", "HD0001", "将 电子邮件 由 （空） 修改为 a@example.com", "华东.xlsx"),
        ("新增客户", "HD0002", "新增客户", "华东.xlsx"),
        ("本周未出现", "HD0003", ABSENT_TEXT, "上周总表.xlsx"),
    ]
    assert {e.date for e in result.changes} == {RUN}
    absent = customer(result, "HD0003")       # kept, provenance = the previous master
    assert (absent.provenance.file, absent.provenance.row) == ("上周总表.xlsx", 7)
    counts = result.counts()
    assert (counts["new"], counts["changed"], counts["absent"], counts["customers"]) == (1, 1, 1, 3)


def test_empty_value_this_week_keeps_previous_value_without_change():
    result = merge([reg("HD0001", email=None)], previous=[prev("HD0001", 2, email="a@example.com")])
    assert customer(result, "HD0001").values["email"] == "a@example.com"
    assert result.changes == []


def test_previous_record_with_later_revision_wins_and_is_reported_as_conflict():
    previous = [prev("HD0001", 2, mobile="13800000000", revised=date(2026, 11, 20))]
    stale = reg("HD0001", "华东.xlsx", 3, mobile="13900000000", revised=date(2026, 11, 1))
    result = merge([stale], previous=previous)
    assert customer(result, "HD0001").values["mobile"] == "13800000000"
    assert [(c.field, c.values_text, c.chosen) for c in result.conflicts] == [(
        "手机", "13800000000 ← 上周总表.xlsx/客户档案/2；13900000000 ← 华东.xlsx/客户档案登记表/3",
        "13800000000")]
    assert result.changes == []


def test_previous_with_same_revision_date_loses_to_this_week():
    previous = [prev("HD0001", 2, mobile="13800000000", revised=date(2026, 11, 1))]
    result = merge([reg("HD0001", mobile="13900000000", revised=date(2026, 11, 1))], previous=previous)
    assert customer(result, "HD0001").values["mobile"] == "13900000000"
    assert result.conflicts == []


def test_no_change_log_without_previous():
    result = merge([reg("HD0001")])
    assert result.changes is None
    assert "变更记录" not in [s.name for s in master_sheets(result, SCHEMA)]
    assert result.counts()["new"] == 1


# --- record sheets ---------------------------------------------------------------------------


def test_completed_plans_become_visit_records_and_exact_duplicates_are_removed():
    rows = [visit("V1", "a.xlsx", 2), visit("V1", "b.xlsx", 4),           # exact duplicate
            visit("V1", "b.xlsx", 5, content="另一次拜访"),                  # same id, other values
            plan("P1", "已完成", 2, actual_date=date(2026, 11, 4), result="签约", next_date=date(2026, 12, 1)),
            plan("P2", "计划", 3),
            plan("P3", "已完成", 4, errors=["实际日期不能晚于今天"])]
    result = merge(rows)
    visits = result.visits.rows
    assert [(r.values["record_id"], r.file, r.row) for r in visits] == \
        [("V1", "a.xlsx", 2), ("V1", "b.xlsx", 5), ("P1", "华东计划.xlsx", 2)]
    assert visits[2].values == {
        "record_id": "P1", "customer_id": "HD0001", "customer_name": "客户HD0001",
        "date": date(2026, 11, 4), "salesperson": "王五", "method": "电话回访",
        "content": "回访满意度", "result": "签约", "next_date": date(2026, 12, 1)}
    assert [r.values["plan_id"] for r in result.plans.rows] == ["P1", "P2"]
    assert result.reconciliation("拜访记录").text == \
        "读取 3 行 + 由已完成拜访计划转入 1 行 = 拜访记录中保留 3 + 完全相同的重复行 1 + 待修正 0（一致）"
    plans = result.reconciliation("拜访计划")
    assert (plans.rows_read, plans.kept, plans.folded, plans.quarantined, plans.ok) == (3, 2, 0, 1, True)


def test_sheet_order_with_everything():
    complaint = SourceRow("complaint", {"complaint_id": "T1", "date": date(2026, 11, 2),
                                        "customer_id": "HD0001", "content": "发货慢", "status": "待处理"},
                          {}, {}, "华东.xlsx", "客户投诉记录", 2)
    result = merge([reg("HD0001"), visit("V1"), plan("P1", "计划", 2), complaint],
                   previous=[prev("HD0001", 2)])
    assert [s.name for s in master_sheets(result, SCHEMA)] == [
        "客户档案", "资料卡", "拜访记录", "拜访计划", "投诉记录", "客户分类", "待修正", "冲突", "疑似重复", "变更记录",
        "合并说明"]
    assert [s.name for s in master_sheets(merge([reg("HD0001")]), SCHEMA)] == [
        "客户档案", "资料卡", "拜访记录", "客户分类", "待修正", "冲突", "疑似重复", "合并说明"]


def test_unknown_form_key_is_a_programming_error():
    with pytest.raises(KeyError):
        merge([SourceRow("invoice", {}, {}, {}, "a.xlsx", "s", 2)])


# --- reconciliation and counts ------------------------------------------------------------


def messy_rows():
    return [
        reg("HD0001", "a.xlsx", 2, revised=date(2026, 11, 1)),
        reg("HD0002", "a.xlsx", 3, errors=["手机号码应为11位数字"]),     # previous customer, error
        reg("HD0003", "a.xlsx", 4),
        reg("HD0006", "a.xlsx", 5, errors=["缺少客户名称"]),             # new customer, error
        reg("HD0001", "b.xlsx", 2, revised=date(2026, 11, 9), contact="李雷"),  # duplicated across files
        reg("HD0004", "b.xlsx", 3),
        reg("HD0004", "b.xlsx", 9),                                        # duplicated within a file
        visit("V1", "a.xlsx", 2), visit("V1", "b.xlsx", 2), visit("V2", "b.xlsx", 3, errors=["缺少日期"]),
    ]


def messy_inputs():
    return [InputFile("/in/a.xlsx", "aa" * 32, {SHEET: 4, "客户拜访记录": 1}),
            InputFile("/in/b.xlsx", "bb" * 32, {SHEET: 3, "客户拜访记录": 2}),
            InputFile("/in/c.xlsx", "cc" * 32, {}, skipped_reason="文件已加密")]


def test_reconciliation_equation_on_messy_inputs():
    result = merge(messy_rows(), previous=[prev("HD0002", 2), prev("HD0005", 3)], inputs=messy_inputs())
    customers = result.reconciliation("客户档案")
    assert (customers.rows_read, customers.kept, customers.folded, customers.quarantined) == (7, 3, 2, 2)
    assert customers.ok
    assert customers.text == ("读取 7 行 = 客户档案中本周客户 3 + 合并进这些客户的重复行 2 + 待修正 2（一致）")
    visits = result.reconciliation("拜访记录")
    assert (visits.rows_read, visits.kept, visits.folded, visits.quarantined, visits.ok) == (3, 1, 1, 1, True)
    assert [c.id for c in result.customers] == ["HD0001", "HD0002", "HD0003", "HD0004", "HD0005"]
    assert result.ok


def test_counts_on_messy_inputs():
    result = merge(messy_rows(), previous=[prev("HD0002", 2), prev("HD0005", 3)], inputs=messy_inputs())
    assert result.counts() == {
        "files_read": 2, "files_skipped_count": 1, "files_skipped": [{"file": "c.xlsx", "reason": "文件已加密"}],
        "rows_read": 10, "customers": 5, "customers_this_week": 3, "duplicates_folded": 2,
        "quarantined": 3, "conflicts": 0, "suspected_duplicates": 0, "new": 3, "changed": 0,
        "absent": 1, "kept_previous": 1, "visit_records": 1, "visit_plans": 0, "complaints": 0, "trades": 0, "trade_disagreements": 0,
        "record_duplicates_removed": 1, "ok": True,
    }


def test_row_count_mismatch_with_reader_makes_result_not_ok():
    inputs = [InputFile("/in/a.xlsx", "aa" * 32, {SHEET: 5})]
    result = merge([reg("HD0001", "a.xlsx", 2)], inputs=inputs)
    assert [(c.file, c.sheet, c.read, c.received, c.ok) for c in result.input_checks] == \
        [("a.xlsx", SHEET, 5, 1, False)]
    assert not result.ok and result.counts()["ok"] is False


def test_rows_in_any_order_give_the_same_result():
    rows = messy_rows()
    a = merge(rows)
    b = merge(list(reversed(rows)))
    assert [(c.id, c.values) for c in a.customers] == [(c.id, c.values) for c in b.customers]
    assert a.conflicts == b.conflicts and a.quarantined == b.quarantined


def test_files_read_without_input_list_counts_every_contributing_file():
    result = merge([reg("HD0001", "a.xlsx"), visit("V1", "v.xlsx"), reg("HD0002", "q.xlsx", errors=["x"])])
    assert result.counts()["files_read"] == 3
