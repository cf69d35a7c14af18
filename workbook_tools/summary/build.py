"""The one library call behind `workbook-tools summary`: master workbook → summary workbook."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from workbook_tools.history import HistoryStore
from workbook_tools.io.crypto import encrypt_in_place, opened
from workbook_tools.schema.loader import load_schema
from workbook_tools.schema.model import Schema
from workbook_tools.summary.archived import with_archived_visits
from workbook_tools.summary.classify import classification_sheet, composition_sheet
from workbook_tools.summary.computed import ACCOUNTS, TRADE_KEYS, with_computed
from workbook_tools.summary.followup import decline_sheet, followup_sheet
from workbook_tools.summary.load import MasterData, load_master
from workbook_tools.summary.notes import notes_sheet
from workbook_tools.summary.quality import quality_sheet
from workbook_tools.summary.sales import (
    DEFAULT_VALUE_CLASSES, Periods, build_deals, compare_sheet, periods, sales_sheet, strength_sheet,
)
from workbook_tools.summary.sales.period import DEFAULT_COMPARE, DEFAULT_KIND, check
from workbook_tools.summary.tables import SummarySheet
from workbook_tools.summary.writer import write_summary


# Columns the summary reads; the other columns of the master are not parsed.
SUMMARY_FIELDS = {
    "registration": {
        "customer_id", "customer_name", "customer_type", "region", "industry", "ownership", "category", "credit",
        "source", "owner", "contact_cycle", "first_trade_date", "last_trade_date", "trade_count", "trade_amount",
        "created", "revised",
    },
    "visit-record": {"customer_id", "date", "salesperson"},
    "visit-plan": {"plan_id", "salesperson", "planned_date", "customer_id", "status"},
    "trade": {"date", "customer_id", "amount", "paid_date", "paid_amount", "salesperson"},   # not 交易编号
    ACCOUNTS: {"customer_id", "source", *TRADE_KEYS},   # 客户分类: the computed trade figures
}


def summary_fields(schema: Schema) -> dict[str, set[str]]:
    """SUMMARY_FIELDS plus the registration fields the schema marks important (档案质量)."""
    important = {f.key for f in schema.form("registration").fields if f.important}
    return {**SUMMARY_FIELDS, "registration": SUMMARY_FIELDS["registration"] | important}


def presence_only(schema: Schema, *used: Mapping[str, Iterable[str]]) -> list[str]:
    """The important registration fields that none of ``used`` reads for their values: 档案质量
    only asks whether they are filled (load_master's ``presence``)."""
    read = set().union(*(part.get("registration", ()) for part in used))
    return sorted({f.key for f in schema.form("registration").fields if f.important} - read)


def require_fields(data: MasterData, fields: Mapping[str, Iterable[str]], caller: str) -> None:
    """Raise ValueError when a pre-loaded master lacks a column ``caller`` reads
    (load it with the union of the callers' fields)."""
    frames = {"registration": data.customers, "visit-record": data.visits, "visit-plan": data.plans}
    if data.trades is not None:
        frames["trade"] = data.trades
    missing = sorted(f"{form}.{key}" for form, keys in fields.items() for key in keys
                     if form in frames and key not in frames[form].columns)
    if missing:
        raise ValueError(f"{caller}: the loaded master lacks the columns {', '.join(missing)}")


def merge_fields(*parts: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """The union of several ``fields`` mappings (form key → field keys) for one load_master."""
    out: dict[str, set[str]] = {}
    for part in parts:
        for form, keys in part.items():
            out.setdefault(form, set()).update(keys)
    return out


@dataclass(frozen=True)
class SummaryResult:
    path: Path  # the summary workbook written
    master: Path
    sha256: str  # of the master file
    as_of: dt.date
    sheets: tuple[str, ...]
    customers: int
    visits: int
    plans: int
    overdue: int  # customers past their contact cycle (跟进提醒)
    due_soon: int  # customers falling due within 7 days
    declining: int  # customers past their purchase cycle (业务下滑)
    quarantined: int
    duplicates: int
    missing_sheets: tuple[str, ...] = ()
    period: str = ""  # the sales sheets' periods (Periods.describe)
    trades: int | None = None  # 交易记录 rows read; None: no such sheet (typed totals used)
    problems: tuple[str, ...] = ()  # continuation sheets of the master not read (header differs)
    seconds: dict[str, float] = field(default_factory=dict, compare=False)  # load / compute / write


def archived_of(history: str | Path | None) -> list[dict]:
    """The history store's archived visit records ([] without a store, or a missing file)."""
    if history is None or not Path(history).is_file():
        return []
    with HistoryStore(history) as store:
        return store.archived_visits()


def compute_summary(data: MasterData, schema: Schema, as_of: dt.date,
                    span: Periods | None = None) -> list[SummarySheet]:
    """Every summary sheet, in workbook order (pure: no I/O); ``span``: the sales sheets' periods
    (default: this month against the previous one)."""
    c, settings = data.customers, schema.settings
    span = span or periods(as_of)
    classes = settings.get("value_classes") or DEFAULT_VALUE_CLASSES
    reg = schema.form("registration")
    deals = build_deals(c, data.trades, as_of, classes,
                        {key: reg.field(key).choice_values for key in ("category", "region")})
    traded = with_computed(c, data.accounts)   # 客户分类's computed figures, else the typed ones
    return [
        classification_sheet(c, schema),
        composition_sheet(traded, schema),
        followup_sheet(c, data.visits, as_of, settings),
        decline_sheet(traded, as_of, settings),
        quality_sheet(data, schema, as_of),
        sales_sheet(c, data.visits, data.plans, as_of, deals, span),
        strength_sheet(deals, span, schema),
        compare_sheet(deals, span, schema, as_of),
        notes_sheet(data, schema, as_of, span),
    ]


def build_summary(master_path: str | Path, out_path: str | Path, *, schema: Schema | None = None,
                  as_of: dt.date | None = None, data: MasterData | None = None,
                  password: str | None = None, period: str = DEFAULT_KIND,
                  compare: str = DEFAULT_COMPARE, history: str | Path | None = None) -> SummaryResult:
    """Read the master archive, compute every summary table, write the summary workbook atomically.

    ``data``: the master ``master_path`` already loaded (load_master with at least
    :func:`summary_fields`), so a caller that also builds plans reads the file once.
    ``password``: open an encrypted master with it, and write the summary encrypted too.
    ``period`` (week / month / quarter / year) and ``compare`` (previous: the period before;
    year: the same days a year earlier) set 本期 and its comparison period of the sales sheets.
    ``history``: the history store whose archived visit records (archive.yaml
    visit_history_weeks) count with the master's 拜访记录 (not when ``data`` is given: the
    caller added them).
    """
    check(period, compare)
    schema = schema or load_schema()
    as_of = as_of or dt.date.today()
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    t0 = time.perf_counter()
    if data is None:
        with opened(master_path, password) as plain:
            data = load_master(plain, schema, fields=summary_fields(schema),
                               presence=presence_only(schema, SUMMARY_FIELDS))
        data = with_archived_visits(data, archived_of(history), schema)
    else:
        require_fields(data, summary_fields(schema), "build_summary")
    t1 = time.perf_counter()
    span = periods(as_of, period, compare)
    sheets = compute_summary(data, schema, as_of, span)
    t2 = time.perf_counter()
    year, week, _ = as_of.isocalendar()
    path = write_summary(sheets, out_path, created=dt.datetime.combine(as_of, dt.time()), inputs=[master_path],
                         period=f"{year}-W{week:02d}（统计日期 {as_of.isoformat()}）")
    if password:
        encrypt_in_place(path, password)
    t3 = time.perf_counter()
    lengths = {t.key: len(t.frame) for s in sheets for t in s.tables()}
    return SummaryResult(
        path=path, master=Path(master_path), sha256=data.sha256, as_of=as_of,
        sheets=tuple(s.name for s in sheets), customers=len(data.customers), visits=len(data.visits),
        plans=len(data.plans), overdue=lengths["overdue"], due_soon=lengths["due_soon"],
        declining=lengths["decline"], quarantined=data.quarantined, duplicates=data.duplicates,
        missing_sheets=data.missing_sheets, period=span.describe(),
        trades=None if data.trades is None else len(data.trades), problems=data.problems,
        seconds={"load": t1 - t0, "compute": t2 - t1, "write": t3 - t2},
    )
