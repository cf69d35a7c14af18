"""The weekly report's charts: the week's numbers taken from the merged master (the same
computations as the summary workbook) and drawn as inline SVG (weekly.svg).

Only counts and shares reach the report — never a customer's value — so nothing personal
(身份证号, 手机, 银行账号 …) can appear in it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from workbook_tools.schema.model import Schema
from workbook_tools.summary.classify import category_region_table
from workbook_tools.summary.followup import followup_status
from workbook_tools.summary.load import MasterData
from workbook_tools.summary.quality import COMPLETE, COUNT, STALE_SHARE, quality_table
from workbook_tools.summary.tables import TOTAL, labelled
from workbook_tools.weekly.svg import Series, hbar_chart


@dataclass
class WeekFigures:
    """Plain numbers for the charts (computed once, while the master is loaded)."""

    categories: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    by_category_region: list[list[int]] = field(default_factory=list)  # [category][region]
    overdue_by_owner: list[tuple[str, int]] = field(default_factory=list)  # most overdue first
    quality: list[tuple[str, int, float, float]] = field(default_factory=list)  # region, customers, complete, stale


def week_figures(data: MasterData, schema: Schema, as_of: dt.date) -> WeekFigures:
    """The chart numbers of a loaded master (load_master with summary_fields)."""
    customers = data.customers
    grid = category_region_table(customers, schema).frame
    grid = grid[grid.iloc[:, 0] != TOTAL]
    regions = [c for c in grid.columns[1:] if c != TOTAL and grid[c].sum() > 0]
    status = followup_status(customers, data.visits, as_of, schema.settings.get("contact_cycles") or {})
    owners = labelled(customers["owner"])[status["since"] > status["cycle"]].value_counts()
    overdue = sorted(((str(k), int(v)) for k, v in owners.items()), key=lambda kv: (-kv[1], kv[0]))
    quality = quality_table(data, schema, as_of, "region").frame
    quality = quality[(quality.iloc[:, 0] != TOTAL) & (quality[COUNT] > 0)]
    return WeekFigures(
        categories=[str(c) for c in grid.iloc[:, 0]], regions=[str(r) for r in regions],
        by_category_region=[[int(v) for v in row] for row in grid[regions].to_numpy()],
        overdue_by_owner=overdue,
        quality=[(str(r[0]), int(r[1]), float(r[2]), float(r[3]))
                 for r in quality[[quality.columns[0], COUNT, COMPLETE, STALE_SHARE]].itertuples(index=False)],
    )


def week_charts(figures: WeekFigures, counts: dict) -> list[tuple[str, str]]:
    """(title, svg) of the week's charts, in report order."""
    charts: list[tuple[str, list[str], list[Series], dict]] = []
    if figures.regions:
        charts.append(("各区域客户数（按客户类别）", figures.regions, [
            Series(c, tuple(float(v) for v in figures.by_category_region[i])) for i, c in enumerate(figures.categories)
        ], {"stacked": True}))
    moves = {"本周新增": counts.get("new", 0), "信息有变更": counts.get("changed", 0), "本周未出现": counts.get("absent", 0)}
    charts.append(("本周客户变动", list(moves), [Series("客户数", tuple(map(float, moves.values())))], {}))
    if figures.overdue_by_owner:
        names, overdue = zip(*figures.overdue_by_owner)
        charts.append(("各负责业务员逾期未跟进客户数", list(names), [Series("逾期未跟进", tuple(map(float, overdue)))], {}))
    if figures.quality:
        charts.append(("各办事处档案质量", [q[0] for q in figures.quality], [
            Series("重要字段完整度", tuple(q[2] for q in figures.quality)),
            Series("超期未修订占比", tuple(q[3] for q in figures.quality)),
        ], {"percent": True}))
    return [(title, hbar_chart(title, labels, series, **options)) for title, labels, series, options in charts]


__all__ = ["WeekFigures", "week_charts", "week_figures"]
