"""Field conflicts: one customer id, one field, several different non-empty values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Sequence

from workbook_tools.merge.rows import SourceRow, display, is_empty

CONFLICT_RULE = (
    "取值规则：同一客户编号出现多次时逐字段取值，以最新修订日期较新的记录为准；空值不覆盖非空值；"
    "最新修订日期相同或未填写时，按 文件名→工作表名→行号 排序在后的记录为准（未填写最新修订日期的记录"
    "排在填写了的记录之后；与上期总表日期相同时以本周记录为准）。最新修订日期本身不列为冲突。"
)


@dataclass(frozen=True, slots=True)
class Conflict:
    customer_id: str
    field: str                                       # label, or the extra column's header
    values: tuple[tuple[Any, tuple[str, ...]], ...]  # (value, sources "文件/工作表/行"), winner first
    chosen: Any
    chosen_from: str

    @property
    def values_text(self) -> str:
        """'值 ← 文件/工作表/行；…' — several sources of one value joined with 、."""
        return "；".join(f"{display(v)} ← {'、'.join(src)}" for v, src in self.values)


def revision_key(value: Any) -> dt.date:
    """最新修订日期 as a sortable date; missing or unusable → date.min (ranks last)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.min


def priority(row: SourceRow, revised_key: str, this_week: bool) -> tuple:
    """Higher wins: later 最新修订日期, this week over the previous master, then
    later file name, sheet name and row."""
    return (revision_key(row.values.get(revised_key)), this_week, row.file, row.sheet, row.row)


def field_conflict(customer_id: str, label: str, candidates: Sequence[SourceRow], get,
                   previous: SourceRow | None) -> Conflict | None:
    """The conflict on one field, or None.

    ``candidates`` are in priority order (winner first) and may include ``previous``;
    ``get(row)`` returns the row's value for the field. This week's rows conflict when they
    hold different non-empty values; the previous master only takes part when its value
    wins over a different value sent this week (this week's record is older)."""
    found: list[tuple[Any, list[str]]] = []
    chosen_row = None
    for row in candidates:
        value = get(row)
        if is_empty(value):
            continue
        if chosen_row is None:
            chosen_row = row
        elif row is previous:
            continue
        for seen, sources in found:
            if seen == value:
                sources.append(row.where)
                break
        else:
            found.append((value, [row.where]))
    if len(found) < 2:
        return None
    return Conflict(customer_id, label, tuple((v, tuple(s)) for v, s in found),
                    found[0][0], chosen_row.where)
