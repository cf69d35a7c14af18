"""Weekly customer visit plans (客户拜访计划) from the master archive (``workbook-tools plan``)."""

from workbook_tools.plan.build import PlanResult, build_plans
from workbook_tools.plan.calendar import PlanWeek, WeekError, parse_week, plan_week
from workbook_tools.plan.schedule import PlanItem

__all__ = ["PlanItem", "PlanResult", "PlanWeek", "WeekError", "build_plans", "parse_week", "plan_week"]
