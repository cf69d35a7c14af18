"""客户归类汇总 and 客户构成分析: counts by category/region/type/source, composition by
industry/ownership/credit/region, and the value classification (主力/一般/零散) by 交易金额."""

from __future__ import annotations

import pandas as pd

from workbook_tools.accounts.classes import NO_AMOUNT, value_classes
from workbook_tools.schema.model import Schema
from workbook_tools.summary.tables import TOTAL, UNFILLED, Chart, SummarySheet, Table, labelled, ordered_labels, share

CLASSIFICATION_SHEET = "客户归类汇总"
COMPOSITION_SHEET = "客户构成分析"
COUNT, SHARE, TRADES, AMOUNT = "客户数", "占比", "交易次数合计", "交易金额合计"


def _label(schema: Schema, key: str) -> str:
    return schema.form("registration").field(key).label


def _order(customers: pd.DataFrame, schema: Schema, key: str) -> list[str]:
    return ordered_labels(customers[key], schema.form("registration").field(key).choice_values)


def category_region_table(customers: pd.DataFrame, schema: Schema) -> Table:
    """客户类别 (rows) × 所属区域 (columns, every schema region) counts with 合计 row and column."""
    cat, reg = _label(schema, "category"), _label(schema, "region")
    rows, cols = _order(customers, schema, "category"), _order(customers, schema, "region")
    counts = pd.crosstab(labelled(customers["category"]), labelled(customers["region"]))
    counts = counts.reindex(index=rows, columns=cols, fill_value=0).astype("int64")
    counts[TOTAL] = counts.sum(axis=1)
    counts.loc[TOTAL] = counts.sum(axis=0)
    frame = counts.rename_axis(index=cat, columns=None).reset_index()
    kinds = {c: "int" for c in frame.columns[1:]}
    return Table("category_region", f"按{cat}和{reg}统计客户数", frame, kinds, total_row=True)


def breakdown_table(customers: pd.DataFrame, schema: Schema, key: str) -> Table:
    """Customer count and share for each value of one choice field, with a 合计 row."""
    label = _label(schema, key)
    counts = labelled(customers[key]).value_counts().reindex(_order(customers, schema, key), fill_value=0)
    total = len(customers)
    frame = pd.DataFrame({label: counts.index, COUNT: counts.to_numpy(dtype="int64")})
    frame[SHARE] = share(frame[COUNT].astype("float64"), total)
    frame.loc[len(frame)] = [TOTAL, total, share(float(total), total)]
    return Table(f"{key}_breakdown", f"按{label}统计", frame, {COUNT: "int", SHARE: "pct"}, total_row=True)


def composition_table(customers: pd.DataFrame, schema: Schema, key: str) -> Table:
    """客户数, 占比, 交易次数合计, 交易金额合计 per value of one choice field (schema order)."""
    field = schema.form("registration").field(key)
    groups = customers.groupby(labelled(customers[key]), sort=False)
    agg = pd.DataFrame({
        COUNT: groups.size(), TRADES: groups["trade_count"].sum(), AMOUNT: groups["trade_amount"].sum().round(2),
    }).reindex(_order(customers, schema, key), fill_value=0)
    frame = agg.rename_axis(field.label).reset_index()
    if any(c.help for c in field.choices):
        meaning = {c.value: c.help for c in field.choices}
        frame.insert(1, "含义", frame[field.label].map(meaning))
    frame.insert(frame.columns.get_loc(COUNT) + 1, SHARE, share(frame[COUNT].astype("float64"), len(customers)))
    frame = _append_total(frame, field.label, (COUNT, TRADES, AMOUNT), len(customers))
    kinds = {COUNT: "int", SHARE: "pct", TRADES: "int", AMOUNT: "money"}
    return Table(f"{key}_composition", f"按{field.label}分析", frame, kinds, total_row=True)


def _append_total(frame: pd.DataFrame, label_col: str, sums: tuple[str, ...], total: int) -> pd.DataFrame:
    row = {c: None for c in frame.columns}
    row[label_col] = TOTAL
    row.update({c: round(float(frame[c].sum()), 2) for c in sums})
    if SHARE in frame.columns:
        row[SHARE] = share(float(total), total)
    return pd.concat([frame, pd.DataFrame([row])], ignore_index=True)


def value_class_table(customers: pd.DataFrame, classes: dict[str, float]) -> Table:
    names = [*classes, NO_AMOUNT]
    cls = value_classes(customers, classes)
    groups = customers["trade_amount"].fillna(0.0).groupby(cls)
    frame = pd.DataFrame({"价值分类": names, "划分标准": _class_rules(classes)})
    frame[COUNT] = groups.size().reindex(names, fill_value=0).to_numpy(dtype="int64")
    frame["客户占比"] = share(frame[COUNT].astype("float64"), len(customers))
    frame[AMOUNT] = groups.sum().reindex(names, fill_value=0.0).round(2).to_numpy()
    total_amount = round(float(frame[AMOUNT].sum()), 2)
    frame["金额占比"] = share(frame[AMOUNT], total_amount)
    frame.loc[len(frame)] = [TOTAL, None, len(customers), share(float(len(customers)), len(customers)),
                             total_amount, share(total_amount, total_amount)]
    kinds = {COUNT: "int", "客户占比": "pct", AMOUNT: "money", "金额占比": "pct"}
    return Table("value_classes", "按交易金额价值分类", frame, kinds, total_row=True)


def _class_rules(classes: dict[str, float]) -> list[str]:
    out, low = [], 0.0
    for limit in classes.values():
        out.append(f"累计金额占比 {low:.0%}–{limit:.0%}")
        low = limit
    return [*out, "交易金额为空或0"]


def classification_sheet(customers: pd.DataFrame, schema: Schema) -> SummarySheet:
    main = category_region_table(customers, schema)
    regions = [c for c in main.frame.columns[1:] if c != TOTAL]
    chart = Chart("column", "各区域客户类别分布", main.key, main.frame.columns[0], tuple(regions),
                  x_title="客户类别", y_title="客户数")
    stack = [main, breakdown_table(customers, schema, "customer_type"), breakdown_table(customers, schema, "source")]
    return SummarySheet(CLASSIFICATION_SHEET, "客户归类汇总", [stack], [chart])


def composition_sheet(customers: pd.DataFrame, schema: Schema) -> SummarySheet:
    classes = schema.settings.get("value_classes") or {"主力客户": 0.8, "一般客户": 0.95, "零散客户": 1.0}
    tables = [composition_table(customers, schema, k) for k in ("industry", "ownership", "credit", "region")]
    values = value_class_table(customers, classes)
    industry = tables[0]
    charts = [
        Chart("pie", "客户价值分类（客户数）", values.key, "价值分类", (COUNT,), rows=len(classes)),
        Chart("bar", "各行业客户数", industry.key, industry.frame.columns[0], (COUNT,), y_title="客户数"),
    ]
    return SummarySheet(COMPOSITION_SHEET, "客户构成分析", [[*tables, values]], charts)


__all__ = [
    "CLASSIFICATION_SHEET", "COMPOSITION_SHEET", "NO_AMOUNT", "UNFILLED", "breakdown_table",
    "category_region_table", "classification_sheet", "composition_sheet", "composition_table",
    "value_class_table", "value_classes",
]
