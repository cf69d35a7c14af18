"""Company-name normalisation and suspected duplicates (pairs with evidence, never merged)."""

from __future__ import annotations

import random
from datetime import date

import pytest
from rapidfuzz import fuzz

from workbook_tools.merge import SourceRow, merge_rows, normalize_company_name
from workbook_tools.merge.duplicates import similar_names
from workbook_tools.schema.places import PROVINCES
from workbook_tools.merge.sheets import duplicates_table
from workbook_tools.schema import load_schema

SCHEMA = load_schema()


def reg(cid, name, **values) -> SourceRow:
    v = {"customer_id": cid, "customer_name": name, "customer_type": "公司", "region": "华东",
         "category": "普通客户", "owner": "王五", "created": date(2026, 1, 5)}
    v.update(values)
    return SourceRow("registration", v, dict(v), {}, "华东.xlsx", "客户档案登记表", int(cid[2:]) + 1)


def pairs(rows, **kw):
    result = merge_rows(rows, SCHEMA, run_date=date(2026, 11, 23), **kw)
    return [(d.id_a, d.id_b, d.evidence_text, d.score) for d in result.duplicates]


# --- names ---------------------------------------------------------------------------------


def score(a: str, b: str) -> float:
    return fuzz.ratio(normalize_company_name(a), normalize_company_name(b))


def test_notes_examples_same_firm_scores_100_different_firm_75():
    assert fuzz.ratio("北京华为技术有限公司", "华为技术（北京）有限公司") == pytest.approx(72.73, abs=0.01)
    assert score("北京华为技术有限公司", "华为技术（北京）有限公司") == 100
    assert score("北京华为技术有限公司", "北京华为科技有限公司") == 75


@pytest.mark.parametrize("name, core", [
    ("北京华为技术有限公司", "华为技术"),
    ("华为技术（北京）有限公司", "华为技术"),
    ("华为技术有限公司北京分公司", "华为技术"),
    ("广东省深圳市腾讯计算机系统有限公司", "腾讯计算机系统"),
    ("新疆维吾尔自治区乌鲁木齐市天山有限责任公司", "天山"),
    ("ＡＢＣ 贸易 有限公司", "abc贸易"),                       # full-width → half-width, spaces
    ("中国（上海）国际贸易（集团）股份有限公司", "中国国际贸易"),
    ("上海市", "上海市"),                                       # never stripped to nothing
    ("北京公司", "北京"),
    ("", ""),
])
def test_normalize_company_name(name, core):
    assert normalize_company_name(name) == core


def test_all_34_provincial_level_names_are_stripped_with_and_without_suffix():
    assert len(PROVINCES) == 34
    for short, suffixes in PROVINCES.items():
        for prefix in (short, *(short + s for s in suffixes)):
            assert normalize_company_name(f"{prefix}星辰贸易有限公司") == "星辰贸易", prefix


def test_similar_names_uses_strictly_above_threshold():
    names = ["华为技术", "华为科技", "华夏幸福基业投资开发建设管理", "华夏幸福基业投资开发建设管埋"]
    assert [(a, b, round(s, 1)) for a, b, s in similar_names(names, 92)] == \
        [("华夏幸福基业投资开发建设管理", "华夏幸福基业投资开发建设管埋", 92.9)]
    assert list(similar_names(["华为技术", "华为科技"], 75)) == []
    assert len(list(similar_names(["华为技术", "华为科技"], 74.9))) == 1


@pytest.mark.parametrize("size", [300, 1200])  # scored on one thread / on every core
def test_similar_names_big_block_matches_pairwise_result(size):
    rng = random.Random(3)
    alphabet = "远东智慧能源科技发展研究院所"
    names = list({"远东" + "".join(rng.choice(alphabet) for _ in range(10)) for _ in range(size)})
    fast = {(min(a, b), max(a, b)) for a, b, _ in similar_names(names, 80)}
    slow = {(min(a, b), max(a, b)) for i, a in enumerate(names) for b in names[i + 1:]
            if fuzz.ratio(a, b) > 80}
    assert fast == slow and fast


# --- suspected duplicates --------------------------------------------------------------------


def test_each_kind_of_evidence():
    rows = [
        reg("HD0001", "甲公司", uscc="91330100MA27XXXX1A"),
        reg("HD0002", "乙公司", uscc="91330100MA27XXXX1A"),
        reg("HD0003", "张伟", customer_type="个人", id_card="11010519491231002X"),
        reg("HD0004", "张伟伟", customer_type="个人", id_card="11010519491231002X"),
        reg("HD0005", "丙公司", mobile="13800000000"),
        reg("HD0006", "丁公司", mobile="13800000000"),
        reg("HD0007", "北京华为技术有限公司"),
        reg("HD0008", "华为技术（北京）有限公司"),
        reg("HD0009", "北京华为科技有限公司"),                          # 75: not flagged
        reg("HD0010", "华夏幸福基业投资开发建设管理有限公司"),
        reg("HD0011", "浙江华夏幸福基业投资开发建设管埋有限公司"),
    ]
    # 名称相似度 is always shown: "甲公司" / "乙公司" share a code but their names score 0
    assert pairs(rows) == [
        ("HD0001", "HD0002", "相同统一社会信用代码", 0.0),
        ("HD0003", "HD0004", "相同身份证号", 80.0),
        ("HD0005", "HD0006", "相同手机", 0.0),
        ("HD0007", "HD0008", "名称规范化后相同", 100.0),
        ("HD0010", "HD0011", "名称相差一字（理/埋）", 92.9),  # said 名称相似度 92.9: now which character
    ]


def test_identifiers_are_grouped_by_value_even_when_every_hash_collides(monkeypatch):
    """Shared identifiers are found by hash first (duplicates._scan); the groups are exact."""
    from workbook_tools.merge import duplicates

    rows = [reg("HD0001", "甲公司", mobile="13800000000"), reg("HD0002", "乙公司", mobile="13900000000"),
            reg("HD0003", "丙公司", mobile="13800000000"), reg("HD0004", "丁公司", mobile="13900000000"),
            reg("HD0005", "戊公司", mobile="13700000000")]
    expected = [("HD0001", "HD0003", "相同手机", 0.0), ("HD0002", "HD0004", "相同手机", 0.0)]
    assert pairs(rows) == expected
    monkeypatch.setattr(duplicates, "hash", lambda value: 7, raising=False)   # every value collides
    assert pairs(rows) == expected


def test_several_kinds_of_evidence_on_one_pair_share_a_row():
    rows = [reg("HD0001", "北京星辰贸易有限公司", mobile="13800000000"),
            reg("HD0002", "星辰贸易（北京）有限公司", mobile="13800000000")]
    assert pairs(rows) == [("HD0001", "HD0002", "相同手机；名称规范化后相同", 100.0)]


def test_person_names_are_not_compared():
    rows = [reg("HD0001", "张伟", customer_type="个人", id_card="110105194912310021"),
            reg("HD0002", "张伟", customer_type="个人", id_card="110105195001010012")]
    assert pairs(rows) == []


def test_threshold_comes_from_settings():
    rows = [reg("HD0001", "北京华为技术有限公司"), reg("HD0002", "北京华为科技有限公司")]
    assert pairs(rows) == []                                           # schema: 92
    assert pairs(rows, settings={"fuzzy_threshold": 70}) == [("HD0001", "HD0002", "名称相似度 75.0", 75.0)]


def test_large_group_sharing_one_value_is_listed_as_a_star():
    rows = [reg(f"HD{i:04d}", f"公司{i}号", mobile="13800000000") for i in range(1, 13)]
    found = pairs(rows)
    assert len(found) == 11
    assert found[0][:3] == ("HD0001", "HD0002", "相同手机（共12个客户）")
    assert {a for a, _, _, _ in found} == {"HD0001"}


def test_duplicates_sheet_rows_and_empty_decision_column():
    rows = [reg("HD0001", "甲公司", mobile="13800000000"), reg("HD0002", "乙公司", mobile="13800000000")]
    result = merge_rows(rows, SCHEMA, run_date=date(2026, 11, 23))
    table = duplicates_table(result, SCHEMA.form("registration"))
    assert [c.header for c in table.columns] == ["客户编号1", "客户名称1", "来源1", "客户编号2", "客户名称2",
                                                 "来源2", "依据", "名称相似度", "处理意见"]
    assert list(table.rows) == [["HD0001", "甲公司", "华东.xlsx/客户档案登记表/2", "HD0002", "乙公司",
                                 "华东.xlsx/客户档案登记表/3", "相同手机", 0.0, None]]
    assert [c.id for c in result.customers] == ["HD0001", "HD0002"]    # never merged
