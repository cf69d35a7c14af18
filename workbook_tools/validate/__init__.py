"""Validation: rows → findings, driven by the schema.

    validate_table(table, schema, as_of=None) -> TableResult    one reader SheetTable
    validate_workbook(path, schema, form=None, as_of=None) -> FileReport
    validate_workbooks(paths, schema, form=None, as_of=None) -> iterator of (path, FileReport)
    validate_paths(paths, schema, form=None, as_of=None) -> ValidationReport
    catalogue() / catalogue_markdown()                            the finding types
"""

from workbook_tools.validate.catalogue import FindingType, catalogue, catalogue_markdown
from workbook_tools.validate.common import CheckContext
from workbook_tools.validate.engine import TableResult, validate_table
from workbook_tools.validate.files import (
    expand_paths, validate_paths, validate_workbook, validate_workbooks,
)
from workbook_tools.validate.findings import (
    FINDING_FIELDS, FileReport, Finding, ValidationReport, sort_findings,
)

__all__ = [
    "FINDING_FIELDS", "CheckContext", "FileReport", "Finding", "FindingType", "TableResult",
    "ValidationReport", "catalogue", "catalogue_markdown", "expand_paths", "sort_findings",
    "validate_paths", "validate_table", "validate_workbook", "validate_workbooks",
]
