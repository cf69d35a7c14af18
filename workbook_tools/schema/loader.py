"""Load the schema YAML into model objects, rejecting unknown keys and bad values
with the file name and line number (in Chinese, for the person editing the YAML)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml

from workbook_tools.errors import SchemaError
from workbook_tools.schema.model import (
    COMPARE_OPS, FIELD_TYPES, RULE_KINDS, Choice, Field, Form, Rule, Schema,
)

def _default_schema() -> Path:
    """The bundled schema: templates/ in a source checkout, else the installed data file."""
    checkout = Path(__file__).resolve().parents[2] / "templates" / "archive_schema.yaml"
    if checkout.exists():
        return checkout
    return Path(sys.prefix) / "share" / "workbook_tools" / "templates" / "archive_schema.yaml"


DEFAULT_SCHEMA = _default_schema()

TOP_KEYS = {"name", "version", "settings", "choice_lists", "forms"}
SETTING_KEYS = {"contact_cycles", "purchase_cycles", "stale_days", "fuzzy_threshold",
                "value_classes", "id_card_age"}
FORM_KEYS = {"key", "title", "aliases", "id_field", "description", "fields", "rules"}
FIELD_KEYS = {"key", "label", "aliases", "type", "required", "required_if", "choices", "help",
              "width", "sensitive", "pattern", "min", "max", "allow_future", "important",
              "unique", "example"}
CHOICE_KEYS = {"value", "aliases", "help", "code"}
RULE_KEYS = {"key", "kind", "message", "fields", "left", "op", "right", "when", "require"}
WHEN_KEYS = {"field", "op", "value"}


class _Mapping(dict):
    """A dict that remembers the line of each key (1-based) and of itself."""

    line = 0
    key_lines: dict


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    out = _Mapping()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise SchemaError(f"{loader.name}:{key_node.start_mark.line + 1}: 键“{key}”重复出现")
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _Ctx:
    """Where we are in the file, for messages."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, node: Any, msg: str, key: str | None = None) -> SchemaError:
        line = getattr(node, "line", 0)
        if key is not None and isinstance(node, _Mapping):
            line = node.key_lines.get(key, line)
        return SchemaError(f"{self.path}:{line}: {msg}")

    def check_keys(self, node: Any, allowed: set, what: str) -> None:
        if not isinstance(node, dict):
            raise self.fail(node, f"{what}应当是“键: 值”的映射")
        for key in node:
            if key not in allowed:
                hint = "、".join(sorted(allowed))
                raise self.fail(node, f"{what}中有未知的键“{key}”（可用的键：{hint}）", key)

    def require(self, node: dict, key: str, what: str, kind: type = str) -> Any:
        if key not in node or node[key] in (None, ""):
            raise self.fail(node, f"{what}缺少必需的键“{key}”")
        value = node[key]
        if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, kind):
            raise self.fail(node, f"{what}的“{key}”类型不对", key)
        return value

    def str_list(self, node: dict, key: str, what: str) -> tuple[str, ...]:
        value = node.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            raise self.fail(node, f"{what}的“{key}”应当是文字列表", key)
        return tuple(str(v) for v in value)


def load_schema(path: str | Path | None = None) -> Schema:
    """Read and check a schema YAML file (the bundled one by default)."""
    path = Path(path) if path else DEFAULT_SCHEMA
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SchemaError(f"无法读取 schema 文件 {path}：{exc.strerror or exc}") from None
    return parse_schema(text, str(path))


def parse_schema(text: str, name: str = "<schema>") -> Schema:
    loader = _LineLoader(text)
    loader.name = name
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise SchemaError(f"{name}:{line}: YAML 语法错误：{getattr(exc, 'problem', exc)}") from None
    finally:
        loader.dispose()
    ctx = _Ctx(name)
    ctx.check_keys(data, TOP_KEYS, "schema 顶层")
    settings = data.get("settings") or _Mapping()
    ctx.check_keys(settings, SETTING_KEYS, "settings")
    lists = data.get("choice_lists") or _Mapping()
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
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _choices(ctx: _Ctx, node: Any, what: str) -> tuple[Choice, ...]:
    if not isinstance(node, list) or not node:
        raise ctx.fail(node, f"{what} 应当是非空的选项列表")
    out = []
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
        ))
    values = [c.value for c in out]
    if len(set(values)) != len(values):
        raise ctx.fail(node[0] if node else node, f"{what} 中有重复的选项")
    return tuple(out)


def _form(ctx: _Ctx, node: Any, named: dict) -> Form:
    ctx.check_keys(node, FORM_KEYS, "表单")
    key = ctx.require(node, "key", "表单")
    what = f"表单 {key}"
    fields = tuple(_field(ctx, f, named, what) for f in ctx.require(node, "fields", what, list))
    keys = [f.key for f in fields]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ctx.fail(node, f"{what} 中字段 key 重复：{'、'.join(dupes)}", "fields")
    known = set(keys)
    rules = tuple(_rule(ctx, r, known, what) for r in (node.get("rules") or []))
    for f in fields:
        for other, _ in f.required_if:
            if other not in known:
                raise ctx.fail(node, f"{what} 字段 {f.key} 的 required_if 引用了不存在的字段“{other}”", "fields")
    id_field = str(node.get("id_field") or "")
    if id_field and id_field not in known:
        raise ctx.fail(node, f"{what} 的 id_field“{id_field}”不是本表单的字段", "id_field")
    return Form(
        key=key, title=ctx.require(node, "title", what), fields=fields,
        aliases=ctx.str_list(node, "aliases", what), id_field=id_field,
        description=str(node.get("description") or ""), rules=rules,
    )


def _field(ctx: _Ctx, node: Any, named: dict, form_what: str) -> Field:
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
        example=str(node.get("example") or ""),
    )


def _bool(ctx: _Ctx, node: dict, key: str, what: str, default: bool = False) -> bool:
    value = node.get(key, default)
    if not isinstance(value, bool):
        raise ctx.fail(node, f"{what} 的“{key}”只能是 true 或 false", key)
    return value


def _number(ctx: _Ctx, node: dict, key: str, what: str, default: Any) -> Any:
    value = node.get(key, default)
    if value is not default and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ctx.fail(node, f"{what} 的“{key}”应当是数字", key)
    return value


def _required_if(ctx: _Ctx, node: dict, what: str) -> tuple[tuple[str, str], ...]:
    value = node.get("required_if")
    if value is None:
        return ()
    if not isinstance(value, dict) or not value:
        raise ctx.fail(node, f"{what} 的 required_if 应当是“字段: 值”的映射", "required_if")
    return tuple((str(k), str(v)) for k, v in value.items())


def _rule(ctx: _Ctx, node: Any, known: set, form_what: str) -> Rule:
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
        _known(ctx, node, (left, right), known, what, "left")
        return Rule(key=key, kind=kind, message=message, left=left, op=op, right=right)
    when = ctx.require(node, "when", what, dict)
    ctx.check_keys(when, WHEN_KEYS, f"{what} 的 when")
    wfield, wop = ctx.require(when, "field", what), ctx.require(when, "op", what)
    if wop not in COMPARE_OPS:
        raise ctx.fail(when, f"{what} 的 op“{wop}”未知", "op")
    require = ctx.require(node, "require", what)
    _known(ctx, node, (wfield, require), known, what, "when")
    return Rule(key=key, kind=kind, message=message, when=(wfield, wop, when.get("value")),
                require=require)


def _known(ctx, node, names, known, what, key) -> None:
    for name in names:
        if name not in known:
            raise ctx.fail(node, f"{what} 引用了不存在的字段“{name}”", key)
