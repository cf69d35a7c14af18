"""accounts.credit's 信用评估 for all customers at once: the four parts, the score, the
grade, 月均交易金额 and 建议信用限度 as arrays, operation for operation as ``credit_score``
computes them for one customer (same float results; Python's ``round`` where it rounds)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbook_tools.accounts.figures import GroupFigures, rounded
from workbook_tools.schema.credit import CreditRules


@dataclass(slots=True)
class Scores:
    score: np.ndarray      # 0–100, one decimal
    grade: np.ndarray      # index into rules.grades
    monthly: np.ndarray    # 月均交易金额
    limit: np.ndarray      # 建议信用限度


def clip(x: np.ndarray) -> np.ndarray:
    """``max(0.0, min(1.0, x))`` with Python's semantics (NaN → 1.0)."""
    low = np.where(x < 1.0, x, 1.0)
    return np.where(low > 0.0, low, 0.0)


def _ratio(a: np.ndarray, b: np.ndarray | float, where: np.ndarray) -> np.ndarray:
    """a / b where ``where`` (0.0 elsewhere, never dividing there)."""
    out = np.zeros(len(a))
    np.divide(a, b, out=out, where=where)
    return out


def credit_scores(f: GroupFigures, complaints: np.ndarray, rules: CreditRules) -> Scores:
    """The CreditScore of every group (meaningful where ``f.traded``)."""
    share = _ratio(f.overdue, f.amount, f.amount > 0)
    rate = _ratio(f.on_time_deals.astype("float64"), f.due_deals.astype("float64"), f.due_deals > 0)
    parts = {
        "punctuality": np.where(f.due_deals > 0, rate, 1.0),
        "overdue": clip(1 - share / rules.overdue_full) if rules.overdue_full else (share == 0).astype("float64"),
        "regularity": clip(f.months / rules.regular_months) if rules.regular_months else np.ones(len(share)),
        "complaints": (clip(1 - complaints / rules.complaint_full) if rules.complaint_full
                       else (complaints == 0).astype("float64")),
    }
    total = np.zeros(len(share))
    for key, part in parts.items():     # sum() from 0 in the parts' order
        total = total + rules.weights.get(key, 0) * part
    score = rounded(total + 1e-9, 1)
    grade = np.full(len(score), len(rules.grades) - 1)
    for i in range(len(rules.grades) - 1, -1, -1):   # the first grade whose min_score it reaches
        grade[score >= rules.grades[i].min_score] = i
    monthly = rounded(f.window_amount / rules.window_months) if rules.window_months else np.zeros(len(score))
    step = rules.limit_round or 1
    months = np.array([g.limit_months for g in rules.grades], dtype="float64")[grade]
    limit = np.floor(monthly * months / step + 1e-9) * step
    return Scores(score, grade, monthly, limit.astype("float64"))
