"""Phase table for merge_files: wraps the functions of each phase (in the modules that call
them) with a timer that books wall and CPU seconds (this thread's, time.thread_time) to a
label. Nested timed calls are booked to the inner label only (self time), so the rows add
up to the work done; the read-ahead thread's parse is booked on its own thread and overlaps
the main thread's validation (its wall is not on the critical path).

Used by bench_merge.py --phases and bench_million.py; not a bench_* script itself.
"""

from __future__ import annotations

import functools
import importlib
import threading
import time
from collections import defaultdict
from typing import Any, Callable

_local = threading.local()


class PhaseTimer:
    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._undo: list[tuple[Any, str, Any]] = []
        self._lock = threading.Lock()

    def wrap(self, func: Callable, label: str | Callable[..., str]) -> Callable:
        timer = self

        @functools.wraps(func)
        def timed(*args, **kwargs):
            stack = getattr(_local, "stack", None)
            if stack is None:
                stack = _local.stack = []
            stack.append([0.0, 0.0])  # children's wall, cpu
            w0, c0 = time.perf_counter(), time.thread_time()
            try:
                return func(*args, **kwargs)
            finally:
                w, c = time.perf_counter() - w0, time.thread_time() - c0
                child_w, child_c = stack.pop()
                if stack:
                    stack[-1][0] += w
                    stack[-1][1] += c
                name = label(*args, **kwargs) if callable(label) else label
                with timer._lock:
                    timer.wall[name] += w - child_w
                    timer.cpu[name] += c - child_c
                    timer.calls[name] += 1
        return timed

    def patch(self, module: str, name: str, label: str | Callable[..., str]) -> None:
        """Replace ``module.name`` (the reference the caller looks up) by its timed wrapper."""
        mod = importlib.import_module(module)
        original = getattr(mod, name)
        self._undo.append((mod, name, original))
        setattr(mod, name, self.wrap(original, label))

    def restore(self) -> None:
        for mod, name, original in reversed(self._undo):
            setattr(mod, name, original)
        self._undo.clear()

    def table(self) -> dict[str, dict[str, float]]:
        return {k: {"wall": self.wall[k], "cpu": self.cpu[k], "calls": self.calls[k]} for k in self.wall}


def _column_label(col, *_a, **_k) -> str:
    fld = col.field
    kind = fld.type if not (fld.type == "text" and not fld.pattern) else "text (free)"
    return f"validate: column {kind}"


def merge_phases(timer: PhaseTimer) -> PhaseTimer:
    """Patch merge_files' phases: read (thread), validate per check family, row rules,
    SourceRows, submissions, merge_rows parts, write parts, history."""
    v = "workbook_tools.validate"
    timer.patch("workbook_tools.io.reader", "_read_or_error", "read: parse + reader (read-ahead thread)")
    timer.patch(f"{v}.files", "validate_book", "validate: table setup, parsed dicts")
    timer.patch(f"{v}.engine", "_check_column", _column_label)
    timer.patch(f"{v}.engine", "header_findings", "validate: headers")
    timer.patch(f"{v}.engine", "join_repeated_text", "validate: row rules")
    timer.patch(f"{v}.engine", "_long_text", "validate: long text (other columns)")
    timer.patch(f"{v}.engine", "_form_rules", "validate: row rules")
    timer.patch(f"{v}.engine", "sort_findings", "validate: findings sort")
    for name in ("required", "required_if", "unique", "duplicate_rows"):
        timer.patch(f"{v}.rules", name, f"validate: rule {name}")
    timer.patch("workbook_tools.merge.reading", "add_table", "rows: SourceRows, packed records (collect.add_table)")
    timer.patch("workbook_tools.merge.reading", "sha256_of", "sha256 of inputs")
    timer.patch("workbook_tools.merge.files", "drop_duplicate_submissions", "submissions + duplicate ids")
    timer.patch("workbook_tools.merge.files", "flag_duplicate_ids", "submissions + duplicate ids")
    timer.patch("workbook_tools.merge.files", "merge_rows", "merge_rows: sort, split, reconcile")
    core = "workbook_tools.merge.core"
    timer.patch(core, "upsert", "merge_rows: upsert customers")
    timer.patch(core, "build_records", "merge_rows: visit/plan/complaint records")
    timer.patch(core, "find_suspected_duplicates", "merge_rows: suspected duplicates (names)")
    timer.patch(core, "compute_accounts", "merge_rows: 客户分类 (compute_accounts)")
    timer.patch(core, "change_log", "merge_rows: change log")
    timer.patch("workbook_tools.merge.files", "write_master", "write: package, report sheets")
    timer.patch("workbook_tools.merge.master_writer", "master_sheets", "write: master_sheets (table rows)")
    timer.patch("workbook_tools.merge.files", "record_run", "history: record_run")
    return timer


def print_table(table: dict[str, dict[str, float]], total_wall: float, total_cpu: float,
                indent: str = "    ") -> None:
    """The phase table, largest CPU first, with each row's share of the run's CPU."""
    print(f"{indent}{'phase':52s}{'wall s':>9s}{'cpu s':>9s}{'cpu %':>8s}{'calls':>8s}")
    for name, t in sorted(table.items(), key=lambda kv: -kv[1]["cpu"]):
        share = 100 * t["cpu"] / total_cpu if total_cpu else 0
        print(f"{indent}{name:52s}{t['wall']:9.2f}{t['cpu']:9.2f}{share:7.1f}%{t['calls']:8d}")
    rest = total_cpu - sum(t["cpu"] for t in table.values())
    print(f"{indent}{'(not in a timed phase)':52s}{'':9s}{rest:9.2f}{100 * rest / total_cpu:7.1f}%")
    print(f"{indent}{'merge_files total (wall; cpu of all threads)':52s}{total_wall:9.2f}{total_cpu:9.2f}")
