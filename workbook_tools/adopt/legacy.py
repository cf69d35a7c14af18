"""Reading a legacy register: any file the io readers take (xlsx, xlsm, xls, ods, csv in
UTF-8 / UTF-8-BOM / GBK / GB18030), every visible data sheet, the header row found below
title rows by how many of its cells map to a field (labels, aliases, fuzzy, the map file),
merged header cells named after their left neighbour (io.unnamed), header-like rows under
the header skipped and footers ending the table (io.body). Every row holding any value
under the header is a record — nothing is dropped because its columns are unknown — except
a row whose only value is a pre-printed 序号.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbook_tools.adopt.mapping import SAMPLE_ROWS, ColumnMap, Mapper
from workbook_tools.errors import UnreadableWorkbook
from workbook_tools.io import limits
from workbook_tools.io.body import extract_records
from workbook_tools.io.calamine_source import CalamineFailed, CalamineSource
from workbook_tools.io.cells import column_letter
from workbook_tools.io.csv_source import CsvSource
from workbook_tools.io.grid import SheetGrid
from workbook_tools.io.header import HeaderMatch, header_text
from workbook_tools.io.header_rows import header_like_rows
from workbook_tools.io.problems import unreadable
from workbook_tools.io.reader import not_data_reason
from workbook_tools.io.sniff import sniff
from workbook_tools.io.table import Column, Record
from workbook_tools.io.unnamed import name_unnamed
from workbook_tools.schema.model import normalize_header

# A pre-printed 序号 alone does not make a row a record (blank numbered rows of a register).
SERIAL_HEADERS = frozenset(normalize_header(h) for h in ("序号", "序", "行号", "No.", "NO", "编号序列"))
MIN_MAPPED = 2  # header cells that must map to a field for a row to be the header
NO_HEADER = "没有找到能对应到客户档案字段的表头（至少要有 2 列能对上，如 客户名称、联系人、电话）"


@dataclass
class LegacyTable:
    """One table of a legacy file: its columns as mapped and its data rows."""

    path: Path
    sheet: str
    header_row: int                       # 1-based
    columns: list[ColumnMap]
    letters: list[str]
    records: list[Record]
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)
    footer_row: int | None = None
    number: int = 1                       # 1-based table number on its sheet
    title: str | None = None              # the title line above a further table (provenance)
    start_row: int | None = None          # 1-based first row of a further table (its title line)


@dataclass
class LegacyFile:
    path: Path
    kind: str
    tables: list[LegacyTable] = field(default_factory=list)
    other_sheets: dict[str, str] = field(default_factory=dict)  # sheet → why not read

    @property
    def rows(self) -> int:
        return sum(len(t.records) for t in self.tables)


def read_legacy(path: str | Path, mapper: Mapper) -> LegacyFile:
    """Every table of ``path``; raises UnreadableWorkbook (Chinese) when the file cannot be
    read or holds no table with a recognisable header."""
    path = Path(path)
    sniffed = sniff(path)
    source = CsvSource(path) if sniffed.kind == "csv" else _calamine(path, sniffed.kind)
    out = LegacyFile(path, sniffed.kind)
    try:
        for info in source.sheets():
            why = not_data_reason(info)
            table = None if why else read_tables(path, source.load(info.name), mapper)
            if isinstance(table, list):
                out.tables.extend(table)
            else:
                out.other_sheets[info.name] = why or table or NO_HEADER
    finally:
        source.close()
    if not out.tables:
        reasons = "；".join(f"{s}：{r}" for s, r in out.other_sheets.items()) or "没有工作表"
        raise UnreadableWorkbook(path, f"没有找到客户表（{reasons}）",
                                 "请确认表头行含有客户名称、联系人、电话等列名，或用 --map 指定列的对应")
    return out


def _calamine(path: Path, kind: str):
    try:
        return CalamineSource(path, kind)
    except CalamineFailed:
        if kind not in ("xlsx", "xlsm"):
            raise unreadable(path, "corrupt", what="工作簿内部结构无法解析") from None
    from workbook_tools.io.openpyxl_source import OpenpyxlSource

    return OpenpyxlSource(path)


def header_score(row: list, mapper: Mapper) -> int:
    """How many distinct fields the cells of ``row`` map to."""
    keys = {mapper.header(v)[0] for v in row if isinstance(v, str) and v.strip()}
    keys.discard(None)
    return len(keys)


def find_header_row(grid: SheetGrid, mapper: Mapper) -> int | None:
    """Index of the row (among the first rows) whose cells map to the most fields."""
    best, best_row = MIN_MAPPED - 1, None
    for i, row in enumerate(grid.rows[: limits.HEADER_SCAN_ROWS]):
        score = header_score(row, mapper)
        if score > best:
            best, best_row = score, i
    return best_row


def _texts(row: list) -> list[str]:
    return [t for t in (header_text(v).strip() for v in row if v is not None) if t]


def _blank_row(row: list) -> bool:
    return not _texts(row)


def _title(row: list) -> str | None:
    """The text of a title line (one filled cell, e.g. “华南区客户”), else None."""
    texts = _texts(row)
    return texts[0] if len(texts) == 1 else None


def further_tables(grid: SheetGrid, header: int, mapper: Mapper) -> list[tuple[int, int, str | None]]:
    """(start, header, title) of every further table below the one whose header is row
    ``header``: after a blank gap, a row (optionally under a one-cell title line) whose
    cells map to at least half as many fields as the first header's do (another system's
    block may name fewer known columns). A blank gap followed by data rows — whose values
    are not column names — does not start a table."""
    need = max(MIN_MAPPED, (header_score(grid.rows[header], mapper) + 1) // 2)
    out, rows = [], grid.rows
    for i in range(header + 2, len(rows)):
        if _blank_row(rows[i]) or header_score(rows[i], mapper) < need:
            continue
        title = _title(rows[i - 1])
        start = i - 1 if title is not None else i
        if start >= 1 and _blank_row(rows[start - 1]):
            out.append((start, i, title))
    return out


def read_tables(path: Path, grid: SheetGrid, mapper: Mapper) -> list[LegacyTable] | str | None:
    """Every table on one sheet (several tables one under another), or why there is none."""
    header = find_header_row(grid, mapper)
    bounds = [] if header is None else further_tables(grid, header, mapper)
    if not bounds:  # (bounds first: reading a table blanks its cells to None in place)
        first = read_grid(path, grid, mapper)
        return [first] if isinstance(first, LegacyTable) else first
    ends = [b[0] for b in bounds] + [len(grid.rows)]
    tables = [read_grid(path, SheetGrid(grid.name, grid.rows[:ends[0]], grid.first_row, grid.first_col), mapper)]
    for n, (start, _h, title) in enumerate(bounds):
        part = SheetGrid(grid.name, grid.rows[start:ends[n + 1]], grid.first_row + start, grid.first_col)
        table = read_grid(path, part, mapper)
        table.number, table.title, table.start_row = n + 2, title, grid.first_row + start + 1
        tables.append(table)
    return tables


def read_grid(path: Path, grid: SheetGrid, mapper: Mapper) -> LegacyTable | str | None:
    """The table on one sheet, or why there is none."""
    i = find_header_row(grid, mapper)
    if i is None:
        return None if any(any(str(v).strip() for v in r) for r in grid.rows) else "空工作表"
    row = grid.rows[i]
    filled = [j for j, v in enumerate(row) if header_text(v).strip()]
    start, end = filled[0], filled[-1] + 1
    columns = [Column(grid.first_col + j, column_letter(grid.first_col + j), header_text(row[j]), None, None)
               for j in range(start, end)]
    columns, end, _unnamed = name_unnamed(grid, i, start, end, columns)
    form = mapper.form
    match = HeaderMatch(form, i, start, end, columns, False, ())
    skipped = header_like_rows(grid.rows, match)
    body = skipped[-1][0] if skipped else i
    counts = [normalize_header(c.header) not in SERIAL_HEADERS for c in columns]
    records, footer = extract_records(grid.rows, body, start, end, grid.first_row, counts)
    samples = [[r.values[k] for r in records[:SAMPLE_ROWS]] for k in range(len(columns))]
    mapped = mapper.columns([(c.letter, c.header) for c in columns], samples)
    return LegacyTable(path, grid.name, grid.first_row + i + 1, mapped, [c.letter for c in columns], records,
                       [(grid.first_row + r + 1, kind) for r, kind in skipped], footer)

