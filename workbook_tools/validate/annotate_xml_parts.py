"""String-level edits of an .xlsx package's XML parts (helper of ``annotate_xml``).

Only the parts that change are touched, and only where they change: a cell's ``s``
attribute, a few styles appended to styles.xml, relationships and content types added.
Anything the edits do not expect (namespace prefixes on SpreadsheetML tags, cells without
``r``, sections missing from styles.xml …) raises :class:`Unsupported`, and the caller
annotates with openpyxl instead.
"""

from __future__ import annotations

import bisect
import re
from html import escape

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.cell import column_index_from_string, get_column_letter

from workbook_tools.io.sheetxml import string_cell

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ATTR = re.compile(r'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_CELL = re.compile(r"<c\b([^>]*?)(/>|>(.*?)</c>)", re.S)
_NUMBERED_ROW = re.compile(r'<row\b(?=[^>]*?\sr="(\d+)")([^>]*?)(/>|>(.*?)</row>)', re.S)
_REF = re.compile(r"([A-Z]{1,3})(\d+)$")
_XF = re.compile(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.S)
_COL = re.compile(r"<col\b[^>]*/>")
_ROOT = re.compile(r"<(?![?!])[^>]*?(/?)>")  # the root element's start tag (not <?xml or <!-- -->)


class Unsupported(Exception):
    """The package has a shape these edits do not handle; annotate with openpyxl."""


def attrs(tag: str) -> dict[str, str]:
    return {m[1]: m[2] if m[2] is not None else m[3] for m in _ATTR.finditer(tag)}


def set_attr(tag: str, name: str, value: str) -> str:
    """``tag`` (a start tag) with attribute ``name`` set, replaced or appended."""
    pattern = re.compile(rf'(\s{re.escape(name)}\s*=\s*)(?:"[^"]*"|\'[^\']*\')')
    if pattern.search(tag):
        return pattern.sub(lambda m: f'{m[1]}"{value}"', tag, count=1)
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    return f'{tag[:end]} {name}="{value}"{tag[end:]}'


def xml_attr(value: str) -> str:
    return escape(value, quote=True)


def parse_ref(ref: str) -> tuple[int, int]:
    """"C7" → (7, 3)."""
    match = _REF.match(ref)
    if not match:
        raise Unsupported(ref)
    return int(match[2]), column_index_from_string(match[1])


def text_cell(ref: str, style: str, value: str) -> str:
    """An inline-string cell holding ``value`` as put_value stores text: no illegal
    characters, at most 32,767 characters."""
    return string_cell(ref, style, ILLEGAL_CHARACTERS_RE.sub("", value)[:32767])


# --- styles.xml ----------------------------------------------------------------------------


class Styles:
    """styles.xml with fills, fonts, borders and cell formats appended."""

    def __init__(self, xml: str):
        self.xml = xml
        self.counts = {name: self._count(name) for name in ("fonts", "fills", "borders", "cellXfs")}
        section = self._section("cellXfs")
        self.xfs = _XF.findall(section)
        if len(self.xfs) != self.counts["cellXfs"]:
            raise Unsupported("cellXfs")
        self.added: dict[str, list[str]] = {name: [] for name in self.counts}
        self._clones: dict[tuple[int, int], int] = {}

    def _section(self, name: str) -> str:
        match = re.search(rf"<{name}\b[^>]*>(.*?)</{name}>", self.xml, re.S)
        if match is None:
            raise Unsupported(name)
        return match[1]

    def _count(self, name: str) -> int:
        self._section(name)
        head = re.search(rf"<{name}\b[^>]*>", self.xml)[0]
        try:
            return int(attrs(head).get("count", ""))
        except ValueError:
            raise Unsupported(name) from None

    def append(self, section: str, xml: str) -> int:
        """Append an element to ``section`` (fonts, fills, borders, cellXfs); its index."""
        self.added[section].append(xml)
        return self.counts[section] + len(self.added[section]) - 1

    def with_fill(self, base: int, fill_id: int) -> int:
        """A cell format like ``base`` with the fill ``fill_id`` (made once per pair)."""
        key = (base, fill_id)
        if key not in self._clones:
            source = self.xfs[base] if 0 <= base < len(self.xfs) else self.xfs[0]
            head_end = source.index(">") + 1
            head = source[:head_end]
            head = set_attr(set_attr(head, "fillId", str(fill_id)), "applyFill", "1")
            self._clones[key] = self.append("cellXfs", head + source[head_end:])
        return self._clones[key]

    def result(self) -> str:
        xml = self.xml
        for name, items in self.added.items():
            if not items:
                continue
            total = self.counts[name] + len(items)
            head = re.search(rf"<{name}\b[^>]*>", xml)
            xml = xml[:head.start()] + set_attr(head[0], "count", str(total)) + xml[head.end():]
            end = xml.index(f"</{name}>")
            xml = xml[:end] + "".join(items) + xml[end:]
        return xml


def solid_fill(rgb: str) -> str:
    return f'<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/><bgColor rgb="{rgb}"/></patternFill></fill>'


# --- a worksheet's cells -------------------------------------------------------------------


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


# --- relationships, content types, workbook ------------------------------------------------


def add_relationship(rels: str | None, rel_type: str, target: str) -> tuple[str, str]:
    """(new rels XML, the relationship's Id)."""
    if rels is None:
        rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                "</Relationships>")
    taken = set(re.findall(r'\bId\s*=\s*"([^"]*)"', rels))
    n = 1
    while f"rId{n}" in taken:
        n += 1
    rid = f"rId{n}"
    item = f'<Relationship Id="{rid}" Type="{REL_NS}/{rel_type}" Target="{xml_attr(target)}"/>'
    end = rels.rfind("</Relationships>")
    if end < 0:
        raise Unsupported("relationships")
    return rels[:end] + item + rels[end:], rid


def add_content_types(types: str, overrides: dict[str, str], defaults: dict[str, str]) -> str:
    items = []
    for ext, ctype in defaults.items():
        if not re.search(rf'<Default\b[^>]*Extension="{re.escape(ext)}"', types, re.I):
            items.append(f'<Default Extension="{ext}" ContentType="{ctype}"/>')
    items += [f'<Override PartName="{xml_attr(part)}" ContentType="{ctype}"/>' for part, ctype in overrides.items()]
    end = types.rfind("</Types>")
    if end < 0:
        raise Unsupported("content types")
    return types[:end] + "".join(items) + types[end:]


def rel_prefix(xml: str) -> str | None:
    """The prefix the root element binds to the relationships namespace (e.g. "r")."""
    root = _ROOT.search(xml)
    match = re.search(rf'xmlns:([\w.-]+)\s*=\s*"{re.escape(REL_NS)}"', root[0]) if root else None
    return match[1] if match else None


def ensure_rel_prefix(xml: str) -> tuple[str, str]:
    """(xml, prefix): the root declares the relationships namespace (as "r" if it did not)."""
    prefix = rel_prefix(xml)
    if prefix is not None:
        return xml, prefix
    root = _ROOT.search(xml)
    at = root.end() - 1 - len(root[1])
    return xml[:at] + f' xmlns:r="{REL_NS}"' + xml[at:], "r"


# Elements that follow <legacyDrawing> in a worksheet (CT_Worksheet order)
_AFTER_LEGACY = ("<legacyDrawingHF", "<drawingHF", "<picture", "<oleObjects", "<controls",
                 "<webPublishItems", "<tableParts", "<extLst")


def insert_legacy_drawing(sheet: str, rid: str) -> str:
    sheet, prefix = ensure_rel_prefix(sheet)
    data_end = max(sheet.rfind("</sheetData>"), 0)  # the elements after it are few and short
    at = min((i for i in (sheet.find(tag, data_end) for tag in _AFTER_LEGACY) if i >= 0),
             default=sheet.rfind("</worksheet>"))
    if at < 0:
        raise Unsupported("worksheet end")
    return sheet[:at] + f'<legacyDrawing {prefix}:id="{rid}"/>' + sheet[at:]


def unselect_tabs(xml: str) -> str:
    """Every <sheetView> without tabSelected (so that one tab is selected, not a group)."""
    return re.sub(r'(<sheetView\b[^>]*?)\stabSelected\s*=\s*"[^"]*"', r"\1", xml)
