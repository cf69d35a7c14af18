"""客户编号 for rows without one: region code (or the given prefix) + a number continuing
after the highest number the rows already use with that prefix (or from ``start``).

Stable, meaning: the same input gives the same IDs, and a row's ID does not depend on
where it stands in the file. Rows are numbered in the order of (建档日期, the row's
identifying values: 统一社会信用代码, 身份证号, name, 手机), so
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
import re
from typing import Any

from workbook_tools.schema.model import Schema
from workbook_tools.adopt.infer.model import HOW_NEW_ID, Conversion, compact_code as _text

FORM = "registration"
_NUMBERED = re.compile(r"([A-Z]+)(\d+)", re.ASCII)
_WIDTH = re.compile(r"\\d\{(\d+)")
_UNDATED = dt.date.max



def identity(row: dict) -> tuple[str, ...]:
    """The values that identify a customer (normalised), whatever else the row holds."""
    get = row.get
    return (_text(get("uscc")), _text(get("id_card")), _text(get("customer_name")), _text(get("mobile")))


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


def _survey(rows: list[dict], key: str, prefix: str, codes: dict[str, str],
            ) -> tuple[dict[str, set[int]], dict[str, list[tuple]]]:
    """(numbers in use per prefix, rows to number per prefix as sortable tuples)."""
    used: dict[str, set[int]] = {}
    pending: dict[str, list[tuple]] = {}
    for index, row in enumerate(rows):
        current = _text(row.get(key))
        if current:
            match = _NUMBERED.fullmatch(current)
            if match:
                used.setdefault(match.group(1), set()).add(int(match.group(2)))
            continue
        code = prefix or codes.get(row.get("region"), "")
        if code:
            pending.setdefault(code, []).append((_created(row), identity(row), index))
    return used, pending


def assign_ids(schema: Schema, rows: list[dict], *, prefix: str | None, start: int | None) -> list[Conversion]:
    """Fill the 客户编号 of rows without one, in place; the conversions made, in row order.
    ``prefix`` (adopt --id-prefix) replaces the region code for every row; a row with
    neither a prefix nor a region with a code keeps no ID (validation reports it)."""
    form = schema.form(FORM)
    key = form.id_field or "customer_id"
    codes = {c.value: c.code for c in form.field("region").choices if c.code} if "region" in form.keys else {}
    width = _width(form.field(key))
    used, pending = _survey(rows, key, _text(prefix), codes)
    out = []
    for code, items in pending.items():
        taken = used.get(code, set())
        number = start if start is not None else max(taken, default=0) + 1
        how = HOW_NEW_ID.format(prefix=code)
        for _, _, index in sorted(items):
            while number in taken:
                number += 1
            new = f"{code}{number:0{width}d}"
            out.append(Conversion(index, key, rows[index].get(key), new, how))
            rows[index][key] = new
            number += 1
    out.sort(key=lambda c: c.row)
    return out
