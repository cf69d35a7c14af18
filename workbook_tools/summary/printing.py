"""How every summary sheet prints: A4, orientation chosen per sheet, one page wide, header rows
repeated on the long lists, a page header with the sheet's title and week, a footer 第 n 页 / 共 m
页, charts anchored beside their own table inside the print area, and manual page breaks so that
no chart (and no table that fits on a page) is cut, and every 负责业务员 of a list starts a page.

The plan is computed in points from the column widths and chart sizes: the spreadsheet program
scales the sheet to the page width (fit to 1 page wide, pages tall left blank, so manual breaks
still apply), so a page holds ``usable height ÷ scale`` points of rows; breaks are planned with
10 % slack so that the program's own automatic breaks (its fonts differ slightly) never come
before ours. (An explicit percentage instead of "fit to" is no good: LibreOffice without the
workbook's font measures columns about 20 % wider and would spill the last column onto a page
of its own.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbook_tools.summary.tables import SummarySheet

if TYPE_CHECKING:  # pragma: no cover
    from workbook_tools.summary.writer import Placement

PAPER_A4 = 9  # XlsxWriter/Excel paper code
A4_INCHES = (8.27, 11.69)
MARGIN_SIDE, MARGIN_TOP, MARGIN_HEADER = 0.4, 0.6, 0.25  # inches (bottom = top, footer = header)
ROW_PT = 15.0  # default row height
DEFAULT_COL_PX = 64  # an unset column (8.43 characters)
MIN_PORTRAIT_SCALE = 0.75  # narrower than this in portrait → landscape
SLACK = 0.9
CHART_GAP_ROWS = 1
MAX_BREAKS = 1023  # Excel's limit of manual row breaks per sheet
FOOTER = "&C第 &P 页 / 共 &N 页"


@dataclass(frozen=True)
class ChartSpot:
    """Where a chart goes (0-based anchor cell) and the rows/columns it covers."""

    row: int
    col: int
    width_px: int
    height_px: int

    @property
    def last_row(self) -> int:
        return self.row + math.ceil(self.height_px * 0.75 / ROW_PT) - 1


@dataclass
class PrintPlan:
    landscape: bool
    areas: list[tuple[int, int, int, int]]  # print ranges (first_row, first_col, last_row, last_col)
    breaks: list[int]  # 0-based first row of every manually started page
    repeat_rows: tuple[int, int] | None
    header: str
    scale: float  # the estimated fit-to-width scale the breaks were planned with
    charts: list[ChartSpot] = field(default_factory=list)  # one per chart spec drawn, in order
    footer: str = FOOTER


def column_px(width: float | None) -> int:
    """Pixel width of a column ``width`` characters wide (Excel's conversion, 7-px digits)."""
    return DEFAULT_COL_PX if width is None else int(width * 7 + 0.5) + 5


def usable_points(landscape: bool) -> tuple[float, float]:
    """Printable width and height of an A4 page in points."""
    w, h = A4_INCHES[::-1] if landscape else A4_INCHES
    return (w - 2 * MARGIN_SIDE) * 72, (h - 2 * MARGIN_TOP) * 72


def page_header(title: str, period: str) -> str:
    esc = lambda s: s.replace("&", "&&")  # noqa: E731 - '&' starts a header code
    return f"&L{esc(title)}&C客户档案汇总&R{esc(period)}"


def plan_print(sheet: SummarySheet, places: dict[str, "Placement"], widths: dict[int, float],
               chart_sizes: list[tuple[int, int] | None], period: str,
               heights: dict[int, float] | None = None) -> PrintPlan:
    """The print plan of one sheet; ``chart_sizes`` (px, None = not drawn) follow ``sheet.charts``;
    ``heights``: rows (0-based) taller than the default, in points."""
    last_col = max((p.first_col + p.n_cols - 1 for p in places.values()), default=0)
    spots = _chart_spots(sheet, places, chart_sizes, last_col + 2)
    right = max([last_col, *(_chart_last_col(s, widths) for s in spots)])
    if sheet.charts or len(sheet.stacks) < 2:
        spans = [(0, right)]
    else:  # side-by-side lists: each stack prints as its own range, one page wide
        spans = [_stack_columns(stack, places) for stack in sheet.stacks]
    landscape, scale, capacity = page_fit(max(_width_pt(widths, a, b) for a, b in spans))
    bottom = max([_last_row(sheet, places), *(s.last_row for s in spots)])
    if len(spans) == 1:
        areas = [(0, spans[0][0], bottom, spans[0][1])]
    else:
        areas = [(0, a, max(_table_rows(places[t.key])[1] for t in stack), b)
                 for (a, b), stack in zip(spans, sheet.stacks)]
    repeat = None
    if sheet.freeze_header and sheet.stacks and sheet.stacks[0]:
        repeat = (0, places[sheet.stacks[0][0].key].header_row)
    if sheet.print_group:
        breaks = group_breaks(sheet, places)
    else:
        tops = row_tops(bottom + 1, heights or {})
        breaks = paginate(_keep_together(sheet, places, spots), tops, capacity, spots)
    return PrintPlan(landscape, areas, breaks[:MAX_BREAKS], repeat, page_header(sheet.title, period),
                     scale, spots)


def page_fit(content_pt: float) -> tuple[bool, float, float]:
    """Orientation (landscape?), fit-to-width scale and the points of rows a page holds (with
    slack) for content ``content_pt`` points wide: portrait unless it would shrink below 75 %."""
    landscape = content_pt * MIN_PORTRAIT_SCALE > usable_points(False)[0]
    page_w, page_h = usable_points(landscape)
    scale = min(1.0, page_w / content_pt) if content_pt > 0 else 1.0
    return landscape, scale, page_h / scale * SLACK


def _width_pt(widths: dict[int, float], first: int, last: int) -> float:
    return sum(column_px(widths.get(c)) for c in range(first, last + 1)) * 0.75


def _chart_spots(sheet: SummarySheet, places, sizes, col: int) -> list[ChartSpot]:
    """Each drawn chart (in ``sheet.charts`` order) beside its own table, anchored at the table's
    caption row, moved below the chart above it when they would overlap."""
    drawn = [(places[spec.table].header_row - 1, i, size)
             for i, (spec, size) in enumerate(zip(sheet.charts, sizes)) if size is not None]
    spots, next_free = {}, 0
    for row, i, size in sorted(drawn):
        spots[i] = ChartSpot(max(row, next_free), col, *size)
        next_free = spots[i].last_row + 1 + CHART_GAP_ROWS
    return [spots[i] for i in sorted(spots)]


def _chart_last_col(spot: ChartSpot, widths: dict[int, float]) -> int:
    col, covered = spot.col, column_px(widths.get(spot.col))
    while covered < spot.width_px:
        col += 1
        covered += column_px(widths.get(col))
    return col


def _table_rows(place: "Placement") -> tuple[int, int]:
    """First (caption) and last row of a table; an empty table has its （无） row."""
    return place.header_row - 1, place.header_row + max(place.n_rows, 1)


def _last_row(sheet: SummarySheet, places) -> int:
    return max((_table_rows(places[t.key])[1] for t in sheet.tables()), default=0)


def _stack_columns(stack, places) -> tuple[int, int]:
    return (min(places[t.key].first_col for t in stack),
            max(places[t.key].first_col + places[t.key].n_cols - 1 for t in stack))


def _keep_together(sheet: SummarySheet, places, spots: list[ChartSpot]) -> list[tuple[int, int]]:
    """Row intervals that should not be split: every table, every chart; overlapping ones merged."""
    spans = sorted([_table_rows(places[t.key]) for t in sheet.tables()] + [(s.row, s.last_row) for s in spots])
    merged: list[list[int]] = []
    for first, last in spans:
        if merged and first <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return [(a, b) for a, b in merged]


def row_tops(n_rows: int, heights: dict[int, float]) -> list[float]:
    """Top of every row 0..n_rows (the last entry is the bottom of row n_rows - 1), in points."""
    tops = [0.0]
    for row in range(n_rows):
        tops.append(tops[-1] + heights.get(row, ROW_PT))
    return tops


def paginate(blocks: list[tuple[int, int]], tops: list[float], capacity: float,
             spots: list[ChartSpot]) -> list[int]:
    """Greedy page breaks: a block (first, last row) that does not fit on the current page starts a
    new one; a block taller than a page is split where a page fills up, never inside a chart."""
    breaks, start, bottom = [], 0, len(tops) - 2
    height = lambda a, b: tops[min(b, bottom) + 1] - tops[a]  # noqa: E731 - rows a..b
    for first, last in blocks:
        if height(start, last) > capacity and first > start:
            breaks.append(first)
            start = first
        while height(start, last) > capacity:
            cut = start + 1
            while cut <= bottom and height(start, cut) <= capacity:
                cut += 1  # the first row that no longer fits
            while cut > start + 1 and any(s.row < cut <= s.last_row for s in spots):
                cut -= 1
            if cut <= start + 1:
                break  # a chart taller than a page: nothing better to do
            breaks.append(cut)
            start = cut
    return [b for b in breaks if 0 < b <= bottom]


def group_breaks(sheet: SummarySheet, places) -> list[int]:
    """A page break before every new value of ``sheet.print_group`` in the sheet's first table."""
    table = sheet.stacks[0][0]
    place = places[table.key]
    values = table.frame[sheet.print_group]
    if table.total_row:
        values = values.iloc[:-1]
    changed = values.ne(values.shift()).to_numpy(copy=True)
    changed[:1] = False
    return [place.first_data_row + int(i) for i in changed.nonzero()[0]]


def apply_plan(ws, plan: PrintPlan) -> None:
    """Write ``plan`` into an XlsxWriter worksheet (charts are inserted by the caller)."""
    ws.set_paper(PAPER_A4)
    ws.set_landscape() if plan.landscape else ws.set_portrait()
    ws.set_margins(left=MARGIN_SIDE, right=MARGIN_SIDE, top=MARGIN_TOP, bottom=MARGIN_TOP)
    ws.set_header(plan.header, {"margin": MARGIN_HEADER})
    ws.set_footer(plan.footer, {"margin": MARGIN_HEADER})
    ws.fit_to_pages(1, 0)
    first, *others = plan.areas
    ws.print_area(*first)
    for area in others:  # XlsxWriter takes one range; Excel's Print_Area name takes a list
        ws.print_area_range += "," + ws._convert_name_area(*area)
    if plan.repeat_rows:
        ws.repeat_rows(*plan.repeat_rows)
    if plan.breaks:
        ws.set_h_pagebreaks(plan.breaks)


__all__ = ["ChartSpot", "PrintPlan", "apply_plan", "column_px", "group_breaks", "paginate", "plan_print",
           "row_tops", "usable_points"]
