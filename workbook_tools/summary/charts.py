"""Native Excel charts (XlsxWriter) over tables already placed on a sheet."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from workbook_tools.summary.tables import Chart, SummarySheet, Table

if TYPE_CHECKING:  # pragma: no cover
    from workbook_tools.summary.printing import ChartSpot
    from workbook_tools.summary.writer import Placement

CHART_WIDTH = 560
CHART_HEIGHT = 320
BAR_PX_PER_CATEGORY = 22


def chart_sizes(book, sheet: SummarySheet, places: dict[str, "Placement"]) -> list:
    """(chart, (width, height) px) per chart spec of ``sheet``; (None, None) when there is nothing to draw."""
    out = []
    for spec in sheet.charts:
        table = sheet.table(spec.table)
        chart = build_chart(book, sheet.name, spec, table, places[spec.table])
        out.append((chart, None if chart is None else (CHART_WIDTH, _height(spec, table))))
    return out


def add_charts(ws, charts: list, spots: list["ChartSpot"]) -> None:
    """Insert the drawn charts at their planned spots (printing.plan_print), sized to them."""
    for chart, spot in zip((c for c, _ in charts if c is not None), spots):
        chart.set_size({"width": spot.width_px, "height": spot.height_px})
        ws.insert_chart(spot.row, spot.col, chart, {"object_position": 1})


def charted_rows(spec: Chart, table: Table) -> int:
    """How many data rows a chart covers: spec.rows, else every row but the 合计 row."""
    available = len(table.frame) - (1 if table.total_row else 0)
    return max(0, min(spec.rows, available) if spec.rows is not None else available)


def build_chart(book, sheet_name: str, spec: Chart, table: Table, place: "Placement"):
    """An XlsxWriter chart with one series per value column, or None when there is nothing to draw."""
    n = charted_rows(spec, table)
    drawn = shown_series(spec, table)
    if n == 0 or not drawn:
        return None
    chart = book.add_chart({"type": spec.kind})
    columns = list(table.frame.columns)
    first, last = place.first_data_row, place.first_data_row + n - 1
    cat_col = place.first_col + columns.index(spec.categories)
    for name in drawn:
        col = place.first_col + columns.index(name)
        series = {
            "name": [sheet_name, place.header_row, col],
            "categories": [sheet_name, first, cat_col, last, cat_col],
            "values": [sheet_name, first, col, last, col],
        }
        if spec.kind == "pie":
            series["data_labels"] = {"percentage": True, "category": True, "leader_lines": True}
        chart.add_series(series)
    _decorate(chart, spec, len(drawn))
    if spec.kind == "bar":
        _room_for_labels(chart, spec, table)
    return chart


def shown_series(spec: Chart, table: Table) -> list[str]:
    """The value columns worth a series: those with a non-zero value in the charted rows. A region
    without customers stays in the table (as 0) but adds no empty series to the legend."""
    rows = table.frame.iloc[:charted_rows(spec, table)]
    return [name for name in spec.values
            if pd.to_numeric(rows[name], errors="coerce").fillna(0).abs().sum() > 0]


def _room_for_labels(chart, spec: Chart, table: Table) -> None:
    """A horizontal bar chart shows every category's full name: the plot area starts right of
    the longest label (CJK counted double, ~6 px a unit at 9 pt), every label drawn."""
    labels = table.frame[spec.categories].iloc[:charted_rows(spec, table)].astype(str)
    units = max((sum(2 if ord(ch) > 0x2E7F else 1 for ch in text) for text in labels), default=0)
    left = min(0.5, (units * 6 + 24) / CHART_WIDTH)
    height = _height(spec, table)
    top, bottom = 50 / height, 56 / height    # the title above, the value axis below
    chart.set_plotarea({"layout": {"x": left, "y": top, "width": 0.97 - left, "height": 1 - top - bottom}})


def _decorate(chart, spec: Chart, series: int) -> None:
    chart.set_title({"name": spec.title})
    if spec.kind == "pie":
        chart.set_legend({"position": "right"})
        return
    chart.set_legend({"position": "bottom"} if series > 1 else {"none": True})
    if spec.kind == "bar":  # horizontal: x is the value axis, y the category axis (top to bottom)
        chart.set_x_axis({"name": spec.y_title, "major_gridlines": {"visible": True}})
        chart.set_y_axis({"name": spec.x_title, "reverse": True, "crossing": "max", "interval_unit": 1,
                          "num_font": {"size": 9}})
    else:
        chart.set_x_axis({"name": spec.x_title})
        chart.set_y_axis({"name": spec.y_title, "major_gridlines": {"visible": True}, "num_format": "#,##0"})


def _height(spec: Chart, table: Table) -> int:
    if spec.kind == "bar":
        return max(CHART_HEIGHT, 80 + BAR_PX_PER_CATEGORY * charted_rows(spec, table))
    return CHART_HEIGHT
