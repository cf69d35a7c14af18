"""Masks for what `history` prints. The store keeps sensitive values complete (it is head
office's archive, like the master); console and JSON output show them masked with the
privacy stage's masks (the same rules as every other output), by the field's type as
recorded in the store."""

from __future__ import annotations

import dataclasses
from typing import Mapping

from workbook_tools.history.model import CHANGED, HistoryChange
from workbook_tools.privacy.masks import mask_value

# the field types the bundled 权限分配表 marks 敏感 (see templates/archive_schema.yaml)
SENSITIVE_TYPES = ("id_card", "mobile", "bank_account")


def _shown(field_type: str, value: str | None) -> str | None:
    if value is None or field_type not in SENSITIVE_TYPES or str(value).strip() in ("", "（空）"):
        return value
    return mask_value(field_type, value)


def masked_change(change: HistoryChange, types: Mapping[str, str]) -> HistoryChange:
    """The change with a sensitive field's old/new (and its text) masked; ``types``: label → type."""
    field_type = types.get(change.field, "")
    if change.kind != CHANGED or field_type not in SENSITIVE_TYPES:
        return change
    old, new = _shown(field_type, change.old), _shown(field_type, change.new)
    return dataclasses.replace(change, old=old, new=new, text=f"将 {change.field} 由 {old} 修改为 {new}")
