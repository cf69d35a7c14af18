"""The in-memory shape of a sample workbook before it is written: sheets of rows,
plus the record of every problem injected into them.

Rows are ``Row`` objects (lists carrying the generated record as ``meta``); a blank
row is an empty ``Row``. Problems point at row *objects* while the mess is injected
(rows move as blank, duplicate and foreign rows are inserted) and are resolved to
1-based sheet rows and column letters only at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xlsxwriter.utility import xl_col_to_name

# Where a layout-level problem sits, instead of a data row.
TITLE, BLANK_BEFORE_HEADER, HEADER, FOOTER = "title", "blank-before-header", "header", "footer"


class Row(list):
    """One sheet row: cell values aligned with ``Sheet.columns``; ``meta`` is the record it came from."""

    __slots__ = ("meta",)

    def __init__(self, values=(), meta=None):
        super().__init__(values)
        self.meta = meta

    __hash__ = object.__hash__  # identity: two equal rows are still two rows


@dataclass
class Column:
    header: str
    key: str | None  # None: a column the schema does not know (e.g. 微信号)
    type: str = "text"
    width: float = 12


@dataclass
class Sheet:
    name: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    title: str | None = None
    blank_before_header: bool = False
    footer: str | None = None

    @property
    def header_row(self) -> int:
        """1-based row of the header."""
        return 1 + (self.title is not None) + self.blank_before_header

    @property
    def footer_row(self) -> int | None:
        """The footer sits below the data with one empty row in between."""
        return self.header_row + len(self.rows) + 2 if self.footer else None

    def col(self, key: str) -> int:
        for i, c in enumerate(self.columns):
            if c.key == key:
                return i
        raise KeyError(key)

    def data_rows(self) -> list[Row]:
        return [r for r in self.rows if r]


@dataclass(frozen=True, order=True)
class Problem:
    """One injected problem, as listed in manifest.json."""

    file: str
    sheet: str
    row: int  # 1-based sheet row
    column: str  # column letter, "" for a whole row
    field: str  # schema field key; the header text of an unknown column; "" for a whole row
    kind: str
    value: str = ""  # what was written, as text
    detail: str = ""  # Chinese description
    related_file: str = ""  # the other row of a duplicate / near-duplicate / shared customer
    related_row: int = 0


@dataclass
class Pending:
    """A problem whose row and column are not known yet."""

    sheet: Sheet
    where: Any  # a Row, or TITLE / BLANK_BEFORE_HEADER / HEADER / FOOTER
    key: str | None  # field key of the column, None for the whole row
    kind: str
    value: Any = ""
    detail: str = ""
    header: str = ""  # for unknown columns: the header text (no field key)
    related: tuple[str, Sheet, Row] | None = None  # (file name, sheet, row) replacing {related} in detail


@dataclass
class FileModel:
    """One workbook to write: its sheets by form key, and the problems injected into it."""

    name: str
    region: str
    code: str
    clerk: str
    sheets: dict[str, Sheet]
    pending: list[Pending] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)  # id() of rows that already carry a problem

    def add(self, pending: Pending) -> None:
        self.pending.append(pending)
        if isinstance(pending.where, Row):
            self.touched.add(id(pending.where))

    def clean_rows(self, form_key: str) -> list[Row]:
        """Non-blank rows of a sheet without an injected problem yet."""
        return [r for r in self.sheets[form_key].rows if r and id(r) not in self.touched]


def row_number(sheet: Sheet, where: Any, index: dict | None = None) -> int:
    """The 1-based sheet row of ``where``; ``index`` caches row positions between calls."""
    if where == TITLE:
        return 1
    if where == BLANK_BEFORE_HEADER:
        return sheet.header_row - 1
    if where == HEADER:
        return sheet.header_row
    if where == FOOTER:
        return sheet.footer_row
    index = {} if index is None else index
    if id(sheet) not in index:
        index[id(sheet)] = {id(row): i for i, row in enumerate(sheet.rows)}
    return sheet.header_row + 1 + index[id(sheet)][id(where)]


def resolve(file_name: str, pending: Pending, index: dict | None = None) -> Problem:
    """The manifest entry for ``pending`` (``index``: a dict shared by calls on the same sheets)."""
    sheet = pending.sheet
    column = ""
    if pending.header:
        column = xl_col_to_name([c.header for c in sheet.columns].index(pending.header))
    elif pending.key is not None:
        column = xl_col_to_name(sheet.col(pending.key))
    detail, other_file, other_row = pending.detail, "", 0
    if pending.related:
        other_file, other_sheet, row = pending.related
        other_row = row_number(other_sheet, row, index)
        detail = detail.replace("{related}", f"{other_file} 第{other_row}行")
    return Problem(
        file=file_name, sheet=sheet.name, row=row_number(sheet, pending.where, index), column=column,
        field=pending.header or pending.key or "", kind=pending.kind,
        value=_text(pending.value), detail=detail, related_file=other_file, related_row=other_row,
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)
