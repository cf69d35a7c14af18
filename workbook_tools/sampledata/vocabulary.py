"""Everything the generator needs to know about the schema, read from the Schema object:
forms, choice values (with their aliases), region codes, and which choice means
"company", "person" or "completed". Weights only make some values more common; any
value the schema adds gets weight 1, and values the schema drops simply disappear.
"""

from __future__ import annotations

import random
from functools import cached_property

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.sampledata.names import INDUSTRY_WEIGHTS
from workbook_tools.schema.model import Form, Schema, normalize_choice

# How common a choice value is (schema values not listed: weight 1).
WEIGHTS: dict[str, dict[str, float]] = {
    "industry": INDUSTRY_WEIGHTS,
    "ownership": {"私营企业": 60, "国有企业": 10, "外资企业": 6, "合资企业": 6, "个体工商户": 8, "其他": 2},
    "credit": {"A": 6, "B": 3, "C": 1},
    "source": {"客户推荐": 4, "网站广告": 3, "展览会": 3, "电话": 2, "朋友介绍": 2, "黄页": 0.5, "报刊广告": 0.5},
    "settlement": {"月结": 5, "现款现货": 3, "票到付款": 2, "两个月回款": 1.5, "三个月回款": 1, "其他": 0.3},
    "method": {"电话回访": 4, "上门拜访": 3, "其他": 0.3},
    "satisfaction": {"非常满意": 3, "满意": 5, "一般": 2, "不满意": 0.5, "非常不满意": 0.2},
}
SOLE_TRADER = "个体工商户"


class Vocabulary:
    """Schema-derived values for one generation run."""

    def __init__(self, schema: Schema):
        self.schema = schema
        self.registration: Form = schema.form("registration")
        self.visit_record: Form = schema.form("visit-record")
        self.visit_plan: Form = schema.form("visit-plan")
        self._tables: dict[tuple[str, str], tuple[tuple[str, ...], tuple[float, ...]]] = {}

    # -- customer type / status values named by the schema's own rules
    @cached_property
    def company(self) -> str:
        return _required_if_value(self.registration, "uscc")

    @cached_property
    def person(self) -> str:
        return _required_if_value(self.registration, "id_card")

    @cached_property
    def completed(self) -> str:
        return _required_if_value(self.visit_plan, "actual_date")

    @cached_property
    def categories(self) -> list[str]:
        """客户类别 values, most important first (schema order); the last one is "potential"."""
        return self.registration.field("category").choice_values

    @cached_property
    def regions(self) -> dict[str, str]:
        """Region value → code (HD …)."""
        return {c.value: c.code for c in self.registration.field("region").choices}

    def resolve_region(self, text: str) -> str:
        """A region value from a name, alias or code (华东, 华东区, HD, hd)."""
        lookup = self.registration.field("region").choice_lookup()
        by_code = {code.upper(): value for value, code in self.regions.items() if code}
        value = lookup.get(normalize_choice(text)) or by_code.get(str(text).strip().upper())
        if value is None:
            known = "、".join(f"{v}({c})" for v, c in self.regions.items())
            raise WorkbookToolsError(f"未知的区域“{text}”，可用：{known}")
        if not self.regions.get(value):
            raise WorkbookToolsError(f"区域“{value}”在 schema 中没有区域代码（code），无法生成客户编号")
        return value

    def values(self, key: str, form: Form | None = None) -> list[str]:
        return (form or self.registration).field(key).choice_values

    def aliases(self, key: str, value: str, form: Form | None = None) -> tuple[str, ...]:
        for choice in (form or self.registration).field(key).choices:
            if choice.value == value:
                return choice.aliases
        return ()

    def pick(self, rng: random.Random, key: str, form: Form | None = None) -> str:
        """A weighted random choice value of ``form.key`` (default: the registration form)."""
        form = form or self.registration
        table = self._tables.get((form.key, key))
        if table is None:
            values = tuple(form.field(key).choice_values)
            weights = WEIGHTS.get(key, {})
            cum, total = [], 0.0
            for v in values:
                total += weights.get(v, 1)
                cum.append(total)
            table = self._tables[(form.key, key)] = (values, tuple(cum))
        return rng.choices(table[0], cum_weights=table[1])[0]


def _required_if_value(form: Form, key: str) -> str:
    field = form.field(key)
    if not field.required_if:
        raise WorkbookToolsError(f"示例数据需要 schema 中“{field.label}”的 required_if 条件，但没有找到")
    return field.required_if[0][1]
