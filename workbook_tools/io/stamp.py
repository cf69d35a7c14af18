"""The version stamp of generated workbooks: custom document properties.

Generated templates carry ``schema_name``, ``schema_version``, ``form`` and
``generator`` in docProps/custom.xml; reading them tells which schema a returned
workbook was filled against.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from defusedxml import ElementTree

from workbook_tools.errors import UnreadableWorkbook
from workbook_tools.io.zipcheck import ZipPackage, open_package

_CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
_MAX_CUSTOM_XML = 1024 * 1024
_CASTS = {"i1": int, "i2": int, "i4": int, "i8": int, "int": int, "ui1": int, "ui2": int,
          "ui4": int, "ui8": int, "uint": int, "r4": float, "r8": float, "decimal": float}


def read_version_stamp(path: str | Path) -> dict:
    """Custom properties of an xlsx/xlsm (name → value); {} for other files, files
    without properties, and files that cannot be read (read_workbook says why)."""
    try:
        pkg = open_package(Path(path))
    except (UnreadableWorkbook, OSError):
        return {}
    try:
        return stamp_from_package(pkg)
    finally:
        pkg.close()


def stamp_from_package(pkg: ZipPackage) -> dict:
    """Custom properties of an already checked package (see zipcheck.open_package)."""
    name = "docProps/custom.xml"
    if pkg.kind not in ("xlsx", "xlsm") or not pkg.has(name):
        return {}
    if pkg.entries[name].file_size > _MAX_CUSTOM_XML:
        return {}
    try:
        with pkg.open(name) as fh:
            root = ElementTree.parse(fh).getroot()
    except Exception:  # malformed or forbidden XML: no stamp
        return {}
    out = {}
    for prop in root.iter(f"{_CUSTOM_NS}property"):
        key = prop.get("name")
        if key and len(prop):
            out[key] = _value(prop[0])
    return out


def _value(node):
    kind = node.tag.rsplit("}", 1)[-1]
    text = node.text or ""
    if kind == "bool":
        return text.strip().lower() in ("true", "1")
    cast = _CASTS.get(kind)
    if cast is not None:
        try:
            return cast(text.strip())
        except ValueError:
            return text
    return text


# --- our own outputs -------------------------------------------------------------------
# What each stamped output of this tool is, for messages ("本工具生成的文件（…）").
OUTPUT_KINDS = {"master": "合并生成的客户档案总表", "summary": "客户档案汇总表", "headoffice": "总部工具工作簿"}
# Older outputs carried no stamp: recognised by the sheets only they have together.
_SIGNATURES = (({"客户归类汇总", "客户构成分析"}, "summary"), ({"客户档案", "合并说明", "待修正"}, "master"))
_SHEET_NAME = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"')
_MAX_WORKBOOK_XML = 4 * 1024 * 1024


def output_kind(path: str | Path) -> str | None:
    """'master' / 'summary' / 'headoffice' when ``path`` is one of this tool's outputs (by its
    stamp, else by its sheet names), None otherwise (submissions, blank or filled forms, and
    files that cannot be read — the reader says why)."""
    try:
        pkg = open_package(Path(path))
    except (UnreadableWorkbook, OSError):
        return None
    try:
        form = stamp_from_package(pkg).get("form")
        if form in OUTPUT_KINDS:
            return form
        names = _sheet_names(pkg)
    finally:
        pkg.close()
    return next((kind for sheets, kind in _SIGNATURES if sheets <= names), None)


def _sheet_names(pkg: ZipPackage) -> set[str]:
    name = "xl/workbook.xml"
    if pkg.kind not in ("xlsx", "xlsm") or not pkg.has(name) or pkg.entries[name].file_size > _MAX_WORKBOOK_XML:
        return set()
    head = pkg.read_head(name, _MAX_WORKBOOK_XML)
    return {html.unescape(m.group(1).decode("utf-8", "replace")) for m in _SHEET_NAME.finditer(head)}
