"""The schema's ``settings:`` block, typed: every setting has a declared type, checked when
the schema loads, so a wrong value is reported at its file:line in Chinese
("schema.yaml:13: settings.stale_days 应为整数，实际为“六十”") instead of failing later.

A new setting is one line in SETTING_TYPES: its name and one of the types below
(Int, Number, Text, ListOf, MapOf, Record), nested as deep as the value is.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from workbook_tools.schema.yamlsrc import Mapping, YamlContext

# 填表说明 (seed 003): "不涉及的可填‘无’". In an optional field these mean empty.
DEFAULT_PLACEHOLDERS = ("无", "不详", "/", "—", "－", "-", "——")
PLACEHOLDER_MAX = 8     # a longer cell text is never a placeholder (the forms' formulas say the same)
# The 行业 part of a company name (名称 = 行政区划 + 字号 + 行业 + 组织形式): stripped from the
# end of the name core, what is left is the 字号 the duplicate matcher weighs (see merge/matching.py).
DEFAULT_INDUSTRY_WORDS = tuple("""
    科技 技术 贸易 商贸 工贸 实业 发展 进出口 国际贸易 电子 信息 网络 智能 数据 软件 通信 电气 电器 电机 机械 机电 精密 设备 仪器 仪表 五金 制品 塑胶 塑料
    橡胶 模具 汽车 零部件 配件 纺织 服饰 服装 鞋业 包装 印刷 材料 新材料 建材 化工 涂料 钢铁 钢结构 金属 光电 照明 家具 家居 日用品 百货 超市 连锁 医药
    药业 制药 医疗 器械 生物 健康 食品 饮料 酒业 茶业 农业 生态 农牧 水产 养殖 种业 矿业 矿产 能源 新能源 燃气 电力 供水 水务 环保 环境 园林 绿化 工程
    建设 建筑 安装 装饰 市政 设计 检测 咨询 管理 企业 服务 商务 人力资源 广告 会展 传媒 传播 文化 影视 体育 教育 旅游 酒店 餐饮 物业 置业 房地产 地产 开发
    投资 控股 融资 租赁 担保 保险 代理 物流 运输 仓储 货运 快递 供应链 维修 家政 保洁 制造 工业 产业
""".split())


@dataclass(frozen=True)
class Int:
    min: int | None = None
    max: int | None = None

    @property
    def text(self) -> str:
        return _range_text(self.min, self.max, "整数")

    def problem(self, value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return "整数"
        return _out_of_range(value, self.min, self.max, self.text)


@dataclass(frozen=True)
class Number:
    min: float | None = None
    max: float | None = None

    @property
    def text(self) -> str:
        return _range_text(self.min, self.max, "数字")

    def problem(self, value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "数字"
        return _out_of_range(value, self.min, self.max, self.text)


@dataclass(frozen=True)
class Text:
    text: str = "文字"

    def problem(self, value: Any) -> str | None:
        return None if isinstance(value, str) and value.strip() else self.text


@dataclass(frozen=True)
class ListOf:
    item: Any

    @property
    def text(self) -> str:
        return f"由{self.item.text}组成的列表"


@dataclass(frozen=True)
class MapOf:
    value: Any

    @property
    def text(self) -> str:
        return f"“名称: {self.value.text}”的映射"


@dataclass(frozen=True)
class Record:
    fields: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return f"含 {'、'.join(self.fields)} 的映射"


SETTING_TYPES: dict[str, Any] = {
    "contact_cycles": MapOf(Int(min=1)),
    "purchase_cycles": MapOf(Int(min=1)),
    "stale_days": Int(min=1),
    "fuzzy_threshold": Number(min=0, max=100),
    "choice_fuzzy_threshold": Number(min=0, max=100),
    "value_classes": MapOf(Number(min=0, max=1)),
    "id_card_age": Record({"min": Int(min=0), "max": Int(min=1)}),
    "industry_words": ListOf(Text()),
    "empty_placeholders": ListOf(Text()),
}


def check_settings(ctx: YamlContext, settings: Mapping) -> None:
    """Raise SchemaError (file:line) for an unknown setting or a value of the wrong type."""
    ctx.check_keys(settings, set(SETTING_TYPES), "settings")
    for name, value in settings.items():
        _check(ctx, SETTING_TYPES[name], value, f"settings.{name}", _line(settings, name))


def _check(ctx: YamlContext, kind: Any, value: Any, where: str, line: int) -> None:
    if isinstance(kind, ListOf):
        if not isinstance(value, list):
            raise _fail(ctx, line, where, kind.text, value)
        for i, item in enumerate(value):
            _check(ctx, kind.item, item, f"{where}[{i + 1}]", line)
        return
    if isinstance(kind, (MapOf, Record)):
        if not isinstance(value, dict) or not value:
            raise _fail(ctx, line, where, kind.text, value)
        for key, item in value.items():
            inner = kind.value if isinstance(kind, MapOf) else kind.fields.get(key)
            if inner is None:
                raise ctx.fail(value, f"{where} 中有未知的键“{key}”（可用的键：{'、'.join(kind.fields)}）", key)
            _check(ctx, inner, item, f"{where}.{key}", _line(value, key, line))
        return
    problem = kind.problem(value)
    if problem:
        raise _fail(ctx, line, where, problem, value)


def _fail(ctx: YamlContext, line: int, where: str, expected: str, value: Any):
    return ctx.fail(_At(line), f"{where} 应为{expected}，实际为{_shown(value)}")


class _At:
    def __init__(self, line: int) -> None:
        self.line = line


def _line(node: Any, key: str, default: int = 0) -> int:
    return getattr(node, "key_lines", {}).get(key, getattr(node, "line", default) or default)


def _shown(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, dict):
        return "映射"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, bool):
        return f"“{'true' if value else 'false'}”"
    return f"“{value}”"


def _range_text(low: float | None, high: float | None, noun: str) -> str:
    if low is not None and high is not None:
        return f" {low} 到 {high} 之间的{noun}"
    if low is not None:
        return f"不小于 {low} 的{noun}"
    if high is not None:
        return f"不大于 {high} 的{noun}"
    return noun


def _out_of_range(value: float, low: float | None, high: float | None, text: str) -> str | None:
    if (low is not None and value < low) or (high is not None and value > high):
        return text
    return None


def placeholder_test(placeholders: Iterable[str] | None = None) -> Callable[[str], bool]:
    """A test: is this text a placeholder (无, 不详, / …) that means empty? Compared after
    trimming and full-width → half-width folding; blank text counts too."""
    words = DEFAULT_PLACEHOLDERS if placeholders is None else tuple(placeholders)
    table = frozenset(unicodedata.normalize("NFKC", w).strip() for w in words) | {""}

    def test(text: str) -> bool:
        if len(text) > PLACEHOLDER_MAX:
            return False
        return unicodedata.normalize("NFKC", text).strip() in table
    return test
