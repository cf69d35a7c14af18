"""Test support for the validation tests (no tests here): small fake reader objects that
follow the SheetTable / Column / Record contract of docs/architecture.md, and a valid
registration row to vary one field at a time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from stdnum.cn import ric, uscc

from workbook_tools.schema import load_schema
from workbook_tools.validate import validate_table

SCHEMA = load_schema()
AS_OF = dt.date(2026, 6, 1)


@dataclass
class FakeColumn:
    index: int
    letter: str
    header: str
    field: str | None
    matched: str | None = "label"


@dataclass
class FakeRecord:
    row: int
    values: list


@dataclass
class FakeTable:
    path: str
    sheet: str
    form: Any
    header_row: int
    columns: list
    records: list
    missing_required: list = field(default_factory=list)
    duplicate_fields: dict = field(default_factory=dict)
    unknown_columns: list = field(default_factory=list)
    footer_row: int | None = None

    def value(self, record, key):
        for pos, column in enumerate(self.columns):
            if column.field == key:
                return record.values[pos]
        return None

    def cell(self, record, key):
        for column in self.columns:
            if column.field == key:
                return f"{column.letter}{record.row}"
        return None


def letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def make_table(headers: list[str], rows: list[list], *, form: str = "registration",
               sheet: str | None = None, header_row: int = 1) -> FakeTable:
    """A SheetTable as the reader would build it from a header row and data rows."""
    form_obj = SCHEMA.form(form)
    columns = [FakeColumn(i, letter(i), h, form_obj.match_header(h)) for i, h in enumerate(headers)]
    keys = [c.field for c in columns if c.field]
    duplicates = {k: [c for c in columns if c.field == k] for k in keys if keys.count(k) > 1}
    records = [FakeRecord(header_row + 1 + i, list(values)) for i, values in enumerate(rows)]
    return FakeTable(
        path="test.xlsx", sheet=sheet or form_obj.title, form=form_obj, header_row=header_row,
        columns=columns, records=records,
        missing_required=[f.key for f in form_obj.fields if f.required and f.key not in keys],
        duplicate_fields=duplicates,
        unknown_columns=[c for c in columns if c.field is None],
    )


def id_card(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def uscc_code(body17: str) -> str:
    return body17 + uscc.calc_check_digit(body17)


def valid_registration(**overrides: Any) -> dict[str, Any]:
    """Field label → a valid raw value (as calamine returns them) for a 公司 customer."""
    row = {
        "客户编号": "HD0001", "客户名称": "上海恒丰贸易有限公司", "客户类型": "公司", "所属区域": "华东",
        "所属行业": "制造业", "客户类别": "重要客户", "信誉等级": "A", "联系人": "王经理",
        "手机": "13812345678", "电话": "021-61234567", "电子邮件": "wang@example.com",
        "邮编": "200000", "统一社会信用代码": uscc_code("91310000MA1K3YJ12"),
        "员工人数": 120.0, "交易次数": 3.0, "交易金额(元)": 125000.5,
        "首次交易日期": dt.date(2024, 3, 1), "最近交易日期": dt.date(2026, 5, 20),
        "负责业务员": "李明", "建档日期": dt.date(2024, 1, 15), "最新修订日期": dt.date(2026, 5, 20),
    }
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not ...}


def table_of(*rows: dict[str, Any], form: str = "registration") -> FakeTable:
    headers = list(dict.fromkeys(k for row in rows for k in row))
    return make_table(headers, [[row.get(h) for h in headers] for row in rows], form=form)


def run(*rows: dict[str, Any], as_of: dt.date = AS_OF, form: str = "registration"):
    return validate_table(table_of(*rows, form=form), SCHEMA, as_of=as_of)


def cell_findings(label: str, raw: Any, *, as_of: dt.date = AS_OF, **others: Any) -> list[tuple]:
    """(severity, code, message) of the findings on one cell of an otherwise valid row."""
    result = run(valid_registration(**{label: raw}, **others), as_of=as_of)
    return [(f.severity, f.code, f.message) for f in result.findings if f.field == label and f.cell]


def codes(label: str, raw: Any, **kwargs: Any) -> list[str]:
    return [code for _, code, _ in cell_findings(label, raw, **kwargs)]


def parsed(label: str, raw: Any, **others: Any) -> Any:
    result = run(valid_registration(**{label: raw}, **others))
    key = SCHEMA.form("registration").match_header(label)
    return result.parsed[0][key]
