"""HistoryStore: read-only queries on the history store (SQLite, WAL: a reader sees the
last committed run while another run is being recorded).

>>> with HistoryStore("档案历史.sqlite") as store:
...     store.changes_for("HD0012")
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.history.model import CHANGED, COMPLAINT, TRADE, VISIT, HistoryChange
from workbook_tools.history.tables import ARCHIVE_TABLE, FORMAT

_CHANGE_COLUMNS = "week, date, kind, customer_id, customer_name, text, file, field, old, new"
_LATEST = ("SELECT v.week, v.file, b.layout, b.body FROM versions v JOIN bodies b ON b.hash = v.hash "
           "WHERE v.customer_id = ? AND v.week <= ? ORDER BY v.week DESC LIMIT 1")


class HistoryStore:
    """The store at ``path``, opened read-only. Raises WorkbookToolsError (Chinese) when
    the file is missing or is not a history store."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise WorkbookToolsError(f"找不到档案历史库 {self.path}：请先运行每周流程（weekly）"
                                     "或 merge --history，或用 history rebuild 从历次总表重建")
        try:
            self._con = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                        timeout=60)
            meta = dict(self._con.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError:
            raise WorkbookToolsError(f"{self.path} 不是档案历史库（SQLite 数据库）") from None
        if meta.get("format") != FORMAT:
            self._con.close()
            raise WorkbookToolsError(f"{self.path} 不是档案历史库（SQLite 数据库）")

    def __enter__(self) -> "HistoryStore":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self._con.close()

    # --- runs -----------------------------------------------------------------------

    def weeks(self) -> list[str]:
        return [w for (w,) in self._con.execute("SELECT week FROM runs ORDER BY week")]

    def runs(self) -> list[dict[str, Any]]:
        """Every recorded run, oldest first (the ``runs`` table, inputs included)."""
        cur = self._con.execute("SELECT * FROM runs ORDER BY week")
        names = [d[0] for d in cur.description]
        out = [dict(zip(names, row)) for row in cur.fetchall()]
        inputs: dict[str, list] = {}
        for week, name, sha in self._con.execute("SELECT week, file, sha256 FROM inputs ORDER BY week, seq"):
            inputs.setdefault(week, []).append({"file": name, "sha256": sha})
        for run in out:
            run["inputs"] = inputs.get(run["week"], [])
        return out

    def weekly_totals(self, last: int = 12) -> list[dict[str, Any]]:
        """The last ``last`` runs, oldest first: week, customers, new, changed, absent,
        overdue, quarantined. ``overdue`` is the weekly summary's 逾期未跟进客户; it is 0 for
        runs recorded without follow-up figures (`merge --history` alone, a rebuilt store)."""
        rows = self._con.execute(
            "SELECT week, customers, new, changed, absent, coalesce(overdue, 0), quarantined "
            "FROM runs ORDER BY week DESC LIMIT ?", (max(0, last),)).fetchall()
        keys = ("week", "customers", "new", "changed", "absent", "overdue", "quarantined")
        return [dict(zip(keys, row)) for row in reversed(rows)]

    # --- customers ------------------------------------------------------------------

    def changes_for(self, customer_id: str) -> list[HistoryChange]:
        """Every 变更记录 entry of the customer, oldest first."""
        return self._changes("WHERE customer_id = ? ORDER BY week, seq", (customer_id.strip(),))

    def changed_since(self, since: dt.date, field: str | None = None,
                      limit: int | None = None) -> list[HistoryChange]:
        """Field changes (修改) dated ``since`` or later, oldest first; ``field``: a label."""
        where, args = self._since(since, field)
        tail = " LIMIT ?" if limit is not None else ""
        return self._changes(f"{where} ORDER BY date, week, seq{tail}",
                             (*args, limit) if limit is not None else args)

    def count_changed_since(self, since: dt.date, field: str | None = None) -> tuple[int, int]:
        """(field changes, distinct customers) dated ``since`` or later."""
        where, args = self._since(since, field)
        return self._con.execute(f"SELECT count(*), count(DISTINCT customer_id) FROM changes {where}",
                                 args).fetchone()

    @staticmethod
    def _since(since: dt.date, field: str | None) -> tuple[str, tuple]:
        if field:
            return "WHERE field = ? AND date >= ?", (field, since.isoformat())
        return "WHERE kind = ? AND date >= ?", (CHANGED, since.isoformat())

    def _changes(self, tail: str, args: tuple) -> list[HistoryChange]:
        rows = self._con.execute(f"SELECT {_CHANGE_COLUMNS} FROM changes {tail}", args)
        return [HistoryChange(w, dt.date.fromisoformat(d), k, c, n, t, f, fl, o, nw)
                for w, d, k, c, n, t, f, fl, o, nw in rows]

    def record_of(self, customer_id: str, week: str | None = None) -> dict[str, Any] | None:
        """The customer's full record as merged in ``week`` (default: the latest run), or
        None if the customer was not in the archive then. Field key → value (dates as ISO
        text, empty → None); unknown columns of the master under their header."""
        row = self._con.execute(_LATEST, (customer_id.strip(), week or "9999")).fetchone()
        if row is None:
            return None
        (keys,) = self._con.execute("SELECT keys FROM layouts WHERE id = ?", (row[2],)).fetchone()
        items = json.loads(row[3])
        extras = items.pop() if items and isinstance(items[-1], dict) else {}
        return {**dict(zip(json.loads(keys), items)), **extras}

    def first_seen(self, customer_id: str) -> tuple[str, str] | None:
        """(week, file) in which the customer entered the archive."""
        return self._con.execute("SELECT week, file FROM versions WHERE customer_id = ? ORDER BY week "
                                 "LIMIT 1", (customer_id.strip(),)).fetchone()

    def added_counts(self, customer_id: str) -> dict[str, int]:
        """Visits (拜访), complaints (投诉) and trades (交易) recorded for the customer, all weeks; visits
        moved out of the masters (archived_visits, same content hash) counted once."""
        cid = customer_id.strip()
        rows = dict(self._con.execute("SELECT kind, count(*) FROM added WHERE customer_id = ? "
                                      "GROUP BY kind", (cid,)))
        visits = rows.get(VISIT, 0)
        if self._has(ARCHIVE_TABLE):
            (visits,) = self._con.execute(
                f"SELECT count(*) FROM (SELECT hash FROM added WHERE customer_id = ? AND kind = ? "
                f"UNION SELECT hash FROM {ARCHIVE_TABLE} WHERE customer_id = ?)", (cid, VISIT, cid)).fetchone()
        return {VISIT: visits, COMPLAINT: rows.get(COMPLAINT, 0), TRADE: rows.get(TRADE, 0)}

    def added_for(self, customer_id: str) -> list[dict[str, Any]]:
        """The customer's visits, complaints and trades: kind, week first seen, values."""
        return [{"kind": k, "week": w, **json.loads(b)} for k, w, b in self._con.execute(
            "SELECT kind, week, body FROM added WHERE customer_id = ? ORDER BY week, kind, hash",
            (customer_id.strip(),))]

    def archived_visits(self, customer_id: str | None = None) -> list[dict[str, Any]]:
        """Visit records moved out of the masters (archive.yaml visit_history_weeks), oldest
        first: values by field key (dates as ISO text), extra columns under 其他列."""
        if not self._has(ARCHIVE_TABLE):
            return []
        where, args = ("WHERE customer_id = ? ", (customer_id.strip(),)) if customer_id else ("", ())
        return [json.loads(b) for (b,) in self._con.execute(
            f"SELECT body FROM {ARCHIVE_TABLE} {where}ORDER BY date, hash", args)]

    def archived_count(self) -> int:
        if not self._has(ARCHIVE_TABLE):
            return 0
        return self._con.execute(f"SELECT count(*) FROM {ARCHIVE_TABLE}").fetchone()[0]

    def _has(self, table: str) -> bool:
        return self._con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                 (table,)).fetchone() is not None

    def fields(self) -> dict[str, tuple[str, str]]:
        """Field label → (key, type), from the latest recorded schema."""
        return {label: (key, type_) for key, label, type_ in
                self._con.execute("SELECT key, label, type FROM fields ORDER BY position")}

    def dump(self) -> dict[str, list]:
        """Every table's logical content in a stable order (rebuild checks, tests)."""
        queries = {
            "runs": "SELECT * FROM runs ORDER BY week",
            "inputs": "SELECT * FROM inputs ORDER BY week, seq",
            "fields": "SELECT * FROM fields ORDER BY position",
            "versions": "SELECT v.customer_id, v.week, v.file, l.keys, b.body FROM versions v "
                        "JOIN bodies b ON b.hash = v.hash JOIN layouts l ON l.id = b.layout "
                        "ORDER BY v.customer_id, v.week",
            "changes": "SELECT * FROM changes ORDER BY week, seq",
            "added": "SELECT kind, week, customer_id, body FROM added ORDER BY kind, week, customer_id, body",
        }
        out = {name: self._con.execute(sql).fetchall() for name, sql in queries.items()}
        out[ARCHIVE_TABLE] = (self._con.execute(f"SELECT week, date, customer_id, body FROM {ARCHIVE_TABLE} "
                                                "ORDER BY hash").fetchall() if self._has(ARCHIVE_TABLE) else [])
        return out

