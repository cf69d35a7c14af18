"""Small facts read straight from an xlsx package: sheet name ↔ part, the 1904 flag.

Only called after zipcheck has refused DOCTYPE/ENTITY, and parsed with defusedxml.
"""

from __future__ import annotations

import posixpath
import re

from defusedxml import ElementTree

from workbook_tools.io.zipcheck import ZipPackage, normalize_name

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DATE1904 = re.compile(rb"""date1904\s*=\s*["'](?:1|true)["']""", re.IGNORECASE)
_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)


def date1904(pkg: ZipPackage) -> bool:
    """True if xl/workbook.xml sets workbookPr date1904 (it sits near the top)."""
    if not pkg.has("xl/workbook.xml"):
        return False
    try:
        return bool(_DATE1904.search(pkg.read_head("xl/workbook.xml", 256 * 1024)))
    except Exception:
        return False


def worksheet_parts(pkg: ZipPackage) -> list[str]:
    """Every worksheet part of the package (normalised names)."""
    return [name for name in pkg.entries if _SHEET_PART.match(name)]


def sheet_names_by_part(pkg: ZipPackage) -> dict[str, str]:
    """{"xl/worksheets/sheet1.xml": "客户档案登记表", …}; {} when it cannot be worked out."""
    try:
        with pkg.open("xl/workbook.xml") as fh:
            book = ElementTree.parse(fh).getroot()
        with pkg.open("xl/_rels/workbook.xml.rels") as fh:
            rels = ElementTree.parse(fh).getroot()
    except Exception:
        return {}
    targets = {}
    for rel in rels.iter(f"{_PKG_REL_NS}Relationship"):
        target = normalize_name(rel.get("Target", ""))
        if not rel.get("Target", "").startswith("/"):
            target = posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = target
    out = {}
    for sheet in book.iter(f"{_MAIN_NS}sheet"):
        part = targets.get(sheet.get(f"{_REL_NS}id"))
        if part:
            out[part] = sheet.get("name", "")
    return out
