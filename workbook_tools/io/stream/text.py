"""Cell text as Excel stores it → the Python string: XML character references and
entities, then OOXML's _xHHHH_ escapes (as python-calamine decodes them)."""

from __future__ import annotations

import re
from html import unescape as _html_unescape

_ESCAPE = re.compile(r"_x([0-9a-fA-F]{4})_")
_XML_ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&apos;": "'"}
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);")


def unescape(text: str) -> str:
    if "\r" in text:  # XML end-of-line handling: CR LF and lone CR are read as LF
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in text:
        text = _ENTITY.sub(_entity, text)
    if "_x" in text:
        text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def _entity(m: re.Match) -> str:
    token = m.group(0)
    return _XML_ENTITIES.get(token) or _html_unescape(token)
