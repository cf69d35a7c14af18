"""Recording one run: one SQLite transaction (BEGIN IMMEDIATE … COMMIT) in WAL mode, so
readers keep reading the previous state while a run writes, and a run killed half-way
leaves the store exactly as it was. Recording a week again replaces that week."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from itertools import islice
from typing import Any, Callable, Iterable, Iterator

from workbook_tools.errors import OutputError
from workbook_tools.history.model import (
    ABSENT, CHANGED, COMPLAINT, KEPT, NEW, VISIT, AddedRecord, RunRecord, canonical, dumps, hash64,
)
from workbook_tools.history.tables import DDL, FORMAT, VERSION, WEEK_TABLES

OnStep = Callable[[str], None]
LATER = ("档案历史库 {path} 中已有更晚的周（{later}），本次重新记录了较早的 {week}；"
         "之后各周的历史是相对旧记录保存的，请运行 workbook-tools history rebuild 输出目录 重建历史库")
EXTRAS = "其他列"
BUSY_MS = 60_000
BATCH = 50_000        # customers whose bodies are built at a time (memory is bounded by a batch)


def connect_for_write(path: str | Path) -> sqlite3.Connection:
    """Open (creating if needed) the store for writing; WAL journal, explicit transactions."""
    path = Path(path)
    con = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        _ensure_schema(con)
    except (sqlite3.DatabaseError, OSError) as exc:
        if con is not None:
            con.close()
        raise OutputError(f"无法写入档案历史库 {path}：{_reason(exc)}") from None
    return con


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    text = str(exc)
    if "not a database" in text:
        return "该文件不是档案历史库（SQLite 数据库）；请换一个路径，或确认无用后删除它"
    if "locked" in text:
        return "另一个程序正在写入该历史库，请稍后重试"
    return text


def _tables(con: sqlite3.Connection) -> set[str]:
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _ensure_schema(con: sqlite3.Connection) -> None:
    """Create the tables in a new (empty) file; refuse a database that is not a store."""
    tables = _tables(con)
    if not tables:
        con.execute("BEGIN IMMEDIATE")
        tables = _tables(con)              # another process may have created them meanwhile
        if not tables:
            for statement in DDL.split(";"):
                if statement.strip():
                    con.execute(statement)
            con.executemany("INSERT INTO meta VALUES (?, ?)", [("format", FORMAT), ("version", VERSION)])
            tables = {"meta"}
        con.execute("COMMIT")
    meta = dict(con.execute("SELECT key, value FROM meta")) if "meta" in tables else {}
    if meta.get("format") != FORMAT:
        raise sqlite3.DatabaseError("file is not a database")


def check_store(path: str | Path) -> None:
    """Raise OutputError now (before a long run) if ``path`` cannot be the history store;
    creates an empty store when the file is missing."""
    connect_for_write(path).close()


def record_run(path: str | Path, run: RunRecord, *, on_step: OnStep | None = None) -> list[str]:
    """Record ``run`` in the store at ``path`` (created when missing), replacing the week.
    Returns notices (Chinese) for the user, e.g. when an earlier week than the latest was
    recorded again (later weeks were stored as differences against it: rebuild)."""
    con = connect_for_write(path)
    step = on_step or (lambda name: None)
    try:
        con.execute("BEGIN IMMEDIATE")
        later = [w for (w,) in con.execute("SELECT week FROM runs WHERE week > ? ORDER BY week", (run.week,))]
        replaced = _clear_week(con, run.week)
        step("cleared")
        layout = _layout(con, run)
        tally = {"customers": _versions(con, run, layout)}
        step("customers")
        tally.update(_changes(con, run, tally["customers"]))
        step("changes")
        tally.update(_added(con, run.week, run.added))
        step("added")
        if replaced:
            con.execute("DELETE FROM bodies WHERE hash NOT IN (SELECT hash FROM versions)")
        _run_row(con, run, tally)
        step("runs")
        con.execute("COMMIT")
        run.tally = tally
        return [LATER.format(path=path, week=run.week, later="、".join(later))] if later else []
    except BaseException as exc:
        if con.in_transaction:
            con.execute("ROLLBACK")
        if isinstance(exc, sqlite3.DatabaseError):
            raise OutputError(f"无法写入档案历史库 {path}：{_reason(exc)}") from None
        raise
    finally:
        con.close()


def replace_store(target: str | Path, source: str | Path) -> None:
    """Replace the content of the store ``target`` (created when missing) with the store
    ``source`` in one step of SQLite's backup API: open readers see the old or the new
    store, never a mix (renaming a file under live SQLite connections is not safe)."""
    src = sqlite3.connect(source)
    dst = connect_for_write(target)
    try:
        src.backup(dst)
    except sqlite3.DatabaseError as exc:
        raise OutputError(f"无法写入档案历史库 {target}：{_reason(exc)}") from None
    finally:
        src.close()
        dst.close()


def _clear_week(con: sqlite3.Connection, week: str) -> bool:
    existed = con.execute("SELECT 1 FROM runs WHERE week = ?", (week,)).fetchone() is not None
    for table in WEEK_TABLES:
        con.execute(f"DELETE FROM {table} WHERE week = ?", (week,))
    return existed


def _layout(con: sqlite3.Connection, run: RunRecord) -> tuple[int, list[str]]:
    """The field order bodies are stored in (one row per distinct schema layout)."""
    con.execute("DELETE FROM fields")
    con.executemany("INSERT INTO fields VALUES (?, ?, ?, ?)",
                    [(i, f.key, f.label, f.type) for i, f in enumerate(run.fields)])
    keys = [f.key for f in run.fields]
    text = dumps(keys)
    con.execute("INSERT OR IGNORE INTO layouts(keys) VALUES (?)", (text,))
    (layout,) = con.execute("SELECT id FROM layouts WHERE keys = ?", (text,)).fetchone()
    return layout, keys


def body_of(keys: list[str], values: Any, extras: Any) -> str:
    """A record as stored: its values in layout order, then its extra columns (if any)."""
    items: list[Any] = [canonical(values.get(k)) for k in keys]
    extra = {str(h): canonical(v) for h, v in (extras or {}).items() if canonical(v) is not None}
    if extra:
        items.append(extra)
    return dumps(items)


def _versions(con: sqlite3.Connection, run: RunRecord, layout: tuple[int, list[str]]) -> int:
    """Store each customer's record unless it equals the customer's latest earlier one, a
    batch at a time (the run's customers may be a stream read from a master). Returns how
    many customers the run has."""
    layout_id, keys = layout
    count, source = 0, iter(run.customers)
    while batch := list(islice(source, BATCH)):
        latest = _latest(con, run.week, [c.customer_id for c in batch])
        bodies, versions = [], []
        for c in batch:
            body = body_of(keys, c.values, c.extras)
            h = hash64(f"{layout_id}:{body}")
            if latest.get(c.customer_id) != h:
                bodies.append((h, layout_id, body))
                versions.append((c.customer_id, run.week, h, c.file))
        con.executemany("INSERT OR IGNORE INTO bodies VALUES (?, ?, ?)", bodies)
        con.executemany("INSERT INTO versions VALUES (?, ?, ?, ?)", versions)
        count += len(batch)
    return count


def _latest(con: sqlite3.Connection, week: str, ids: list[str]) -> dict[str, int]:
    """customer id → hash of its latest version before ``week``, for the customers ``ids``."""
    return dict(con.execute(
        "SELECT customer_id, hash FROM (SELECT customer_id, hash, max(week) FROM versions "
        "WHERE week < ? AND customer_id IN (SELECT value FROM json_each(?)) GROUP BY customer_id)",
        (week, dumps(sorted(set(ids))))))


def _changes(con: sqlite3.Connection, run: RunRecord, customers: int) -> dict[str, int]:
    """Store the run's 变更记录 entries; returns the counts the runs row keeps."""
    kinds = {NEW: 0, ABSENT: 0, KEPT: 0}
    changed: set[str] = set()

    def rows() -> Iterator[tuple]:
        for seq, c in enumerate(run.changes or ()):
            if c.kind in kinds:
                kinds[c.kind] += 1
            elif c.kind == CHANGED:
                changed.add(c.customer_id)
            yield (run.week, seq, c.date.isoformat(), c.kind, c.customer_id, c.customer_name or "", c.text,
                   c.file, c.field or "", c.old, c.new)

    con.executemany("INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
    return {"new": kinds[NEW] if run.changes is not None else customers, "changed": len(changed),
            "absent": kinds[ABSENT], "kept": kinds[KEPT]}


def _added(con: sqlite3.Connection, week: str, added: Iterable[AddedRecord]) -> dict[str, int]:
    """Visits and complaints first seen this week (a row already recorded in an earlier
    week keeps that week). Returns how many visits and complaints the run has."""
    kinds = {VISIT: 0, COMPLAINT: 0}
    con.executemany("INSERT OR IGNORE INTO added VALUES (?, ?, ?, ?, ?)", _added_rows(week, added, kinds))
    return {"visits": kinds[VISIT], "complaints": kinds[COMPLAINT]}


def _added_rows(week: str, added: Iterable[AddedRecord], kinds: dict[str, int] | None = None) -> Iterator[tuple]:
    for a in added:
        if kinds is not None and a.kind in kinds:
            kinds[a.kind] += 1
        body = dumps(added_body(a))
        yield hash64(f"{a.kind}:{body}"), a.kind, week, a.customer_id, body


def added_body(a: AddedRecord) -> dict[str, Any]:
    """A visit/complaint as stored: non-empty values by field key, extra columns under 其他列."""
    body = {k: canonical(v) for k, v in sorted(a.values.items()) if canonical(v) is not None}
    extras = {str(h): canonical(v) for h, v in sorted(a.extras.items(), key=lambda i: str(i[0]))
              if canonical(v) is not None}
    if extras:
        body[EXTRAS] = extras
    return body


def _run_row(con: sqlite3.Connection, run: RunRecord, n: dict[str, int]) -> None:
    con.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (
        run.week, run.run_date.isoformat(), run.master, n["customers"], n["new"], n["changed"],
        n["absent"], n["kept"], run.quarantined, run.overdue, n["visits"], n["complaints"]))
    con.executemany("INSERT INTO inputs VALUES (?, ?, ?, ?)",
                    [(run.week, i, name, sha) for i, (name, sha) in enumerate(run.inputs)])

