"""The archive's memory across weeks: an embedded SQLite store next to archive.yaml that
every weekly run (and `merge --history`) records into. See docs/history.md.

>>> record_run("档案历史.sqlite", run)            # one transaction; a week recorded again is replaced
>>> with HistoryStore("档案历史.sqlite") as store:  # read-only
...     store.changes_for("HD0012"); store.record_of("HD0012", "2026-W47"); store.weekly_totals()
"""

from workbook_tools.history.archive import archive_visits, copy_archive
from workbook_tools.history.life import ChangeListing, CustomerLife, changes_since, customer_life
from workbook_tools.history.locate import STORE_NAME, resolve_store, store_of
from workbook_tools.history.mask import masked_change
from workbook_tools.history.model import (
    AddedRecord, CustomerRecord, FieldInfo, HistoryChange, RunRecord, iso_week,
)
from workbook_tools.history.store import HistoryStore
from workbook_tools.history.writer import check_store, record_run, replace_store

__all__ = [
    "STORE_NAME", "AddedRecord", "archive_visits", "copy_archive", "check_store", "ChangeListing", "CustomerLife", "CustomerRecord", "FieldInfo",
    "HistoryChange", "HistoryStore", "RunRecord", "changes_since", "customer_life", "iso_week",
    "masked_change", "record_run", "replace_store", "resolve_store", "store_of",
]
