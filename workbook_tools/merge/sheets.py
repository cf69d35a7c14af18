"""The master's sheets as plain tables (headers, column kinds, rows): what the writer
writes and what tests can assert without opening Excel."""

from __future__ import annotations

from typing import Any, Iterator

from workbook_tools.accounts import COLUMNS as ACCOUNT_COLUMNS, KEYS as ACCOUNT_KEYS, SHEET as ACCOUNTS
from workbook_tools.generate.card_sheet import LookupCard, LookupField, LookupTable
from workbook_tools.merge.compact import in_order, key_index
from workbook_tools.merge.conflicts import CONFLICT_RULE
from workbook_tools.merge.packed import PackedRows
from workbook_tools.merge.records import RecordTable
from workbook_tools.merge.result import MergeResult
from workbook_tools.merge.summary_sheet import continuation_section, summary_report
from workbook_tools.merge.tables import Column, Report, Table, fitted
from workbook_tools.merge.rows import (
    MASTER_SHEET, SOURCE_FILE, SOURCE_ROW, SOURCE_SHEET, SourceRow, display,
)
from workbook_tools.schema.model import NUMBER_TYPES, SECTIONS, Field, Form, Schema

VISITS, PLANS, COMPLAINTS, TRADES = "拜访记录", "拜访计划", "投诉记录", "交易记录"
QUARANTINE, CONFLICTS, DUPLICATES, CHANGES = "待修正", "冲突", "疑似重复", "变更记录"
DUPLICATE_NOTE = ("以下客户可能是同一客户，系统不会自动合并。请核实后在“处理意见”列填写，如“合并为 HD0001”"
                  "或“不是同一客户”。名称只在公司客户之间比较（去掉括号内容、省市前缀和有限公司等后缀）。")
ACCOUNTS_NOTE = ("交易数字按交易记录统计（数据来源“统计”）；没有交易记录的客户保留登记表录入值（“录入”）。"
                 "信用评估按 schema 的 credit 规则计算，见 README“信用评估”。")
QUARANTINE_NOTE = "以下行有错误，未合并进客户档案；请按“错误信息”修改源文件后重新提交。"


OTHER = "其他"   # the 资料卡 block of unknown extra columns
# the 资料卡's visit lines: (header, visit-record field key), as on the printed 客户资料卡
LOOKUP_VISIT_COLUMNS = (("日期", "date"), ("内容", "content"), ("方式", "method"), ("结果", "result"),
                        ("业务员", "salesperson"), ("下次跟进日期", "next_date"))
PROVENANCE_COLUMNS = [Column(SOURCE_FILE, "text", 26), Column(SOURCE_SHEET, "text", 16),
                      Column(SOURCE_ROW, "number", 8)]


def field_kind(f: Field) -> str:
    if f.is_code:
        return "code"
    if f.type == "date":
        return "date"
    return "number" if f.type in NUMBER_TYPES else "text"


def field_columns(form: Form) -> list[Column]:
    return [Column(f.label, field_kind(f), f.width) for f in form.fields]


def provenance(row: SourceRow) -> list[Any]:
    return [row.file, row.sheet, row.row if row.row > 0 else None]


def master_sheets(result: MergeResult, schema: Schema) -> list[Table | Report | LookupCard]:
    """Sheets in order: 客户档案, 资料卡 (the formula lookup), 拜访记录, 拜访计划 (if any),
    投诉记录 (if any), 待修正, 冲突, 疑似重复, 变更记录 (with a previous master), 合并说明.
    A table longer than a sheet is written as NAME, NAME(2) … (Table.pieces); 合并说明 then
    lists where each such table continues."""
    customers = customers_table(result, schema.form("registration"))
    visits = records_table(VISITS, result.visits)
    tables = [customers, visits]
    if result.plans.read:
        tables.append(records_table(PLANS, result.plans))
    if result.complaints.read:
        tables.append(records_table(COMPLAINTS, result.complaints))
    if result.trades.read:
        tables.append(records_table(TRADES, result.trades))
    tables.append(accounts_table(result))
    tables += [quarantine_table(result, schema), conflicts_table(result),
               duplicates_table(result, schema.form("registration"))]
    if result.changes is not None:
        tables.append(changes_table(result))
    report = summary_report(result)
    continuation_section(report, tables)
    card = lookup_card(result, schema, customers.sheet_counts()[0], visits.sheet_counts()[0])
    return [customers, card, *tables[1:], report.fit()]


def customers_table(result: MergeResult, form: Form) -> Table:
    keys, extra_keys = form.keys, result.extra_cols.keys
    columns = (field_columns(form) + [Column(h, "text", 14) for h in result.extra_cols.labels]
               + PROVENANCE_COLUMNS)

    index = key_index(keys)

    def rows() -> Iterator[list[Any]]:
        for c in result.customers:
            extras = c.extras
            yield (in_order(c.values, keys, index) + [extras.get(k) for k in extra_keys]
                   + provenance(c.provenance))
    return Table(MASTER_SHEET, columns, rows(), count=len(result.customers)).fit_head()


def lookup_card(result: MergeResult, schema: Schema, customer_rows: int | None = None,
                visit_rows: int | None = None) -> LookupCard:
    """The 资料卡 sheet's layout: where each field sits in 客户档案 and 拜访记录. Its formulas
    search the first sheet of each table (``customer_rows`` / ``visit_rows`` data rows when
    the table continues on NAME(2) …; default: every row)."""
    form = schema.form("registration")
    kinds = {"money": "money"}
    fields = [LookupField(f.section, f.label, i, kinds.get(f.type, field_kind(f))) for i, f in enumerate(form.fields)]
    fields += [LookupField(OTHER, label, len(form.fields) + j) for j, label in enumerate(result.extra_cols.labels)]
    visit_form = result.visits.form
    visit_rows = len(result.visits.rows) if visit_rows is None else visit_rows
    customer_rows = len(result.customers) if customer_rows is None else customer_rows
    visits = LookupTable(VISITS, visit_rows, {k: i for i, k in enumerate(visit_form.keys)})
    columns = tuple((label, key, "date" if visit_form.field(key).type == "date" else "text")
                    for label, key in LOOKUP_VISIT_COLUMNS if key in visits.columns)
    customers = LookupTable(MASTER_SHEET, customer_rows, {form.id_field: form.keys.index(form.id_field)})
    return LookupCard(customers, tuple(fields), (*SECTIONS, OTHER), visits, columns, id_key=form.id_field)


def records_table(name: str, table: RecordTable) -> Table:
    keys, extra_keys = table.form.keys, table.extra_cols.keys
    columns = (field_columns(table.form) + [Column(h, "text", 14) for h in table.extra_cols.labels]
               + PROVENANCE_COLUMNS)
    return Table(name, columns, _record_rows(table.rows, keys, extra_keys), count=len(table.rows)).fit_head()


def _record_rows(rows: PackedRows | list[SourceRow], keys: list[str], extra_keys: list[str]) -> Iterator[list[Any]]:
    """A record table's master rows; packed rows straight from their value tuples."""
    if not isinstance(rows, PackedRows):
        for r in rows:
            yield [r.values.get(k) for k in keys] + [r.extras.get(k) for k in extra_keys] + provenance(r)
        return
    for block, (values, extras, row) in rows.items():
        line = list(values) if values.__class__ is tuple else [values.get(k) for k in keys]
        if extra_keys:
            line += [extras.get(k) for k in extra_keys] if extras else [None] * len(extra_keys)
        line += (block.file, block.sheet, row if row > 0 else None)
        yield line


def accounts_table(result: MergeResult) -> Table:
    """客户分类: one line per customer (master order), computed by workbook_tools.accounts."""
    widths = {"text": 12, "code": 11, "number": 12, "date": 12, "pct": 10, "prose": 40}
    columns = [Column(header, kind, widths[kind]) for _, header, kind in ACCOUNT_COLUMNS]
    accounts, found = result.accounts, result.accounts.disagreements
    for c, (key, _, kind) in enumerate(ACCOUNT_COLUMNS):
        if kind in ("text", "code"):
            columns[c] = fitted(columns[c], accounts.distinct(key))

    def rows() -> Iterator[list[Any]]:
        for line in accounts.lines(ACCOUNT_KEYS):
            if line[0] in found:
                line[-1] = "；".join(f.message for f in found[line[0]])
            yield line
    return Table(ACCOUNTS, columns, rows(), ACCOUNTS_NOTE, count=len(accounts))


def quarantine_table(result: MergeResult, schema: Schema) -> Table:
    """Every row with errors: form, provenance, messages, then all its values as read."""
    forms = [schema.form(k) for k in dict.fromkeys(r.form for r in result.quarantined)]
    labels: dict[str, Column] = {}
    for form in sorted(forms, key=lambda f: schema.form_keys.index(f.key)):
        for f in form.fields:
            labels.setdefault(f.label, Column(f.label, "text", f.width))
    extras: dict[str, None] = dict.fromkeys(h for r in result.quarantined for h in r.extras)
    columns = ([Column("表单", "text", 14), *PROVENANCE_COLUMNS, Column("错误信息", "prose", 48)]
               + list(labels.values()) + [Column(str(h), "text", 14) for h in extras])

    def rows() -> Iterator[list[Any]]:
        for r in result.quarantined:
            form = schema.form(r.form)
            by_label = {f.label: f.key for f in form.fields}
            values = [_raw(r, by_label[label]) if label in by_label else None for label in labels]
            yield ([form.title, *provenance(r), "；".join(r.errors)] + values
                   + [r.extras.get(h) for h in extras])
    return Table(QUARANTINE, columns, rows(), QUARANTINE_NOTE, count=len(result.quarantined)).fit()


def _raw(row: SourceRow, key: str) -> Any:
    return row.raw[key] if key in row.raw else row.values.get(key)


def conflicts_table(result: MergeResult) -> Table:
    columns = [Column("客户编号", "code", 11), Column("字段", "text", 14),
               Column("各来源的值", "prose", 70), Column("采用的值", "text", 24),
               Column("采用来源", "text", 34)]
    rows = ([c.customer_id, c.field, c.values_text, display(c.chosen), c.chosen_from]
            for c in result.conflicts)
    return Table(CONFLICTS, columns, rows, CONFLICT_RULE, count=len(result.conflicts)).fit()


def duplicates_table(result: MergeResult, form: Form) -> Table:
    by_id = {c.id: c for c in result.customers}
    columns = [Column("客户编号1", "code", 11), Column("客户名称1", "text", 28),
               Column("来源1", "text", 30), Column("客户编号2", "code", 11),
               Column("客户名称2", "text", 28), Column("来源2", "text", 30),
               Column("依据", "prose", 36), Column("名称相似度", "number", 10),
               Column("处理意见", "text", 24)]

    def side(cid: str) -> list[Any]:
        c = by_id[cid]
        return [cid, c.values.get("customer_name"), c.provenance.where]
    rows = ([*side(d.id_a), *side(d.id_b), d.evidence_text, d.score, None]
            for d in result.duplicates)
    return Table(DUPLICATES, columns, rows, DUPLICATE_NOTE, count=len(result.duplicates)).fit()


def changes_table(result: MergeResult) -> Table:
    columns = [Column("日期", "date", 12), Column("类型", "text", 12), Column("客户编号", "code", 11),
               Column("客户名称", "text", 28), Column("字段", "text", 14), Column("旧值", "text", 20),
               Column("新值", "text", 20), Column("说明", "prose", 48), Column("来源文件", "text", 26)]
    rows = ([e.date, e.kind, e.customer_id, e.customer_name, e.field,
             display(e.old) if e.field else None, display(e.new) if e.field else None,
             e.text, e.file] for e in result.changes or ())
    return Table(CHANGES, columns, rows, count=len(result.changes or ())).fit()
