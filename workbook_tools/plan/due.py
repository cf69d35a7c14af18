"""The contact strategy (联系策略): who should be contacted in the plan week, most important first.

last contact = latest 拜访记录 日期 of the customer, else 建档日期;
cycle        = the row's 联系周期(天), else settings.contact_cycles[客户类别];
due          = last contact + cycle; a customer is due in the week when due ≤ the week's Sunday.
Priority: 客户类别 in the schema's choice order (重要→主要→普通→潜在, unknown last), then
due date (the longest overdue first), then 客户编号. Everything is vectorised (pandas).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbook_tools.plan.calendar import PlanWeek
from workbook_tools.schema.model import Schema
from workbook_tools.summary.load import VISIT_SHEET, MasterData

NO_LAST_CONTACT = "没有拜访记录且缺少建档日期，无法计算应联系日期"
NO_CYCLE = "客户类别无法识别且未填写联系周期(天)，无法计算应联系日期"
PRIORITY = ["rank", "due", "customer_id"]


@dataclass
class DueCustomers:
    """Customers due in the week (``due`` ≤ Sunday) plus those whose due date is unknown.

    ``frame`` columns: customer_id, customer_name, category, owner, last_contact, cycle, due,
    rank, overdue_days (as of the week's Monday, never negative), reason ("" or why no due date),
    priority (0, 1, 2 … in the order the frame is sorted: most important first).
    """

    frame: pd.DataFrame
    customers: int                      # customers in the archive (with a 客户编号)
    salespeople: list[str]              # every 负责业务员 of the archive, sorted
    warnings: list[str] = field(default_factory=list)


def category_ranks(schema: Schema) -> dict[str, int]:
    """客户类别 → priority rank (0 = most important), in the schema's choice order."""
    values = schema.form("registration").field("category").choice_values
    return {value: rank for rank, value in enumerate(values)}


def _text(values: pd.Series, code: bool = False) -> pd.Series:
    """Text as compared and shown: NFKC, blanks → ""; codes without spaces, upper case.

    Normalises each distinct value once (a million visits name far fewer customers).
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    clean = _code if code else _name
    table = np.array([clean(v) for v in uniques.tolist()] + [""], dtype=object)  # tolist: fast iteration
    return pd.Series(table[codes], index=values.index, dtype=object)


def _code(value) -> str:
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).upper()


def _name(value) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


def _frames(master: MasterData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(customers, visits) with just the columns planning uses, text normalised."""
    c, v = master.customers, master.visits
    customers = pd.DataFrame({
        "customer_id": _text(c["customer_id"], code=True), "customer_name": _text(c["customer_name"]),
        "category": _text(c["category"]), "owner": _text(c["owner"]),
        "contact_cycle": pd.to_numeric(c["contact_cycle"], errors="coerce"),
        "created": pd.to_datetime(c["created"]),
    })
    visits = pd.DataFrame({"customer_id": _text(v["customer_id"], code=True),
                           "date": pd.to_datetime(v["date"])})
    return customers, visits


def _clean(customers: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Drop rows without 客户编号 and repeated 客户编号 (first row wins), with warnings."""
    warnings = []
    blank = customers["customer_id"].eq("")
    if blank.any():
        warnings.append(f"客户档案中有 {int(blank.sum())} 行没有客户编号，未列入拜访计划")
    customers = customers[~blank]
    repeated = customers["customer_id"].duplicated()
    if repeated.any():
        warnings.append(f"客户档案中有 {int(repeated.sum())} 行客户编号重复，按第一次出现的行安排")
    return customers[~repeated].reset_index(drop=True), warnings


def _last_contact(customers: pd.DataFrame, visits: pd.DataFrame) -> pd.Series:
    dated = visits[visits["customer_id"].ne("") & visits["date"].notna()]
    if dated.empty:
        return customers["created"].copy()
    latest = dated.groupby("customer_id", sort=False)["date"].max()
    last = pd.Series(latest.reindex(customers["customer_id"]).to_numpy(), index=customers.index)
    return last.fillna(customers["created"])


def _cycle(customers: pd.DataFrame, schema: Schema) -> pd.Series:
    defaults = {k: float(v) for k, v in (schema.settings.get("contact_cycles") or {}).items()}
    own = customers["contact_cycle"].where(customers["contact_cycle"] >= 1).round()
    return own.fillna(customers["category"].map(defaults))


def due_customers(master: MasterData, schema: Schema, week: PlanWeek) -> DueCustomers:
    """The customers to plan for ``week`` (see the module docstring)."""
    customers, visits = _frames(master)
    customers, warnings = _clean(customers)
    if VISIT_SHEET in master.missing_sheets:
        warnings.append("主档案中没有拜访记录工作表，全部客户按建档日期计算应联系日期")
    frame = customers.assign(
        last_contact=_last_contact(customers, visits),
        cycle=_cycle(customers, schema),
    )
    frame["due"] = frame["last_contact"] + pd.to_timedelta(frame["cycle"], unit="D")
    frame["rank"] = frame["category"].map(category_ranks(schema)).fillna(len(category_ranks(schema)))
    monday = pd.Timestamp(week.start)
    frame["overdue_days"] = (monday - frame["due"]).dt.days.clip(lower=0)
    frame["reason"] = ""
    frame.loc[frame["cycle"].isna(), "reason"] = NO_CYCLE
    frame.loc[frame["last_contact"].isna(), "reason"] = NO_LAST_CONTACT
    selected = frame[(frame["due"] <= pd.Timestamp(week.end)) | frame["due"].isna()]
    selected = selected.sort_values(PRIORITY, kind="stable", na_position="last").reset_index(drop=True)
    selected["priority"] = np.arange(len(selected))
    owners = sorted(set(customers["owner"]) - {""})
    return DueCustomers(selected, len(customers), owners, warnings)
