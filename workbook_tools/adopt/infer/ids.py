"""客户编号 for rows without one: region code (or the given prefix) + a number continuing
after the highest number the rows already use with that prefix (or from ``start``).

Stable, meaning: the same input gives the same IDs, and a row's ID does not depend on
where it stands in the file. Rows are numbered in the order of (建档日期, a hash of the
row's identifying values: 统一社会信用代码, 身份证号, name, 手机), so
- rerunning on the same rows, or on the same rows sorted differently, gives every row the
  same ID;
- editing a row's other values (电话, 地址, 备注 …) keeps its ID;
- a customer added later (a newer 建档日期 — how registers grow) takes the next number
  and moves nobody; a row inserted with an older or no 建档日期, or a changed name or code,
  shifts only the rows numbered after it (undated rows are numbered last).
Once the adopted form is in use its IDs are the record: put them into the legacy file's
客户编号 column before adopting again and every row keeps its ID.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from typing import Any

from workbook_tools.schema.model import Schema
from workbook_tools.adopt.infer.model import HOW_NEW_ID, Conversion

FORM = "registration"
IDENTITY_KEYS = ("uscc", "id_card", "customer_name", "mobile")
_NUMBERED = re.compile(r"([A-Z]+)(\d+)", re.ASCII)
_WIDTH = re.compile(r"\\d\{(\d+)")
_UNDATED = dt.date.max


def _text(value: Any) -> str:
    if value is None:
        return ""
    if value.__class__ is str and value.isascii() and " " not in value:
        return value.upper()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).upper()


def identity_hash(row: dict) -> str:
    """A hash of the values that identify a customer, whatever else the row holds."""
    key = "\x1f".join(_text(row.get(k)) for k in IDENTITY_KEYS)
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def _created(row: dict) -> dt.date:
    value = row.get("created")
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else _UNDATED


def _width(field: Any) -> int:
    """Digits after the prefix: from the pattern (\\d{4,}), else the example, else 4."""
    match = _WIDTH.search(field.pattern or "")
    if match:
        return int(match.group(1))
    example = _NUMBERED.fullmatch(field.example or "")
    return len(example.group(2)) if example else 4


def _used(rows: list[dict], key: str) -> dict[str, set[int]]:
    used: dict[str, set[int]] = {}
    for row in rows:
        match = _NUMBERED.fullmatch(_text(row.get(key)))
        if match:
            used.setdefault(match.group(1), set()).add(int(match.group(2)))
    return used


def assign_ids(schema: Schema, rows: list[dict], *, prefix: str | None, start: int | None) -> list[Conversion]:
    """Fill the 客户编号 of rows without one, in place; the conversions made, in row order.
    ``prefix`` (adopt --id-prefix) replaces the region code for every row; a row with
    neither a prefix nor a region with a code keeps no ID (validation reports it)."""
    form = schema.form(FORM)
    key = form.id_field or "customer_id"
    field = form.field(key)
    codes = {c.value: c.code for c in form.field("region").choices if c.code} if "region" in form.keys else {}
    width = _width(field)
    used = _used(rows, key)
    pending: dict[str, list[tuple]] = {}
    for index, row in enumerate(rows):
        if _text(row.get(key)):
            continue
        code = _text(prefix) if prefix else codes.get(row.get("region"), "")
        if code:
            pending.setdefault(code, []).append((_created(row), identity_hash(row), index))
    out = []
    for code, items in pending.items():
        taken = used.get(code, set())
        number = start if start is not None else max(taken, default=0) + 1
        for _, _, index in sorted(items):
            while number in taken:
                number += 1
            new = f"{code}{number:0{width}d}"
            out.append(Conversion(index, key, rows[index].get(key), new, HOW_NEW_ID.format(prefix=code)))
            rows[index][key] = new
            number += 1
    return sorted(out, key=lambda c: c.row)
