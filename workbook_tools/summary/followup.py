"""跟进提醒 (contact cycle overdue / due within 7 days) and 业务下滑 (no purchase within the cycle).

Dates are whole days. For a customer with last contact ``L`` and cycle ``C`` days the due
date is ``L + C``: overdue when as_of > due (days since contact > C); due soon when
as_of <= due <= as_of + 7 (due today counts as due soon, not overdue).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from workbook_tools.summary.tables import UNFILLED, SummarySheet, Table, days_between, map_values

FOLLOWUP_SHEET = "跟进提醒"
DECLINE_SHEET = "业务下滑"
DUE_SOON_DAYS = 7
OWNER, CID, NAME, CATEGORY = "负责业务员", "客户编号", "客户名称", "客户类别"
LAST_CONTACT, CONTACT_CYCLE = "最近联系日期", "联系周期(天)"
LAST_TRADE, PURCHASE_CYCLE = "最近交易日期", "购买周期(天)"
_BASE = {"owner": OWNER, "customer_id": CID, "customer_name": NAME, "category": CATEGORY}


def last_contact(customers: pd.DataFrame, visits: pd.DataFrame, as_of: dt.date) -> pd.Series:
    """Latest 拜访记录 日期 (on or before as_of) per customer, else its 建档日期."""
    seen = visits[visits["date"].notna() & visits["customer_id"].notna() & (visits["date"] <= pd.Timestamp(as_of))]
    latest = seen.groupby("customer_id", sort=False)["date"].max()
    return map_values(customers["customer_id"], latest).fillna(customers["created"])


def contact_cycles(customers: pd.DataFrame, defaults: dict[str, float]) -> pd.Series:
    """The row's own 联系周期(天) when positive, else the default for its 客户类别 (NaN if neither)."""
    own = customers["contact_cycle"].where(customers["contact_cycle"] > 0)
    return own.fillna(customers["category"].map(defaults)).astype("float64")


def followup_status(customers: pd.DataFrame, visits: pd.DataFrame, as_of: dt.date, defaults: dict) -> pd.DataFrame:
    """Per customer: last contact, cycle, due date, days since contact (NaN where unknown)."""
    last = last_contact(customers, visits, as_of)
    cycle = contact_cycles(customers, defaults)
    out = pd.DataFrame({"last": last, "cycle": cycle}, index=customers.index)
    out["since"] = days_between(pd.Timestamp(as_of), last)
    out["due"] = last + pd.to_timedelta(cycle, unit="D")
    return out


def _listing(customers: pd.DataFrame, mask: pd.Series, extra: dict[str, pd.Series], sort_by: str,
             ascending: bool) -> pd.DataFrame:
    """Rows of ``customers`` under ``mask`` with the base columns + ``extra``, sorted by owner then ``sort_by``."""
    frame = customers.loc[mask, list(_BASE)].rename(columns=_BASE)
    for name, values in extra.items():
        frame[name] = values[mask]
    frame = frame.sort_values([OWNER, sort_by, CID], ascending=[True, ascending, True],
                              na_position="last", kind="mergesort")
    frame[OWNER] = frame[OWNER].fillna(UNFILLED)
    return frame.reset_index(drop=True)


def overdue_table(customers: pd.DataFrame, status: pd.DataFrame) -> Table:
    mask = status["since"] > status["cycle"]
    frame = _listing(customers, mask, {
        LAST_CONTACT: status["last"], CONTACT_CYCLE: status["cycle"], "距今天数": status["since"],
        "逾期天数": status["since"] - status["cycle"],
    }, "逾期天数", ascending=False)
    kinds = {LAST_CONTACT: "date", CONTACT_CYCLE: "int", "距今天数": "int", "逾期天数": "int"}
    return Table("overdue", "超过联系周期未联系的客户", frame, kinds)


def due_soon_table(customers: pd.DataFrame, status: pd.DataFrame) -> Table:
    left = status["cycle"] - status["since"]
    mask = (left >= 0) & (left <= DUE_SOON_DAYS)
    frame = _listing(customers, mask, {
        LAST_CONTACT: status["last"], CONTACT_CYCLE: status["cycle"], "到期日期": status["due"], "剩余天数": left,
    }, "剩余天数", ascending=True)
    kinds = {LAST_CONTACT: "date", CONTACT_CYCLE: "int", "到期日期": "date", "剩余天数": "int"}
    return Table("due_soon", f"未来{DUE_SOON_DAYS}天内到期", frame, kinds)


def followup_sheet(customers: pd.DataFrame, visits: pd.DataFrame, as_of: dt.date, settings: dict) -> SummarySheet:
    status = followup_status(customers, visits, as_of, settings.get("contact_cycles") or {})
    stacks = [[overdue_table(customers, status)], [due_soon_table(customers, status)]]
    return SummarySheet(FOLLOWUP_SHEET, "跟进提醒", stacks, freeze_header=True, print_group=OWNER)


def decline_table(customers: pd.DataFrame, as_of: dt.date, cycles: dict[str, float]) -> Table:
    """Customers whose last trade (最近交易日期, else 首次交易日期) is older than their purchase cycle."""
    last = customers["last_trade_date"].fillna(customers["first_trade_date"])
    cycle = customers["category"].map(cycles).astype("float64")
    idle = days_between(pd.Timestamp(as_of), last)
    mask = idle > cycle
    frame = _listing(customers, mask, {
        LAST_TRADE: last, PURCHASE_CYCLE: cycle, "未交易天数": idle, "超出天数": idle - cycle,
    }, "超出天数", ascending=False)
    kinds = {LAST_TRADE: "date", PURCHASE_CYCLE: "int", "未交易天数": "int", "超出天数": "int"}
    return Table("decline", "超过购买周期未交易的客户", frame, kinds)


def decline_sheet(customers: pd.DataFrame, as_of: dt.date, settings: dict) -> SummarySheet:
    table = decline_table(customers, as_of, settings.get("purchase_cycles") or {})
    return SummarySheet(DECLINE_SHEET, "业务下滑", [[table]], freeze_header=True, print_group=OWNER)
