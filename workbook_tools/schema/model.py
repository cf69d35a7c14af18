"""The schema as plain, immutable objects: Schema → Form → Field / Rule / Choice.

Everything downstream (template generation, reading, validation, merge, summaries)
asks these objects; nothing else knows field names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

# Field types and what they are stored as in a workbook.
TEXT_TYPES = frozenset(
    {"text", "choice", "mobile", "phone", "email", "postal_code", "id_card", "uscc",
     "url", "customer_id", "bank_account"}
)
NUMBER_TYPES = frozenset({"integer", "decimal", "money"})
DATE_TYPES = frozenset({"date"})
FIELD_TYPES = TEXT_TYPES | NUMBER_TYPES | DATE_TYPES
# Columns Excel must keep as text, or it mangles them (1.1E+17, lost leading zeros).
CODE_TYPES = frozenset(
    {"mobile", "phone", "postal_code", "id_card", "uscc", "customer_id", "bank_account"}
)
# The four sections of the 客户资料卡 (seeds: 基础资料, 客户特征, 业务状况, 交易现状), in card order.
SECTIONS = ("基础资料", "客户特征", "业务状况", "交易现状")
DEFAULT_SECTION = SECTIONS[0]
RULE_KINDS = frozenset({"any_required", "compare", "implies"})
# The 权限分配表: how sensitive a field is, how it may be masked, what a role sees of it.
SENSITIVITIES = ("公开", "内部", "敏感", "禁止外传")
SENSITIVE_LEVELS = frozenset({"敏感", "禁止外传"})
FORBIDDEN = "禁止外传"
MASK_RULES = frozenset({"id_card", "mobile", "phone", "bank_account", "email", "address",
                        "person_name", "customer_name", "full"})
VISIBLE, MASKED, HIDDEN = "可见", "脱敏", "不可见"
ACCESS_LEVELS = (VISIBLE, MASKED, HIDDEN)
COMPARE_OPS = frozenset({">", ">=", "<", "<=", "==", "!="})

_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_REQUIRED_MARK = re.compile(r"^[*＊]+|[*＊]+$")
_TRAILING_NOTE = re.compile(r"[(（][^()（）]*[)）]$")


def normalize_header(text: Any) -> str:
    """Header text as compared with labels: NFKC (full-width → half-width), no spaces,
    no line breaks, no required-field stars."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = _SPACES.sub("", s)
    return _REQUIRED_MARK.sub("", s).lower()


def header_variants(text: Any) -> list[str]:
    """The normalised header, then the same without a trailing note such as （选填）."""
    base = normalize_header(text)
    out = [base]
    stripped = _TRAILING_NOTE.sub("", base)
    if stripped and stripped != base:
        out.append(_REQUIRED_MARK.sub("", stripped))
    return out


def normalize_choice(text: Any) -> str:
    return normalize_header(text)


@dataclass(frozen=True)
class Choice:
    value: str
    aliases: tuple[str, ...] = ()
    help: str = ""
    code: str = ""
    provinces: tuple[str, ...] = ()  # province short names (schema/places.py) this region covers


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    required_if: tuple[tuple[str, str], ...] = ()
    choices: tuple[Choice, ...] = ()
    help: str = ""
    width: float = 12
    sensitive: bool = False
    pattern: str = ""
    min: float | None = None
    max: float | None = None
    allow_future: bool = True
    important: bool = False
    unique: bool = False
    example: str = ""
    section: str = DEFAULT_SECTION  # the 客户资料卡 section showing this field
    sensitivity: str = "内部"
    mask: str = ""  # a rule of privacy.masks; "" → masked entirely when a role masks it

    @property
    def is_sensitive(self) -> bool:
        """敏感 or 禁止外传 (or the older ``sensitive: true``): quoted masked in messages."""
        return self.sensitive or self.sensitivity in SENSITIVE_LEVELS

    @property
    def mask_rule(self) -> str:
        return self.mask or "full"

    @property
    def pattern_hint(self) -> str:
        """How to write a value matching ``pattern``, for messages (validate's finding and the
        form's own 检查结果 formula say the same)."""
        if self.help:
            return f"应为：{self.help}"
        if self.example:
            return f"示例：{self.example}"
        return f"应符合格式 {self.pattern}"

    @property
    def is_code(self) -> bool:
        return self.type in CODE_TYPES

    @property
    def is_text(self) -> bool:
        return self.type in TEXT_TYPES

    @property
    def is_free_text(self) -> bool:
        """Notes (备注, 职务, 开户银行…): plain text nothing is keyed or checked on. A sheet
        may repeat such a column; both values are kept."""
        return (self.type == "text" and not self.pattern and not self.required
                and not self.unique and not self.important)

    @property
    def choice_values(self) -> list[str]:
        return [c.value for c in self.choices]

    def choice_lookup(self) -> dict[str, str]:
        """Normalised value or alias → canonical value."""
        return self._choice_table

    @cached_property
    def _choice_table(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for c in self.choices:
            for name in (c.value, *c.aliases):
                table.setdefault(normalize_choice(name), c.value)
        return table

    def province_lookup(self) -> dict[str, str]:
        """Province short name (上海) → canonical choice value (华东), from the choices'
        ``provinces`` (the province → 区域 table); empty when no choice lists provinces."""
        return self._province_table

    @cached_property
    def _province_table(self) -> dict[str, str]:
        return {p: c.value for c in self.choices for p in c.provinces}

    def header_names(self) -> list[str]:
        return [self.label, *self.aliases]


@dataclass(frozen=True)
class Rule:
    key: str
    kind: str
    message: str
    fields: tuple[str, ...] = ()
    left: str = ""
    op: str = ""
    right: str = ""
    when: tuple[str, str, Any] | None = None  # (field, op, value)
    require: str = ""
    then: tuple[str, str, Any] | None = None  # implies: (field, op, value) that must hold instead of `require`

    @property
    def field_keys(self) -> tuple[str, ...]:
        if self.kind == "any_required":
            return self.fields
        if self.kind == "compare":
            return (self.left, self.right)
        target = self.then[0] if self.then else self.require
        return (self.when[0], target) if self.when else (target,)


@dataclass(frozen=True)
class Form:
    key: str
    title: str
    fields: tuple[Field, ...]
    aliases: tuple[str, ...] = ()
    id_field: str = ""
    description: str = ""
    rules: tuple[Rule, ...] = ()

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    def field_by_label(self, label: str) -> Field:
        for f in self.fields:
            if f.label == label:
                return f
        raise KeyError(label)

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.fields]

    @property
    def labels(self) -> list[str]:
        return [f.label for f in self.fields]

    def header_lookup(self) -> dict[str, str]:
        """Normalised label or alias → field key. Labels win over aliases."""
        return self._header_table

    @cached_property
    def _header_table(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for f in self.fields:
            table[normalize_header(f.label)] = f.key
        for f in self.fields:
            for alias in f.aliases:
                table.setdefault(normalize_header(alias), f.key)
        return table

    def match_header(self, text: Any) -> str | None:
        """The field key a header cell means, or None."""
        table = self._header_table
        for variant in header_variants(text):
            if variant in table:
                return table[variant]
        return None

    def title_names(self) -> list[str]:
        return [self.title, *self.aliases]


@dataclass(frozen=True)
class Role:
    """One column of the 权限分配表: what a post sees of each registration field."""
    name: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    export: bool = False          # may receive exports (发放)
    admin: bool = False           # the keeper of the 原始资料: sees 禁止外传 fields
    forms: tuple[str, ...] = ()   # other forms (visit-record, complaint) it receives
    default: str = HIDDEN
    access: tuple[tuple[str, str], ...] = ()  # field key → 可见 / 脱敏 / 不可见

    def level(self, key: str) -> str:
        return dict(self.access).get(key, self.default)


@dataclass(frozen=True)
class Schema:
    name: str
    version: str
    forms: tuple[Form, ...]
    settings: dict = field(default_factory=dict, compare=False, hash=False)
    source: str = ""
    roles: tuple[Role, ...] = ()
    credit: Any = field(default=None, compare=False, hash=False)   # schema.credit.CreditRules (credit:)

    def role(self, name: str) -> Role:
        """The role called ``name`` (or one of its aliases); KeyError with a Chinese message."""
        for r in self.roles:
            if name == r.name or name in r.aliases:
                return r
        known = "、".join(r.name for r in self.roles) or "（schema 中没有定义角色）"
        raise KeyError(f"未知的角色“{name}”，可用：{known}")

    def form(self, key: str) -> Form:
        """The form by key (registration), or by its title or an alias (客户档案登记表)."""
        for f in self.forms:
            if f.key == key:
                return f
        wanted = normalize_header(key)
        for f in self.forms:
            if wanted and wanted in {normalize_header(n) for n in (f.key, *f.title_names())}:
                return f
        known = "、".join(f"{f.key}（{f.title}）" for f in self.forms)
        raise KeyError(f"未知的表格类型“{key}”，可用的类型：{known}")

    @property
    def form_keys(self) -> list[str]:
        return [f.key for f in self.forms]

    @property
    def stamp(self) -> str:
        """The text stored in generated workbooks: name and version."""
        return f"{self.name} v{self.version}"
