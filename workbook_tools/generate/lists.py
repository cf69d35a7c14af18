"""The hidden lists sheet: one column of allowed values per choice field.

Each column gets a workbook-level defined name (``list_<field key>``) that the
dropdown validations refer to, which works in every Excel version and in WPS.
"""

from __future__ import annotations

import re

from xlsxwriter.utility import xl_col_to_name

from workbook_tools.schema.model import Form

LISTS_SHEET = "_lists"
NAME_PREFIX = "list_"
_NOT_NAME_CHAR = re.compile(r"[^\w.]", re.UNICODE)


def list_name(key: str, taken: set[str]) -> str:
    """A valid, unused Excel defined name for the choice list of field ``key``."""
    base = NAME_PREFIX + _NOT_NAME_CHAR.sub("_", key)
    name, n = base, 2
    while name.lower() in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name.lower())
    return name


def list_header(label: str) -> str:
    """Column heading on the lists sheet; deliberately not a header the reader matches."""
    return f"{label}-可选值"


def write_lists(workbook, worksheet, form: Form, formats) -> dict[str, str]:
    """Fill the lists sheet, define one name per choice column; return field key → name."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    col = 0
    for field in form.fields:
        if field.type != "choice" or not field.choices:
            continue
        worksheet.write_string(0, col, list_header(field.label), formats.list_header())
        for row, value in enumerate(field.choice_values, start=1):
            worksheet.write_string(row, col, value, formats.text())
        letter = xl_col_to_name(col)
        name = list_name(field.key, taken)
        ref = f"='{LISTS_SHEET}'!${letter}$2:${letter}${len(field.choices) + 1}"
        if workbook.define_name(name, ref) != 0:
            raise RuntimeError(f"defined name rejected: {name} {ref}")
        worksheet.set_column(col, col, max(12, 2 * len(field.label) + 8))
        names[field.key] = name
        col += 1
    worksheet.protect("", {"format_columns": True})
    worksheet.hide()
    return names
