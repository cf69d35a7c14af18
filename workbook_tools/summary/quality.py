"""档案质量 per region and per salesperson: completeness of the schema's important fields,
records not revised for longer than settings.stale_days, quarantined rows, open duplicate pairs."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from workbook_tools.schema.model import Schema
from workbook_tools.summary.load import MasterData
from workbook_tools.summary.tables import (
    TOTAL, UNFILLED, SummarySheet, Table, days_between, labelled, map_values, ordered_labels,
)

QUALITY_SHEET = "档案质量"
COUNT, COMPLETE, STALE, STALE_SHARE = "客户数", "重要字段完整度", "超期未修订数", "超期未修订占比"
QUARANTINED, DUPLICATES = "待修正行数", "疑似重复（未处理）"


def important_fields(schema: Schema) -> list[str]:
    return [f.key for f in schema.form("registration").fields if f.important]


def filled_counts(customers: pd.DataFrame, keys: list[str]) -> pd.Series:
    """How many of the important fields each customer has filled."""
    return customers[keys].notna().sum(axis=1).astype("int64") if keys else pd.Series(0, index=customers.index)


def completeness(filled: pd.Series | int, customers: pd.Series | int, n_fields: int):
    """Filled important fields ÷ (customers × important fields), i.e. the average per-customer
    share; NaN where there are no customers or no important fields."""
    denominator = customers * n_fields
    if isinstance(denominator, pd.Series):
        return (filled / denominator.where(denominator > 0)).astype("float64")
    return filled / denominator if denominator else float("nan")


def stale(customers: pd.DataFrame, as_of: dt.date, stale_days: float) -> pd.Series:
    """True when 最新修订日期 is blank or more than ``stale_days`` days before as_of."""
    age = days_between(pd.Timestamp(as_of), customers["revised"])
    return age.isna() | (age > stale_days)


def duplicate_counts(data: MasterData, groups: pd.Series) -> pd.Series:
    """Open duplicate pairs per group label (a pair counts once for each group it touches)."""
    pairs = data.duplicate_pairs
    if pairs.empty:
        return pd.Series(dtype="int64")
    lookup = pd.Series(groups.to_numpy(), index=data.customers["customer_id"].to_numpy())
    lookup = lookup[~lookup.index.duplicated()]
    long = pd.concat([pairs["id_a"], pairs["id_b"]], keys=["a", "b"]).reset_index(level=1)
    long.columns = ["pair", "id"]
    long["group"] = map_values(long["id"], lookup)
    long = long.dropna(subset=["group"]).drop_duplicates(["pair", "group"])
    return long["group"].value_counts()


def quality_table(data: MasterData, schema: Schema, as_of: dt.date, key: str) -> Table:
    customers = data.customers
    label = schema.form("registration").field(key).label
    group = labelled(customers[key])
    quarantined = data.quarantined_by_region if key == "region" else data.quarantined_by_owner
    order = _order(customers[key], schema, key, quarantined)
    keys = important_fields(schema)
    filled = filled_counts(customers, keys)
    old = stale(customers, as_of, float(schema.settings.get("stale_days", 60)))
    frame = pd.DataFrame({label: order})
    frame[COUNT] = group.value_counts().reindex(order, fill_value=0).to_numpy(dtype="int64")
    filled_sum = filled.groupby(group).sum().reindex(order, fill_value=0)
    frame[COMPLETE] = completeness(filled_sum, frame[COUNT].set_axis(order), len(keys)).to_numpy()
    frame[STALE] = old.groupby(group).sum().reindex(order, fill_value=0).to_numpy(dtype="int64")
    frame[STALE_SHARE] = (frame[STALE] / frame[COUNT].where(frame[COUNT] > 0)).astype("float64")
    frame[QUARANTINED] = (quarantined.reindex(order, fill_value=0).to_numpy(dtype="float64")
                          if quarantined is not None else float("nan"))
    frame[DUPLICATES] = duplicate_counts(data, group).reindex(order, fill_value=0).to_numpy(dtype="int64")
    n = len(customers)
    frame.loc[len(frame)] = [TOTAL, n, completeness(int(filled.sum()), n, len(keys)), int(old.sum()),
                             old.sum() / n if n else None, data.quarantined, data.duplicates]
    kinds = {COUNT: "int", COMPLETE: "pct", STALE: "int", STALE_SHARE: "pct", QUARANTINED: "int", DUPLICATES: "int"}
    return Table(f"quality_{key}", f"按{label}统计档案质量", frame, kinds, total_row=True)


def _order(values: pd.Series, schema: Schema, key: str, quarantined: pd.Series | None) -> list[str]:
    """Group rows: schema order for choices, else sorted names; also groups only seen in 待修正."""
    field = schema.form("registration").field(key)
    extra = [] if quarantined is None else [v for v in quarantined.index if v != UNFILLED]
    combined = pd.concat([values, pd.Series(extra, dtype=object)], ignore_index=True)
    order = ordered_labels(combined, field.choice_values)
    if quarantined is not None and UNFILLED in quarantined.index and UNFILLED not in order:
        order.append(UNFILLED)
    return order


def quality_sheet(data: MasterData, schema: Schema, as_of: dt.date) -> SummarySheet:
    tables = [quality_table(data, schema, as_of, "region"), quality_table(data, schema, as_of, "owner")]
    return SummarySheet(QUALITY_SHEET, "档案质量", [tables])
