"""The weekly HTML report (jinja2): key figures, reconciliation, offices whose files had
errors, and relative links to every output."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from workbook_tools import __version__
from workbook_tools.resources import template_path

TEMPLATE = "weekly_report.html.j2"


@dataclass
class OfficeStatus:
    region: str
    files: list[str] = field(default_factory=list)
    rows: int = 0
    errors: int = 0
    warnings: int = 0
    annotated: list[str] = field(default_factory=list)  # links relative to the report


def relative_link(target: Path, report: Path) -> str:
    return Path(os.path.relpath(target, report.parent)).as_posix()


def render_report(context: dict) -> str:
    """The report's HTML for ``context`` (see the template for the keys)."""
    folder = template_path(TEMPLATE).parent
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(["html", "j2"]),
                      keep_trailing_newline=True)
    return env.get_template(TEMPLATE).render(generator=f"workbook-tools {__version__}", **context)
