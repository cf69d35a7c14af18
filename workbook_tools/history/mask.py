"""Masks for what `history` prints. The store keeps sensitive values complete (it is head
office's archive, like the master); console and JSON output show them masked.

TODO(lead): swap ``_shown`` for the schema-driven masks of workbook_tools.privacy when it
lands (this local function only knows the three field types below).
"""

from __future__ import annotations

import dataclasses
from typing import Mapping

from workbook_tools.history.model import CHANGED, HistoryChange

SENSITIVE_TYPES = ("id_card", "mobile", "bank_account")


def _shown(field_type: str, value: str | None) -> str | None:
    """id_card: first 6 + last 4; mobile: 3 + **** + 4; bank_account: last 4."""
    if value is None or field_type not in SENSITIVE_TYPES:
        return value
    text = str(value).strip()
    if not text or text == "（空）":
        return value
    if field_type == "id_card":
        return text[:6] + "*" * max(len(text) - 10, 4) + text[-4:] if len(text) > 10 else "*" * len(text)
    if field_type == "mobile":
        return text[:3] + "****" + text[-4:] if len(text) >= 8 else "*" * len(text)
    return "****" + text[-4:] if len(text) > 4 else "*" * len(text)


def masked_change(change: HistoryChange, types: Mapping[str, str]) -> HistoryChange:
    """The change with a sensitive field's old/new (and its text) masked; ``types``: label → type."""
    field_type = types.get(change.field, "")
    if change.kind != CHANGED or field_type not in SENSITIVE_TYPES:
        return change
    old, new = _shown(field_type, change.old), _shown(field_type, change.new)
    return dataclasses.replace(change, old=old, new=new, text=f"将 {change.field} 由 {old} 修改为 {new}")
