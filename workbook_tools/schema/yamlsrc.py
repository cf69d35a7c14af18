"""YAML with line numbers, for configuration files whose mistakes must be reported as
file:line in Chinese (the schema, archive.yaml)."""

from __future__ import annotations

from typing import Any

import yaml

from workbook_tools.errors import SchemaError


class Mapping(dict):
    """A dict that remembers the line of each key (1-based) and of itself."""

    line = 0
    key_lines: dict


class LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    out = Mapping()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise SchemaError(f"{loader.name}:{key_node.start_mark.line + 1}: 键“{key}”重复出现")
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class YamlContext:
    """Where we are in the file, for messages."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, node: Any, msg: str, key: str | None = None) -> SchemaError:
        line = getattr(node, "line", 0)
        if key is not None and isinstance(node, Mapping):
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


def load_yaml(text: str, name: str) -> Any:
    """Parse YAML text; mappings become Mapping objects that remember their lines."""
    loader = LineLoader(text)
    loader.name = name
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise SchemaError(f"{name}:{line}: YAML 语法错误：{getattr(exc, 'problem', exc)}") from None
    finally:
        loader.dispose()
