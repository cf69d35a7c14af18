"""The legacy records as registration rows: per row a dict of field key → raw value (a
list when several legacy columns map to one field), the 其他信息 values of the columns
mapping nowhere, and where each row came from. Nothing is dropped: every record read is
one row here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from workbook_tools.adopt.legacy import LegacyFile, LegacyTable
from workbook_tools.io.table import Column, Record, SheetTable
from workbook_tools.schema.model import Form

FIRST_ROW = 2  # the first data row of the written form (the header is row 1)
OTHER_PREFIX = "其他信息："  # the header of a kept column: 其他信息：微信


@dataclass
class Origin:
    file: int        # index into the files
    table: LegacyTable
    row: int         # 1-based sheet row in the legacy file


@dataclass
class AdoptRows:
    values: list[dict[str, Any]] = field(default_factory=list)
    origins: list[Origin] = field(default_factory=list)
    extra_headers: list[str] = field(default_factory=list)
    extra_values: list[list] = field(default_factory=list)

    def sheet_table(self, form: Form, path: str) -> SheetTable:
        """The rows as the reader will find them in the written form (for validation)."""
        columns = [Column(j, xl_col_to_name(j), f.label, f.key, "label") for j, f in enumerate(form.fields)]
        first = len(form.fields) + 1
        extra = [Column(first + k, xl_col_to_name(first + k), f"{OTHER_PREFIX}{h}", None, None)
                 for k, h in enumerate(self.extra_headers)]
        width = len(self.extra_headers)
        records = []
        for i, values in enumerate(self.values):
            cells = [cell_value(values.get(f.key)) for f in form.fields]
            extras = self.extra_values[i] if i < len(self.extra_values) else []
            cells += [cell_value(v) for v in extras] + [None] * (width - len(extras))
            records.append(Record(FIRST_ROW + i, [read_back(v) for v in cells]))
        return SheetTable(path=path, sheet=form.title, form=form, header_row=1, columns=columns + extra,
                          records=records, unknown_columns=extra)


def collect_rows(files: list[LegacyFile], form: Form) -> AdoptRows:
    out = AdoptRows()
    positions: dict[str, int] = {}
    for n, legacy in enumerate(files):
        for table in legacy.tables:
            slots = _extra_slots(table, out, positions)
            for record in table.records:
                out.values.append(_values(table, record))
                extras: list = [None] * len(out.extra_headers)
                for k, slot in slots:
                    extras[slot] = record.values[k]
                out.extra_values.append(extras)
                out.origins.append(Origin(n, table, record.row))
    width = len(out.extra_headers)
    for extras in out.extra_values:
        extras.extend([None] * (width - len(extras)))
    return out


def _extra_slots(table: LegacyTable, out: AdoptRows, positions: dict[str, int]) -> list[tuple[int, int]]:
    """(column position, 其他信息 slot) for the table's columns mapping nowhere."""
    slots, used = [], set()
    for k, col in enumerate(table.columns):
        if col.field is not None:
            continue
        header = col.header.strip() or f"{table.letters[k]}列"
        if header in used:
            header = f"{header}（{table.letters[k]}列）"
        used.add(header)
        if header not in positions:
            positions[header] = len(out.extra_headers)
            out.extra_headers.append(header)
        slots.append((k, positions[header]))
    return slots


def _values(table: LegacyTable, record: Record) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for k, col in enumerate(table.columns):
        v = record.values[k]
        if col.field is None or _blank(v):
            continue
        if col.field in values:
            have = values[col.field]
            values[col.field] = (have if isinstance(have, list) else [have]) + [v]
        else:
            values[col.field] = v
    return values


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def output_values(form: Form, values: dict[str, Any]) -> list:
    return [cell_value(values.get(f.key)) for f in form.fields]


def cell_value(v: Any) -> Any:
    """A value as written into a cell: a list (several legacy columns) as its distinct
    texts joined by “；”, times as text, blanks as None."""
    if isinstance(v, list):
        texts = list(dict.fromkeys(_text(x) for x in v if not _blank(x)))
        return None if not texts else (v[0] if len(texts) == 1 and len(v) == 1 else "；".join(texts))
    if isinstance(v, (dt.time, dt.timedelta)):
        return str(v)
    if _blank(v):
        return None
    return v


def _text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime) and v.time() == dt.time():
        return v.date().isoformat()
    return str(v).strip() if isinstance(v, str) else (v.isoformat() if isinstance(v, dt.date) else str(v))


def read_back(v: Any) -> Any:
    """What the reader (calamine) returns for a written value: numbers as floats."""
    return float(v) if isinstance(v, int) and not isinstance(v, bool) else v
