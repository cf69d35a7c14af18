"""Merge regional workbooks' rows into the master archive (pure logic) and write it.

>>> result = merge_rows(rows, schema, previous=previous, run_date=date.today(), inputs=inputs)
>>> write_master(result, schema, "客户档案总表.xlsx")
"""

from workbook_tools.merge.changes import ChangeEntry
from workbook_tools.merge.conflicts import CONFLICT_RULE, Conflict
from workbook_tools.merge.core import merge_rows
from workbook_tools.merge.duplicates import SuspectedDuplicate
from workbook_tools.merge.master_writer import write_master
from workbook_tools.validate.names import normalize_company_name
from workbook_tools.merge.reconcile import InputCheck, Reconciliation
from workbook_tools.merge.result import MergeResult
from workbook_tools.merge.rows import (
    HeaderDrift, InputFile, SourceRow, header_drift_from_table, previous_from_rows,
)

__all__ = [
    "CONFLICT_RULE", "ChangeEntry", "Conflict", "HeaderDrift", "InputCheck", "InputFile",
    "MergeResult", "Reconciliation", "SourceRow", "SuspectedDuplicate", "header_drift_from_table",
    "merge_rows", "normalize_company_name", "previous_from_rows", "write_master",
]
