"""The master's 客户分类 sheet in an export: each computed column only as the registration field it
follows (schema credit.permissions) may be shown to the role — the card's rule — and only the
exported customers' lines. No sheet when the role may see none of the computed columns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from python_calamine import CalamineWorkbook

from workbook_tools.accounts import COLUMNS, HEADERS, SHEET
from workbook_tools.privacy.view import RoleView
from workbook_tools.schema.credit import credit_rules
from workbook_tools.schema.model import Schema

IDENTITY = ("customer_id", "customer_name", "region", "owner")   # registration fields: follow themselves
_KINDS = {key: kind for key, _, kind in COLUMNS}
_BY_HEADER = {header: key for key, header, _ in COLUMNS}
HEADER_SCAN_ROWS = 10


def read_accounts(path) -> tuple[list[str | None], list[list]] | None:
    """(column key per master column, data rows) of the master's 客户分类 sheet; None without one."""
    book = CalamineWorkbook.from_path(str(path))
    if SHEET not in book.sheet_names:
        return None
    rows = book.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
    top = next((i for i, r in enumerate(rows[:HEADER_SCAN_ROWS]) if r and r[0] == HEADERS["customer_id"]), None)
    if top is None:
        return None
    keys = [_BY_HEADER.get(str(h)) for h in rows[top]]
    data = [[None if v == "" else v for v in r] for r in rows[top + 1:] if r and r[0] not in ("", None)]
    return keys, data


def accounts_sheet(table: tuple[list[str | None], list[list]] | None, ids: set, view: RoleView,
                   schema: Schema) -> tuple[list[str], list[list]] | None:
    """Headers and rows of the exported 客户分类 sheet for ``view``'s role, for customers in ``ids``."""
    if table is None:
        return None
    keys, rows = table
    rules = credit_rules(schema)
    columns = []   # (position, key, registration field it follows)
    for i, key in enumerate(keys):
        follows = key if key in IDENTITY else rules.follows(key) if key else None
        if follows is not None and not view.hidden(follows):
            columns.append((i, key, follows))
    if "customer_id" not in keys or all(key in IDENTITY for _, key, _ in columns):
        return None
    id_pos = keys.index("customer_id")
    out = [[view.show(follows, _value(_KINDS[key], row[i] if i < len(row) else None)) for i, key, follows in columns]
           for row in rows if row[id_pos] in ids]
    return [HEADERS[key] for _, key, _ in columns], out


def _value(kind: str, value: Any) -> Any:
    if kind == "pct" and isinstance(value, (int, float)):
        return f"{value:.1%}"
    if kind == "date" and isinstance(value, dt.datetime):
        return value.date()
    if kind == "number" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value
