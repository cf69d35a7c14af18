"""adopt's inference against customers whose truth is known: the seeded sample generator's
customers of every region (addresses, landlines, 身份证号 and 统一社会信用代码 of that region's
cities), stripped of 所属区域, 客户类型 and 客户编号 as a legacy register would be."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from workbook_tools.adopt.infer import assign_ids, convert_row, find_duplicates
from workbook_tools.sampledata.customers import make_customers, make_region
from workbook_tools.sampledata.vocabulary import Vocabulary
from workbook_tools.schema import load_schema

REGIONS = {"华东": "HD", "华南": "HN", "华北": "HB", "华中": "HZ", "西南": "XN", "西北": "XB", "东北": "DB"}
STRIPPED = ("region", "customer_type", "customer_id")


@pytest.fixture(scope="module")
def customers():
    schema = load_schema()
    vocab = Vocabulary(schema)
    rng = random.Random(15)
    out = []
    for region, code in REGIONS.items():
        ctx = make_region(rng, region, code, 25, dt.date(2026, 11, 20))
        ids = [f"{code}{i:04d}" for i in range(1, 26)]
        out += [c.values for c in make_customers(rng, vocab, ctx, ids)]
    return schema, out


def legacy(values: dict, *drop: str) -> dict:
    return {k: v for k, v in values.items() if k not in STRIPPED + drop}


def test_region_and_type_recovered_from_the_address(customers):
    schema, truth = customers
    for index, values in enumerate(truth):
        out, conversions = convert_row(schema, legacy(values), row=index)
        assert (out["region"], out["customer_type"]) == (values["region"], values["customer_type"]), values
        assert {c.field for c in conversions} >= {"region", "customer_type"}


def test_region_recovered_without_an_address_from_phone_uscc_or_id(customers):
    schema, truth = customers
    sources = set()
    for index, values in enumerate(truth):
        out, conversions = convert_row(schema, legacy(values, "address"), row=index)
        assert out["region"] == values["region"], values
        sources.add(next(c.how for c in conversions if c.field == "region")[:4])
    assert sources == {"由电话区", "由身份证"}  # a person without a landline: the 身份证号


def test_ids_follow_the_inferred_regions_and_nothing_is_a_duplicate(customers):
    schema, truth = customers
    rows = [convert_row(schema, legacy(values), row=i)[0] for i, values in enumerate(truth)]
    assign_ids(schema, rows, prefix=None, start=None)
    assert sorted(r["customer_id"] for r in rows) == sorted(v["customer_id"] for v in truth)
    assert all(r["customer_id"][:2] == REGIONS[r["region"]] for r in rows)
    assert find_duplicates(rows) == []
    assert find_duplicates(rows + rows[:2]) == [
        (reason, [i, len(rows) + i]) for i in range(2) for reason in _reasons(rows[i])]


def _reasons(row: dict) -> list[str]:
    from workbook_tools.privacy.masks import mask_value
    from workbook_tools.validate.names import normalize_company_name
    out = []
    if row.get("uscc"):
        out.append(f"相同统一社会信用代码：{row['uscc']}")
    if row.get("id_card"):
        out.append(f"相同身份证号：{mask_value('id_card', row['id_card'])}")
    if row.get("mobile"):
        out.append(f"相同手机：{mask_value('mobile', row['mobile'])}")
    if row["customer_type"] != "个人":
        out.append(f"名称规范化后相同：{normalize_company_name(row['customer_name'])}")
    return out
