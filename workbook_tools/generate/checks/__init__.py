"""Self-checking forms: formulas, conditional formats and data validation generated from the
schema and the finding catalogue, so Excel, WPS and LibreOffice flag a mistyped 身份证号,
信用代码 or a missing required field as it is typed, in validate's words."""

from workbook_tools.generate.checks.plan import CHECK_COLUMN, CHECK_SHEET, CheckPlan, build_plan
from workbook_tools.generate.checks.sheet import write_checks

__all__ = ["CHECK_COLUMN", "CHECK_SHEET", "CheckPlan", "build_plan", "write_checks"]
