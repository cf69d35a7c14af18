"""Spread each salesperson's due customers over the week's working days.

1. Who gets a slot: per salesperson, the first ``len(workdays) × max_per_day`` customers in
   priority order (category, longest overdue, 客户编号); the rest go to 待安排 (本周拜访名额已满).
2. Which day: the chosen customers are taken overdue first (by category), then by due date,
   and fill the working days earliest first, at most ``max_per_day`` a day. So an overdue
   customer lands on the first working day with capacity and a customer due later in the week
   is visited no later than its due date whenever the earlier days have room.
Customers without 负责业务员, or without a computable due date, go to 待安排 with the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.plan.calendar import PlanWeek
from workbook_tools.schema.model import Schema

FULL = "本周拜访名额已满"
NO_OWNER = "未指定负责业务员"
NO_WORKDAY = "本周没有工作日（法定节假日）"
DEFAULT_METHOD = "电话回访"
METHOD_BY_CATEGORY = {"重要客户": "上门拜访"}
PLANNED_STATUS = "计划"
PENDING_COLUMNS = ["salesperson", "customer_id", "customer_name", "category", "due",
                   "overdue_days", "reason"]


@dataclass(frozen=True)
class PlanItem:
    """One planned visit (one row of a 客户拜访计划 sheet)."""

    plan_id: str          # P2026W48-张三-001
    salesperson: str
    date: dt.date
    customer_id: str
    customer_name: str
    category: str
    method: str
    purpose: str
    status: str
    due: dt.date


def check_max_per_day(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise WorkbookToolsError(f"每天最多拜访次数必须是正整数（如 6），收到的是“{value}”")
    return value


def purpose_text(planned: dt.date, due: dt.date) -> str:
    """“定期回访（逾期3天）” / “定期回访（到期）” / “定期回访（10月2日到期）”."""
    late = (planned - due).days
    if late > 0:
        return f"定期回访（逾期{late}天）"
    if late == 0:
        return "定期回访（到期）"
    return f"定期回访（{due.month}月{due.day}日到期）"


def _choice(schema: Schema, key: str, wanted: str) -> str:
    """``wanted`` if the visit-plan field offers it, else the field's first choice."""
    values = schema.form("visit-plan").field(key).choice_values
    return wanted if wanted in values or not values else values[0]


def method_for(schema: Schema, category: str) -> str:
    return _choice(schema, "method", METHOD_BY_CATEGORY.get(category, DEFAULT_METHOD))


def split_capacity(frame: pd.DataFrame, capacity: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(customers that get a slot, the rest with their 待安排 reason)."""
    no_owner = frame["owner"].eq("")
    plannable = ~no_owner & frame["reason"].eq("")
    blocked = frame[~plannable].copy()
    blocked.loc[no_owner[~plannable], "reason"] = NO_OWNER
    ordered = frame[plannable]          # already in priority order
    fits = ordered.groupby("owner", sort=False).cumcount() < capacity
    parts = [blocked, ordered[~fits].assign(reason=FULL if capacity else NO_WORKDAY)]
    rest = pd.concat([p for p in parts if len(p)]) if any(len(p) for p in parts) else blocked
    return ordered[fits], rest


def assign_days(rows: pd.DataFrame, week: PlanWeek, max_per_day: int, schema: Schema) -> list[PlanItem]:
    """One salesperson's chosen customers → plan items, earliest working day first."""
    first = pd.Timestamp(week.workdays[0])
    rows = rows.assign(start=rows["due"].clip(lower=first))
    rows = rows.sort_values(["start", "priority"])
    status = _choice(schema, "status", PLANNED_STATUS)
    items, width = [], max(3, len(str(len(rows))))
    for n, row in enumerate(rows.itertuples(index=False)):
        day, due = week.workdays[n // max_per_day], row.due.date()
        items.append(PlanItem(
            plan_id=f"P{week.compact}-{row.owner}-{n + 1:0{width}d}", salesperson=row.owner,
            date=day, customer_id=row.customer_id, customer_name=row.customer_name,
            category=row.category, method=method_for(schema, row.category),
            purpose=purpose_text(day, due), status=status, due=due,
        ))
    return items


def pending_frame(rest: pd.DataFrame) -> pd.DataFrame:
    """待安排 rows: by salesperson (none last), priority; ``due`` as dates, blanks as None."""
    out = rest.assign(no_owner=rest["owner"].eq(""))
    out = out.sort_values(["no_owner", "owner", "priority"])
    out = out.rename(columns={"owner": "salesperson"})[PENDING_COLUMNS].reset_index(drop=True)
    out["due"] = out["due"].dt.date.astype(object).where(out["due"].notna(), None)
    out["overdue_days"] = out["overdue_days"].astype("Int64")
    return out


def schedule(frame: pd.DataFrame, week: PlanWeek, max_per_day: int,
             schema: Schema) -> tuple[dict[str, list[PlanItem]], pd.DataFrame]:
    """Plans per salesperson (only those with visits) and the 待安排 frame."""
    capacity = len(week.workdays) * check_max_per_day(max_per_day)
    chosen, rest = split_capacity(frame, capacity)
    plans = {owner: assign_days(rows, week, max_per_day, schema)
             for owner, rows in chosen.groupby("owner", sort=True)}
    return plans, pending_frame(rest)
