"""Read the merged master archive into pandas frames keyed by field keys.

The big sheets (客户档案, 拜访记录, 拜访计划, 交易记录, 客户分类) are read through io.stream:
only the columns asked for, chunk by chunk, typed as they come (load.forms); the small list
sheets (待修正, 疑似重复) through python-calamine (load.extras). Text is stored as pandas'
"str" dtype, Arrow-backed with pyarrow installed (tens of bytes a value, not a Python object).

Headers are mapped through the schema (labels and aliases), so column order and extra
columns (来源文件/来源工作表/来源行) do not matter. Dates become ``datetime64`` at day
precision (NaT when blank), numbers float (NaN when blank), text ``str``/``None`` with
choice values canonicalised.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

from workbook_tools.io.gcpause import gc_paused, release_memory
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.schema.model import Form, Schema
from workbook_tools.summary.computed import ACCOUNTS
from workbook_tools.summary.load.extras import (
    OPEN_STATUSES, duplicate_pairs, pairs_head, quarantine, quarantine_head, rows_job,
)
from workbook_tools.summary.load.forms import accounts_job, form_job, typed_values
from workbook_tools.summary.load.sheets import HEADER_SCAN_ROWS, open_book

CUSTOMER_SHEET = "客户档案"
VISIT_SHEET = "拜访记录"
PLAN_SHEET = "拜访计划"
TRADE_SHEET = "交易记录"
TRADE_FORM = "trade"
QUARANTINE_SHEET = "待修正"
DUPLICATE_SHEET = "疑似重复"
PROCESS_MIN_BYTES = 16 << 20  # masters at least this big read 拜访记录 in a second process


@dataclass(frozen=True)
class MasterData:
    path: Path
    sha256: str
    customers: pd.DataFrame  # one column per registration field key
    visits: pd.DataFrame  # one column per visit-record field key
    plans: pd.DataFrame  # one column per visit-plan field key
    quarantined: int = 0  # data rows on 待修正
    # counts indexed by value (blank → （未填写）); None when 待修正 has no such column
    quarantined_by_region: pd.Series | None = None
    quarantined_by_owner: pd.Series | None = None
    duplicate_pairs: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["id_a", "id_b"]))
    missing_sheets: tuple[str, ...] = ()
    # one column per trade field key; None when the master has no 交易记录 sheet (or it was not read)
    trades: pd.DataFrame | None = None
    problems: tuple[str, ...] = ()  # continuation sheets not joined (header differs), in Chinese
    archived_visits: int = 0  # of ``visits``, those read from the history store (summary.archived)
    # 客户分类 (summary.computed): customer_id, source and the computed trade figures; None when
    # the master has no such sheet or ``fields`` did not ask for it
    accounts: pd.DataFrame | None = None

    @property
    def duplicates(self) -> int:
        """Open suspected-duplicate pairs."""
        return len(self.duplicate_pairs)


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_master(path: str | Path, schema: Schema, *,
                fields: Mapping[str, Iterable[str]] | None = None, workers: int = 2,
                presence: Iterable[str] = ()) -> MasterData:
    """Read the master's 客户档案, 拜访记录, 拜访计划, 待修正 and 疑似重复 sheets, 交易记录
    when the schema has the trade form and ``fields`` asks for it (or is None), and 客户分类
    when ``fields`` has the key ``accounts`` (or is None).

    ``fields`` (form key → field keys) limits the columns parsed; by default every field.
    ``workers`` > 1 reads sheets concurrently (see :func:`_run`); 1 reads them in order.
    ``presence``: registration fields read only to know whether they are filled (档案质量):
    their columns become filled flags (see :func:`filled_flags`), not a million texts.
    """
    path = Path(path)
    open_book(path).close()  # fail early, in Chinese, on a missing or unreadable file
    reg = schema.form("registration")
    wanted = {f.key: _wanted(f, fields) for f in schema.forms}
    jobs = {
        "visits": (form_job, (path, schema.form("visit-record"), VISIT_SHEET, wanted)),
        "customers": (form_job, (path, reg, CUSTOMER_SHEET, wanted, True)),
        "plans": (form_job, (path, schema.form("visit-plan"), PLAN_SHEET, wanted)),
        "quarantine": (rows_job, (path, QUARANTINE_SHEET, quarantine, reg, quarantine_head)),
        "pairs": (rows_job, (path, DUPLICATE_SHEET, duplicate_pairs, reg, pairs_head)),
        "sha256": (file_sha256, (path,)),
    }
    if any(f.key == TRADE_FORM for f in schema.forms) and (fields is None or TRADE_FORM in fields):
        jobs["trades"] = (form_job, (path, schema.form(TRADE_FORM), TRADE_SHEET, wanted))
    if fields is None or ACCOUNTS in fields:
        jobs["accounts"] = (accounts_job, (path,))
    with gc_paused():
        done = _run(jobs, workers, big=path.stat().st_size >= PROCESS_MIN_BYTES)
    missing = tuple(name for key in ("visits", "plans", "quarantine", "pairs") for name in done[key][1])
    problems = tuple(p for key in ("customers", "visits", "plans", "quarantine", "pairs") for p in done[key][2])
    (q_total, q_region, q_owner), _, _ = done["quarantine"]
    customers = filled_flags(done.pop("customers")[0], presence)
    release_memory()
    return MasterData(
        path=path, sha256=done["sha256"], customers=customers, visits=done["visits"][0],
        plans=done["plans"][0], quarantined=q_total, quarantined_by_region=q_region,
        quarantined_by_owner=q_owner, duplicate_pairs=done["pairs"][0], missing_sheets=missing,
        trades=done["trades"][0] if "trades" in done and not done["trades"][1] else None,
        problems=problems, accounts=done.get("accounts"),
    )


def filled_flags(frame: pd.DataFrame, keys: Iterable[str]) -> pd.DataFrame:
    """``frame`` with each column of ``keys`` replaced by True where filled and <NA> where blank
    (pandas' nullable boolean: 2 bytes a row), so ``notna()`` counts exactly as before."""
    flags = {}
    for key in keys:
        if key in frame.columns:
            filled = frame[key].notna().to_numpy()
            flags[key] = pd.Series(pd.arrays.BooleanArray(filled.copy(), ~filled), index=frame.index)
    return frame.assign(**flags) if flags else frame


def _run(jobs: dict[str, tuple], workers: int, *, big: bool) -> dict:
    """Run the read jobs. With workers > 1: on Linux, for a big master, 拜访记录 (the largest
    sheet) is read in a forked process while this process reads the rest (calamine holds the
    GIL for part of its parsing, so threads overlap only partly); otherwise in threads."""
    remote = _fork_job(*jobs["visits"]) if workers > 1 and big else None
    if remote is not None:
        done = {name: fn(*args) for name, (fn, args) in jobs.items() if name != "visits"}
        done["visits"] = _collect(remote)
        return done
    if workers <= 1:
        return {name: fn(*args) for name, (fn, args) in jobs.items()}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {name: pool.submit(fn, *args) for name, (fn, args) in jobs.items()}
        return {name: f.result() for name, f in futures.items()}


def _fork_job(fn, args):
    """(pool, future, fn, args) for ``fn(*args)`` in a forked process, or None where fork is
    not the safe choice (Windows, macOS: spawn would re-import the caller's main script)."""
    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return None
    try:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        return pool, pool.submit(fn, *args), fn, args
    except (OSError, RuntimeError, ValueError):
        return None


def _collect(remote):
    """The forked job's result; if the process failed for a reason other than the workbook
    itself (killed, out of memory, unpicklable result), run the job here instead."""
    pool, future, fn, args = remote
    try:
        return future.result()
    except WorkbookToolsError:
        raise
    except Exception:  # BrokenProcessPool, pickling errors …
        return fn(*args)
    finally:
        pool.shutdown(wait=True)


def _wanted(form: Form, fields: Mapping[str, Iterable[str]] | None) -> list:
    if fields is None or form.key not in fields:
        return list(form.fields)
    keys = set(fields[form.key])
    return [f for f in form.fields if f.key in keys]


__all__ = ["CUSTOMER_SHEET", "DUPLICATE_SHEET", "HEADER_SCAN_ROWS", "OPEN_STATUSES", "PLAN_SHEET",
           "QUARANTINE_SHEET", "TRADE_FORM", "TRADE_SHEET", "VISIT_SHEET", "MasterData", "file_sha256",
           "load_master", "typed_values"]
