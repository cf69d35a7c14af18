"""Annotated copies (退回修改): findings written back into the submitter's own workbook.

``workbook`` decides the path (package edit in ``package``/``cells``/``parts``/``results``, the fast
path; openpyxl through ``load``/``sheet`` otherwise)."""

from workbook_tools.validate.annotate.workbook import (
    AUTHOR, RESULT_SHEET, annotate_workbook, annotated_path, summary_line,
)

__all__ = ["AUTHOR", "RESULT_SHEET", "annotate_workbook", "annotated_path", "summary_line"]
