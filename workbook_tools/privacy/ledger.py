"""The 借阅/发放 ledger (客户资料借阅表): an append-only SQLite file with a hash chain.

Every export (发放) is one entry; giving it back (归还) is a later entry naming it. Rows are
never updated or deleted (triggers refuse it), and each entry stores the hash of the
previous entry and of its own content, so ``verify()`` names the first entry that was
altered, deleted or inserted behind the tool's back. Two processes exporting at the same
time both get an entry: numbers are taken inside an IMMEDIATE transaction.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from workbook_tools.errors import WorkbookToolsError

DEFAULT_NAME = "发放登记.db"
ISSUE, RETURN = "发放", "归还"
GENESIS = "0" * 64
COLUMNS = ("number", "kind", "time", "operator", "recipient", "approver", "purpose", "role",
           "filters", "customers", "masked", "hidden", "output", "sha256", "encrypted",
           "return_by", "returns")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
  number INTEGER PRIMARY KEY, kind TEXT NOT NULL, time TEXT NOT NULL, operator TEXT NOT NULL,
  recipient TEXT NOT NULL DEFAULT '', approver TEXT NOT NULL DEFAULT '', purpose TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT '', filters TEXT NOT NULL DEFAULT '', customers INTEGER NOT NULL DEFAULT 0,
  masked TEXT NOT NULL DEFAULT '', hidden TEXT NOT NULL DEFAULT '', output TEXT NOT NULL DEFAULT '',
  sha256 TEXT NOT NULL DEFAULT '', encrypted INTEGER NOT NULL DEFAULT 0, return_by TEXT NOT NULL DEFAULT '',
  returns INTEGER NOT NULL DEFAULT 0, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS entries_no_update BEFORE UPDATE ON entries
  BEGIN SELECT RAISE(ABORT, '发放登记只能追加，不能修改'); END;
CREATE TRIGGER IF NOT EXISTS entries_no_delete BEFORE DELETE ON entries
  BEGIN SELECT RAISE(ABORT, '发放登记只能追加，不能删除'); END;
"""


class LedgerError(WorkbookToolsError):
    """The ledger cannot be opened or the request does not fit it (one Chinese line)."""


@dataclass
class Entry:
    number: int
    kind: str
    time: str
    operator: str
    recipient: str = ""
    approver: str = ""
    purpose: str = ""
    role: str = ""
    filters: str = ""
    customers: int = 0
    masked: str = ""
    hidden: str = ""
    output: str = ""
    sha256: str = ""
    encrypted: int = 0
    return_by: str = ""
    returns: int = 0
    returned: str = ""  # for a 发放 entry: the date it was given back (from its 归还 entry)
    hash: str = field(default="", repr=False)

    def content(self) -> dict:
        return {name: getattr(self, name) for name in COLUMNS}

    def overdue(self, today: dt.date) -> bool:
        return self.kind == ISSUE and not self.returned and bool(self.return_by) \
            and self.return_by < today.isoformat()

    def to_dict(self) -> dict:
        data = self.content()
        data["returned"] = self.returned
        return data


@dataclass
class Verification:
    entries: int
    bad: int | None = None  # number of the first altered entry
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.bad is None


def entry_hash(prev: str, content: dict) -> str:
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev + text).encode("utf-8")).hexdigest()


def operator_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still record something
        return "未知用户"


class Ledger:
    def __init__(self, path: str | Path):
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=600, isolation_level=None)
            conn.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise LedgerError(f"无法打开发放登记 {self.path}：{exc}（文件损坏或不是发放登记数据库）") from None
        except OSError as exc:
            raise LedgerError(f"无法打开发放登记 {self.path}：{exc.strerror or exc}") from None
        return conn

    def append(self, build: Callable[[int], dict]) -> Entry:
        """Take the next number, let ``build(number)`` produce the entry's fields (an export
        writes its file there, so the file can quote its own entry number) and append it.
        If ``build`` raises, nothing is recorded."""
        with closing(self._connect()) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                last = conn.execute("SELECT number, hash FROM entries ORDER BY number DESC LIMIT 1").fetchone()
                number, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
                values = build(number)
                entry = Entry(number=number, time=values.pop("time", None) or _now(),
                              operator=values.pop("operator", None) or operator_name(), **values)
                entry.hash = entry_hash(prev, entry.content())
                names = (*COLUMNS, "prev_hash", "hash")
                conn.execute(f"INSERT INTO entries ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                             (*entry.content().values(), prev, entry.hash))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return entry

    def _rows(self) -> list[tuple[Entry, str]]:
        if not self.path.exists():
            return []
        with closing(self._connect()) as conn:
            rows = conn.execute(f"SELECT {', '.join(COLUMNS)}, prev_hash, hash FROM entries "
                                "ORDER BY number").fetchall()
        out = []
        for row in rows:
            entry = Entry(**dict(zip(COLUMNS, row[:len(COLUMNS)])), hash=row[-1])
            out.append((entry, row[-2]))
        return out

    def entries(self) -> list[Entry]:
        """Every entry in order; 发放 entries carry the date they were returned."""
        entries = [e for e, _ in self._rows()]
        returned = {e.returns: e.time[:10] for e in entries if e.kind == RETURN}
        for e in entries:
            if e.kind == ISSUE:
                e.returned = returned.get(e.number, "")
        return entries

    def issues(self, *, open_only: bool = False, overdue_on: dt.date | None = None) -> list[Entry]:
        out = [e for e in self.entries() if e.kind == ISSUE]
        if open_only:
            out = [e for e in out if not e.returned]
        if overdue_on is not None:
            out = [e for e in out if e.overdue(overdue_on)]
        return out

    def give_back(self, number: int, *, note: str = "", time: str | None = None) -> Entry:
        """Record that entry ``number`` was returned (归还)."""
        issued = {e.number: e for e in self.issues()}
        if number not in issued:
            raise LedgerError(f"发放登记中没有第 {number} 号发放记录")
        if issued[number].returned:
            raise LedgerError(f"第 {number} 号发放记录已于 {issued[number].returned} 归还")
        target = issued[number]
        return self.append(lambda _: {"kind": RETURN, "returns": number, "recipient": target.recipient,
                                      "role": target.role, "output": target.output, "purpose": note,
                                      "time": time})

    def verify(self) -> Verification:
        """Recompute the chain; the first entry whose stored hashes do not match is named."""
        rows = self._rows()
        prev = GENESIS
        for expected, (entry, stored_prev) in enumerate(rows, start=1):
            if entry.number != expected:
                return Verification(len(rows), expected, f"缺少第 {expected} 号记录（被删除）")
            if stored_prev != prev:
                return Verification(len(rows), entry.number, "与前一条记录的链接不符（前一条被删除或替换）")
            if entry_hash(prev, entry.content()) != entry.hash:
                return Verification(len(rows), entry.number, "内容与登记时的校验值不符（被修改）")
            prev = entry.hash
        return Verification(len(rows))


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def default_ledger_path(folder: str | Path = ".") -> Path:
    """发放登记.db in ``folder`` (the folder holding archive.yaml, or the current folder)."""
    return Path(folder) / DEFAULT_NAME
