"""Visit records moved out of the master into the store (archive.yaml ``visit_history_weeks``):
the master keeps the recent visits, the store keeps every older one for good (table
``archived_visits``, content-addressed, so moving the same visit again — offices re-send
their cumulative visit sheets every week — stores it once)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterable, Iterator

from workbook_tools.errors import OutputError
from workbook_tools.history.model import VISIT, AddedRecord, canonical, dumps, hash64
from workbook_tools.history.tables import ARCHIVE_DDL, ARCHIVE_TABLE
from workbook_tools.history.writer import added_body, connect_for_write


def ensure_archive(con: sqlite3.Connection) -> None:
    """Create the archive table in a store written before it existed (inside a transaction)."""
    for statement in ARCHIVE_DDL.split(";"):
        if statement.strip():
            con.execute(statement)


def archive_visits(path: str | Path, week: str, visits: Iterable[AddedRecord],
                   kept: Iterable[AddedRecord] = ()) -> int:
    """Store ``visits`` (moved out of ``week``'s master) in one transaction; returns how many
    were given. A visit already archived keeps its first week. ``kept``: the visits the master
    keeps — removed from the archive if there (the horizon was widened), so that a visit is
    in the master or in the store, never counted twice."""
    con = connect_for_write(path)
    try:
        con.execute("BEGIN IMMEDIATE")
        ensure_archive(con)
        rows = list(_rows(week, visits))
        con.executemany(f"INSERT OR IGNORE INTO {ARCHIVE_TABLE} VALUES (?, ?, ?, ?, ?)", rows)
        con.executemany(f"DELETE FROM {ARCHIVE_TABLE} WHERE hash = ?", ((r[0],) for r in _rows(week, kept)))
        con.execute("COMMIT")
        return len(rows)
    except BaseException as exc:
        if con.in_transaction:
            con.execute("ROLLBACK")
        if isinstance(exc, sqlite3.DatabaseError):
            raise OutputError(f"无法写入档案历史库 {path}：{exc}") from None
        raise
    finally:
        con.close()


def _rows(week: str, visits: Iterable[AddedRecord]) -> Iterator[tuple]:
    for v in visits:
        body = dumps(added_body(v))
        day = canonical(v.values.get("date"))
        yield hash64(f"{VISIT}:{body}"), week, day if isinstance(day, str) else None, v.customer_id, body


def copy_archive(source: str | Path, target: str | Path) -> None:
    """Carry ``source``'s archived visits into the store ``target`` (a rebuild from the kept
    masters cannot recover them: the masters no longer hold them)."""
    if not Path(source).is_file():
        return
    src = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
    try:
        has = src.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (ARCHIVE_TABLE,)).fetchone()
        rows = src.execute(f"SELECT * FROM {ARCHIVE_TABLE}").fetchall() if has else []
    except sqlite3.DatabaseError:
        rows = []
    finally:
        src.close()
    con = connect_for_write(target)
    try:
        con.execute("BEGIN IMMEDIATE")
        ensure_archive(con)
        con.executemany(f"INSERT OR IGNORE INTO {ARCHIVE_TABLE} VALUES (?, ?, ?, ?, ?)", rows)
        con.execute("COMMIT")
    finally:
        con.close()
