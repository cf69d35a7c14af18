"""The schema's ``credit:`` block — the 信用评估 rules (seed 004 附表五, seeds 002/003 信誉等级) —
checked with file:line messages. Every number the computed 客户分类 sheet uses is here:

    credit:
      weights: {punctuality: 40, overdue: 30, regularity: 20, complaints: 10}   # sum 100
      grades:                      # best first; the last has min_score 0
        - {name: 优秀, min_score: 85, typed: A, limit_months: 3}
      abc: {A: 0.70, B: 0.90, C: 1.0}
      ...
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbook_tools.schema.model import Form
from workbook_tools.schema.yamlsrc import YamlContext

WEIGHT_KEYS = ("punctuality", "overdue", "regularity", "complaints")
WEIGHT_NAMES = {"punctuality": "按期回款", "overdue": "逾期金额", "regularity": "交易规律性", "complaints": "投诉"}
CREDIT_KEYS = {"weights", "grades", "abc", "grace_days", "default_due_days", "overdue_full",
               "complaint_full", "window_months", "regular_months", "review_days", "limit_round",
               "permissions"}
GRADE_KEYS = {"name", "min_score", "typed", "limit_months"}
# the computed 客户分类 columns whose 权限 a registration field decides (permissions:)
COLUMN_KEYS = ("source", "trade_count", "trade_amount", "first_trade_date", "last_trade_date",
               "paid_amount", "unpaid_amount", "overdue_amount", "on_time_rate", "value_class", "abc",
               "score", "grade", "grade_typed", "typed_credit", "grade_agrees", "monthly_amount",
               "credit_limit", "review_date", "review_due", "notes")


@dataclass(frozen=True)
class Grade:
    name: str            # 优秀 / 良好 / 一般 / 不良 (or the company's A/B/C)
    min_score: float     # lowest score (0-100) of this grade
    typed: str           # the 信誉等级 choice it corresponds to (A/B/C), "" when none
    limit_months: float  # suggested 信用限度 = 月均交易金额 × limit_months


@dataclass(frozen=True)
class CreditRules:
    weights: dict[str, float] = field(default_factory=lambda: {
        "punctuality": 40, "overdue": 30, "regularity": 20, "complaints": 10})
    grades: tuple[Grade, ...] = (Grade("优秀", 85, "A", 3), Grade("良好", 70, "A", 2),
                                 Grade("一般", 55, "B", 1), Grade("不良", 0, "C", 0))
    abc: dict[str, float] = field(default_factory=lambda: {"A": 0.7, "B": 0.9, "C": 1.0})
    grace_days: int = 0            # paid by 约定回款日期 + grace_days counts as on time
    default_due_days: int = 30     # 约定回款日期 blank → 交易日期 + this
    overdue_full: float = 0.3      # overdue share of the amount at which that part scores 0
    complaint_full: int = 3        # complaints at which that part scores 0
    window_months: int = 12        # months looked back for regularity and the monthly amount
    regular_months: int = 6        # months with a deal (in the window) for full regularity marks
    review_days: int = 180         # periodic 复评: a rating older than this is due
    limit_round: float = 100       # 信用限度 rounded down to a multiple of this
    permissions: dict[str, str] = field(default_factory=dict)   # column key → registration field key

    def grade_of(self, score: float) -> Grade:
        for g in self.grades:
            if score >= g.min_score:
                return g
        return self.grades[-1]

    def follows(self, column: str) -> str:
        """The registration field whose 权限 the computed column follows (default 信誉等级)."""
        return self.permissions.get(column, "credit")


_NUMBERS = {"grace_days": int, "default_due_days": int, "complaint_full": int, "window_months": int,
            "regular_months": int, "review_days": int, "overdue_full": float, "limit_round": float}


def parse_credit(ctx: YamlContext, data: dict, forms: tuple[Form, ...]) -> CreditRules:
    node = data.get("credit")
    if node is None:
        return CreditRules()
    if not isinstance(node, dict):
        raise ctx.fail(data, "credit 应当是映射", "credit")
    ctx.check_keys(node, CREDIT_KEYS, "credit")
    values: dict[str, Any] = {}
    for key, kind in _NUMBERS.items():
        if key in node:
            values[key] = _positive(ctx, node, key, kind)
    if "weights" in node:
        values["weights"] = _weights(ctx, node)
    if "grades" in node:
        values["grades"] = _grades(ctx, node)
    if "abc" in node:
        values["abc"] = _shares(ctx, node, "abc")
    if "permissions" in node:
        values["permissions"] = _permissions(ctx, node, forms)
    return CreditRules(**values)


def _positive(ctx: YamlContext, node: dict, key: str, kind: type, what: str = "credit") -> Any:
    value = node.get(key)
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
    if not ok or (kind is int and not isinstance(value, int)):
        noun = "非负整数" if kind is int else "非负数"
        raise ctx.fail(node, f"{what} 的“{key}”应当是{noun}，现在是“{value}”", key)
    return kind(value)


def _weights(ctx: YamlContext, node: dict) -> dict[str, float]:
    weights = node["weights"]
    if not isinstance(weights, dict):
        raise ctx.fail(node, "credit.weights 应当是映射", "weights")
    ctx.check_keys(weights, set(WEIGHT_KEYS), "credit.weights")
    out = {k: _positive(ctx, weights, k, float, "credit.weights") if k in weights else 0.0 for k in WEIGHT_KEYS}
    if abs(sum(out.values()) - 100) > 1e-9:
        raise ctx.fail(node, f"credit.weights 的权重之和应当是 100，现在是 {sum(out.values()):g}", "weights")
    return out


def _grades(ctx: YamlContext, node: dict) -> tuple[Grade, ...]:
    items = node["grades"]
    if not isinstance(items, list) or not items:
        raise ctx.fail(node, "credit.grades 应当是非空的等级列表", "grades")
    out = []
    for item in items:
        ctx.check_keys(item, GRADE_KEYS, "credit.grades 的等级")
        name = str(ctx.require(item, "name", "credit.grades 的等级"))
        what = f"credit.grades 等级 {name}"
        out.append(Grade(name, _positive(ctx, item, "min_score", float, what), str(item.get("typed") or ""),
                         _positive(ctx, item, "limit_months", float, what) if "limit_months" in item else 0.0))
    scores = [g.min_score for g in out]
    if scores != sorted(scores, reverse=True) or len(set(scores)) != len(scores) or scores[-1] != 0:
        raise ctx.fail(node, "credit.grades 应按 min_score 从高到低排列、互不相同，最后一级的 min_score 为 0",
                       "grades")
    return tuple(out)


def _shares(ctx: YamlContext, node: dict, key: str) -> dict[str, float]:
    shares = node[key]
    if not isinstance(shares, dict) or not shares:
        raise ctx.fail(node, f"credit.{key} 应当是“名称: 累计金额占比”的映射", key)
    out = {str(k): _positive(ctx, shares, k, float, f"credit.{key}") for k in shares}
    limits = list(out.values())
    if limits != sorted(limits) or limits[-1] != 1.0:
        raise ctx.fail(node, f"credit.{key} 的占比应从小到大排列，最后一个为 1.0", key)
    return out


def _permissions(ctx: YamlContext, node: dict, forms: tuple[Form, ...]) -> dict[str, str]:
    perms = node["permissions"]
    if not isinstance(perms, dict):
        raise ctx.fail(node, "credit.permissions 应当是“计算列: 登记表字段”的映射", "permissions")
    ctx.check_keys(perms, set(COLUMN_KEYS), "credit.permissions")
    reg = next((f for f in forms if f.key == "registration"), None)
    known = set(reg.keys) if reg else set()
    for column, field_key in perms.items():
        if field_key not in known:
            raise ctx.fail(perms, f"credit.permissions 的“{column}”引用了登记表中不存在的字段“{field_key}”",
                           column)
    return {str(k): str(v) for k, v in perms.items()}


def credit_rules(schema: Any) -> CreditRules:
    """The schema's credit rules (the defaults for a Schema built without a ``credit:`` block)."""
    return getattr(schema, "credit", None) or CreditRules()


def credit_markdown(rules: CreditRules) -> str:
    """The README's 信用评估规则 table, from the schema's ``credit:`` block."""
    rows = ["| 规则 | 值 | 含义 |", "| --- | --- | --- |"]
    for key in WEIGHT_KEYS:
        rows.append(f"| 权重 `weights.{key}` | {rules.weights.get(key, 0):g} | {WEIGHT_NAMES[key]}部分（0–1）的权重 |")
    for g in rules.grades:
        typed = f"，相当于信誉等级 {g.typed}" if g.typed else ""
        rows.append(f"| 等级 `{g.name}` | 得分 ≥ {g.min_score:g} | 建议信用限度 = 月均交易金额 × {g.limit_months:g}{typed} |")
    low = 0.0
    for name, share in rules.abc.items():
        rows.append(f"| ABC `{name}` | {low:.0%}–{share:.0%} | 按交易金额从大到小累计，之前的累计金额占比在此区间 |")
        low = share
    rows += [
        f"| `grace_days` | {rules.grace_days} | 在约定回款日期后这么多天内全额回款仍算按期 |",
        f"| `default_due_days` | {rules.default_due_days} | 没填约定回款日期时，交易日期后这么多天到期 |",
        f"| `overdue_full` | {rules.overdue_full:g} | 逾期金额占交易金额达到此比例时，逾期部分得 0 |",
        f"| `complaint_full` | {rules.complaint_full} | 投诉达到此条数时，投诉部分得 0 |",
        f"| `window_months` | {rules.window_months} | 交易规律性和月均交易金额统计最近这么多个月 |",
        f"| `regular_months` | {rules.regular_months} | 统计期内有交易的月份达到此数时，交易规律性得满分 |",
        f"| `review_days` | {rules.review_days} | 信誉评定日期超过这么多天即“需复评” |",
        f"| `limit_round` | {rules.limit_round:g} | 建议信用限度向下取整到此数的倍数（元） |",
    ]
    return "\n".join(rows) + "\n"
