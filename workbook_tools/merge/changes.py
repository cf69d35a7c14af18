"""变更记录: what this week changed in the master compared with last week's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from workbook_tools.merge.rows import display, is_empty
from workbook_tools.schema.model import Form

NEW, CHANGED, ABSENT, KEPT = "新增客户", "修改", "本周未出现", "保留上期记录"
ABSENT_TEXT = "本周未出现，保留上期记录"
KEPT_TEXT = "本周数据有误（见待修正），保留上期记录"


@dataclass(frozen=True, slots=True)
class ChangeEntry:
    date: dt.date
    kind: str                 # 新增客户 / 修改 / 本周未出现 / 保留上期记录
    customer_id: str
    customer_name: str
    text: str
    file: str                 # the file that brought the change (the previous master when absent)
    field: str = ""
    old: Any = None
    new: Any = None


def change_text(label: str, old: Any, new: Any) -> str:
    """'将 手机 由 13800000000 修改为 13900000000'."""
    return f"将 {label} 由 {display(old)} 修改为 {display(new)}"


def same(old: Any, new: Any) -> bool:
    if is_empty(old) or is_empty(new):
        return is_empty(old) and is_empty(new)
    return old == new


def change_log(customers: Iterable[Any], form: Form, extra_labels: dict[str, str],
               run_date: dt.date) -> list[ChangeEntry]:
    """One pass over the master's customers (``MergedCustomer``, master order)."""
    out: list[ChangeEntry] = []
    for c in customers:
        out.extend(_entries(c, form, extra_labels, run_date))
    return out


def _entries(c: Any, form: Form, extra_labels: dict[str, str],
             run_date: dt.date) -> Iterator[ChangeEntry]:
    name = display_name(c.values.get("customer_name"))
    prev = c.previous
    if prev is None:
        yield ChangeEntry(run_date, NEW, c.id, name, NEW, c.provenance.file)
    elif not c.from_this_week:
        if c.quarantined:
            yield ChangeEntry(run_date, KEPT, c.id, name, KEPT_TEXT, c.quarantined[0].file)
        else:
            yield ChangeEntry(run_date, ABSENT, c.id, name, ABSENT_TEXT, prev.file)
    else:
        yield from _field_changes(c, form, extra_labels, run_date, name)


def _field_changes(c: Any, form: Form, extra_labels: dict[str, str], run_date: dt.date,
                   name: str) -> Iterator[ChangeEntry]:
    prev = c.previous
    for f in () if prev.values == c.values else form.fields:  # one C-level compare when unchanged
        old, new = prev.values.get(f.key), c.values.get(f.key)
        if not same(old, new):
            source = c.supplier(f.key) or c.provenance
            yield ChangeEntry(run_date, CHANGED, c.id, name, change_text(f.label, old, new),
                              source.file, f.label, old, new)
    for key, label in () if prev.extras == c.extras else extra_labels.items():
        old, new = prev.extras.get(key), c.extras.get(key)
        if not same(old, new):
            yield ChangeEntry(run_date, CHANGED, c.id, name, change_text(label, old, new),
                              c.provenance.file, label, old, new)


def display_name(value: Any) -> str:
    return "" if is_empty(value) else str(value)
