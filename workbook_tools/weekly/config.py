"""archive.yaml: the weekly run's configuration, beside the regional files.

Every key is documented in KEYS (and in the README, generated from it); unknown keys and
bad values are rejected naming the file and line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbook_tools.errors import SchemaError
from workbook_tools.history.locate import STORE_NAME
from workbook_tools.schema import Schema, load_schema, normalize_header
from workbook_tools.schema.yamlsrc import YamlContext, load_yaml

CONFIG_NAME = "archive.yaml"

# key → (required, Chinese description). The README's table is generated from this.
KEYS: dict[str, tuple[bool, str]] = {
    "regions": (True, "参与本周汇总的区域（办事处）列表，如 [华东, 华南]；用于核对哪些办事处交了文件"),
    "salespeople": (True, "各区域的业务员：区域 → 姓名列表；拜访计划只为这些人生成"),
    "incoming": (True, "各区域本周提交文件所在的文件夹（相对 archive.yaml 所在目录）"),
    "ignore": (False, "incoming 中不算提交文件的文件名模式列表，如 [\"*.json\", \"说明.txt\"]（按文件名或相对 incoming "
                      "的路径匹配）；匹配的文件直接忽略，不列入周报的“未能使用的文件”。默认为空：办事处交错格式的文件照样列出"),
    "previous": (True, "上周的客户档案总表路径；写 null 时自动取输出目录中最近一周的总表"),
    "contact_cycles": (True, "联系周期（天）：客户类别 → 天数，覆盖 schema 中的默认值"),
    "purchase_cycles": (True, "购买周期（天）：客户类别 → 天数，用于“业务下滑”提醒"),
    "output": (False, "输出根目录（相对 archive.yaml），默认 output；每周写入其中的 <年>-W<周> 子目录"),
    "schema": (False, "自定义 schema 文件路径（相对 archive.yaml），默认使用自带的 schema"),
    "max_per_day": (False, "拜访计划中每位业务员每天最多安排的拜访数，默认 6"),
    "holidays": (False, "额外的休息日列表（如公司年假），拜访计划不安排在这些日子"),
    "workdays": (False, "额外的调休上班日列表（节假日历未覆盖的年份或公司安排）"),
    "history": (False, "档案历史库（SQLite 文件）路径（相对 archive.yaml），默认 档案历史.sqlite；"
                       "每周运行都记录进去，供 history 命令查询"),
    "visit_history_weeks": (False, "拜访记录在总表中保留的周数（正整数）：日期早于这么多周之前的拜访记录移入档案历史库"
                                   "（history 指定的文件），总表只留最近的；客户资料卡和汇总表仍从历史库读到全部拜访。"
                                   "默认不设置：全部拜访记录都留在总表中"),
}


@dataclass(frozen=True)
class WeeklyConfig:
    path: Path
    regions: tuple[str, ...]
    salespeople: dict[str, tuple[str, ...]]
    incoming: Path
    previous: Path | None
    contact_cycles: dict[str, int]
    purchase_cycles: dict[str, int]
    output: Path
    schema: Schema = field(repr=False)
    max_per_day: int = 6
    holidays: tuple[dt.date, ...] = ()
    workdays: tuple[dt.date, ...] = ()
    ignore: tuple[str, ...] = ()
    history: Path | None = None          # the history store (default: 档案历史.sqlite beside archive.yaml)
    visit_history_weeks: int | None = None   # visits older than this move to the history store

    @property
    def folder(self) -> Path:
        return self.path.parent


def load_config(folder: str | Path) -> WeeklyConfig:
    """Read DIR/archive.yaml (or the YAML file given) and check every key."""
    path = Path(folder)
    if path.is_dir():
        path = path / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise SchemaError(f"找不到配置文件 {path}：请在该目录中放一个 {CONFIG_NAME}（格式见 README）") from None
    data = load_yaml(text, str(path))
    ctx = YamlContext(str(path))
    ctx.check_keys(data, set(KEYS), CONFIG_NAME)
    for key, (required, _) in KEYS.items():
        if required and key not in data:
            raise ctx.fail(data, f"{CONFIG_NAME} 缺少必需的键“{key}”（{KEYS[key][1]}）")
    base = path.parent
    schema = load_schema(base / data["schema"]) if data.get("schema") else load_schema()
    regions = _regions(ctx, data, schema)
    contact = _cycles(ctx, data, "contact_cycles", schema)
    purchase = _cycles(ctx, data, "purchase_cycles", schema)
    settings = {**schema.settings, "contact_cycles": contact, "purchase_cycles": purchase}
    return WeeklyConfig(
        path=path, regions=regions, salespeople=_salespeople(ctx, data, regions),
        incoming=_folder(ctx, data, base, "incoming"),
        previous=(base / _text(ctx, data, "previous")) if data.get("previous") else None,
        contact_cycles=contact, purchase_cycles=purchase,
        output=base / (_text(ctx, data, "output") if data.get("output") else "output"),
        schema=dataclasses.replace(schema, settings=settings),
        max_per_day=_positive(ctx, data, "max_per_day", 6),
        holidays=_dates(ctx, data, "holidays"), workdays=_dates(ctx, data, "workdays"),
        ignore=_patterns(ctx, data, "ignore"),
        history=base / (_text(ctx, data, "history") if data.get("history") else STORE_NAME),
        visit_history_weeks=(_positive(ctx, data, "visit_history_weeks", 0)
                             if data.get("visit_history_weeks") is not None else None),
    )


def _text(ctx: YamlContext, data: dict, key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ctx.fail(data, f"“{key}”应当是一个路径文字", key)
    return value.strip()


def _folder(ctx: YamlContext, data: dict, base: Path, key: str) -> Path:
    """An existing folder named by ``key`` (a misspelt name is reported at its line)."""
    folder = base / _text(ctx, data, key)
    if not folder.is_dir():
        what = "不是文件夹" if folder.exists() else "不存在"
        raise ctx.fail(data, f"“{key}”指定的文件夹 {folder} {what}；请检查 {CONFIG_NAME} 中的拼写，"
                             "或先创建该文件夹", key)
    return folder


def _region_names(schema: Schema) -> dict[str, str]:
    field_ = schema.form("registration").field("region")
    return field_.choice_lookup()


def _regions(ctx: YamlContext, data: dict, schema: Schema) -> tuple[str, ...]:
    value = data.get("regions")
    if not isinstance(value, list) or not value:
        raise ctx.fail(data, "“regions”应当是非空的区域列表，如 [华东, 华南]", "regions")
    lookup, out = _region_names(schema), []
    for item in value:
        canonical = lookup.get(normalize_header(item))
        if canonical is None:
            allowed = "、".join(dict.fromkeys(lookup.values()))
            raise ctx.fail(data, f"“regions”中的“{item}”不是已知区域（可用：{allowed}）", "regions")
        out.append(canonical)
    return tuple(dict.fromkeys(out))


def _salespeople(ctx: YamlContext, data: dict, regions: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    value = data.get("salespeople")
    if not isinstance(value, dict):
        raise ctx.fail(data, "“salespeople”应当是“区域: [姓名, …]”的映射", "salespeople")
    out = {}
    for region, names in value.items():
        if region not in regions:
            raise ctx.fail(value, f"“salespeople”中的区域“{region}”不在 regions 中", region)
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise ctx.fail(value, f"“salespeople”中“{region}”的值应当是姓名列表", region)
        out[region] = tuple(n.strip() for n in names)
    return out


def _cycles(ctx: YamlContext, data: dict, key: str, schema: Schema) -> dict[str, int]:
    value = data.get(key)
    if not isinstance(value, dict) or not value:
        raise ctx.fail(data, f"“{key}”应当是“客户类别: 天数”的映射", key)
    categories = schema.form("registration").field("category").choice_values
    for name, days in value.items():
        if name not in categories:
            raise ctx.fail(value, f"“{key}”中的“{name}”不是客户类别（可用：{'、'.join(categories)}）", name)
        if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
            raise ctx.fail(value, f"“{key}”中“{name}”的天数应当是正整数", name)
    return {**schema.settings.get(key, {}), **value}


def _positive(ctx: YamlContext, data: dict, key: str, default: int) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ctx.fail(data, f"“{key}”应当是正整数", key)
    return value


def _dates(ctx: YamlContext, data: dict, key: str) -> tuple[dt.date, ...]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise ctx.fail(data, f"“{key}”应当是日期列表，如 [2026-12-31]", key)
    out = []
    for item in value:
        if isinstance(item, dt.date):
            out.append(item)
            continue
        try:
            out.append(dt.date.fromisoformat(str(item)))
        except ValueError:
            raise ctx.fail(data, f"“{key}”中的“{item}”不是日期（写成 2026-12-31）", key) from None
    return tuple(sorted(out))


def _patterns(ctx: YamlContext, data: dict, key: str) -> tuple[str, ...]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ctx.fail(data, f"“{key}”应当是文件名模式的列表，如 [\"*.json\", \"说明*.txt\"]", key)
    return tuple(v.strip() for v in value)
