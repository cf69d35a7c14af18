"""The 客户资料卡 as plain data: what the writer lays out and what tests assert.

A card holds blocks of label/value items (the schema's four sections, 其他, 档案评估) and
listings (拜访记录, 投诉记录, 修改记录). Nothing here knows the xlsx library."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol, Sequence

OTHER_SECTION = "其他"          # unknown extra columns of the master
DERIVED_SECTION = "档案评估"     # figures computed from the record (not typed by anyone)
VISITS, COMPLAINTS, CHANGES = "拜访记录", "投诉记录", "修改记录"


class View(Protocol):
    """Which fields a reader may see (the confidentiality role): ``hidden(key)`` drops the
    field from the card; ``show(key, value)`` is the value displayed (masked or as is).
    Keys are registration field keys; extra columns use their header text."""

    def hidden(self, field_key: str) -> bool: ...

    def show(self, field_key: str, value: Any) -> Any: ...


class FullView:
    """The default view: every field, unmasked."""

    def hidden(self, field_key: str) -> bool:
        return False

    def show(self, field_key: str, value: Any) -> Any:
        return value


@dataclass(frozen=True, slots=True)
class Item:
    label: str
    value: Any            # None when blank
    kind: str = "text"    # text | code | date | number | money


@dataclass(slots=True)
class Block:
    title: str
    items: list[Item] = field(default_factory=list)
    wide: bool = False              # one item per row, the value running across the card (long texts)


@dataclass(slots=True)
class Listing:
    title: str                      # the section line, e.g. 拜访记录（最近 20 次，共 31 次）
    headers: list[str]
    kinds: list[str]                # per column: text | code | date | number
    rows: list[list[Any]]
    empty: str                      # the line shown when there are no rows


@dataclass(slots=True)
class Card:
    customer_id: str
    name: str
    sheet: str                      # worksheet name (the 客户编号, made sheet-safe)
    subtitle: str
    blocks: list[Block]
    listings: list[Listing]
    directory: list[Any]            # 目录 row: 客户编号, 客户名称, 所属区域, 负责业务员, 客户类别


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """One 修改记录 entry, shaped like the history store's change objects."""

    week: str
    date: dt.date | None
    kind: str
    customer_id: str
    customer_name: str
    text: str
    file: str
    field: str = ""                 # the field's label ('' for 新增客户 / 本周未出现 …)
    old: Any = None
    new: Any = None


def iso_week(day: dt.date | None) -> str:
    if day is None:
        return ""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_of(change: Any) -> str:
    """The change's week: its own ``week`` attribute, else derived from its date."""
    week = getattr(change, "week", "") or ""
    return str(week) if week else iso_week(_as_date(getattr(change, "date", None)))


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def as_date(value: Any) -> dt.date | None:
    return _as_date(value)


Rows = Sequence[Sequence[Any]]
