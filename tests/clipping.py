"""No clipped text: every shown cell of a saved workbook fits its column, or wraps.

``clipped(path)`` opens the workbook with openpyxl and lists each cell whose shown text is wider
than its column (merged cells: the merged columns' total width). Widths are in display cells, as
Excel's column width counts digits: rich.cells.cell_len, a Chinese character takes two. Numbers
and dates are measured by their formatted length, roughly (``yyyy-mm-dd`` is 10, a weekday adds
3 characters, ``#,##0.00`` adds separators and decimals).

A wrapped cell is cut when its rows are too low for its lines: Excel fits the height of a wrapped
cell's row by itself only when the row has no height of its own and the cell is not merged, so a
merged or fixed-height wrapped cell needs rows of about LINE_HEIGHT points per line.

Not clipping, and so not reported:
- a cell that wraps (or shrinks to fit), in a row Excel fits or that is high enough;
- a text cell whose right neighbour is empty: Excel and LibreOffice let text run on into an empty
  cell, which reads fine (numbers and dates never run on: too wide they show ``###``);
- formulas (their shown value is not in the file), hidden sheets, hidden columns and hidden rows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from rich.cells import cell_len

DEFAULT_WIDTH = 8.43
DEFAULT_HEIGHT = 15.0
LINE_HEIGHT = 14.0  # points per line of 11-point text (Excel: 14.25 to 15)


def column_widths(ws) -> dict[int, tuple[float, bool]]:
    """Column number → (width, hidden), expanding <col min max> ranges."""
    out = {}
    for dim in ws.column_dimensions.values():
        if dim.min is None:
            continue
        width = dim.width if dim.customWidth or dim.width else None
        for col in range(dim.min, (dim.max or dim.min) + 1):
            out[col] = (width or DEFAULT_WIDTH, bool(dim.hidden))
    return out


def shown_text(cell) -> str | None:
    """The text the cell shows, roughly; None for formulas and empty cells."""
    value, fmt = cell.value, cell.number_format or "General"
    if value is None or value == "" or cell.data_type == "f":
        return None
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        text = "2026-11-30" if "y" in fmt.lower() else ""
        if "aaa" in fmt:
            text += " 星期一"
        if "h" in fmt.lower():
            text += " 12:00:00" if "s" in fmt.lower() else " 12:00"
        return text.strip() or str(value)
    if isinstance(value, bool):
        return "TRUE"
    if isinstance(value, (int, float)):
        decimals = len(fmt.split(".")[1].rstrip("%);")) if "." in fmt and "0" in fmt else None
        text = f"{value:,.{decimals}f}" if decimals is not None and "," in fmt else (
            f"{value:.{decimals}f}" if decimals is not None else f"{value:g}" if isinstance(value, float)
            else str(value))
        return text + ("%" if fmt.endswith("%") else "")
    return str(value)


def clipped(path: Path, *, sheets: list[str] | None = None) -> list[str]:
    """One line per clipped cell: ``sheet!A1 宽 8 < 需 23：text``."""
    wb = openpyxl.load_workbook(path)
    problems = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible" or (sheets is not None and ws.title not in sheets):
            continue
        problems += _sheet(ws)
    return problems


def _sheet(ws) -> list[str]:
    widths = column_widths(ws)
    merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
    covered = {(row, col) for r in ws.merged_cells.ranges for row, col in _cells(r) if (row, col) != (r.min_row, r.min_col)}
    hidden_rows = {n for n, dim in ws.row_dimensions.items() if dim.hidden}
    problems = []
    for row in ws.iter_rows():
        for cell in row:
            if (cell.row, cell.column) in covered or cell.row in hidden_rows:
                continue
            text = shown_text(cell)
            if text is None or widths.get(cell.column, (0, False))[1]:
                continue
            span = merged.get((cell.row, cell.column))
            last = span.max_col if span else cell.column
            width = sum(widths.get(c, (DEFAULT_WIDTH, False))[0] for c in range(cell.column, last + 1))
            if cell.alignment.shrink_to_fit:
                continue
            if cell.alignment.wrap_text:
                problems += _too_low(ws, cell, span, width, text)
                continue
            need = max(cell_len(line) for line in text.split("\n"))
            if need <= width:
                continue
            if isinstance(cell.value, str) and _empty(ws, cell.row, last + 1):
                continue
            problems.append(f"{ws.title}!{cell.coordinate} 宽 {width:g} < 需 {need}：{text[:40]}")
    return problems


def _too_low(ws, cell, span, width: float, text: str) -> list[str]:
    """A wrapped cell whose rows Excel does not fit and that are lower than its lines need."""
    rows = range(cell.row, (span.max_row if span else cell.row) + 1)
    fixed = [ws.row_dimensions[r].height for r in rows if r in ws.row_dimensions]
    if not span and not any(fixed):
        return []
    height = sum((ws.row_dimensions[r].height if r in ws.row_dimensions else None) or DEFAULT_HEIGHT
                 for r in rows)
    usable = max(width - 1, 1)
    lines = sum(max(1, -(-cell_len(line) // int(usable))) for line in text.split("\n"))
    if height >= lines * LINE_HEIGHT:
        return []
    return [f"{ws.title}!{cell.coordinate} 折行 {lines} 行，行高 {height:g} 不够：{text[:40]}"]


def _cells(r):
    for row in range(r.min_row, r.max_row + 1):
        for col in range(r.min_col, r.max_col + 1):
            yield row, col


def _empty(ws, row: int, col: int) -> bool:
    value = ws._cells.get((row, col))
    return value is None or value.value is None or value.value == ""



