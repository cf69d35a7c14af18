"""The duplicate matcher against a committed list of true and false pairs
(tests/fixtures/duplicate_pairs.yaml): one-character typos, 繁简, dropped industry words,
different firms with similar names, the same name in different cities."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from workbook_tools.merge import SourceRow, merge_rows
from workbook_tools.merge.duplicates import find_suspected_duplicates
from workbook_tools.schema import load_schema

SCHEMA = load_schema()
FORM = SCHEMA.form("registration")
PAIRS = yaml.safe_load((Path(__file__).parent / "fixtures" / "duplicate_pairs.yaml").read_text(encoding="utf-8"))
FIELDS = {"name": "customer_name", "address": "address", "phone": "phone", "contact": "contact",
          "email": "email"}


def customer(cid: str, side: dict) -> SimpleNamespace:
    values = {FIELDS[k]: v for k, v in side.items()}
    return SimpleNamespace(id=cid, values={"customer_type": "公司", **values})


def found(pair: dict) -> tuple[str, ...] | None:
    """The evidence listed for the pair, or None when the matcher does not list it."""
    hits = find_suspected_duplicates([customer("A", pair["a"]), customer("B", pair["b"])], FORM,
                                     SCHEMA.settings["fuzzy_threshold"],
                                     industry_words=SCHEMA.settings["industry_words"],
                                     placeholders=SCHEMA.settings["empty_placeholders"])
    return hits[0].evidence if hits else None


@pytest.fixture(scope="module")
def outcomes():
    return [(p, found(p)) for p in PAIRS]


def test_the_list_has_each_kind_of_case():
    whys = " ".join(p["why"] for p in PAIRS)
    assert sum(p["same"] for p in PAIRS) >= 25 and sum(not p["same"] for p in PAIRS) >= 25
    for kind in ("一字之差", "同音字", "繁简", "少“科技”", "同名不同城", "行业词不同", "编号不同"):
        assert kind in whys, kind


def test_precision_and_recall_at_least_95_percent(outcomes):
    tp = sum(1 for p, ev in outcomes if p["same"] and ev)
    fp = [(p["a"]["name"], p["b"]["name"], ev) for p, ev in outcomes if not p["same"] and ev]
    fn = [(p["a"]["name"], p["b"]["name"], p["why"]) for p, ev in outcomes if p["same"] and not ev]
    precision, recall = tp / (tp + len(fp)), tp / (tp + len(fn))
    assert precision >= 0.95 and recall >= 0.95, (precision, recall, fp, fn)
    # the two hard cases the list keeps on purpose, and nothing else
    assert fp == [("青岛海尔智家股份有限公司", "青岛海信智家股份有限公司", ("名称相差一字（尔/信）", "同在青岛"))]
    assert fn == [("北京华夏贸易有限公司", "北京华厦贸易有限公司", "一字之差且无任何旁证（两字字号）：按规则不列出，如实计入漏报")]


@pytest.mark.parametrize("a, b, extra, evidence", [
    ("北京华夏贸易有限公司", "北京华厦贸易有限公司", {"address": "北京市朝阳区建国路88号"},
     ("名称相差一字（夏/厦）", "地址相同")),
    ("上海润合科技有限公司", "上海润和科技有限公司", {"phone": "021-64851234"},
     ("名称相差一字（合/和）", "固定电话相同")),
    ("深圳市華強電子有限公司", "深圳市华强电子有限公司", {}, ("繁简转换后名称相同",)),
    ("杭州润和科技有限公司", "杭州润和有限公司", {"contact": "李娜"}, ("名称仅差行业词“科技”", "联系人相同且同城")),
    ("北京京东世纪贸易有限公司", "北京京东世纪有限公司", {}, ("名称仅差行业词“贸易”", "同在北京")),
    ("北京百度网讯科技有限公司", "北京百度网迅科技有限公司", {}, ("名称相差一字（讯/迅）", "同在北京")),
    ("深圳市腾讯计算机系统有限公司", "腾迅计算机系统有限公司", {}, ("名称相差一字（讯/迅）",)),
    ("北京华为科技有限公司", "北京华美科技有限公司", {}, None),
    ("上海华夏贸易有限公司", "北京华夏贸易有限公司", {}, None),
])
def test_named_cases_and_their_evidence(a, b, extra, evidence):
    pair = {"a": {"name": a, **extra}, "b": {"name": b, **extra}}
    assert found(pair) == evidence


def test_same_name_in_different_cities_is_kept_when_the_landline_says_one_firm():
    pair = {"a": {"name": "上海华夏贸易有限公司", "phone": "021-64851234", "email": "hx@huaxia.cn"},
            "b": {"name": "北京华夏贸易有限公司", "phone": "021-64851288", "email": "HX@huaxia.cn"}}
    assert found(pair) == ("名称规范化后相同", "固定电话前段相同")
    # a shared mailbox (info@, sales@) is no proof across cities; within one city it is
    del pair["a"]["phone"], pair["b"]["phone"]
    assert found(pair) is None
    pair["b"]["name"] = "上海华厦贸易有限公司"
    assert found(pair) == ("名称相差一字（夏/厦）", "相同邮箱")


def test_placeholders_are_no_evidence():
    pair = {"a": {"name": "北京华为科技有限公司", "address": "无", "contact": "不详", "phone": "/"},
            "b": {"name": "北京华美科技有限公司", "address": "无", "contact": "不详", "phone": "/"}}
    assert found(pair) is None


def test_merge_lists_typos_with_their_evidence_in_the_duplicates_sheet_shape():
    def reg(cid, name, row, **values):
        v = {"customer_id": cid, "customer_name": name, "customer_type": "公司", "region": "华东",
             "category": "普通客户", "owner": "王五", "created": date(2026, 1, 5), **values}
        return SourceRow("registration", v, dict(v), {}, "华东.xlsx", "客户档案登记表", row)
    rows = [reg("HD0001", "上海润合科技有限公司", 2, phone="021-64851234"),
            reg("HD0002", "上海润和科技有限公司", 3, phone="021-64851234"),
            reg("HD0003", "上海润禾科技有限公司", 4, phone="021-88990011")]
    result = merge_rows(rows, SCHEMA, run_date=date(2026, 11, 23))
    assert [(d.id_a, d.id_b, d.evidence_text, d.score) for d in result.duplicates] == [
        ("HD0001", "HD0002", "名称相差一字（合/和）；固定电话相同", 75.0)]


def test_every_pair_at_once_gives_the_same_list_when_every_hash_collides_and_chunks_are_tiny(monkeypatch):
    """The matcher groups companies by hash first (merge/profile_table.py, matching.py): the
    groups are exact; its columns of profiles hold CHUNK companies a string: any CHUNK works."""
    from workbook_tools.merge import duplicates, matching, profile_table

    rows = [customer(f"{side}{n:03d}", pair[side.lower()]) for n, pair in enumerate(PAIRS) for side in "AB"]

    def listed():
        return [(d.id_a, d.id_b, d.evidence, d.score) for d in find_suspected_duplicates(
            rows, FORM, SCHEMA.settings["fuzzy_threshold"], industry_words=SCHEMA.settings["industry_words"],
            placeholders=SCHEMA.settings["empty_placeholders"])]

    expected = listed()
    assert len(expected) >= sum(p["same"] for p in PAIRS) - 1
    for module in (duplicates, matching, profile_table):
        monkeypatch.setattr(module, "hash", lambda value: 7, raising=False)
    monkeypatch.setattr(duplicates, "CHUNK", 3)
    monkeypatch.setattr(profile_table, "CHUNK", 3)
    assert listed() == expected
