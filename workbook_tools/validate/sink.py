"""Collects findings for one table, filling message templates from the catalogue."""

from __future__ import annotations

from typing import Any

from workbook_tools.validate.catalogue import catalogue
from workbook_tools.validate.findings import Finding


class FindingSink:
    __slots__ = ("sheet", "findings", "_types")

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self.findings: list[Finding] = []
        self._types = catalogue()

    def add(self, code: str, *, cell: str | None, row: int | None, label: str | None,
            value: str = "", **params: Any) -> None:
        kind = self._types[code]
        message = kind.render(label=label or "", value=value, **params)
        self.findings.append(
            Finding(kind.severity, code, self.sheet, cell, row, label, value, message)
        )
