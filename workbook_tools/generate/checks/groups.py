"""Where each field's error and warning formulas go on the 检查 sheet.

Fewer formula cells per row is what LibreOffice's import and recalculation pay for, so a run of
adjacent fields whose checks are short (choices, numbers, required text, 手机, 邮编, dates …)
shares one 错误 cell (and one 警告 cell) instead of a column each. The red or yellow fill of such
a field cannot read a column of its own, so its conditional format carries the field's own test
(``CheckPlan.verdicts``: its formula with every message a "!"). A field whose test is long (身份证号,
信用代码) or scans the column (duplicate 客户编号) keeps its own column, which its format reads."""

from __future__ import annotations

import re

GROUP_CHARS = 6000        # one shared cell's formula, well under Excel's 8,192 characters
VERDICT_CHARS = 1200      # the longest test a conditional format carries
_HELPER_REF = re.compile(r"(?<![!A-Za-z$'])([A-Z]{1,3})§")


class SharedCells:
    """The 错误 (or 警告) formulas of one severity, in column order."""

    def __init__(self, plan, sheet: str, severity: str, own: dict[int, str], parts: list[str]):
        self.plan, self.sheet, self.severity = plan, sheet, severity
        self.own_cells, self.parts = own, parts
        self.run: list[tuple[int, str, str, str]] = []     # (column, label, formula, verdict)

    def add(self, col: int, field, formula: str, verdict: str, shareable: bool) -> None:
        if formula == '""':
            return                        # nothing to check: does not break a run
        if not shareable or len(verdict) > VERDICT_CHARS:
            self.close()
            self._own(col, field.label, formula)
            return
        if self.run and sum(len(f) for _, _, f, _ in self.run) + len(formula) > GROUP_CHARS:
            self.close()
        self.run.append((col, field.label, formula, verdict))

    def _own(self, col: int, label: str, formula: str) -> None:
        self.own_cells[col] = self.plan.add(f"{label} {self.severity}", formula)
        self.parts.append(self.own_cells[col])

    def close(self) -> None:
        run, self.run = self.run, []
        if len(run) == 1:
            self._own(*run[0][:3])
        elif run:
            labels = "、".join(label for _, label, _, _ in run)
            letter = self.plan.add(f"{self.severity}（{labels}）", "&".join(f for _, _, f, _ in run))
            self.parts.append(letter)
            for col, _, _, verdict in run:
                self.plan.verdicts[(col, self.severity)] = _HELPER_REF.sub(rf"'{self.sheet}'!\1§", verdict)
