"""Cell coordinates: 0-based column index ↔ letters, "C7" references."""

from __future__ import annotations

import re
from functools import lru_cache

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


@lru_cache(maxsize=4096)
def column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    if index < 0:
        raise ValueError(index)
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def column_index(letters: str) -> int:
    """"A" → 0, "AA" → 26."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def cell_ref(row: int, col: int) -> str:
    """1-based ``row`` and 0-based ``col`` → "C7"."""
    return f"{column_letter(col)}{row}"


def parse_ref(ref: str) -> tuple[int, int] | None:
    """"C7" → (7, 2) as (1-based row, 0-based column); None if not a cell reference."""
    m = _REF.match(ref.strip())
    if not m:
        return None
    return int(m.group(2)), column_index(m.group(1))


def range_size(ref: str) -> tuple[int, int] | None:
    """"A1:C10" → (10 rows, 3 columns); a single cell → (1, 1); None if unparsable."""
    parts = ref.split(":")
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2:
        return None
    first, last = parse_ref(parts[0]), parse_ref(parts[1])
    if first is None or last is None:
        return None
    rows = abs(last[0] - first[0]) + 1
    cols = abs(last[1] - first[1]) + 1
    return rows, cols
