"""发放: masked (and optionally encrypted) exports of the master for one role, recorded in the
借阅/发放 ledger; and the ledger as a printable 客户资料借阅表."""

from workbook_tools.export.run import ExportRequest, ExportResult, export_master

__all__ = ["ExportRequest", "ExportResult", "export_master"]
