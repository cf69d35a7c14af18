"""The weekly pipeline: validate → annotate → merge → summary → plans → report."""

from workbook_tools.weekly.config import CONFIG_NAME, KEYS, WeeklyConfig, load_config
from workbook_tools.weekly.run import WeeklyResult, find_previous, iso_week, run_weekly

__all__ = ["CONFIG_NAME", "KEYS", "WeeklyConfig", "WeeklyResult", "find_previous", "iso_week",
           "load_config", "run_weekly"]
