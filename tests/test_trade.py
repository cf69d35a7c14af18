"""交易记录 end to end on real workbooks: the generated trade form filled as a person would,
validated, merged with a registration file; the master's 交易记录 (provenance) and 客户分类
(computed figures, disagreement findings, 信用评估 of constructed histories) read back cell by
cell; the 客户资料卡 shows them, and a role that may not see 交易金额/信誉等级 sees none of it."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import openpyxl
import pytest

from formfill import uscc
from workbook_tools.accounts import HEADERS
from workbook_tools.card import build_cards
from workbook_tools.cli import main
from workbook_tools.generate import generate_template
from workbook_tools.merge.files import merge_files
from workbook_tools.privacy.view import RoleView
from workbook_tools.schema import load_schema
from workbook_tools.schema.catalogue import finding_type
from workbook_tools.validate.run import run_validation
from fill_labels import fill_by_label

SCHEMA = load_schema()
AS_OF = dt.date(2026, 11, 30)
D = dt.date
RNG = random.Random(19)


def _reg(cid: str, name: str, **typed) -> dict:
    return {"客户编号": cid, "客户名称": name, "客户类型": "公司", "统一社会信用代码": uscc(RNG),
            "所属区域": "华东", "客户类别": "主要客户", "负责业务员": "张伟", "手机": "13812345678",
            "建档日期": D(2025, 1, 5), **typed}


REGISTRATION = [  # rows 2…5
    _reg("HD0001", "杭州华夏机械有限公司", 交易次数=3, **{"交易金额(元)": 5000}, 首次交易日期=D(2026, 3, 1),
         信誉等级="A", 信誉评定日期=D(2026, 10, 1)),
    _reg("HD0002", "宁波润合贸易有限公司", 交易次数=2, **{"交易金额(元)": 800}, 首次交易日期=D(2025, 1, 10),
         信誉等级="B", 信誉评定日期=D(2026, 9, 1)),
    _reg("HD0003", "温州东方电器有限公司", 交易次数=0, **{"交易金额(元)": 500}),   # 交易次数 0, 金额 > 0
    _reg("HD0004", "绍兴恒远纺织有限公司", 交易次数=12, **{"交易金额(元)": 12000}, 首次交易日期=D(2025, 12, 5),
         最近交易日期=D(2026, 11, 5), 信誉等级="A", 信誉评定日期=D(2026, 6, 1)),
]


def _deal(n: int, cid: str, day: dt.date, amount: float, due=None, paid=None, paid_amount=None) -> dict:
    return {"交易编号": f"JY{n:04d}", "交易日期": day, "客户编号": cid, "品种": "钢材", "数量": 2,
            "金额(元)": amount, "约定回款日期": due, "回款日期": paid, "回款金额(元)": paid_amount,
            "业务员": "张伟"}


def _steady() -> list[dict]:
    """HD0004: a deal on the 5th of every month for a year, each paid in full 20 days later
    (the last one not yet due, not yet paid)."""
    out = []
    for i in range(12):
        day = D(2025 + (11 + i) // 12, (11 + i) % 12 + 1, 5)
        paid = day + dt.timedelta(days=20)
        out.append(_deal(10 + i, "HD0004", day, 1000, day + dt.timedelta(days=30),
                         paid if paid <= AS_OF - dt.timedelta(days=10) else None,
                         1000 if paid <= AS_OF - dt.timedelta(days=10) else None))
    return out


TRADES = [  # rows 2…16
    _deal(1, "HD0001", D(2026, 3, 1), 1000, D(2026, 4, 1), D(2026, 3, 25), 1000),   # on time
    _deal(2, "HD0001", D(2026, 6, 1), 2000, D(2026, 7, 1), D(2026, 7, 20), 2000),   # paid late
    _deal(3, "HD0001", D(2026, 9, 1), 3000, D(2026, 10, 1)),                        # overdue
    *_steady(),
]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trade") / "in"
    reg = generate_template(SCHEMA, "registration", folder / "华东客户档案.xlsx")
    trade = generate_template(SCHEMA, "trade", folder / "华东交易记录.xlsx")
    fill_by_label(reg, "客户档案登记表", REGISTRATION)
    fill_by_label(trade, "客户交易记录", TRADES)
    return reg, trade


@pytest.fixture(scope="module")
def merged(files, tmp_path_factory):
    out = tmp_path_factory.mktemp("master") / "客户档案总表.xlsx"
    return merge_files(list(files), out, run_date=AS_OF, as_of=AS_OF)


@pytest.fixture(scope="module")
def accounts(merged):
    ws = openpyxl.load_workbook(merged.output)["客户分类"]
    header = [c.value for c in ws[2]]
    return {r[0]: dict(zip(header, r)) for r in ws.iter_rows(min_row=3, values_only=True)}


def test_template_has_the_trade_columns_and_self_check(tmp_path):
    path = generate_template(SCHEMA, "trade", tmp_path / "交易.xlsx", checks=True)
    ws = openpyxl.load_workbook(path)["客户交易记录"]
    headers = [c.value for c in ws[1] if c.value]
    assert headers[:7] == ["交易编号*", "交易日期*", "客户编号*", "客户名称", "品种*", "数量", "金额(元)*"]
    assert "检查结果" in headers


def test_validate_reports_the_zero_count_with_an_amount(files):
    report = run_validation([files[0]], SCHEMA, as_of=AS_OF).report
    found = [(f.code, f.cell, f.message) for f in report.files[0].findings if f.code == "rule-implies-value"]
    assert found == [("rule-implies-value", found[0][1],
                      "交易次数为0时交易金额应为0；本行交易次数为 0，但交易金额(元)为 500，请核对后更正其中一项")]
    assert found[0][1].endswith("4")
    trades = run_validation([files[1]], SCHEMA, as_of=AS_OF).report.files[0]
    assert [f.code for f in trades.findings if f.severity == "error"] == []


def test_master_trade_sheet_keeps_provenance(merged):
    ws = openpyxl.load_workbook(merged.output)["交易记录"]
    header = [c.value for c in ws[1]]
    assert header[-3:] == ["来源文件", "来源工作表", "来源行"]
    first = [c.value for c in ws[2]]
    assert first[:3] == ["JY0001", dt.datetime(2026, 3, 1), "HD0001"]
    assert first[-3:] == ["华东交易记录.xlsx", "客户交易记录", 2]
    assert ws.max_row == 1 + len(TRADES)
    assert merged.result.counts()["trades"] == len(TRADES)


def test_computed_figures_replace_typed_ones(accounts):
    a = accounts["HD0001"]
    assert (a["数据来源"], a["交易次数"], a["交易金额(元)"]) == ("统计", 3, 6000)
    assert (a["首次交易日期"], a["最近交易日期"]) == (dt.datetime(2026, 3, 1), dt.datetime(2026, 9, 1))
    assert (a["回款金额(元)"], a["未回款金额(元)"], a["逾期金额(元)"]) == (3000, 3000, 3000)
    assert a["按期回款率"] == pytest.approx(0.3333)
    assert a["核对说明"] == ("客户 HD0001 的交易金额(元)录入为 5000，按交易记录（3 笔）统计为 6000；"
                         "客户分类表已采用统计值，请核对后更正登记表")


def test_typed_figures_stay_marked_as_typed(accounts):
    a = accounts["HD0002"]
    assert (a["数据来源"], a["交易次数"], a["交易金额(元)"]) == ("录入", 2, 800)
    assert a["核对说明"] == "无交易记录：交易次数、交易金额、交易日期为登记表录入值"
    assert (a["信用评估"], a["信誉等级(录入)"], a["需复评"]) == (None, "B", "否（下次复评 2027-02-28）")
    assert "HD0003" not in accounts   # quarantined: 交易次数 0 with an amount is an error


def test_credit_of_a_poor_payer(accounts):
    a = accounts["HD0001"]
    # 40 × 1/3 (按期) + 30 × 0 (逾期 50 % ≥ 30 %) + 20 × 3/6 (months) + 10 × 1 (no complaints)
    assert (a["信用得分"], a["信用评估"], a["对应信誉等级"], a["信誉等级(录入)"]) == (33.3, "不良", "C", "A")
    assert (a["评级是否一致"], a["建议信用限度(元)"], a["月均交易金额(元)"]) == ("不一致", 0, 500)
    assert a["需复评"] == "是（计算的信用评估与录入的信誉等级不一致）"


def test_credit_of_a_steady_customer(accounts):
    a = accounts["HD0004"]
    assert (a["交易次数"], a["交易金额(元)"], a["回款金额(元)"], a["未回款金额(元)"], a["逾期金额(元)"]) == (
        12, 12000, 11000, 1000, 0)
    assert (a["按期回款率"], a["信用得分"], a["信用评估"], a["评级是否一致"]) == (1, 100, "优秀", "一致")
    assert (a["月均交易金额(元)"], a["建议信用限度(元)"]) == (1000, 3000)
    assert a["需复评"] == "是（已 182 天未复评，复评周期 180 天）"
    assert a["核对说明"] is None   # typed figures agree with the records


def test_classes_by_amount_share(accounts):
    # 12000, 6000, 800 of 18800: the share before each is 0, 63.8 % (< 80 %, < 70 %), 95.7 % (≥ 95 %, ≥ 90 %)
    assert [(cid, accounts[cid]["价值分类"], accounts[cid]["ABC分类"]) for cid in ("HD0004", "HD0001", "HD0002")] == [
        ("HD0004", "主力客户", "A"), ("HD0001", "主力客户", "A"), ("HD0002", "零散客户", "C")]


def test_merge_summary_counts_the_disagreements(merged):
    assert merged.result.counts()["trade_disagreements"] == 1


def test_card_shows_the_credit_block(merged, tmp_path):
    cards = build_cards(merged.output, tmp_path / "卡.xlsx", schema=SCHEMA, as_of=AS_OF)
    card = next(c for c in cards.cards if c.customer_id == "HD0004")
    block = next(b for b in card.blocks if b.title.startswith("信用评估"))
    items = {i.label: i.value for i in block.items}
    assert (items["信用评估"], items["信誉等级(录入)"], items["建议信用限度(元)"], items["按期回款率"]) == (
        "优秀", "A", 3000, "100.0%")
    typed_only = next(c for c in cards.cards if c.customer_id == "HD0002")
    assert not any(b.title.startswith("信用评估") for b in typed_only.blocks)   # its 交易现状 shows the typed ones
    derived = next(b for b in card.blocks if b.title == "档案评估")
    assert {i.label: i.value for i in derived.items}["价值分类"] == "主力客户"
    ws = openpyxl.load_workbook(cards.path)["HD0004"]
    texts = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "信用评估（按交易记录统计）" in texts and "优秀" in texts and "是（已 182 天未复评，复评周期 180 天）" in texts


def test_card_for_a_role_hides_what_it_may_not_see(merged, tmp_path):
    view = RoleView(SCHEMA, "业务员")
    cards = build_cards(merged.output, tmp_path / "卡.xlsx", schema=SCHEMA, as_of=AS_OF, view=view)
    card = next(c for c in cards.cards if c.customer_id == "HD0004")
    assert not any(b.title.startswith("信用评估") for b in card.blocks)
    ws = openpyxl.load_workbook(cards.path)["HD0004"]
    texts = {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
    assert not texts & {"优秀", "12000", "3000", "信用得分"}


def test_cli_template_trade(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as done:
        main(["template", "trade", "-o", "交易.xlsx"])
    assert done.value.code == 0
    assert "已生成表格模板：交易.xlsx（trade" in capsys.readouterr().out
    assert "客户交易记录" in openpyxl.load_workbook(tmp_path / "交易.xlsx").sheetnames
    assert HEADERS["grade"] == "信用评估"


def test_self_check_formula_for_the_zero_count_rule(tmp_path):
    """The 检查 sheet of the registration form carries the 交易次数/交易金额 rule (rule-implies-value)."""
    path = generate_template(SCHEMA, "registration", tmp_path / "登记.xlsx", checks=True)
    ws = openpyxl.load_workbook(path)["检查"]
    formulas = " ".join(str(c.value) for row in ws.iter_rows(max_row=3) for c in row if c.value)
    assert "交易次数为0时交易金额应为0" in formulas or "交易次数为0时交易金额应为0" in " ".join(
        str(c.value) for row in openpyxl.load_workbook(path)["检查文字"].iter_rows() for c in row if c.value)


def test_card_sums_up_a_long_note():
    """Three disagreements make a 核对说明 of ~200 characters; the card names the fields instead."""
    from workbook_tools.card.credit import _note

    kind = finding_type("trade-figure-disagrees")
    note = "；".join(kind.render(customer_id="HD0007", label=label, value="7", computed="6", count=6)
                    for label in ("交易次数", "交易金额(元)", "最近交易日期"))
    assert _note(note) == "登记表录入的交易次数、交易金额(元)、最近交易日期与交易记录不符，已采用统计值；详见总表“客户分类”"
    assert _note("无交易记录") == "无交易记录"
