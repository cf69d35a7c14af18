"""Load the schema YAML into model objects, rejecting unknown keys and bad values
with the file name and line number (in Chinese, for the person editing the YAML)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from workbook_tools.errors import SchemaError
from workbook_tools.resources import template_path
from workbook_tools.schema.yamlsrc import Mapping, YamlContext, load_yaml
from workbook_tools.schema.model import (
    COMPARE_OPS, DEFAULT_SECTION, FIELD_TYPES, MASK_RULES, RULE_KINDS, SECTIONS, SENSITIVITIES, Choice,
    Field, Form, Rule, Schema,
)
from workbook_tools.schema.places import PROVINCES, province_short
from workbook_tools.schema.credit import parse_credit
from workbook_tools.schema.roles import parse_roles
from workbook_tools.schema.settings import SETTING_TYPES, check_settings

DEFAULT_SCHEMA = template_path("archive_schema.yaml")

TOP_KEYS = {"name", "version", "settings", "choice_lists", "forms", "roles", "credit"}
SETTING_KEYS = set(SETTING_TYPES)  # each with its type: schema/settings.py
FORM_KEYS = {"key", "title", "aliases", "id_field", "description", "fields", "rules"}
FIELD_KEYS = {"key", "label", "aliases", "type", "required", "required_if", "choices", "help",
              "width", "sensitive", "pattern", "min", "max", "allow_future", "important",
              "unique", "example", "section", "sensitivity", "mask"}
CHOICE_KEYS = {"value", "aliases", "help", "code", "provinces"}
RULE_KEYS = {"key", "kind", "message", "fields", "left", "op", "right", "when", "require", "then"}
WHEN_KEYS = {"field", "op", "value"}


def load_schema(path: str | Path | None = None) -> Schema:
    """Read and check a schema YAML file (the bundled one by default)."""
    path = Path(path) if path else DEFAULT_SCHEMA
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SchemaError(f"无法读取 schema 文件 {path}：{exc.strerror or exc}") from None
    return parse_schema(text, str(path))


def parse_schema(text: str, name: str = "<schema>") -> Schema:
    data = load_yaml(text, name)
    ctx = YamlContext(name)
    ctx.check_keys(data, TOP_KEYS, "schema 顶层")
    settings = data.get("settings") or Mapping()
    check_settings(ctx, settings)
    lists = data.get("choice_lists") or Mapping()
    if not isinstance(lists, dict):
        raise ctx.fail(data, "choice_lists 应当是映射", "choice_lists")
    named = {k: _choices(ctx, v, f"choice_lists.{k}") for k, v in lists.items()}
    forms_node = ctx.require(data, "forms", "schema", list)
    forms = tuple(_form(ctx, node, named) for node in forms_node)
    keys = [f.key for f in forms]
    if len(set(keys)) != len(keys):
        raise ctx.fail(data, "forms 中有重复的 key", "forms")
    return Schema(
        name=ctx.require(data, "name", "schema"),
        version=ctx.require(data, "version", "schema"),
        forms=forms,
        settings=_plain(settings),
        source=name,
        roles=parse_roles(ctx, data, forms),
        credit=parse_credit(ctx, data, forms),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _choices(ctx: YamlContext, node: Any, what: str) -> tuple[Choice, ...]:
    if not isinstance(node, list) or not node:
        raise ctx.fail(node, f"{what} 应当是非空的选项列表")
    out = []
    seen: dict[str, str] = {}  # province → the choice listing it
    for item in node:
        if isinstance(item, (str, int)):
            out.append(Choice(value=str(item)))
            continue
        ctx.check_keys(item, CHOICE_KEYS, f"{what} 的选项")
        out.append(Choice(
            value=ctx.require(item, "value", f"{what} 的选项"),
            aliases=ctx.str_list(item, "aliases", f"{what} 的选项"),
            help=str(item.get("help") or ""),
            code=str(item.get("code") or ""),
            provinces=_provinces(ctx, item, what, seen),
        ))
    values = [c.value for c in out]
    if len(set(values)) != len(values):
        raise ctx.fail(node[0] if node else node, f"{what} 中有重复的选项")
    return tuple(out)


def _provinces(ctx: YamlContext, item: dict, what: str, seen: dict[str, str]) -> tuple[str, ...]:
    """The province → 区域 table: each province (short or full name) known, and in one choice only."""
    names = ctx.str_list(item, "provinces", f"{what} 的选项")
    out = []
    for name in names:
        short = province_short(name)
        if short is None:
            raise ctx.fail(item, f"{what} 的选项“{item.get('value')}”的 provinces 中有未知的省份“{name}”"
                                 f"（可用：{'、'.join(PROVINCES)}）", "provinces")
        if short in seen:
            raise ctx.fail(item, f"{what} 中省份“{short}”同时属于“{seen[short]}”和“{item.get('value')}”",
                           "provinces")
        seen[short] = str(item.get("value"))
        out.append(short)
    return tuple(out)


def _form(ctx: YamlContext, node: Any, named: dict) -> Form:
    ctx.check_keys(node, FORM_KEYS, "表单")
    key = ctx.require(node, "key", "表单")
    what = f"表单 {key}"
    field_nodes = ctx.require(node, "fields", what, list)
    fields = tuple(_field(ctx, f, named, what) for f in field_nodes)
    keys = [f.key for f in fields]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ctx.fail(node, f"{what} 中字段 key 重复：{'、'.join(dupes)}", "fields")
    known = {f.key: f for f in fields}
    rules = tuple(_rule(ctx, r, known, what) for r in (node.get("rules") or []))
    for f, f_node in zip(fields, field_nodes):
        for other, value in f.required_if:
            _condition(ctx, f_node, "required_if", known, other, value, f"{what} 字段 {f.key} 的 required_if")
    id_field = str(node.get("id_field") or "")
    if id_field and id_field not in known:
        raise ctx.fail(node, f"{what} 的 id_field“{id_field}”不是本表单的字段", "id_field")
    return Form(
        key=key, title=ctx.require(node, "title", what), fields=fields,
        aliases=ctx.str_list(node, "aliases", what), id_field=id_field,
        description=str(node.get("description") or ""), rules=rules,
    )


def _field(ctx: YamlContext, node: Any, named: dict, form_what: str) -> Field:
    ctx.check_keys(node, FIELD_KEYS, f"{form_what} 的字段")
    key = ctx.require(node, "key", f"{form_what} 的字段")
    what = f"{form_what} 字段 {key}"
    ftype = ctx.require(node, "type", what)
    if ftype not in FIELD_TYPES:
        raise ctx.fail(node, f"{what} 的类型“{ftype}”未知（可用：{'、'.join(sorted(FIELD_TYPES))}）", "type")
    choices: tuple[Choice, ...] = ()
    raw = node.get("choices")
    if ftype == "choice":
        if isinstance(raw, str):
            if raw not in named:
                raise ctx.fail(node, f"{what} 引用了不存在的选项列表“{raw}”", "choices")
            choices = named[raw]
        else:
            choices = _choices(ctx, raw, f"{what} 的 choices")
    elif raw is not None:
        raise ctx.fail(node, f"{what} 不是 choice 类型，不能有 choices", "choices")
    section = node.get("section", DEFAULT_SECTION)
    if section not in SECTIONS:
        raise ctx.fail(node, f"{what} 的 section“{section}”未知（可用：{'、'.join(SECTIONS)}）", "section")
    pattern = str(node.get("pattern") or "")
    if pattern:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ctx.fail(node, f"{what} 的 pattern 不是有效的正则表达式：{exc}", "pattern") from None
    return Field(
        key=key, label=ctx.require(node, "label", what), type=ftype,
        aliases=ctx.str_list(node, "aliases", what),
        required=_bool(ctx, node, "required", what),
        required_if=_required_if(ctx, node, what),
        choices=choices, help=str(node.get("help") or ""),
        width=_number(ctx, node, "width", what, 12),
        sensitive=_bool(ctx, node, "sensitive", what), pattern=pattern,
        min=_number(ctx, node, "min", what, None), max=_number(ctx, node, "max", what, None),
        allow_future=_bool(ctx, node, "allow_future", what, True),
        important=_bool(ctx, node, "important", what),
        unique=_bool(ctx, node, "unique", what),
        example=str(node.get("example") or ""), section=section,
        sensitivity=_one_of(ctx, node, "sensitivity", what, SENSITIVITIES, "内部"),
        mask=_one_of(ctx, node, "mask", what, tuple(sorted(MASK_RULES)), ""),
    )


def _one_of(ctx: YamlContext, node: dict, key: str, what: str, allowed: tuple, default: str) -> str:
    value = node.get(key, default)
    if value != default and value not in allowed:
        raise ctx.fail(node, f"{what} 的“{key}”是“{value}”，只能是：{'、'.join(allowed)}", key)
    return value


def _bool(ctx: YamlContext, node: dict, key: str, what: str, default: bool = False) -> bool:
    value = node.get(key, default)
    if not isinstance(value, bool):
        raise ctx.fail(node, f"{what} 的“{key}”只能是 true 或 false", key)
    return value


def _number(ctx: YamlContext, node: dict, key: str, what: str, default: Any) -> Any:
    value = node.get(key, default)
    if value is not default and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ctx.fail(node, f"{what} 的“{key}”应当是数字", key)
    return value


def _required_if(ctx: YamlContext, node: dict, what: str) -> tuple[tuple[str, str], ...]:
    value = node.get("required_if")
    if value is None:
        return ()
    if not isinstance(value, dict) or not value:
        raise ctx.fail(node, f"{what} 的 required_if 应当是“字段: 值”的映射", "required_if")
    return tuple((str(k), str(v)) for k, v in value.items())


def _rule(ctx: YamlContext, node: Any, known: set, form_what: str) -> Rule:
    ctx.check_keys(node, RULE_KEYS, f"{form_what} 的规则")
    key = ctx.require(node, "key", f"{form_what} 的规则")
    what = f"{form_what} 规则 {key}"
    kind = ctx.require(node, "kind", what)
    if kind not in RULE_KINDS:
        raise ctx.fail(node, f"{what} 的 kind“{kind}”未知（可用：{'、'.join(sorted(RULE_KINDS))}）", "kind")
    message = ctx.require(node, "message", what)
    if kind == "any_required":
        fields = ctx.str_list(node, "fields", what)
        _known(ctx, node, fields, known, what, "fields")
        return Rule(key=key, kind=kind, message=message, fields=fields)
    if kind == "compare":
        left, right, op = (ctx.require(node, k, what) for k in ("left", "right", "op"))
        if op not in COMPARE_OPS:
            raise ctx.fail(node, f"{what} 的 op“{op}”未知", "op")
        _known(ctx, node, (left,), known, what, "left")
        _known(ctx, node, (right,), known, what, "right")
        return Rule(key=key, kind=kind, message=message, left=left, op=op, right=right)
    return _implies(ctx, node, known, key, kind, message, what)


def _implies(ctx: YamlContext, node: dict, known: dict, key: str, kind: str, message: str, what: str) -> Rule:
    """An implies rule: when a condition holds, ``require`` a field or ``then`` a condition."""
    when = _checked_condition(ctx, ctx.require(node, "when", what, dict), known, what, "when")
    if "then" in node:   # when … then another field's value must satisfy a condition
        if "require" in node:
            raise ctx.fail(node, f"{what} 不能同时有 require 和 then", "then")
        then = _checked_condition(ctx, ctx.require(node, "then", what, dict), known, what, "then")
        return Rule(key=key, kind=kind, message=message, when=when, then=then)
    require = ctx.require(node, "require", what)
    _known(ctx, node, (require,), known, what, "require")
    return Rule(key=key, kind=kind, message=message, when=when, require=require)


def _checked_condition(ctx: YamlContext, node: dict, known: dict, what: str,
                       part: str) -> tuple[str, str, Any]:
    """``{field, op, value}`` (the rule's ``part``, when / then): keys, operator, the field exists
    and a choice value is a choice; each reported at its own line."""
    ctx.check_keys(node, WHEN_KEYS, f"{what} 的 {part}")
    field, op = ctx.require(node, "field", what), ctx.require(node, "op", what)
    if op not in COMPARE_OPS:
        raise ctx.fail(node, f"{what} 的 op“{op}”未知", "op")
    _known(ctx, node, (field,), known, what, "field")
    if op in ("==", "!="):
        _condition(ctx, node, "value", known, field, node.get("value"), f"{what} 的 {part}")
    return field, op, node.get("value")


def _known(ctx, node, names, known, what, key) -> None:
    for name in names:
        if name not in known:
            raise ctx.fail(node, f"{what} 引用了不存在的字段“{name}”", key)


def _condition(ctx, node, key, known: dict, other: str, value: Any, what: str) -> None:
    """A condition "field = value" (required_if, an implies rule's when): the field exists and,
    for a choice field, the value is one of its choices. Reported at ``node``'s ``key`` line."""
    if other not in known:
        raise ctx.fail(node, f"{what} 引用了不存在的字段“{other}”", key)
    target = known[other]
    if target.type == "choice" and value is not None:
        if str(value) not in target.choice_values:
            allowed = "、".join(target.choice_values)
            raise ctx.fail(node, f"{what} 中“{other}”的值“{value}”不是它的选项（应写选项本身：{allowed}）", key)
