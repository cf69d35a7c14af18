"""Collects findings for one table, filling message templates from the catalogue."""

from __future__ import annotations

from typing import Any

from workbook_tools.privacy.view import mask_for_field
from workbook_tools.validate.catalogue import catalogue
from workbook_tools.validate.findings import Finding


class FindingSink:
    __slots__ = ("sheet", "findings", "_types")

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self.findings: list[Finding] = []
        self._types = catalogue()

    def add(self, code: str, *, cell: str | None, row: int | None, label: str | None,
            value: str = "", field: Any = None, **params: Any) -> None:
        """``field`` (the schema Field of the cell): a 敏感/禁止外传 field's value — and the value
        as read (``parsed``) — are quoted masked, in the message and in ``Finding.value``."""
        kind = self._types[code]
        if field is not None and field.is_sensitive:
            value = mask_for_field(field, value)
            if "parsed" in params:
                params["parsed"] = mask_for_field(field, params["parsed"])
        message = kind.render(label=label or "", value=value, **params)
        self.findings.append(
            Finding(kind.severity, code, self.sheet, cell, row, label, value, message)
        )
