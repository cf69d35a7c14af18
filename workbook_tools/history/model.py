"""What one run puts into the history store (plain data, built by merge) and what the
store's queries return. Values are canonical and JSON-able: text, int, float, bool, and
dates as ISO text ("2026-11-20"), so a record read back from a kept master equals the
record recorded by the live run."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

NEW, CHANGED, ABSENT, KEPT = "新增客户", "修改", "本周未出现", "保留上期记录"   # as merge/changes.py
VISIT, COMPLAINT, TRADE = "拜访", "投诉", "交易"


def iso_week(day: dt.date) -> str:
    """2026-11-22 → '2026-W47' (the weekly folders' name)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def canonical(value: Any) -> Any:
    """A cell value as stored: None for empty, dates as ISO text, integral floats as int
    (2000.0 read back from a cell is the 2000 that was merged). Ordered by frequency."""
    kind = type(value)
    if value is None:
        return None
    if kind is str:
        return None if not value or value.isspace() else value
    if kind is int or kind is bool:
        return value
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is dt.date:
        return value.isoformat()
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return canonical(str(value))
    if isinstance(value, float):
        return canonical(float(value))
    return value if isinstance(value, (int, bool)) else str(value)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def hash64(text: str) -> int:
    """A signed 64-bit content hash (an SQLite INTEGER)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


@dataclass(frozen=True, slots=True)
class FieldInfo:
    key: str
    label: str
    type: str


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    """One customer's full record as merged that week."""

    customer_id: str
    values: Mapping[str, Any]         # field key → value as merged (any type; made canonical on write)
    extras: Mapping[str, Any] = field(default_factory=dict)   # unknown column header → value
    file: str = ""                    # the file this week's record came from


@dataclass(frozen=True, slots=True)
class AddedRecord:
    """A visit (拜访) or complaint (投诉) row of that week's master."""

    kind: str                         # VISIT | COMPLAINT | TRADE
    customer_id: str
    values: Mapping[str, Any]
    extras: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class HistoryChange:
    """One 变更记录 entry. ``old``/``new`` are the texts the master's 变更记录 shows (full
    values: mask them before showing, see history.mask)."""

    week: str                 # "2026-W48"
    date: dt.date             # the run date
    kind: str                 # 新增客户 / 修改 / 本周未出现 / 保留上期记录
    customer_id: str
    customer_name: str
    text: str
    file: str
    field: str = ""           # the field's label for 修改, else ""
    old: str | None = None
    new: str | None = None


@dataclass
class RunRecord:
    """Everything one merge run records. ``changes`` is None on a first merge (no previous
    master, so no 变更记录); ``overdue`` is None when the run did not compute follow-ups.
    ``customers``, ``changes`` and ``added`` may be iterables read once (a kept master read
    in chunks): record_run then counts them as it stores them (``tally``, what counts()
    returns once the run is recorded)."""

    week: str
    run_date: dt.date
    master: str                                   # the master's file name
    inputs: Sequence[tuple[str, str]]             # (file name, sha256), as in 合并说明
    fields: Sequence[FieldInfo]                   # the registration form's fields, in order
    customers: Iterable[CustomerRecord]
    changes: Iterable[HistoryChange] | None
    added: Iterable[AddedRecord] = ()
    quarantined: int = 0
    overdue: int | None = None
    tally: dict[str, int] | None = None           # set by record_run

    def counts(self) -> dict[str, int]:
        if self.tally is not None:
            return dict(self.tally)
        changes = self.changes or ()
        new = (sum(1 for c in changes if c.kind == NEW) if self.changes is not None
               else len(self.customers))
        return {
            "customers": len(self.customers), "new": new,
            "changed": len({c.customer_id for c in changes if c.kind == CHANGED}),
            "absent": sum(1 for c in changes if c.kind == ABSENT),
            "kept": sum(1 for c in changes if c.kind == KEPT),
            "visits": sum(1 for a in self.added if a.kind == VISIT),
            "complaints": sum(1 for a in self.added if a.kind == COMPLAINT),
        }
