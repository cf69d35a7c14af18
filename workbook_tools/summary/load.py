"""Read the merged master archive with python-calamine into pandas frames keyed by field keys.

Headers are mapped through the schema (labels and aliases), so column order and extra
columns (来源文件/来源工作表/来源行) do not matter. Dates become ``datetime64`` at day
precision (NaT when blank), numbers float (NaN when blank), text ``str``/``None`` with
choice values canonicalised.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import re
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Callable, Iterable, Mapping

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from workbook_tools.accounts import SHEET as ACCOUNTS_SHEET
from workbook_tools.io.continuation import Joined, continued_sheets, join_rows
from workbook_tools.io.gcpause import gc_paused
from workbook_tools.errors import UnreadableWorkbook, WorkbookToolsError
from workbook_tools.schema.model import DATE_TYPES, NUMBER_TYPES, Form, Schema, normalize_choice, normalize_header
from workbook_tools.summary.computed import ACCOUNTS, accounts_frame, accounts_head
from workbook_tools.summary.parse import TEXT_DTYPE, parse_dates, parse_numbers, parse_text
from workbook_tools.summary.tables import labelled

CUSTOMER_SHEET = "客户档案"
VISIT_SHEET = "拜访记录"
PLAN_SHEET = "拜访计划"
TRADE_SHEET = "交易记录"
TRADE_FORM = "trade"
QUARANTINE_SHEET = "待修正"
DUPLICATE_SHEET = "疑似重复"
HEADER_SCAN_ROWS = 10
PROCESS_MIN_BYTES = 16 << 20  # masters at least this big read 拜访记录 in a second process
# 疑似重复: a pair is open while its 处理意见 (or status) cell is blank or says it is still pending;
# anything else a person wrote there (合并为 HD0001, 不是同一客户, 已处理 …) closes it.
OPEN_STATUSES = frozenset(normalize_choice(s) for s in ("", "待处理", "未处理", "处理中", "待核实", "待确认"))
_STATUS_HEADERS = frozenset({"处理意见", "状态", "处理状态", "处理结果", "处理情况", "结论"})
_PAIR_SUFFIX = re.compile(r"(?:[(（]?(?:[ab12一二甲乙])[)）]?)$")


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
                fields: Mapping[str, Iterable[str]] | None = None, workers: int = 2) -> MasterData:
    """Read the master's 客户档案, 拜访记录, 拜访计划, 待修正 and 疑似重复 sheets, 交易记录
    when the schema has the trade form and ``fields`` asks for it (or is None), and 客户分类
    when ``fields`` has the key ``accounts`` (or is None).

    ``fields`` (form key → field keys) limits the columns parsed; by default every field.
    ``workers`` > 1 reads sheets concurrently (see :func:`_run`); 1 reads them in order.
    """
    path = Path(path)
    _open(path).close()  # fail early, in Chinese, on a missing or unreadable file
    reg = schema.form("registration")
    wanted = {f.key: _wanted(f, fields) for f in schema.forms}
    jobs = {
        "visits": (_form_job, (path, schema.form("visit-record"), VISIT_SHEET, wanted)),
        "customers": (_form_job, (path, reg, CUSTOMER_SHEET, wanted, True)),
        "plans": (_form_job, (path, schema.form("visit-plan"), PLAN_SHEET, wanted)),
        "quarantine": (_rows_job, (path, QUARANTINE_SHEET, _quarantine, reg, _quarantine_head)),
        "pairs": (_rows_job, (path, DUPLICATE_SHEET, _duplicate_pairs, reg, _pairs_head)),
        "sha256": (file_sha256, (path,)),
    }
    if any(f.key == TRADE_FORM for f in schema.forms) and (fields is None or TRADE_FORM in fields):
        jobs["trades"] = (_form_job, (path, schema.form(TRADE_FORM), TRADE_SHEET, wanted))
    if fields is None or ACCOUNTS in fields:
        jobs["accounts"] = (_accounts_job, (path,))
    with gc_paused():
        done = _run(jobs, workers, big=path.stat().st_size >= PROCESS_MIN_BYTES)
    missing = tuple(name for key in ("visits", "plans", "quarantine", "pairs") for name in done[key][1])
    problems = tuple(p for key in ("customers", "visits", "plans", "quarantine", "pairs") for p in done[key][2])
    (q_total, q_region, q_owner), _, _ = done["quarantine"]
    return MasterData(
        path=path, sha256=done["sha256"], customers=done["customers"][0], visits=done["visits"][0],
        plans=done["plans"][0], quarantined=q_total, quarantined_by_region=q_region,
        quarantined_by_owner=q_owner, duplicate_pairs=done["pairs"][0], missing_sheets=missing,
        trades=done["trades"][0] if "trades" in done and not done["trades"][1] else None,
        problems=problems, accounts=done.get("accounts"),
    )


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


def _open(path: Path) -> CalamineWorkbook:
    if not path.is_file():
        raise UnreadableWorkbook(path, "文件不存在", "请检查总档案的路径")
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated types for bad files
        raise UnreadableWorkbook(
            path, f"不是可读取的 Excel 工作簿（{type(exc).__name__}）", "请选择合并生成的总档案 .xlsx 文件"
        ) from None


def _sheet_rows(path: Path, preferred: str, form: Form | None = None,
                head: Callable[[list[list]], int] | None = None) -> Joined | None:
    """The sheet's values (calamine ``to_python``) followed by the data rows of its
    continuation sheets (``preferred(2)`` …, whose rows up to the header — ``head(rows)``,
    0-based — must equal the first sheet's), or None when the workbook has no such sheet."""
    book = _open(path)
    names = book.sheet_names
    wanted = {normalize_header(n) for n in (form.title_names() if form else ())}
    name = preferred if preferred in names else next((n for n in names if normalize_header(n) in wanted), None)
    try:
        if name is None:
            return None
        rows = _load(book, path, name)
        more = [(n, (lambda n=n: _load(book, path, n))) for n in continued_sheets(names, name)[1:]]
        return join_rows(name, rows, head(rows) if head is not None and more else -1, more)
    finally:
        book.close()


def _load(book: CalamineWorkbook, path: Path, name: str) -> list[list]:
    try:
        return book.get_sheet_by_name(name).to_python()
    except Exception as exc:  # a damaged sheet inside a readable zip
        raise UnreadableWorkbook(path, f"工作表“{name}”已损坏，无法读取（{type(exc).__name__}）",
                                 "请用 Excel 打开并另存后重试") from None


def _rows_job(path: Path, name: str, convert, form: Form, head):
    joined = _sheet_rows(path, name, head=lambda rows: head(rows, form))
    rows = joined.rows if joined is not None else []
    return convert(rows, form), (() if joined is not None else (name,)), _problems(joined)


def _accounts_job(path: Path) -> pd.DataFrame | None:
    joined = _sheet_rows(path, ACCOUNTS_SHEET, head=accounts_head)
    return None if joined is None else accounts_frame(joined.rows)


def _problems(joined: Joined | None) -> tuple[str, ...]:
    return tuple(joined.problems) if joined is not None else ()


def _header(rows: list[list], form: Form) -> tuple[int, dict[str, int]]:
    """The header row (0-based; -1 if none) among the first rows and field key → column index."""
    best, best_map = -1, {}
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapping: dict[str, int] = {}
        for j, cell in enumerate(row):
            key = form.match_header(cell) if isinstance(cell, str) and cell.strip() else None
            if key is not None and key not in mapping:
                mapping[key] = j
        if len(mapping) > len(best_map):
            best, best_map = i, mapping
    return best, best_map


def _form_job(path: Path, form: Form, name: str, wanted: dict, required: bool = False):
    joined = _sheet_rows(path, name, form, head=lambda rows: _header(rows, form)[0])
    rows = joined.rows if joined is not None else None
    missing = () if rows is not None else (name,)
    if rows is None and required:
        raise UnreadableWorkbook(path, f"找不到工作表“{name}”", "请选择合并生成的总档案文件")
    head, mapping = _header(rows, form) if rows else (-1, {})
    if required and form.id_field not in mapping:
        label = form.field(form.id_field).label
        raise UnreadableWorkbook(path, f"工作表“{name}”中找不到“{label}”列", "请选择合并生成的总档案文件")
    fields = wanted[form.key]
    body = rows[head + 1:] if head >= 0 else []
    problems = _problems(joined)
    del rows, joined
    columns = _columns(body, {f.key: mapping[f.key] for f in fields if f.key in mapping})
    n = len(body)
    frame = pd.DataFrame({f.key: typed_values(f, columns[f.key]) if f.key in columns else _blank(f, n) for f in fields})
    mapped = [k for k in columns if k in frame.columns]
    keep = frame[mapped].notna().any(axis=1) if mapped else pd.Series(False, index=frame.index)
    return (frame if keep.all() else frame[keep].reset_index(drop=True)), missing, problems


def _blank(f, n: int) -> pd.Series:
    if f.type in DATE_TYPES:
        return pd.Series(np.full(n, np.datetime64("NaT", "D")))
    if f.type in NUMBER_TYPES:
        return pd.Series(np.full(n, np.nan))
    return pd.Series([None] * n, dtype=object).astype(TEXT_DTYPE)


def _columns(body: list[list], mapping: dict[str, int]) -> dict[str, list]:
    """The mapped columns of the data rows (C-speed ``itemgetter`` over rectangular rows)."""
    if not body or not mapping:
        return {}
    width = min(map(len, body))
    if width <= max(mapping.values()):
        body = [list(r) + [None] * (max(mapping.values()) + 1 - len(r)) for r in body]
    return {key: list(map(itemgetter(j), body)) for key, j in mapping.items()}


def typed_values(f, values) -> pd.Series:
    if f.type in DATE_TYPES:
        return pd.Series(parse_dates(values))
    if f.type in NUMBER_TYPES:
        return parse_numbers(values)
    return parse_text(values, f.choice_lookup() if f.choices else None)


def _quarantine_head(rows: list[list], reg: Form) -> int:
    head, _ = _header(rows, reg)
    if head < 0:
        head = next((i for i, r in enumerate(rows) if any(_filled(c) for c in r)), len(rows))
    return head


def _pairs_head(rows: list[list], reg: Form) -> int:
    return next((i for i, r in enumerate(rows[:HEADER_SCAN_ROWS]) if len(_id_columns(r, reg)) >= 1), -1)


def _quarantine(rows: list[list], reg: Form) -> tuple[int, pd.Series | None, pd.Series | None]:
    """Row count of 待修正 and, when it has the columns, counts by 所属区域 / 负责业务员."""
    _, mapping = _header(rows, reg)
    head = _quarantine_head(rows, reg)
    body = [r for r in rows[head + 1:] if any(_filled(c) for c in r)]
    columns = _columns(body, {k: mapping[k] for k in ("region", "owner") if k in mapping})
    counts = {}
    for key in ("region", "owner"):
        if key in columns:
            values = typed_values(reg.field(key), columns[key])
            counts[key] = labelled(values).value_counts()
    return len(body), counts.get("region"), counts.get("owner")


def _duplicate_pairs(rows: list[list], reg: Form) -> pd.DataFrame:
    """Open suspected-duplicate pairs as customer ids (id_a, id_b); one sheet row per pair."""
    empty = pd.DataFrame({"id_a": pd.Series(dtype=object), "id_b": pd.Series(dtype=object)})
    head = _pairs_head(rows, reg)
    if head < 0:
        return empty
    ids = _id_columns(rows[head], reg)[:2]
    status = next((j for j, c in enumerate(rows[head]) if normalize_header(c) in _STATUS_HEADERS), None)
    body = [r for r in rows[head + 1:] if any(_filled(c) for c in r)]
    if status is not None:
        body = [r for r in body if status >= len(r) or normalize_choice(r[status]) in OPEN_STATUSES]
    cols = _columns(body, {"id_a": ids[0], "id_b": ids[-1] if len(ids) > 1 else ids[0]})
    if not cols:
        return empty
    out = pd.DataFrame({k: parse_text(v) for k, v in cols.items()})
    if len(ids) == 1:
        out["id_b"] = None
    return out


def _id_columns(row: list, reg: Form) -> list[int]:
    """Columns whose header is 客户编号 with a pair marker (客户编号A, 客户编号（乙）, 客户编号1 …)."""
    out = []
    for j, cell in enumerate(row):
        text = normalize_header(cell)
        if reg.match_header(_PAIR_SUFFIX.sub("", text)) == reg.id_field or reg.match_header(text) == reg.id_field:
            out.append(j)
    return out


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())
