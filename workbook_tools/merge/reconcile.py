"""Reconciliation: every row read is accounted for exactly once.

客户档案: rows read = customers from this week + duplicate rows folded into them + rows in 待修正.
Record sheets: rows read + rows converted from completed plans = kept + exact duplicates removed
+ rows in 待修正 (+ for 拜访记录 the visits moved to the history store: visit_history_weeks). Each count is taken from the outputs, not derived from the others.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reconciliation:
    label: str            # the master sheet: 客户档案 / 拜访记录 / 拜访计划 / 投诉记录
    rows_read: int
    kept: int             # rows in the sheet that come from this week's inputs
    folded: int           # duplicate rows folded into them / exact duplicates removed
    quarantined: int      # rows of this form in 待修正
    added: int = 0        # rows converted from completed visit plans (拜访记录 only)
    moved: int = 0        # visits older than visit_history_weeks, moved to the history store
    kept_label: str = "保留"
    folded_label: str = "合并的重复行"

    @property
    def ok(self) -> bool:
        return self.rows_read + self.added == self.kept + self.folded + self.quarantined + self.moved

    @property
    def text(self) -> str:
        left = f"读取 {self.rows_read} 行"
        if self.added:
            left += f" + 由已完成拜访计划转入 {self.added} 行"
        right = (f"{self.kept_label} {self.kept} + {self.folded_label} {self.folded}"
                 f" + 待修正 {self.quarantined}")
        if self.moved:
            right += f" + 移入档案历史库 {self.moved}"
        verdict = "一致" if self.ok else "不一致，请检查"
        return f"{left} = {right}（{verdict}）"


@dataclass(frozen=True, slots=True)
class InputCheck:
    """Rows the reader counted in one file and sheet vs rows handed to the merge."""

    file: str
    sheet: str
    read: int | None        # None when the caller gave no count for this sheet
    received: int

    @property
    def ok(self) -> bool:
        return self.read is None or self.read == self.received
