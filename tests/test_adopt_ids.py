"""adopt's 客户编号 assignment (format, continuation, stability across reruns, reordering
and inserted rows) and its duplicate listing within and across legacy files."""

from __future__ import annotations

import copy
import datetime as dt
import random

import pytest

from workbook_tools.adopt.infer import Conversion, assign_ids, convert_row, find_duplicates
from workbook_tools.schema import load_schema


@pytest.fixture(scope="module")
def schema():
    return load_schema()


def customers(n: int, region: str = "华东", year: int = 2020) -> list[dict]:
    return [{"customer_name": f"恒泰{i:03d}电子有限公司", "region": region, "mobile": f"138{i:08d}",
             "created": dt.date(year, 1, 1) + dt.timedelta(days=i)} for i in range(n)]


def ids(rows: list[dict]) -> dict[str, str]:
    return {r["customer_name"]: r.get("customer_id") for r in rows}


def test_ids_in_the_schema_pattern_with_the_region_code(schema):
    rows = [{"customer_name": "甲公司", "region": "华东", "created": dt.date(2021, 3, 1)},
            {"customer_name": "乙公司", "region": "华南"},
            {"customer_name": "丙公司", "region": "华东", "created": dt.date(2020, 1, 1)}]
    conversions = assign_ids(schema, rows, prefix=None, start=None)
    assert [r["customer_id"] for r in rows] == ["HD0002", "HN0001", "HD0001"]
    assert conversions == [Conversion(0, "customer_id", None, "HD0002", "新编客户编号（前缀“HD”）"),
                           Conversion(1, "customer_id", None, "HN0001", "新编客户编号（前缀“HN”）"),
                           Conversion(2, "customer_id", None, "HD0001", "新编客户编号（前缀“HD”）")]


def test_numbering_continues_after_the_highest_existing_number_and_keeps_existing_ids(schema):
    rows = customers(3) + [{"customer_id": "hd0041", "region": "华东"}, {"customer_id": "HN0100", "region": "华南"},
                           {"customer_id": "旧编号7", "region": "华东"}]
    assign_ids(schema, rows, prefix=None, start=None)
    assert [r["customer_id"] for r in rows] == ["HD0042", "HD0043", "HD0044", "hd0041", "HN0100", "旧编号7"]


def test_start_and_prefix_arguments(schema):
    rows = customers(3) + [{"customer_id": "XX0002", "region": "华南"}]
    conversions = assign_ids(schema, rows, prefix="xx", start=1)
    assert [r["customer_id"] for r in rows] == ["XX0001", "XX0003", "XX0004", "XX0002"]  # 2 is taken
    assert {c.how for c in conversions} == {"新编客户编号（前缀“XX”）"}
    rows = customers(2)
    assign_ids(schema, rows, prefix=None, start=500)
    assert [r["customer_id"] for r in rows] == ["HD0500", "HD0501"]


def test_more_numbers_than_the_width_grow_the_number(schema):
    rows = customers(2) + [{"customer_id": "HD9999", "region": "华东"}]
    assign_ids(schema, rows, prefix=None, start=None)
    assert [r["customer_id"] for r in rows[:2]] == ["HD10000", "HD10001"]


def test_a_row_without_region_or_prefix_gets_no_id(schema):
    rows = [{"customer_name": "无区域公司"}, {"customer_name": "区域不明", "region": "总部直管"}]
    assert assign_ids(schema, rows, prefix=None, start=None) == []
    assert [r.get("customer_id") for r in rows] == [None, None]


def test_same_input_same_ids_whatever_the_row_order(schema):
    rows = customers(30)
    assign_ids(schema, rows, prefix=None, start=None)
    first = ids(rows)
    assert sorted(first.values()) == [f"HD{i:04d}" for i in range(1, 31)]
    again = customers(30)
    assign_ids(schema, again, prefix=None, start=None)
    assert ids(again) == first
    shuffled = customers(30)
    random.Random(5).shuffle(shuffled)
    assign_ids(schema, shuffled, prefix=None, start=None)
    assert ids(shuffled) == first


def test_editing_other_values_keeps_the_ids(schema):
    rows = customers(10)
    assign_ids(schema, rows, prefix=None, start=None)
    edited = customers(10)
    for row in edited:
        row.update(address="上海市徐汇区", phone="021-62345678", remarks="核对过")
    assign_ids(schema, edited, prefix=None, start=None)
    assert ids(edited) == ids(rows)


def test_a_customer_added_later_moves_nobody(schema):
    rows = customers(10)
    assign_ids(schema, rows, prefix=None, start=None)
    grown = customers(10)
    grown.insert(3, {"customer_name": "新来客户有限公司", "region": "华东", "created": dt.date(2024, 6, 1)})
    assign_ids(schema, grown, prefix=None, start=None)
    after = ids(grown)
    assert after.pop("新来客户有限公司") == "HD0011"
    assert after == ids(rows)


def test_same_day_and_undated_rows_are_ordered_by_their_identity_not_their_position(schema):
    rows = [{"customer_name": n, "region": "华东", "created": dt.date(2023, 1, 1)} for n in ("甲", "乙", "丙")]
    rows.append({"customer_name": "丁", "region": "华东"})
    assign_ids(schema, rows, prefix=None, start=None)
    before = ids(rows)
    assert before["丁"] == "HD0004"       # undated rows come after dated ones
    reordered = [copy.deepcopy(rows[i]) for i in (3, 2, 0, 1)]
    for row in reordered:
        row.pop("customer_id")
    # an undated row inserted moves only undated rows; dated ones keep their numbers
    reordered.append({"customer_name": "戊", "region": "华东"})
    assign_ids(schema, reordered, prefix=None, start=None)
    after = ids(reordered)
    assert {k: after[k] for k in ("甲", "乙", "丙")} == {k: before[k] for k in ("甲", "乙", "丙")}
    assert sorted([after["丁"], after["戊"]]) == ["HD0004", "HD0005"]


def test_ids_after_convert_row_match_the_pattern(schema):
    import re
    pattern = re.compile(schema.form("registration").field("customer_id").pattern)
    rows = [convert_row(schema, {"customer_name": "红星机械厂", "address": "广州市天河区"}, row=0)[0],
            convert_row(schema, {"customer_name": "张伟", "mobile": "18612345678"}, row=1)[0]]
    assign_ids(schema, rows, prefix=None, start=None)
    assert [r["customer_id"] for r in rows] == ["HN0001", "HB0001"]
    assert all(pattern.fullmatch(r["customer_id"]) for r in rows)


# ---------------------------------------------------------------- duplicates

def test_duplicates_within_and_across_files_are_listed_not_merged():
    file_a = [
        {"customer_name": "深圳市恒泰电子有限公司", "uscc": "91440300MA5F00001A", "mobile": "13812345678"},
        {"customer_name": "张伟", "customer_type": "个人", "id_card": "510104199001011239", "mobile": "13900001111"},
        {"customer_name": "王记五金店", "mobile": "13700002222"},
    ]
    file_b = [
        {"customer_name": "恒泰电子（深圳）有限公司", "uscc": "91440300ma5f00001a", "mobile": "13800009999"},
        {"customer_name": "张伟", "customer_type": "个人", "mobile": "13600003333"},   # namesakes: not listed
        {"customer_name": "张伟", "customer_type": "个人", "id_card": "510104199001011239"},
        {"customer_name": "王记五金店", "mobile": "137 0000 2222"},
    ]
    rows = file_a + file_b
    snapshot = copy.deepcopy(rows)
    assert find_duplicates(rows) == [
        ("相同统一社会信用代码：91440300MA5F00001A", [0, 3]),
        ("名称规范化后相同：恒泰电子", [0, 3]),
        ("相同身份证号：510104********1239", [1, 5]),
        ("相同手机：137****2222", [2, 6]),
        ("名称规范化后相同：王记五金店", [2, 6]),
    ]
    assert rows == snapshot


def test_no_duplicates_no_entries():
    assert find_duplicates([{"customer_name": "甲公司"}, {"customer_name": "乙公司"}, {}]) == []
