"""Compare two .xlsx files part by part, like XlsxWriter's own _compare_xlsx_files.

Both files are unzipped; the lists of parts must match, and each XML part is compared
after splitting it into one tag per line (so a difference is reported as a readable
diff), with volatile bits removed: docProps/core.xml timestamps by default, plus any
caller-supplied regex substitutions (e.g. the generator version).
"""

from __future__ import annotations

import difflib
import re
import zipfile
from pathlib import Path

CORE_TIMESTAMPS = (r"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", r"<dcterms:\1/>")
DEFAULT_IGNORE_ELEMENTS = {"docProps/core.xml": [CORE_TIMESTAMPS]}


def _parts(path: str | Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _xml_lines(data: bytes, subs) -> list[str]:
    text = data.decode("utf-8")
    for pattern, repl in subs:
        text = re.sub(pattern, repl, text)
    return re.sub(r">\s*<", ">\n<", text).splitlines()


def compare_xlsx(got: str | Path, expected: str | Path, *, ignore_files=(),
                 ignore_elements=None, substitutions=()) -> list[str]:
    """Differences between two xlsx files; an empty list means equal.

    ``ignore_files``: part names not compared at all. ``ignore_elements``: part name →
    list of (regex, replacement) applied to that part only (default: core.xml dates).
    ``substitutions``: (regex, replacement) pairs applied to every XML part.
    """
    per_part = DEFAULT_IGNORE_ELEMENTS if ignore_elements is None else ignore_elements
    got_parts, exp_parts = _parts(got), _parts(expected)
    got_names = sorted(n for n in got_parts if n not in ignore_files)
    exp_names = sorted(n for n in exp_parts if n not in ignore_files)
    if got_names != exp_names:
        return [f"parts differ: got {got_names}, expected {exp_names}"]
    problems = []
    for name in exp_names:
        a, b = got_parts[name], exp_parts[name]
        if not (name.endswith(".xml") or name.endswith(".rels")):
            if a != b:
                problems.append(f"{name}: binary content differs")
            continue
        subs = [*per_part.get(name, []), *substitutions]
        got_lines, exp_lines = _xml_lines(a, subs), _xml_lines(b, subs)
        if got_lines != exp_lines:
            diff = difflib.unified_diff(exp_lines, got_lines, "expected/" + name, "got/" + name,
                                        lineterm="", n=1)
            problems.append("\n".join(list(diff)[:40]))
    return problems
