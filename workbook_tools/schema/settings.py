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
# Words that describe a company's trade rather than name it; the duplicate matcher
# compares names with and without them (润和科技 / 润和). Stripped from the end only.
DEFAULT_INDUSTRY_WORDS = (
    "科技", "技术", "贸易", "商贸", "工贸", "实业", "发展", "进出口", "国际贸易", "电子", "信息",
    "网络", "智能", "数据", "软件", "电气", "机械", "设备", "工程", "建设", "建筑", "装饰", "投资",
    "管理", "咨询", "服务", "文化", "传媒", "物流", "供应链", "商务", "控股", "制造", "新材料",
    "材料", "能源", "环保", "生物", "医药", "食品", "工业", "企业", "产业", "置业", "物业",
)


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
        if len(text) > 8:
            return False
        return unicodedata.normalize("NFKC", text).strip() in table
    return test
