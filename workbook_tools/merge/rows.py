"""The merge input contract: rows already read and validated, plus what the caller knows
about each input file. Nothing here reads a workbook.

The integrator builds one :class:`SourceRow` per data row of every sheet the reader found
(``Record`` → values parsed by the validator), one :class:`InputFile` per file offered
(skipped files too), and passes them to :func:`workbook_tools.merge.merge_rows`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from workbook_tools.merge.compact import EMPTY, NO_ERRORS, RowValues
from workbook_tools.schema.model import Field, Schema, normalize_header
from workbook_tools.schema.settings import placeholder_test

# Provenance columns appended to every table of the master (and ignored when re-read).
SOURCE_FILE, SOURCE_SHEET, SOURCE_ROW = "来源文件", "来源工作表", "来源行"
PROVENANCE_HEADERS = (SOURCE_FILE, SOURCE_SHEET, SOURCE_ROW)
_PROVENANCE_NORMALISED = {normalize_header(h) for h in PROVENANCE_HEADERS}

# Keys a ``previous`` dict may carry besides field keys.
PREV_FILE, PREV_SHEET, PREV_ROW, PREV_EXTRAS = "_file", "_sheet", "_row", "_extras"
MASTER_SHEET = "客户档案"


@dataclass(slots=True)
class SourceRow:
    """One data row of one sheet, already read and validated.

    ``values`` hold canonical values: an empty cell is ``None`` (the merge also treats ''
    as empty, but expects strings already trimmed). Dict order does not matter; missing
    keys count as empty. The merge never modifies a SourceRow it is given. Rows read by
    merge_files carry a read-only mapping (merge/compact.RowValues, the values as a tuple in
    field order) and shared empty ``extras`` / ``errors``: build a new row to change one.
    """

    form: str                 # schema form key: "registration" | "visit-record" | "visit-plan" | "complaint"
    values: Mapping[str, Any]  # field key → canonical value (str / date / int / float); None when empty
    raw: Mapping[str, Any]    # field key → the value as read (for the 待修正 sheet)
    extras: Mapping[str, Any]  # unknown column header (as staff wrote it) → raw value
    file: str                 # file name (provenance); must equal InputFile.name
    sheet: str
    row: int                  # 1-based sheet row
    errors: list[str] = field(default_factory=list)  # Chinese error messages; non-empty → quarantined

    @property
    def where(self) -> str:
        return f"{self.file}/{self.sheet}/{self.row}"


@dataclass(frozen=True, slots=True)
class HeaderDrift:
    """How one sheet's header differs from the schema (labels, as the user knows them)."""

    sheet: str
    missing: tuple[str, ...] = ()              # labels of fields not found
    unknown: tuple[str, ...] = ()              # headers that match no field
    aliased: tuple[tuple[str, str], ...] = ()  # (header as written, label) matched by alias


@dataclass(frozen=True, slots=True)
class InputFile:
    path: str
    sha256: str
    rows_read_by_sheet: Mapping[str, int] = field(default_factory=dict)
    skipped_reason: str | None = None          # Chinese reason when the file was not used
    header_drift: tuple[HeaderDrift, ...] = ()
    label: str | None = None                   # shown name when two inputs share a file name

    @property
    def name(self) -> str:
        """The name rows cite as ``SourceRow.file``: ``label`` if given, else the file name."""
        return self.label or Path(self.path).name

    @property
    def rows_read(self) -> int:
        return sum(self.rows_read_by_sheet.values())


def header_drift_from_table(table: Any) -> HeaderDrift:
    """Build a HeaderDrift from a reader ``SheetTable`` (duck-typed: ``.sheet``, ``.form``,
    ``.columns`` with ``.header/.field/.matched``, ``.unknown_columns``)."""
    found = {c.field for c in table.columns if c.field}
    missing = tuple(f.label for f in table.form.fields if f.key not in found)
    unknown = tuple(str(c.header) for c in table.unknown_columns)
    aliased = tuple((str(c.header), table.form.field(c.field).label)
                    for c in table.columns if c.field and c.matched == "alias")
    return HeaderDrift(table.sheet, missing, unknown, aliased)


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def norm_id(value: Any) -> str:
    """A customer id as used for grouping: NFKC, trimmed, upper-case; '' when empty."""
    if type(value) is str and value.isascii():
        return value.strip().upper()
    if is_empty(value):
        return ""
    return unicodedata.normalize("NFKC", code_text(value)).strip().upper()


def code_text(value: Any) -> str:
    """A code (id, phone, account) as text; a number Excel stored becomes its digits."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def display(value: Any) -> str:
    """A value as one line of text in the 冲突 / 变更记录 sheets."""
    if is_empty(value):
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return code_text(value)
    return str(value)


source_order = attrgetter("file", "sheet", "row")  # row → (file, sheet, row)


_NATURAL = re.compile(r"(\d+)")
_PREFIX_NUMBER = re.compile(r"(\D*)(\d+)")


def natural_key(text: str) -> tuple:
    """'HD9' < 'HD10': digit runs compare as numbers; the text itself breaks ties.
    A flat tuple of (marker, part) pairs: 0 → int part, 1 → text part, 2 → the whole text."""
    m = _PREFIX_NUMBER.fullmatch(text)
    if m:  # fast path for ids like HD0001; the same key as the general case
        return (1, m[1], 0, int(m[2]), 1, "", 2, text)
    key: list = []
    for part in _NATURAL.split(text):
        key += (0, int(part)) if part.isdigit() else (1, part)
    return (*key, 2, text)


def is_provenance_header(header: str) -> bool:
    return normalize_header(header) in _PROVENANCE_NORMALISED


# --- the previous master -------------------------------------------------------------


def master_keys(header: Sequence[Any], form: Any) -> list[str | None]:
    """The field key of each column of a master sheet (None: provenance or unknown columns)."""
    return [None if is_provenance_header(str(h or "")) else form.match_header(h) for h in header]


def master_row(header: Sequence[Any], keys: Sequence[str | None], cells: Sequence[Any],
               form: Any, placeholder: Callable[[str], bool] | None = None
               ) -> tuple[dict[str, Any], dict[str, Any]]:
    """One row of a master sheet → (canonical values by field key, unknown columns by header)."""
    values: dict[str, Any] = dict.fromkeys(form.keys)
    extras: dict[str, Any] = {}
    for h, key, cell in zip(header, keys, cells):
        if key:
            values[key] = coerce(form.field(key), cell, placeholder)
        elif not is_empty(h) and not is_provenance_header(str(h)) and not is_empty(cell):
            extras[str(h)] = cell
    return values, extras


def previous_from_rows(header: Sequence[Any], rows: Iterable[Sequence[Any]], schema: Schema,
                       *, file: str, sheet: str = MASTER_SHEET, header_row: int = 1) -> list[SourceRow]:
    """Last week's 客户档案 sheet (header + value rows as read, e.g. calamine ``to_python()``)
    → previous customers for :func:`merge_rows`. Provenance columns are dropped (the
    customer's provenance becomes this master), unknown columns become extras."""
    form = schema.form("registration")
    keys = master_keys(header, form)
    placeholder = placeholder_test(schema.settings.get("empty_placeholders"))
    out = []
    for offset, cells in enumerate(rows, start=header_row + 1):
        values, extras = master_row(header, keys, cells, form, placeholder)
        if norm_id(values.get(form.id_field)):
            values = RowValues.packed(values, form.keys)
            out.append(SourceRow("registration", values, values, extras or EMPTY, file, sheet, offset,
                                 NO_ERRORS))
    return out


def coerce(f: Field, value: Any, placeholder: Callable[[str], bool] | None = None) -> Any:
    """A value read back from a master cell → the canonical type of its field. With
    ``placeholder`` (settings.empty_placeholders' test), 无 / 不详 … in an optional field
    are empty, as validate reads them (a master written before that rule may hold them)."""
    if is_empty(value):
        return None
    if placeholder is not None and value.__class__ is str and not f.required and placeholder(value):
        return None
    if f.type == "date":
        return value.date() if isinstance(value, dt.datetime) else value
    if f.is_code:
        return code_text(value).strip()
    if f.type == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    if f.type in ("decimal", "money") and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value.strip() if isinstance(value, str) else value


_PREV_KEYS = (PREV_FILE, PREV_SHEET, PREV_ROW, PREV_EXTRAS)


def previous_row(item: SourceRow | Mapping[str, Any]) -> SourceRow:
    """Accept a previous customer as a SourceRow or as a dict of field key → value with
    optional ``_file`` / ``_sheet`` / ``_row`` / ``_extras``."""
    if isinstance(item, SourceRow):
        return item
    values = dict(item)
    for key in _PREV_KEYS:
        values.pop(key, None)
    return SourceRow("registration", values, values, dict(item.get(PREV_EXTRAS) or {}),
                     str(item.get(PREV_FILE) or "上期总表"), str(item.get(PREV_SHEET) or MASTER_SHEET),
                     int(item.get(PREV_ROW) or 0))
