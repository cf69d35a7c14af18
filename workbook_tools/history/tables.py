"""The history store's tables (SQLite; documented in docs/history.md).

A customer's record is stored only when it differs from the customer's previous stored
record (``versions`` → content-addressed ``bodies``), so 300,000 customers × 52 weeks
cost one record per customer plus one per real change; "the record as of week W" is the
customer's latest version with week ≤ W.
"""

from __future__ import annotations

FORMAT, VERSION = "workbook-tools-history", "1"

DDL = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE runs(
  week TEXT PRIMARY KEY, run_date TEXT NOT NULL, master TEXT NOT NULL,
  customers INTEGER NOT NULL, new INTEGER NOT NULL, changed INTEGER NOT NULL,
  absent INTEGER NOT NULL, kept INTEGER NOT NULL, quarantined INTEGER NOT NULL,
  overdue INTEGER, visits_added INTEGER NOT NULL, complaints_added INTEGER NOT NULL);
CREATE TABLE inputs(week TEXT NOT NULL, seq INTEGER NOT NULL, file TEXT NOT NULL,
  sha256 TEXT NOT NULL, PRIMARY KEY(week, seq)) WITHOUT ROWID;
CREATE TABLE fields(position INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL, type TEXT NOT NULL);
CREATE TABLE layouts(id INTEGER PRIMARY KEY, keys TEXT NOT NULL UNIQUE);
CREATE TABLE bodies(hash INTEGER PRIMARY KEY, layout INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE versions(customer_id TEXT NOT NULL, week TEXT NOT NULL, hash INTEGER NOT NULL,
  file TEXT NOT NULL, PRIMARY KEY(customer_id, week)) WITHOUT ROWID;
CREATE TABLE changes(week TEXT NOT NULL, seq INTEGER NOT NULL, date TEXT NOT NULL,
  kind TEXT NOT NULL, customer_id TEXT NOT NULL, customer_name TEXT NOT NULL,
  text TEXT NOT NULL, file TEXT NOT NULL, field TEXT NOT NULL, old TEXT, new TEXT,
  PRIMARY KEY(week, seq));
CREATE INDEX changes_customer ON changes(customer_id);
CREATE INDEX changes_kind_date ON changes(kind, date);
CREATE INDEX changes_field_date ON changes(field, date);
CREATE TABLE added(hash INTEGER PRIMARY KEY, kind TEXT NOT NULL, week TEXT NOT NULL,
  customer_id TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX added_customer ON added(customer_id);
CREATE INDEX added_week ON added(week);
"""

# Visit records moved out of the master (archive.yaml visit_history_weeks): kept for good,
# content-addressed like ``added`` (``week``: first archived); never cleared when a week is
# recorded again, carried over by a rebuild (the kept masters no longer hold them), and
# created in an older store when visits are first archived there.
ARCHIVE_TABLE = "archived_visits"
ARCHIVE_DDL = """
CREATE TABLE IF NOT EXISTS archived_visits(hash INTEGER PRIMARY KEY, week TEXT NOT NULL,
  date TEXT, customer_id TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS archived_visits_customer ON archived_visits(customer_id);
CREATE INDEX IF NOT EXISTS archived_visits_date ON archived_visits(date);
"""
DDL += ARCHIVE_DDL

WEEK_TABLES = ("runs", "inputs", "versions", "changes", "added")
