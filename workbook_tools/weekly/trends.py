"""Trends across weeks for the weekly report: one :class:`WeekTrend` per week (from the history
store's weekly totals), drawn as two inline SVG charts over the last 12 weeks — 客户总数 as a
line, 新增 / 逾期未跟进 / 待修正 as grouped bars."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from workbook_tools.weekly.svg import Series, column_chart, line_chart

TREND_WEEKS = 12
NO_HISTORY = "尚无历史记录，历史库建立后显示近 12 周趋势"


@dataclass(frozen=True)
class WeekTrend:
    week: str  # "2026-W47"
    customers: int
    new: int
    changed: int
    absent: int
    overdue: int
    quarantined: int


def last_weeks(trends: Sequence[WeekTrend], n: int = TREND_WEEKS) -> list[WeekTrend]:
    """The last ``n`` weeks, oldest first (one entry per week: a repeated week keeps its last entry)."""
    by_week = {t.week: t for t in trends}
    return [by_week[w] for w in sorted(by_week)[-n:]]


def short_week(week: str) -> str:
    """'2026-W47' → 'W47' (the axis label; the year is in the tooltip and the table)."""
    return week.rsplit("-", 1)[-1]


def trend_charts(trends: Sequence[WeekTrend]) -> list[tuple[str, str]]:
    """(title, svg) of the trend charts; [] when there is no history."""
    weeks = last_weeks(trends)
    if not weeks:
        return []
    labels = [short_week(t.week) for t in weeks]
    span = f"{weeks[0].week} 至 {weeks[-1].week}"
    customers = line_chart(f"客户总数（{span}）", labels, [Series("客户总数", tuple(t.customers for t in weeks))])
    flows = column_chart(f"每周新增、逾期与待修正（{span}）", labels, [
        Series("新增客户", tuple(t.new for t in weeks)),
        Series("逾期未跟进", tuple(t.overdue for t in weeks)),
        Series("待修正行", tuple(t.quarantined for t in weeks)),
    ])
    return [(f"客户总数（{span}）", customers), (f"每周新增、逾期与待修正（{span}）", flows)]


__all__ = ["NO_HISTORY", "TREND_WEEKS", "WeekTrend", "last_weeks", "trend_charts"]
