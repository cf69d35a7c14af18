"""The schema's credit: block (信用评估 rules): loaded as data, wrong keys and types reported at
file:line, and the credit score/grade/limit computed from it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from workbook_tools.accounts.credit import credit_score, review_status
from workbook_tools.accounts.trades import trade_figures
from workbook_tools.errors import SchemaError
from workbook_tools.schema import load_schema
from workbook_tools.schema.credit import CreditRules, credit_markdown

BUNDLED = (Path(__file__).resolve().parents[1] / "templates" / "archive_schema.yaml").read_text(encoding="utf-8")


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("old, new, message", [
    ("  review_days: 180 ", "  review_days: 半年 ", "credit 的“review_days”应当是非负整数，现在是“半年”"),
    ("  grace_days: 0 ", "  grace_dayz: 0 ", "credit中有未知的键“grace_dayz”"),
    ("weights: {punctuality: 40,", "weights: {punctuality: 50,", "credit.weights 的权重之和应当是 100，现在是 110"),
    ("    review_date: credit_reviewed", "    review_date: nosuch",
     "credit.permissions 的“review_date”引用了登记表中不存在的字段“nosuch”"),
])
def test_bad_credit_rules_are_reported_at_their_line(tmp_path, old, new, message):
    text = BUNDLED.replace(old, new, 1)
    path = tmp_path / "schema.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SchemaError) as err:
        load_schema(path)
    assert str(err.value).startswith(f"{path}:{_line(text, new.strip())}: {message}")


def test_bundled_rules_and_their_readme_table():
    rules = load_schema().credit
    assert [(g.name, g.min_score, g.typed, g.limit_months) for g in rules.grades] == [
        ("优秀", 85, "A", 3), ("良好", 70, "A", 2), ("一般", 55, "B", 1), ("不良", 0, "C", 0)]
    assert rules.follows("trade_amount") == "trade_amount" and rules.follows("grade") == "credit"
    table = credit_markdown(rules)
    assert "| 等级 `良好` | 得分 ≥ 70 | 建议信用限度 = 月均交易金额 × 2，相当于信誉等级 A |" in table
    assert table in (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_score_parts_and_grade_of_a_constructed_history():
    """Four deals of 2500, two paid on time, one late, one overdue, two complaints."""
    as_of, rules = dt.date(2026, 11, 30), CreditRules()
    d = dt.date
    deals = [
        {"customer_id": "X", "date": d(2026, 5, 1), "amount": 2500, "due_date": d(2026, 6, 1),
         "paid_date": d(2026, 5, 20), "paid_amount": 2500},
        {"customer_id": "X", "date": d(2026, 6, 1), "amount": 2500, "due_date": d(2026, 7, 1),
         "paid_date": d(2026, 7, 1), "paid_amount": 2500},
        {"customer_id": "X", "date": d(2026, 7, 1), "amount": 2500, "paid_date": d(2026, 9, 1),
         "paid_amount": 2500},                                   # due 07-31 (30 days): late
        {"customer_id": "X", "date": d(2026, 9, 1), "amount": 2500, "due_date": d(2026, 10, 1),
         "paid_amount": 500, "paid_date": d(2026, 9, 15)},      # 2000 overdue
    ]
    t = trade_figures(deals, as_of, rules)["X"]
    assert (t.count, t.amount, t.paid, t.unpaid, t.overdue, t.on_time_rate) == (4, 10000, 8000, 2000, 2000, 0.5)
    s = credit_score(t, complaints=2, rules=rules)
    # 40 × 0.5 + 30 × (1 − 0.2 / 0.3) + 20 × 4/6 + 10 × (1 − 2/3) = 20 + 10 + 13.3 + 3.3
    assert s.score == 46.7 and s.grade.name == "不良"
    assert (s.monthly_amount, s.limit) == (833.33, 0)
    good = credit_score(t, complaints=0, rules=CreditRules(overdue_full=1.0))   # 20 + 24 + 13.3 + 10
    assert (good.score, good.grade.name, good.limit) == (67.3, "一般", 800)
    assert review_status(d(2026, 1, 1), as_of, rules, False) == "是（已 333 天未复评，复评周期 180 天）"
