"""Which sheet column holds which field, and the header findings (missing required
columns, the same field twice, unknown columns) from the reader's SheetTable."""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Any

from workbook_tools.validate.sink import FindingSink


@dataclass
class ColumnData:
    """One validated column: its place in Record.values, its field, and per record the
    parsed value (None when blank or unusable) and whether the cell was blank."""

    pos: int
    column: Any       # the reader's Column (.letter, .header, …)
    field: Any        # schema Field
    parsed: list = dc_field(default_factory=list)
    blank: set = dc_field(default_factory=set)
    placeholders: dict = dc_field(default_factory=dict)   # record index → placeholder text (无 …), also blank

    @property
    def letter(self) -> str:
        return self.column.letter

    @property
    def label(self) -> str:
        return self.field.label


def map_columns(table: Any) -> dict[str, ColumnData]:
    """Field key → the first column for that field (later duplicates are not checked)."""
    form_fields = {f.key: f for f in table.form.fields}
    out: dict[str, ColumnData] = {}
    for pos, column in enumerate(table.columns):
        key = column.field
        if key and key not in out and key in form_fields:
            out[key] = ColumnData(pos, column, form_fields[key])
    return out


def _missing_required(table: Any, columns: dict[str, ColumnData]) -> list[str]:
    missing = getattr(table, "missing_required", None)
    if missing is None:
        missing = [f.key for f in table.form.fields if f.required and f.key not in columns]
    return list(missing)


def header_findings(table: Any, columns: dict[str, ColumnData], sink: FindingSink) -> None:
    form, header_row = table.form, table.header_row
    labels = {f.key: f.label for f in form.fields}
    for key in _missing_required(table, columns):
        sink.add("column-missing", cell=None, row=header_row, label=labels.get(key, key),
                 header_row=header_row)
    for key, listed in (getattr(table, "duplicate_fields", None) or {}).items():
        # the contract does not say whether ``listed`` includes the first column: use both
        by_index = {c.index: c for c in [*table.columns, *listed] if c.field == key or c in listed}
        same = [by_index[i] for i in sorted(by_index)]
        if len(same) < 2:
            continue
        letters = "、".join(c.letter for c in same)
        where = dict(cell=f"{same[1].letter}{header_row}", row=header_row, label=labels.get(key, key),
                     value=str(same[1].header or ""), count=len(same), letters=letters)
        if _free_text(form, key):
            sink.add("column-repeated-text", **where)
        else:
            sink.add("column-duplicate", first=same[0].letter, **where)
    unnamed = getattr(table, "unnamed_columns", None) or []
    for column in getattr(table, "unknown_columns", None) or []:
        if column in unnamed:
            first = str(column.header).rsplit("（", 1)[0]
            sink.add("column-unnamed", cell=f"{column.letter}{header_row}", row=header_row,
                     label=None, value=str(column.header), letters=column.letter, first=first)
            continue
        sink.add("column-unknown", cell=f"{column.letter}{header_row}", row=header_row,
                 label=None, value=str(column.header or ""), form=form.title)
    _inner_footers(table, sink)


def _free_text(form: Any, key: str) -> bool:
    try:
        return form.field(key).is_free_text
    except KeyError:
        return False


def join_repeated_text(table: Any, columns: dict[str, ColumnData], values: list) -> None:
    """A free-text field with several columns (two 备注): each record's parsed value is
    the distinct non-blank texts of all its columns, in sheet order, joined by "；"."""
    for key, listed in (getattr(table, "duplicate_fields", None) or {}).items():
        col = columns.get(key)
        if col is None or not _free_text(table.form, key):
            continue
        positions = [p for p, c in enumerate(table.columns) if c.field == key]
        for i, row_values in enumerate(values):
            texts = [str(row_values[p]).strip() for p in positions if row_values[p] is not None]
            texts = list(dict.fromkeys(t for t in texts if t))
            col.parsed[i] = "；".join(texts) if texts else None
            if texts:
                col.blank.discard(i)
            else:
                col.blank.add(i)


def _inner_footers(table: Any, sink: FindingSink) -> None:
    """合计/落款 rows with data below them: read as records, each reported as an error."""
    inner = getattr(table, "inner_footers", None)
    if not inner:
        return
    wanted = set(inner)
    records = [r for r in table.records if r.row in wanted]
    later = {r.row: next((x.row for x in table.records if x.row > r.row and x.row not in wanted), None)
             for r in records}
    for record in records:
        pos = next((i for i, v in enumerate(record.values) if v is not None and str(v).strip()), 0)
        text = str(record.values[pos]) if record.values else ""
        sink.add("footer-inside-table", cell=table.cell_at(record, pos), row=record.row, label=None,
                 value=text, first_row=later[record.row] or record.row + 1)
