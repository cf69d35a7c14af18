"""`workbook-tools weekly init DIR`: a new archive folder — a commented archive.yaml (every key
of config.KEYS with its Chinese explanation, the schema's default cycles, the salespeople found
in an existing master or regional files) and an empty incoming/ folder.

To add a key: describe it in config.KEYS (required, explanation) and say here, in INIT_VALUES,
what `init` writes for it — a function of the InitPlan giving the value (or a Commented text),
or a text written as a commented-out example. A key of KEYS missing from INIT_VALUES is written
commented out, with its explanation.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from workbook_tools.errors import UnreadableWorkbook, WorkbookToolsError
from workbook_tools.io.atomic import atomic_path
from workbook_tools.io.reader import read_workbook
from workbook_tools.schema import Schema, load_schema, normalize_header
from workbook_tools.validate.files import expand_paths
from workbook_tools.weekly.config import CONFIG_NAME, KEYS

INCOMING = "incoming"


@dataclass
class InitPlan:
    """What `weekly init` writes: the regions and their salespeople, and where they came from."""
    folder: Path
    schema: Schema
    regions: tuple[str, ...]
    salespeople: dict[str, list[str]]
    sources: list[Path] = field(default_factory=list)   # workbooks the salespeople were read from
    schema_file: Path | None = None                      # --schema: recorded as archive.yaml's schema
    unreadable: list[str] = field(default_factory=list)  # one Chinese line per file that could not be read


@dataclass
class InitResult:
    plan: InitPlan
    config: Path
    incoming: Path
    created_incoming: bool


class Commented(str):
    """A value written as a commented-out example (``# key: value``)."""


# key → what `init` writes: a function of the plan (the value), or a text (a commented-out example).
INIT_VALUES: dict[str, Callable[[InitPlan], Any] | str] = {
    "regions": lambda plan: list(plan.regions),
    "salespeople": lambda plan: {region: plan.salespeople.get(region, []) for region in plan.regions},
    "incoming": lambda plan: INCOMING,
    "ignore": lambda plan: [],
    "previous": lambda plan: None,
    "contact_cycles": lambda plan: dict(plan.schema.settings["contact_cycles"]),
    "purchase_cycles": lambda plan: dict(plan.schema.settings["purchase_cycles"]),
    "output": lambda plan: "output",
    "schema": lambda plan: (os.path.relpath(plan.schema_file.resolve(), plan.folder.resolve())
                            if plan.schema_file else Commented("my_schema.yaml")),
    "max_per_day": lambda plan: 6,
    "holidays": lambda plan: [],
    "workdays": lambda plan: [],
    "history": Commented("档案历史.sqlite"),
    "visit_history_weeks": Commented("104"),
}
HEADER = """\
# archive.yaml：每周流程（workbook-tools weekly）的配置，由 workbook-tools weekly init 生成。
# 每个键上方的 # 行是它的说明（可以删除）；标“必需”的键不能删。写错的键或值，
# workbook-tools weekly 会指出文件名和行号。
"""
EMPTY_REGION = "  # 请填写该区域业务员的姓名"


def init_archive(folder: str | Path, *, regions: Sequence[str] = (), sources: Iterable[str | Path] = (),
                 schema_file: str | Path | None = None, schema: Schema | None = None,
                 force: bool = False) -> InitResult:
    """Create ``folder`` with archive.yaml and incoming/. ``regions``: names, aliases or codes
    (default: the regions found in ``sources``). ``sources``: a master or regional workbooks
    (files or folders) to take the salespeople from; default: what incoming/ already holds.
    ``schema_file``: a company schema, used here and recorded in archive.yaml (``schema``: the
    loaded schema, when there is no file to record). An existing archive.yaml is kept unless ``force``."""
    folder = Path(folder)
    config = folder / CONFIG_NAME
    if config.exists() and not force:
        raise WorkbookToolsError(f"{config} 已存在，未做任何修改；如要重新生成，请加 --force（原文件会被覆盖）")
    schema = schema or load_schema(schema_file)
    incoming = folder / INCOMING
    paths = [Path(p) for p in sources] or ([incoming] if incoming.is_dir() else [])
    plan = plan_archive(folder, schema, regions, paths)
    plan.schema_file = Path(schema_file) if schema_file else None
    created = not incoming.is_dir()
    incoming.mkdir(parents=True, exist_ok=True)
    with atomic_path(config) as tmp:
        tmp.write_text(archive_yaml(plan), encoding="utf-8")
    return InitResult(plan, config, incoming, created)


def plan_archive(folder: Path, schema: Schema, regions: Sequence[str], sources: list[Path]) -> InitPlan:
    lookup = schema.form("registration").field("region").choice_lookup()
    wanted = [_region(lookup, name) for name in regions]
    found, files, unreadable = salespeople_from(sources, schema, lookup)
    order = list(dict.fromkeys(lookup.values()))
    chosen = tuple(dict.fromkeys(wanted)) or tuple(sorted(found, key=order.index))
    if not chosen:
        raise WorkbookToolsError("请用 --regions 指定参与汇总的区域，如 --regions 华东,华南"
                                 + ("（所给文件中没有找到所属区域）" if sources else ""))
    people = {region: sorted(found.get(region, ())) for region in chosen}
    return InitPlan(folder, schema, chosen, people, files, unreadable)


def _region(lookup: dict[str, str], name: str) -> str:
    canonical = lookup.get(normalize_header(name))
    if canonical is None:
        allowed = "、".join(dict.fromkeys(lookup.values()))
        raise WorkbookToolsError(f"“{name}”不是已知区域（可用：{allowed}）")
    return canonical


def salespeople_from(paths: list[Path], schema: Schema, lookup: dict[str, str]
                     ) -> tuple[dict[str, set[str]], list[Path], list[str]]:
    """负责业务员 per region in the registration sheets of ``paths`` (a master's 客户档案 or
    regional files): a file named after a region (华东_客户档案.xlsx) gives all its salespeople
    to that region, otherwise each row's 所属区域 decides."""
    files, _ = expand_paths(paths)
    found: dict[str, set[str]] = {}
    used, unreadable = [], []
    for path in files:
        try:
            book = read_workbook(path, schema, form="registration")
        except UnreadableWorkbook as exc:
            unreadable.append(str(exc))
            continue
        named = next((r for r in dict.fromkeys(lookup.values()) if r in path.name), None)
        for table in book.sheets:
            for region, owner in _owners(table, lookup, named):
                found.setdefault(region, set()).add(owner)
        used.append(path)
    return found, used, unreadable


def _owners(table, lookup: dict[str, str], named: str | None):
    owner_at, region_at = table.position("owner"), table.position("region")
    if owner_at is None:
        return
    for record in table.records:
        values = record.values
        owner = str(values[owner_at]).strip() if owner_at < len(values) and values[owner_at] else ""
        raw = values[region_at] if region_at is not None and region_at < len(values) else None
        region = named or (lookup.get(normalize_header(str(raw))) if raw else None)
        if owner and region:
            yield region, owner


def archive_yaml(plan: InitPlan) -> str:
    """The commented archive.yaml text: every key of KEYS in order, each after its explanation."""
    blocks = [HEADER]
    for key, (required, text) in KEYS.items():
        comment = "".join(f"# {line}\n" for line in wrap(("必需。" if required else "可选。") + text))
        how = INIT_VALUES.get(key)
        value = how(plan) if callable(how) else Commented(how or "")
        if isinstance(value, Commented):
            body = f"# {key}: {value}".rstrip() + "\n"
        else:
            body = _item(key, value)
            body = body.replace(": []\n", ": []" + EMPTY_REGION + "\n") if key == "salespeople" else body
        blocks.append(comment + body)
    return "\n".join(blocks)


def _item(key: str, value: Any) -> str:
    """``key: value`` in YAML: scalars and flat lists/maps on one line, a map of lists as a block."""
    nested = isinstance(value, dict) and any(isinstance(v, (list, dict)) for v in value.values())
    if nested:
        return yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, default_flow_style=None,
                              width=10_000)
    text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=True, width=10_000)
    return f"{key}: {text.removesuffix(chr(10)).removesuffix(chr(10) + '...').strip()}\n"


def wrap(text: str, width: int = 96) -> list[str]:
    """Lines of at most ``width`` columns (a Chinese character takes two), broken between
    Chinese characters or at spaces, never inside a Latin word or a number."""
    lines, line, used = [], "", 0
    for token in re.findall(r"[!-~]+|\s+|.", text):
        size = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in token)
        if used + size > width and line.strip():
            lines.append(line.rstrip())
            line, used = "", 0
            if token.isspace():
                continue
        line, used = line + token, used + size
    return [*lines, line.rstrip()] if line.strip() else lines
