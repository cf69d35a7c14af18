"""The summary's 价值分类 / 客户构成分析 and 业务下滑, and the card's 档案评估, follow the trade
figures computed from 交易记录 (the master's 客户分类 sheet), not the typed 客户档案 values that
disagree with them; a master merged without trade records keeps the typed values. Real
workbooks: generated forms filled as a person would, merged, summarised, read back."""

from __future__ import annotations

import datetime as dt
import random

import openpyxl
import pytest

from formfill import uscc
from workbook_tools.card import build_cards
from workbook_tools.generate import generate_template
from workbook_tools.merge.files import merge_files
from workbook_tools.schema import load_schema
from workbook_tools.summary.build import build_summary
from fill_labels import fill_by_label

SCHEMA = load_schema()
AS_OF = dt.date(2026, 11, 30)
D = dt.date
RNG = random.Random(1919)


def _reg(cid: str, name: str, amount: float, last: dt.date) -> dict:
    return {"客户编号": cid, "客户名称": name, "客户类型": "公司", "统一社会信用代码": uscc(RNG),
            "所属区域": "华东", "客户类别": "主要客户", "负责业务员": "张伟", "手机": "13812345678",
            "建档日期": D(2024, 1, 5), "交易次数": 5, "交易金额(元)": amount, "首次交易日期": D(2024, 2, 1),
            "最近交易日期": last}


# typed figures that the trade records contradict (主要客户: purchase cycle 60 days)
REGISTRATION = [
    _reg("HD0001", "杭州华夏机械有限公司", 100000, D(2026, 11, 20)),   # records: 1 000, last 2026-01-10
    _reg("HD0002", "宁波润合贸易有限公司", 500, D(2025, 1, 1)),        # records: 50 000, last 2026-11-25
    _reg("HD0003", "温州东方电器有限公司", 2000, D(2026, 11, 28)),     # no records: typed values stay
]


def _deal(n: int, cid: str, day: dt.date, amount: float) -> dict:
    return {"交易编号": f"JY{n:04d}", "交易日期": day, "客户编号": cid, "品种": "钢材", "数量": 1,
            "金额(元)": amount, "业务员": "张伟"}


TRADES = [_deal(1, "HD0001", D(2026, 1, 10), 1000), _deal(2, "HD0002", D(2026, 6, 1), 20000),
          _deal(3, "HD0002", D(2026, 11, 25), 30000)]


def _outputs(root, with_trades: bool) -> dict:
    folder = root / "in"
    files = [generate_template(SCHEMA, "registration", folder / "华东客户档案.xlsx")]
    fill_by_label(files[0], "客户档案登记表", REGISTRATION)
    if with_trades:
        files.append(generate_template(SCHEMA, "trade", folder / "华东交易记录.xlsx"))
        fill_by_label(files[1], "客户交易记录", TRADES)
    master = merge_files(files, root / "客户档案总表.xlsx", run_date=AS_OF, as_of=AS_OF).output
    summary = build_summary(master, root / "汇总.xlsx", schema=SCHEMA, as_of=AS_OF)
    cards = build_cards(master, root / "卡.xlsx", schema=SCHEMA, as_of=AS_OF)
    return {"master": master, "summary": summary, "cards": cards}


@pytest.fixture(scope="module")
def computed(tmp_path_factory):
    return _outputs(tmp_path_factory.mktemp("computed"), with_trades=True)


@pytest.fixture(scope="module")
def typed(tmp_path_factory):
    return _outputs(tmp_path_factory.mktemp("typed"), with_trades=False)


def _rows(path, sheet: str) -> list[tuple]:
    return [r for r in openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True)]


def _table(rows: list[tuple], header: str) -> dict[str, dict]:
    """The first summary table with a ``header`` column: its rows by that column's value."""
    start = next(i for i, r in enumerate(rows) if header in r)
    j = rows[start].index(header)
    head = rows[start][j:]
    out = {}
    for r in rows[start + 1:]:
        if r[j] is None:
            break
        out[r[j]] = dict(zip(head, r[j:]))
    return out


def _classes(out: dict) -> dict:
    return {k: v["客户数"] for k, v in _table(_rows(out["summary"].path, "客户构成分析"), "价值分类").items()}


def _declining(out: dict) -> dict:
    """业务下滑: 客户编号 → its 最近交易日期 as listed."""
    return {v["客户编号"]: v["最近交易日期"] for v in _by_id(_rows(out["summary"].path, "业务下滑"))}


def _by_id(rows: list[tuple]) -> list[dict]:
    start = next(i for i, r in enumerate(rows) if "客户编号" in r)
    head = rows[start]
    return [dict(zip(head, r)) for r in rows[start + 1:] if r[head.index("客户编号")]]


def _derived(out: dict, cid: str) -> dict:
    card = next(c for c in out["cards"].cards if c.customer_id == cid)
    block = next(b for b in card.blocks if b.title == "档案评估")
    return {i.label: i.value for i in block.items}


def test_value_classes_follow_the_computed_amounts(computed):
    # computed 交易金额: HD0002 50 000 主力, HD0003 2 000 (录入) 一般, HD0001 1 000 零散
    assert _classes(computed) == {"主力客户": 1, "一般客户": 1, "零散客户": 1, "无交易金额": 0, "合计": 3}
    sheet = {r[0]: r for r in openpyxl.load_workbook(computed["master"])["客户分类"].iter_rows(
        min_row=3, values_only=True)}
    header = [c.value for c in openpyxl.load_workbook(computed["master"])["客户分类"][2]]
    cls = header.index("价值分类")
    assert {cid: r[cls] for cid, r in sheet.items()} == {"HD0001": "零散客户", "HD0002": "主力客户",
                                                       "HD0003": "一般客户"}
    region = _table(_rows(computed["summary"].path, "客户构成分析"), "所属区域")["华东"]
    assert (region["交易次数合计"], region["交易金额合计"]) == (1 + 2 + 5, 53000)


def test_decline_follows_the_computed_last_trade(computed):
    assert _declining(computed) == {"HD0001": dt.datetime(2026, 1, 10)}


def test_card_follows_the_computed_figures(computed):
    assert _derived(computed, "HD0001")["价值分类"] == "零散客户"
    assert _derived(computed, "HD0001")["业务下滑"] == "是：324 天未交易（购买周期 60 天）"
    assert _derived(computed, "HD0002")["业务下滑"] == "否：5 天前有交易（购买周期 60 天）"
    assert _derived(computed, "HD0003")["价值分类"] == "一般客户"


def test_notes_name_the_source(computed, typed):
    def info(out):
        return {r[0]: r[1] for r in _rows(out["summary"].path, "说明") if r and r[0]}
    assert info(computed)["价值分类与业务下滑的交易数据"] == (
        "总档案“客户分类”工作表（与客户资料卡一致）：有交易记录的客户按交易记录统计，"
        "没有交易记录的按客户档案填写值（统计 2 位，录入 1 位，无 0 位）")
    assert info(typed)["价值分类与业务下滑的交易数据"] == (
        "总档案“客户分类”工作表（与客户资料卡一致）：有交易记录的客户按交易记录统计，"
        "没有交易记录的按客户档案填写值（统计 0 位，录入 3 位，无 0 位）")


def test_without_trade_records_the_typed_figures_stay(typed):
    # typed 交易金额: HD0001 100 000 主力, HD0003 2 000 and HD0002 500 零散
    assert _classes(typed) == {"主力客户": 1, "一般客户": 0, "零散客户": 2, "无交易金额": 0, "合计": 3}
    assert _declining(typed) == {"HD0002": dt.datetime(2025, 1, 1)}
    assert _derived(typed, "HD0001")["价值分类"] == "主力客户"
    assert _derived(typed, "HD0002")["业务下滑"].startswith("是：")


def test_sales_sheets_when_the_last_customer_has_no_trade_record(computed):
    # HD0003 (the last row of 客户档案) has no 交易记录: the summary used to fail building the deals
    rows = _rows(computed["summary"].path, "客户综合销售力分析")
    assert not any(r and "（不在客户档案中）" in r for r in rows)   # no negative count of unknown customers
    assert computed["summary"].trades == 3
