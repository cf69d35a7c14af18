"""Plan week parsing and working days (chinese_calendar, fallback, extra days)."""

import datetime as dt

import pytest

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.plan.calendar import WeekError, day_text, parse_week, plan_week

D = dt.date


def test_parse_iso_week():
    label, days = parse_week("2026-W48")
    assert label == "2026-W48"
    assert days[0] == D(2026, 11, 23) and days[-1] == D(2026, 11, 29) and len(days) == 7
    assert parse_week("2026w9")[0] == "2026-W09"
    assert parse_week(D(2026, 10, 1))[0] == "2026-W40"


@pytest.mark.parametrize("text", ["2026-48", "W48", "2026-W", "下周", "", None])
def test_bad_week_text_is_chinese_error(text):
    with pytest.raises(WeekError) as info:
        parse_week(text)
    assert isinstance(info.value, WorkbookToolsError) and isinstance(info.value, ValueError)
    assert "无法识别的周次" in str(info.value) and "2026-W48" in str(info.value)


def test_week_that_does_not_exist():
    with pytest.raises(WeekError, match="2026 年没有第 60 周"):
        parse_week("2026-W60")


def test_national_day_week_2026():
    week = plan_week("2026-W40")
    assert week.days[0] == D(2026, 9, 28) and week.end == D(2026, 10, 4)
    # 10-01..10-04 are National Day holidays; no adjusted working day falls in this week
    assert week.workdays == (D(2026, 9, 28), D(2026, 9, 29), D(2026, 9, 30))
    assert week.warnings == ()
    assert week.compact == "2026W40"


def test_adjusted_working_saturday_is_a_workday():
    # 2026-10-10 (Saturday) is an adjusted working day after the National Day holiday
    week = plan_week("2026-W41")
    assert week.workdays == (D(2026, 10, 8), D(2026, 10, 9), D(2026, 10, 10))


def test_uncovered_year_falls_back_to_monday_to_friday_with_warning():
    week = plan_week("2027-W10")
    assert week.workdays == tuple(D(2027, 3, d) for d in range(8, 13))
    assert len(week.warnings) == 1
    text = week.warnings[0]
    assert "尚未包含 2027 年" in text and "周一至周五" in text and "archive.yaml" in text


def test_fallback_keeps_fixed_statutory_holidays_off():
    week = plan_week("2027-W18")   # 2027-05-03 .. 05-09; fallback still rests on 5-1/5-2 only
    assert D(2027, 5, 3) in week.workdays
    week = plan_week("2027-W39")   # 2027-09-27 .. 10-03: 10-01 (Friday) is National Day
    assert week.workdays == (D(2027, 9, 27), D(2027, 9, 28), D(2027, 9, 29), D(2027, 9, 30))


def test_extra_holidays_and_workdays():
    week = plan_week("2026-W40", extra_holidays=["2026-09-29"], extra_workdays=[D(2026, 10, 4)])
    assert week.workdays == (D(2026, 9, 28), D(2026, 9, 30), D(2026, 10, 4))
    week = plan_week("2027-W10", extra_holidays=[dt.datetime(2027, 3, 8, 9, 30)])
    assert week.workdays[0] == D(2027, 3, 9)


def test_bad_extra_dates():
    with pytest.raises(WeekError, match="额外节假日中的“国庆”不是日期"):
        plan_week("2026-W40", extra_holidays=["国庆"])
    with pytest.raises(WeekError, match="同时被设为节假日和调休上班日"):
        plan_week("2026-W40", extra_holidays=["2026-09-29"], extra_workdays=["2026-09-29"])


def test_day_text():
    assert day_text(D(2026, 9, 28)) == "9月28日（周一）"
