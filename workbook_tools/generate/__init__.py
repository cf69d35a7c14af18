"""Schema → blank, ready-to-fill workbooks (``workbook-tools template``) with a 填表说明 sheet."""

from workbook_tools.generate.context import GENERATOR, TemplateInfo
from workbook_tools.generate.instructions import INSTRUCTIONS_SHEET
from workbook_tools.generate.lists import LISTS_SHEET
from workbook_tools.generate.template import (
    DEFAULT_ROWS, FIXED_CREATED, MAX_ROWS, canonical_region, generate_template, resolve_form,
)

__all__ = [
    "DEFAULT_ROWS", "FIXED_CREATED", "GENERATOR", "INSTRUCTIONS_SHEET", "LISTS_SHEET", "MAX_ROWS",
    "TemplateInfo", "canonical_region", "generate_template", "resolve_form",
]
