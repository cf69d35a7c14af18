"""The computed 信用评估 (seed 004 附表五): a 0–100 score from four parts, each 0–1 —

- 按期回款 (punctuality): 按期回款率, deals paid in full by the due date among those already due
  (1 when none is due yet);
- 逾期金额 (overdue): 1 − (逾期金额 / 交易金额) / overdue_full, at least 0;
- 交易规律性 (regularity): months with a deal in the last window_months, / regular_months, at most 1;
- 投诉 (complaints): 1 − 投诉条数 / complaint_full, at least 0 —

weighted by credit.weights (sum 100), mapped to the first grade whose min_score it reaches;
建议信用限度 = 月均交易金额 × the grade's limit_months, rounded down to limit_round."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from workbook_tools.accounts.trades import TradeFigures
from workbook_tools.schema.credit import CreditRules, Grade


@dataclass(frozen=True, slots=True)
class CreditScore:
    parts: dict[str, float]      # weight key → 0–1
    score: float                 # 0–100, one decimal
    grade: Grade
    monthly_amount: float        # 月均交易金额 over the window
    limit: float                 # 建议信用限度 (元)


def _clip(x: float) -> float:
    return max(0.0, min(1.0, x))


def credit_score(t: TradeFigures, complaints: int, rules: CreditRules) -> CreditScore:
    overdue_share = t.overdue / t.amount if t.amount > 0 else 0.0
    parts = {
        "punctuality": 1.0 if t.on_time_rate is None else t.on_time_rate,
        "overdue": _clip(1 - overdue_share / rules.overdue_full) if rules.overdue_full else float(overdue_share == 0),
        "regularity": _clip(len(t.months) / rules.regular_months) if rules.regular_months else 1.0,
        "complaints": _clip(1 - complaints / rules.complaint_full) if rules.complaint_full else float(complaints == 0),
    }
    score = round(sum(rules.weights.get(k, 0) * v for k, v in parts.items()) + 1e-9, 1)
    grade = rules.grade_of(score)
    monthly = round(t.window_amount / rules.window_months, 2) if rules.window_months else 0.0
    step = rules.limit_round or 1
    limit = math.floor(monthly * grade.limit_months / step + 1e-9) * step
    return CreditScore(parts, score, grade, monthly, float(limit))


def review_status(reviewed: dt.date | None, as_of: dt.date, rules: CreditRules, disagrees: bool) -> str:
    """需复评: 是（why） or 否（next date) — periodic re-rating every review_days (credit.review_days)."""
    if reviewed is None:
        return "是（没有信誉评定日期）"
    age = (as_of - reviewed).days
    if age > rules.review_days:
        return f"是（已 {age} 天未复评，复评周期 {rules.review_days} 天）"
    if disagrees:
        return "是（计算的信用评估与录入的信誉等级不一致）"
    return f"否（下次复评 {(reviewed + dt.timedelta(days=rules.review_days)).isoformat()}）"
