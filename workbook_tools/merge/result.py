"""MergeResult: everything the master workbook shows, and the counts scripts print."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from workbook_tools.accounts import Accounts
from workbook_tools.merge.changes import ABSENT, CHANGED, KEPT, NEW, ChangeEntry
from workbook_tools.merge.conflicts import Conflict
from workbook_tools.merge.duplicates import SuspectedDuplicate
from workbook_tools.merge.extras import ExtraColumns
from workbook_tools.merge.reconcile import InputCheck, Reconciliation
from workbook_tools.merge.records import RecordTable
from workbook_tools.merge.rows import InputFile, SourceRow
from workbook_tools.merge.upsert import MergedCustomer


@dataclass(frozen=True, slots=True)
class VisitArchive:
    """Where 拜访记录 older than the horizon went: ``moved`` rows dated before ``cutoff``
    (``weeks`` before the run date) into the history store ``store`` (a file name)."""

    weeks: int
    cutoff: dt.date
    moved: int
    store: str


@dataclass(slots=True)
class MergeResult:
    run_date: dt.date
    schema_name: str
    schema_version: str
    settings: dict[str, Any]
    customers: list[MergedCustomer]          # 客户档案, master order (区域, 客户编号)
    extra_cols: ExtraColumns                 # unknown registration columns, first-seen order
    visits: RecordTable                      # 拜访记录
    plans: RecordTable                       # 拜访计划
    complaints: RecordTable                  # 投诉记录
    trades: RecordTable                      # 交易记录
    quarantined: list[SourceRow]             # 待修正, file/sheet/row order
    conflicts: list[Conflict]
    duplicates: list[SuspectedDuplicate]
    changes: list[ChangeEntry] | None        # None without a previous master
    reconciliations: list[Reconciliation]
    input_checks: list[InputCheck]
    inputs: list[InputFile] = field(default_factory=list)
    rows_read: int = 0
    previous_count: int | None = None        # customers in the previous master, None if none given
    visit_archive: VisitArchive | None = None  # visits moved to the history store (visit_history_weeks)
    accounts: Accounts = field(default_factory=Accounts)   # 客户分类: computed figures, classes, 信用评估

    @property
    def ok(self) -> bool:
        """Every row accounted for, and every file's row count matches what was merged."""
        return all(r.ok for r in self.reconciliations) and all(c.ok for c in self.input_checks)

    @property
    def has_previous(self) -> bool:
        return self.previous_count is not None

    def reconciliation(self, label: str) -> Reconciliation:
        for r in self.reconciliations:
            if r.label == label:
                return r
        raise KeyError(label)

    def counts(self) -> dict[str, Any]:
        """Plain numbers for scripts (JSON-serialisable); ``files_skipped`` lists {file, reason}."""
        skipped = [{"file": i.name, "reason": i.skipped_reason} for i in self.inputs if i.skipped_reason]
        return {
            "files_read": (len(self.inputs) - len(skipped)) if self.inputs else len(self._files()),
            "files_skipped_count": len(skipped),
            "files_skipped": skipped,
            "rows_read": self.rows_read,
            "customers": len(self.customers),
            "customers_this_week": sum(1 for c in self.customers if c.from_this_week),
            "duplicates_folded": sum(c.n_sources - 1 for c in self.customers if c.n_sources),
            "quarantined": len(self.quarantined),
            "conflicts": len(self.conflicts),
            "suspected_duplicates": len(self.duplicates),
            "new": self._new(),
            "changed": len({e.customer_id for e in self.changes or () if e.kind == CHANGED}),
            "absent": sum(1 for e in self.changes or () if e.kind == ABSENT),
            "kept_previous": sum(1 for e in self.changes or () if e.kind == KEPT),
            "visit_records": len(self.visits.rows),
            "visit_plans": len(self.plans.rows),
            "complaints": len(self.complaints.rows),
            "trades": len(self.trades.rows),
            "trade_disagreements": len(self.accounts.findings),
            "record_duplicates_removed": sum(t.duplicates_removed for t in
                                             (self.visits, self.plans, self.complaints, self.trades)),
            "ok": self.ok,
        }

    def _files(self) -> set[str]:
        """Files that contributed rows (when the caller gave no input list)."""
        files = {r.file for r in self.quarantined}
        files.update(r.file for c in self.customers for r in c.candidates if r is not c.previous)
        files.update(r.file for t in (self.visits, self.plans, self.complaints, self.trades) for r in t.rows)
        return files

    def _new(self) -> int:
        if self.changes is None:  # first merge: every customer is new
            return sum(1 for c in self.customers if c.from_this_week)
        return sum(1 for e in self.changes if e.kind == NEW)
