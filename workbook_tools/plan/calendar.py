"""The plan week: ISO week text → Monday..Sunday, and which of those days are working days.

Working days follow the Chinese public-holiday calendar (``chinese_calendar``), including
adjusted working Saturdays/Sundays (调休上班). The package only covers the years it was
released for; a week in an uncovered year falls back to Monday–Friday with a warning.
Holidays and adjusted working days given by the caller (from archive.yaml) win over both.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterable

import chinese_calendar

from workbook_tools.errors import WorkbookToolsError

_WEEK = re.compile(r"^\s*(\d{4})\s*-?\s*[Ww]\s*(\d{1,2})\s*$")
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
# Statutory holidays fixed on the Gregorian calendar (全国年节及纪念日放假办法, 2025 revision):
# 元旦 1 Jan, 劳动节 1–2 May, 国庆节 1–3 Oct. Kept off even when falling back to Monday–Friday.
FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


class WeekError(WorkbookToolsError, ValueError):
    """A week text that is not an ISO week such as 2026-W48, or a bad extra date."""


@dataclass(frozen=True)
class PlanWeek:
    label: str                      # "2026-W48"
    days: tuple[dt.date, ...]       # Monday..Sunday
    workdays: tuple[dt.date, ...]   # the days visits may be planned on, ascending
    warnings: tuple[str, ...] = ()

    @property
    def start(self) -> dt.date:
        return self.days[0]

    @property
    def end(self) -> dt.date:
        return self.days[-1]

    @property
    def compact(self) -> str:
        """"2026W48", as used in plan IDs."""
        return self.label.replace("-", "")

    def span_text(self) -> str:
        return f"{self.label}（{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}）"


def parse_week(text: str | dt.date) -> tuple[str, tuple[dt.date, ...]]:
    """``"2026-W48"`` → ("2026-W48", Monday..Sunday). A date means the ISO week containing it."""
    if isinstance(text, dt.date):
        year, week, _ = text.isocalendar()
    else:
        match = _WEEK.match(str(text or ""))
        if not match:
            raise WeekError(f"无法识别的周次“{text}”：请按 ISO 周次填写，如 2026-W48（2026 年第 48 周）")
        year, week = int(match[1]), int(match[2])
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise WeekError(f"周次“{text}”不存在：{year} 年没有第 {week} 周，请填写 1 到 52（或 53）之间的周数") from None
    return f"{year}-W{week:02d}", tuple(monday + dt.timedelta(days=i) for i in range(7))


def to_dates(values: Iterable, what: str) -> frozenset[dt.date]:
    """Dates given as date objects or "2026-10-08" text; anything else is a WeekError."""
    out = set()
    for value in values or ():
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            try:
                value = dt.date.fromisoformat(str(value).strip())
            except ValueError:
                raise WeekError(f"{what}中的“{value}”不是日期，请写成 2026-10-08 这样的格式") from None
        out.add(value)
    return frozenset(out)


def _official_workday(day: dt.date) -> bool | None:
    """chinese_calendar's answer, or None when it has no data for the year."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def fallback_warning(years: Iterable[int], label: str) -> str:
    years_text = "、".join(str(y) for y in sorted(years))
    return (f"节假日数据（chinesecalendar）尚未包含 {years_text} 年，{label} 暂按周一至周五安排工作日"
            "（已排除元旦、劳动节、国庆节的固定假日，未考虑春节等其他节假日和调休）；如本周有放假或调休上班，请在 archive.yaml 中补充节假日/调休日期后重新生成")


def plan_week(week: str | dt.date, extra_holidays: Iterable = (),
              extra_workdays: Iterable = ()) -> PlanWeek:
    """The week's days and working days (see the module docstring for the rules)."""
    label, days = parse_week(week)
    holidays = to_dates(extra_holidays, "额外节假日")
    workdays_extra = to_dates(extra_workdays, "调休上班日")
    both = holidays & workdays_extra
    if both:
        same = "、".join(f"{d:%Y-%m-%d}" for d in sorted(both))
        raise WeekError(f"{same} 同时被设为节假日和调休上班日，请在 archive.yaml 中删去其中一项")
    workdays, uncovered = [], set()
    for day in days:
        official = _official_workday(day)
        if official is None:
            uncovered.add(day.year)
            official = day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS
        if day in holidays:
            official = False
        elif day in workdays_extra:
            official = True
        if official:
            workdays.append(day)
    warnings = (fallback_warning(uncovered, label),) if uncovered else ()
    return PlanWeek(label, days, tuple(workdays), warnings)


def day_text(day: dt.date) -> str:
    """"9月28日（周一）"."""
    return f"{day.month}月{day.day}日（{WEEKDAY_NAMES[day.weekday()]}）"
