"""Small, exact edits of OOXML parts, done on the text so everything else stays byte-identical.

Re-serialising a part with an XML library would rename namespace prefixes and can break
``mc:Ignorable``; these helpers only add or change one attribute, insert one element, or
add one relationship / content type. Parts are read with ElementTree (defusedxml) only to
look things up. SpreadsheetML parts are expected in the default namespace, as Excel,
WPS, LibreOffice, openpyxl and XlsxWriter write them.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from defusedxml import ElementTree

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
EMPTY_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              f'<Relationships xmlns="{REL_NS}"></Relationships>')


class PartError(ValueError):
    """A part does not have the structure the edit needs."""


def _start_tag(xml: str, tag: str) -> re.Match | None:
    return re.search(rf"<{tag}(?=[\s/>])[^>]*?(/?)>", xml)


def has_element(xml: str, tag: str) -> bool:
    return _start_tag(xml, tag) is not None


def set_attribute(xml: str, tag: str, name: str, value: str) -> str:
    """Set ``name="value"`` on the first ``<tag>`` element; PartError when there is none."""
    match = _start_tag(xml, tag)
    if match is None:
        raise PartError(f"<{tag}> not found")
    start_tag = match.group(0)
    attr = re.compile(rf"(\s){re.escape(name)}\s*=\s*(\"[^\"]*\"|'[^']*')")
    if attr.search(start_tag):
        new = attr.sub(lambda m: f"{m.group(1)}{name}={quoteattr(value)}", start_tag, count=1)
    else:
        end = len(start_tag) - (2 if start_tag.endswith("/>") else 1)
        new = f"{start_tag[:end].rstrip()} {name}={quoteattr(value)}{start_tag[end:]}"
    return xml[:match.start()] + new + xml[match.end():]


def insert_before(xml: str, element: str, before: tuple[str, ...], closing: str) -> str:
    """Insert ``element`` before the first of the ``before`` elements, else before ``</closing>``."""
    positions = [m.start() for tag in before if (m := re.search(rf"<{tag}(?=[\s/>])", xml))]
    if not positions:
        end = xml.rfind(f"</{closing}>")
        if end < 0:
            raise PartError(f"</{closing}> not found")
        positions = [end]
    at = min(positions)
    return xml[:at] + element + xml[at:]


def insert_after_start(xml: str, tag: str, element: str) -> str:
    """Insert ``element`` as the first child of the first ``<tag>`` element."""
    match = _start_tag(xml, tag)
    if match is None or match.group(1):
        raise PartError(f"<{tag}> not found or empty")
    return xml[:match.end()] + element + xml[match.end():]


def root_is_default_namespace(xml: str, tag: str) -> bool:
    """True when the part's root element is ``<tag …>`` without a namespace prefix."""
    match = re.search(r"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)(?=[\s/>])", _skip_prolog(xml))
    return bool(match) and match.group(1) is None and match.group(2) == tag


def _skip_prolog(xml: str) -> str:
    return re.sub(r"^\ufeff?(\s*<\?[^>]*\?>|\s*<!--.*?-->)*", "", xml, flags=re.S)


def relationships(xml: str | None) -> list[dict[str, str]]:
    """The Relationship elements of a .rels part, as attribute dicts."""
    if not xml:
        return []
    root = ElementTree.fromstring(xml.encode("utf-8"))
    return [dict(el.attrib) for el in root if el.tag == f"{{{REL_NS}}}Relationship"]


def add_relationship(xml: str | None, rel_type: str, target: str) -> tuple[str, str]:
    """Add a relationship to a .rels part (created when None); return (part, new Id)."""
    xml = xml or EMPTY_RELS
    taken = {r.get("Id") for r in relationships(xml)}
    number = len(taken) + 1
    while f"rId{number}" in taken:
        number += 1
    rid = f"rId{number}"
    element = f"<Relationship Id={quoteattr(rid)} Type={quoteattr(rel_type)} Target={quoteattr(target)}/>"
    if re.search(r"<Relationships(?=[\s/>])[^>]*/>", xml):
        xml = re.sub(r"<Relationships((?=[\s/>])[^>]*?)\s*/>", r"<Relationships\1></Relationships>", xml, count=1)
    return insert_before(xml, element, (), "Relationships"), rid


def content_types(xml: str) -> tuple[dict[str, str], dict[str, str]]:
    """({extension: type} of Default elements, {part name: type} of Override elements)."""
    root = ElementTree.fromstring(xml.encode("utf-8"))
    defaults = {el.get("Extension", "").lower(): el.get("ContentType", "")
                for el in root if el.tag == f"{{{CT_NS}}}Default"}
    overrides = {el.get("PartName", ""): el.get("ContentType", "")
                 for el in root if el.tag == f"{{{CT_NS}}}Override"}
    return defaults, overrides


def add_content_type(xml: str, *, extension: str | None = None, part: str | None = None,
                     content_type: str) -> str:
    """Add a Default (by extension) or an Override (by part name) element."""
    if extension is not None:
        element = f"<Default Extension={quoteattr(extension)} ContentType={quoteattr(content_type)}/>"
    else:
        element = f"<Override PartName={quoteattr(part)} ContentType={quoteattr(content_type)}/>"
    return insert_before(xml, element, (), "Types")


def set_override(xml: str, part: str, content_type: str) -> str:
    """Change the ContentType of the Override element of ``part``."""
    pattern = re.compile(rf"<Override(?=\s)[^>]*PartName=([\"']){re.escape(part)}\1[^>]*>")
    match = pattern.search(xml)
    if match is None:
        raise PartError(f"no content type override for {part}")
    element = re.sub(r"ContentType=(\"[^\"]*\"|'[^']*')", f"ContentType={quoteattr(content_type)}",
                     match.group(0), count=1)
    return xml[:match.start()] + element + xml[match.end():]


def text(value: str) -> str:
    """``value`` escaped for element text."""
    return escape(value)
