"""Master archive → summary workbook: pure pandas computations, then an XlsxWriter writer.

    build_summary(master, out, schema=schema, as_of=date) -> SummaryResult
"""

from workbook_tools.summary.build import SummaryResult, build_summary, compute_summary
from workbook_tools.summary.load import MasterData, load_master
from workbook_tools.summary.tables import Chart, SummarySheet, Table
from workbook_tools.summary.writer import write_summary

__all__ = [
    "Chart", "MasterData", "SummaryResult", "SummarySheet", "Table", "build_summary", "compute_summary",
    "load_master", "write_summary",
]
