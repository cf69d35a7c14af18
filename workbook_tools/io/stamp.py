"""The version stamp of generated workbooks: custom document properties.

Generated templates carry ``schema_name``, ``schema_version``, ``form`` and
``generator`` in docProps/custom.xml; reading them tells which schema a returned
workbook was filled against.
"""

from __future__ import annotations

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
