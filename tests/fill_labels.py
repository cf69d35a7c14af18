"""Fill a generated form's data sheet as a person would: values by column label, from row 2."""

from __future__ import annotations

from pathlib import Path

import openpyxl


def fill_by_label(path: Path, sheet: str, rows: list[dict]) -> None:
    """Write ``rows`` ({label: value}) into ``sheet`` under the header's labels (a trailing * ignored)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    columns = {str(c.value).rstrip("*"): c.column for c in ws[1] if c.value}
    for r, row in enumerate(rows, start=2):
        for label, value in row.items():
            ws.cell(row=r, column=columns[label], value=value)
    wb.save(path)
