"""The small parts of an xlsx package the stream reader needs: which cell styles are dates
(xl/styles.xml) and the shared-string table (xl/sharedStrings.xml).

Both are parsed the way python-calamine parses them, so that the stream reader returns the
same Python values (tests/test_io_stream.py compares the two on real workbooks).
"""

from __future__ import annotations

import re

from defusedxml import ElementTree

from workbook_tools.io.stream.text import unescape
from workbook_tools.io.zipcheck import ZipPackage

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# Built-in number formats that are dates or times (ECMA-376 18.8.30, and the CJK ids 27–36,
# 50–58 Excel uses for 年月日 formats); 46 is an elapsed time ([h]:mm:ss).
BUILTIN_DATES = frozenset({*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59)})
BUILTIN_DURATIONS = frozenset({46})
_SI = re.compile(rb"<si>(.*?)</si>|<si/>", re.S)
_T = re.compile(rb"<t(?: [^>]*)?>(.*?)</t>|<t(?: [^>]*)?/>", re.S)
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)


def date_styles(pkg: ZipPackage) -> tuple[frozenset[int], frozenset[int]]:
    """(indices of cellXfs that format numbers as dates or times, the subset that are
    elapsed times such as [h]:mm)."""
    if not pkg.has("xl/styles.xml"):
        return frozenset(), frozenset()
    with pkg.open("xl/styles.xml") as fh:
        root = ElementTree.parse(fh).getroot()
    custom = {}
    for fmt in root.iter(f"{_NS}numFmt"):
        try:
            custom[int(fmt.get("numFmtId", "-1"))] = fmt.get("formatCode", "")
        except ValueError:
            continue
    dates, durations = set(), set()
    xfs = root.find(f"{_NS}cellXfs")
    for index, xf in enumerate(xfs.iter(f"{_NS}xf") if xfs is not None else ()):
        try:
            fmt_id = int(xf.get("numFmtId", "0"))
        except ValueError:
            continue
        kind = format_kind(fmt_id, custom.get(fmt_id))
        if kind:
            dates.add(index)
            if kind == "duration":
                durations.add(index)
    return frozenset(dates), frozenset(durations)


def format_kind(fmt_id: int, code: str | None) -> str | None:
    """"date", "duration" or None for a number format (custom ``code`` wins over the id)."""
    if code is None:
        if fmt_id in BUILTIN_DATES:
            return "duration" if fmt_id in BUILTIN_DURATIONS else "date"
        return None
    return custom_kind(code)


def custom_kind(code: str) -> str | None:
    """calamine's rule for a custom format code (formats.rs): the first section only; a
    date when d/m/h/y/s appears outside quotes, escapes and [...] (or m/p// after an "a" of
    AM/PM); an elapsed time when a bracket holds h, m or s repeated ([h]:mm, [ss])."""
    escaped = quoted = ap = hms = False
    brackets, prev = 0, " "
    for ch in code:
        if escaped:
            escaped = False
        elif ch in "_\\":
            escaped = True
        elif quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == ";":
            return None
        elif ch == "[":
            brackets += 1
        elif ch == "]" and brackets == 1 and hms:
            return "duration"
        elif ch == "]":
            brackets = max(brackets - 1, 0)
        elif ch in "aA" and not ap and brackets == 0:
            ap = True
        elif ch in "pmPM/" and ap and brackets == 0:
            return "date"
        elif ch in "dmhysDMHYS" and not ap and brackets == 0:
            return "date"
        elif not (hms and ch.lower() == prev.lower()):
            hms = prev == "[" and ch in "mhsMHS"
        prev = ch
    return None


def shared_strings(pkg: ZipPackage) -> list[str]:
    """The shared-string table: each item's text runs joined, phonetic runs left out."""
    name = next((n for n in ("xl/sharedStrings.xml", "xl/SharedStrings.xml") if pkg.has(n)), None)
    if name is None:
        return []
    with pkg.open(name) as fh:
        data = fh.read()
    out = []
    for m in _SI.finditer(data):
        item = m.group(1)
        if item is None:
            out.append("")
            continue
        if b"<rPh" in item:
            item = _PHONETIC.sub(b"", item)
        out.append(unescape(b"".join(t or b"" for t in _T.findall(item)).decode("utf-8")))
    return out
