"""build_summary reads the master exactly as workbook_tools.merge writes it (note rows above
headers on 待修正/疑似重复, 客户编号1/客户编号2 pairs, 处理意见, provenance columns)."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from workbook_tools.merge import SourceRow, merge_rows, write_master
from workbook_tools.schema import load_schema
from workbook_tools.summary import build_summary, load_master

SCHEMA = load_schema()
RUN = date(2026, 11, 20)


def reg(cid, region, owner, *, row, errors=(), **values) -> SourceRow:
    v = {"customer_id": cid, "customer_name": f"客户{cid}有限公司", "customer_type": "公司", "region": region,
         "category": "普通客户", "owner": owner, "created": date(2026, 1, 5), "revised": date(2026, 11, 1)}
    v.update(values)
    return SourceRow("registration", v, dict(v), {}, f"{region}.xlsx", "客户档案登记表", row, list(errors))


def visit(rid, cid, day, person) -> SourceRow:
    v = {"record_id": rid, "customer_id": cid, "date": day, "salesperson": person, "method": "上门拜访"}
    return SourceRow("visit-record", v, dict(v), {}, "华东.xlsx", "客户拜访记录", 2)


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    rows = [
        reg("HD0001", "华东", "张伟", row=2, mobile="13800000001", trade_amount=900.0, last_trade_date=date(2026, 11, 1),
            first_trade_date=date(2026, 1, 6), trade_count=3),
        reg("HN0001", "华南", "李娜", row=3, mobile="13800000001", trade_amount=100.0),  # same mobile: suspected pair
        reg("HB0001", "华北", "王强", row=4, category="重要客户"),
        reg("HD0002", "华东", "张伟", row=5, errors=["手机号码应为11位数字"]),  # quarantined
        visit("V1", "HD0001", date(2026, 11, 18), "张伟"),
    ]
    path = tmp_path_factory.mktemp("merged") / "客户档案总表.xlsx"
    write_master(merge_rows(rows, SCHEMA, run_date=RUN), SCHEMA, path)
    return path


def test_load_master_reads_the_merge_output(master):
    data = load_master(master, SCHEMA)
    assert sorted(data.customers["customer_id"]) == ["HB0001", "HD0001", "HN0001"]
    assert data.visits["customer_id"].tolist() == ["HD0001"]
    assert data.quarantined == 1
    assert data.quarantined_by_region.to_dict() == {"华东": 1}
    assert data.quarantined_by_owner.to_dict() == {"张伟": 1}
    assert data.duplicate_pairs.values.tolist() == [["HD0001", "HN0001"]]


def test_summary_of_the_merge_output(master, tmp_path):
    result = build_summary(master, tmp_path / "汇总.xlsx", schema=SCHEMA, as_of=RUN)
    assert (result.customers, result.visits, result.quarantined, result.duplicates) == (3, 1, 1, 1)
    ws = openpyxl.load_workbook(result.path)["档案质量"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(min_row=4, max_row=11, max_col=7, values_only=True)}
    assert rows["华东"][0] == 1 and rows["华东"][4:] == (1, 1)  # 客户数, 待修正, 疑似重复
    assert rows["华南"][4:] == (0, 1) and rows["华北"][4:] == (0, 0)
    assert rows["合计"][0] == 3 and rows["合计"][4:] == (1, 1)
