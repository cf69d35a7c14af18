"""String-level edits of an .xlsx package's XML parts (helper of ``annotate.package``).

Only the parts that change are touched, and only where they change: a cell's ``s``
attribute, a few styles appended to styles.xml, relationships and content types added.
Anything the edits do not expect (namespace prefixes on SpreadsheetML tags, cells without
``r``, sections missing from styles.xml …) raises :class:`Unsupported`, and the caller
annotates with openpyxl instead.
"""

from __future__ import annotations

import re
from html import escape

from openpyxl.utils.cell import column_index_from_string

from workbook_tools.io.sheetxml import string_cell
from workbook_tools.validate.annotate.load import clean_text

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ATTR = re.compile(r'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_REF = re.compile(r"([A-Z]{1,3})(\d+)$")
_XF = re.compile(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.S)
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
    """An inline-string cell holding ``value`` as put_value stores text (clean_text)."""
    return string_cell(ref, style, clean_text(value))


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
