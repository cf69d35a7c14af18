"""The reader's results: WorkbookData → SheetTable → Column / Record.

A Record is deliberately tiny (``__slots__``: row number and the list of raw values)
so that 100,000 rows cost almost nothing on top of reading the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbook_tools.io.cells import cell_ref
from workbook_tools.schema.model import Form


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table, as found in its header row."""

    index: int  # 0-based sheet column
    letter: str  # "B"
    header: str  # the header cell's original text
    field: str | None  # schema field key, None for an unknown column
    matched: str | None  # "label" | "alias" | None


class Record:
    """One data row: its 1-based sheet row and raw values aligned with the table's columns.

    Values are what calamine returned (str, float, int, bool, date, datetime, time,
    timedelta), or None for a blank cell; CSV values are str.
    """

    __slots__ = ("row", "values")

    def __init__(self, row: int, values: list):
        self.row = row
        self.values = values

    def __repr__(self) -> str:
        return f"Record(row={self.row}, values={self.values!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and (self.row, self.values) == (other.row, other.values)

    __hash__ = None  # mutable


@dataclass
class SheetTable:
    """The table found on one sheet: header, columns mapped to fields, data rows."""

    path: str
    sheet: str
    form: Form
    header_row: int  # 1-based
    columns: list[Column]
    records: list[Record] = field(default_factory=list, repr=False)
    missing_required: list[str] = field(default_factory=list)
    duplicate_fields: dict[str, list[Column]] = field(default_factory=dict)
    unknown_columns: list[Column] = field(default_factory=list)
    footer_row: int | None = None
    title_matched: bool = False  # the sheet name or a title row names the form
    # rows under the header that are not data (an English second header, 必填/选填 notes):
    # (1-based sheet row, kind), kind "英文表头" | "填写说明" | "重复表头"
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)
    inner_footers: list[int] = field(default_factory=list)  # 合计/填表人 rows with data below (read)
    unnamed_columns: list[Column] = field(default_factory=list)  # data under a merged header cell

    def __post_init__(self):
        self._positions: dict[str, int] = {}
        for pos, col in enumerate(self.columns):
            if col.field is not None:
                self._positions.setdefault(col.field, pos)

    def position(self, key: str) -> int | None:
        """Index into ``record.values`` of the (first) column of field ``key``."""
        return self._positions.get(key)

    def column(self, key: str) -> Column | None:
        pos = self._positions.get(key)
        return None if pos is None else self.columns[pos]

    def has_field(self, key: str) -> bool:
        return key in self._positions

    @property
    def fields(self) -> list[str]:
        """Keys of the fields present, in sheet order."""
        return list(self._positions)

    def value(self, record: Record, key: str) -> Any:
        """The raw value of field ``key`` in ``record`` (None if blank or no such column)."""
        pos = self._positions.get(key)
        return None if pos is None else record.values[pos]

    def cell(self, record: Record, key: str) -> str | None:
        """The cell reference ("C7") of field ``key`` in ``record``; None if no such column."""
        pos = self._positions.get(key)
        return None if pos is None else cell_ref(record.row, self.columns[pos].index)

    def cell_at(self, record: Record, pos: int) -> str:
        """The cell reference of ``record.values[pos]``."""
        return cell_ref(record.row, self.columns[pos].index)


@dataclass
class WorkbookData:
    """Everything read from one file."""

    path: str
    kind: str  # xlsx, xlsm, xls, ods, csv
    stamp: dict = field(default_factory=dict)
    sheets: list[SheetTable] = field(default_factory=list)
    other_sheets: list[str] = field(default_factory=list)
    date1904: bool = False
    other_reasons: dict[str, str] = field(default_factory=dict)  # other sheet → why (Chinese)

    @property
    def name(self) -> str:
        return Path(self.path).name

    def sheet(self, name: str) -> SheetTable | None:
        for table in self.sheets:
            if table.sheet == name:
                return table
        return None

    def tables(self, form_key: str) -> list[SheetTable]:
        """The sheets holding form ``form_key``."""
        return [t for t in self.sheets if t.form.key == form_key]
