"""The weekly HTML report (jinja2): key figures, the week's charts and the 12-week trend as
inline SVG, each office's submission, the reconciliation and relative links to every output.
One self-contained file: no script, no external style sheet, font or image."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from workbook_tools import __version__
from workbook_tools.resources import template_path
from workbook_tools.weekly.trends import NO_HISTORY, last_weeks, trend_charts

TEMPLATE = "weekly_report.html.j2"
WEEK_TAG = re.compile(r"(\d{4})\s*-?\s*W(\d{1,2})(?!\d)", re.IGNORECASE)


@dataclass
class OfficeStatus:
    region: str
    files: list[str] = field(default_factory=list)
    rows: int = 0
    errors: int = 0
    warnings: int = 0
    annotated: list[str] = field(default_factory=list)  # links relative to the report
    week: str = ""  # the week being reported ("2026-W47")

    @property
    def other_weeks(self) -> list[str]:
        """Weeks named in the office's file names that are not this week (a resent old file)."""
        tags = {f"{y}-W{int(w):02d}" for name in self.files for y, w in WEEK_TAG.findall(name)}
        return sorted(tags - {self.week}) if self.week else []

    @property
    def status(self) -> str:
        """按时提交 / 未提交 / 文件周次不符（…）."""
        if not self.files:
            return "未提交"
        if self.other_weeks:
            return f"文件周次不符（文件名为 {'、'.join(self.other_weeks)}）"
        return "按时提交"

    @property
    def on_time(self) -> bool:
        return bool(self.files) and not self.other_weeks


def relative_link(target: Path, report: Path) -> str:
    return Path(os.path.relpath(target, report.parent)).as_posix()


def render_report(context: dict) -> str:
    """The report's HTML for ``context`` (see the template for the keys); ``context["trends"]`` is
    a list of :class:`~workbook_tools.weekly.trends.WeekTrend` (empty: no history yet)."""
    folder = template_path(TEMPLATE).parent
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(["html", "j2"]),
                      keep_trailing_newline=True)
    trends = list(context.get("trends") or [])
    return env.get_template(TEMPLATE).render(
        generator=f"workbook-tools {__version__}", **context, trend_charts=trend_charts(trends),
        trend_rows=last_weeks(trends), no_history=NO_HISTORY)
