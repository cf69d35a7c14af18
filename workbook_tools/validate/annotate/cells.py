"""A worksheet's cells restyled in its XML text (helper of ``annotate.package``): the marked
cells get a new ``s``; cells and rows that do not exist yet are created in order."""

from __future__ import annotations

import bisect
import re

from openpyxl.utils.cell import get_column_letter

from workbook_tools.validate.annotate.parts import Unsupported, attrs, parse_ref, set_attr

_CELL = re.compile(r"<c\b([^>]*?)(/>|>(.*?)</c>)", re.S)
_NUMBERED_ROW = re.compile(r'<row\b(?=[^>]*?\sr="(\d+)")([^>]*?)(/>|>(.*?)</row>)', re.S)
_COL = re.compile(r"<col\b[^>]*/>")


def column_styles(sheet: str) -> dict[int, int]:
    """Column index → its ``<col style>`` (the format of empty cells in the column)."""
    out: dict[int, int] = {}
    for tag in _COL.findall(sheet):
        a = attrs(tag)
        if "style" in a:
            for col in range(int(a.get("min", 0)), int(a.get("max", 0)) + 1):
                out[col] = int(a["style"])
    return out


def restyle_cells(sheet: str, styles: dict[tuple[int, int], object], new_style) -> str:
    """``sheet`` with the cells ``styles`` keys name ((row, column) → a key passed on) given
    ``new_style(base xf, key)``; missing cells and rows are created in order."""
    start, end, empty = _sheet_data(sheet)
    body = "" if empty else sheet[start:end]
    cols = column_styles(sheet)
    rows = [(int(m[1]), m) for m in _NUMBERED_ROW.finditer(body)]
    if len(rows) != body.count("<row"):
        raise Unsupported("row without r")
    numbers = [r for r, _ in rows]
    by_row: dict[int, dict[int, object]] = {}
    for (row, col), key in styles.items():
        by_row.setdefault(row, {})[col] = key
    edits: list[tuple[int, int, str]] = []
    for row, cells in sorted(by_row.items()):  # in order: new rows at one place stay sorted
        i = bisect.bisect_left(numbers, row)
        if i < len(numbers) and numbers[i] == row:
            match = rows[i][1]
            edits.append((match.start(), match.end(), _restyle_row(match, row, cells, cols, new_style)))
        else:
            at = rows[i][1].start() if i < len(rows) else len(body)
            new = "".join(_new_cell(row, col, cells[col], cols.get(col, 0), new_style) for col in sorted(cells))
            edits.append((at, at, f'<row r="{row}">{new}</row>'))
    body = apply_edits(body, edits)
    if empty:
        return sheet[:start] + "<sheetData>" + body + "</sheetData>" + sheet[end:]
    return sheet[:start] + body + sheet[end:]


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with each (start, end, new) span replaced; spans do not overlap."""
    pieces, at = [], 0
    for a, b, new in sorted(edits, key=lambda e: (e[0], e[1])):
        pieces += [text[at:a], new]
        at = b
    pieces.append(text[at:])
    return "".join(pieces)


def _sheet_data(sheet: str) -> tuple[int, int, bool]:
    """(start, end, empty): the text inside <sheetData>…</sheetData>, or the span of <sheetData/>."""
    empty = sheet.find("<sheetData/>")
    if empty >= 0:
        return empty, empty + len("<sheetData/>"), True
    open_at = sheet.find("<sheetData>")
    close_at = sheet.find("</sheetData>")
    if open_at < 0 or close_at < 0:
        raise Unsupported("sheetData")
    return open_at + len("<sheetData>"), close_at, False


def _restyle_row(match, row: int, cells: dict[int, object], cols: dict[int, int], new_style) -> str:
    head_attrs = attrs(match[2])
    head = "<row" + re.sub(r'\sspans\s*=\s*"[^"]*"', "", match[2]) + ">"
    content = match[4] or ""
    row_style = int(head_attrs["s"]) if head_attrs.get("customFormat") in ("1", "true") and "s" in head_attrs else None
    found = []
    for cell in _CELL.finditer(content):
        ref = attrs(cell[1]).get("r")
        if ref is None:
            raise Unsupported("cell without r")
        found.append((parse_ref(ref)[1], cell))
    columns = [c for c, _ in found]
    edits = []
    for col, key in sorted(cells.items()):  # in order: new cells at one place stay sorted
        i = bisect.bisect_left(columns, col)
        if i < len(columns) and columns[i] == col:
            cell = found[i][1]
            tag = "<c" + cell[1] + (">" if cell[2] != "/>" else "/>")
            base = int(attrs(cell[1]).get("s", 0))
            new_tag = set_attr(tag, "s", str(new_style(base, key)))
            edits.append((cell.start(), cell.start() + len(tag), new_tag))
        else:
            at = found[i][1].start() if i < len(found) else len(content)
            base = row_style if row_style is not None else cols.get(col, 0)
            edits.append((at, at, _new_cell(row, col, key, base, new_style)))
    return f"{head}{apply_edits(content, edits)}</row>"


def _new_cell(row: int, col: int, key, base: int, new_style) -> str:
    return f'<c r="{get_column_letter(col)}{row}" s="{new_style(base, key)}"/>'


def merge_ranges(sheet: str) -> list[tuple[int, int, int, int]]:
    """(first row, first col, last row, last col) of each merged range."""
    out = []
    for ref in re.findall(r'<mergeCell\b[^>]*\bref="([A-Z]+\d+):([A-Z]+\d+)"', sheet):
        (r0, c0), (r1, c1) = parse_ref(ref[0]), parse_ref(ref[1])
        out.append((r0, c0, r1, c1))
    return out
