"""The statistics periods of the sales sheets (业绩统计, 综合销售力, 对比分析).

A period is a calendar week (ISO, Monday–Sunday), month, quarter or year. 本期 runs from the
first day of the period holding the as-of date up to the as-of date (both included). The period
it is compared with covers the same days: ``compare="previous"`` (环比) the period before, from
its first day for as many days as 本期 has (cut at that period's last day: 本月 to 31 March
compares with February in full); ``compare="year"`` (同比) the same days one year earlier (for
weeks: 52 weeks earlier, so weekdays line up).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

KINDS = {"week": "周", "month": "月", "quarter": "季", "year": "年"}
COMPARES = {"previous": "上期", "year": "去年同期"}
DEFAULT_KIND, DEFAULT_COMPARE = "month", "previous"


@dataclass(frozen=True)
class Period:
    """An inclusive day range with a short label (2026-11, 2026-W47, 2026Q4, 2026年)."""

    start: dt.date
    end: dt.date
    label: str

    @property
    def days(self) -> str:
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"


@dataclass(frozen=True)
class Periods:
    """本期 and the period it is compared with; ``kind``/``compare`` as given."""

    kind: str
    compare: str
    current: Period
    previous: Period

    @property
    def unit(self) -> str:
        return KINDS[self.kind]

    @property
    def previous_name(self) -> str:
        return COMPARES[self.compare]

    def describe(self) -> str:
        """'按月统计，本期 2026-11-01 至 2026-11-20，上期 2026-10-01 至 2026-10-20'."""
        return (f"按{self.unit}统计：本期 {self.current.days}，{self.previous_name} {self.previous.days}")


def check(kind: str, compare: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"period must be one of {', '.join(KINDS)}, not {kind!r}")
    if compare not in COMPARES:
        raise ValueError(f"compare must be one of {', '.join(COMPARES)}, not {compare!r}")


def period_start(day: dt.date, kind: str) -> dt.date:
    """First day of the ``kind`` period holding ``day``."""
    if kind == "week":
        return day - dt.timedelta(days=day.weekday())
    if kind == "month":
        return day.replace(day=1)
    if kind == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return dt.date(day.year, 1, 1)


def period_end(start: dt.date, kind: str) -> dt.date:
    """Last day of the ``kind`` period starting on ``start``."""
    return _next_start(start, kind) - dt.timedelta(days=1)


def _next_start(start: dt.date, kind: str) -> dt.date:
    if kind == "week":
        return start + dt.timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[kind]
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _before(start: dt.date, kind: str) -> dt.date:
    """First day of the period before the one starting on ``start``."""
    return period_start(start - dt.timedelta(days=1), kind)


def label(start: dt.date, kind: str) -> str:
    if kind == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if kind == "month":
        return f"{start.year}-{start.month:02d}"
    if kind == "quarter":
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}年"


def _year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def periods(as_of: dt.date, kind: str = DEFAULT_KIND, compare: str = DEFAULT_COMPARE) -> Periods:
    """本期 (to ``as_of``) and its comparison period."""
    check(kind, compare)
    start = period_start(as_of, kind)
    current = Period(start, as_of, label(start, kind))
    if compare == "previous":
        first = _before(start, kind)
        last = min(first + (as_of - start), period_end(first, kind))
    elif kind == "week":
        first, last = start - dt.timedelta(weeks=52), as_of - dt.timedelta(weeks=52)
    else:
        first, last = _year_earlier(start), _year_earlier(as_of)
    return Periods(kind, compare, current, Period(first, last, label(first, kind)))


def recent(as_of: dt.date, kind: str, count: int) -> list[Period]:
    """The last ``count`` periods, oldest first: full periods, then 本期 up to ``as_of``."""
    start = period_start(as_of, kind)
    out = [Period(start, as_of, label(start, kind))]
    for _ in range(count - 1):
        start = _before(start, kind)
        out.append(Period(start, period_end(start, kind), label(start, kind)))
    return out[::-1]


__all__ = ["COMPARES", "DEFAULT_COMPARE", "DEFAULT_KIND", "KINDS", "Period", "Periods", "check", "label",
           "period_end", "period_start", "periods", "recent"]
