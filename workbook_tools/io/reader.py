"""Public API: read any workbook (xlsx/xlsm/xls/ods/csv) into tables of raw values
that keep the file, sheet and cell coordinates. Shared by validation and merge.

    data = read_workbook("华东.xlsx", load_schema())
    for table in data.sheets:
        for record in table.records:
            table.value(record, "customer_id"), table.cell(record, "customer_id")  # "A4"
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterable, Iterator

from workbook_tools.errors import UnreadableWorkbook, WorkbookToolsError
from workbook_tools.io.body import extract_records
from workbook_tools.io.calamine_source import CalamineFailed, CalamineSource
from workbook_tools.io.csv_source import CsvSource
from workbook_tools.io.grid import SheetGrid, SheetInfo
from workbook_tools.io.header import find_header
from workbook_tools.io.problems import unreadable
from workbook_tools.io.sniff import Sniffed, sniff
from workbook_tools.io.stamp import read_version_stamp
from workbook_tools.io.table import Column, Record, SheetTable, WorkbookData
from workbook_tools.schema.model import Form, Schema, normalize_header

__all__ = ["Column", "Record", "SheetTable", "WorkbookData", "read_version_stamp", "read_workbook",
           "read_workbooks"]

# Sheets of our generated templates (and of most Chinese forms) that explain, not hold, data.
INSTRUCTION_SHEETS = frozenset({"填表说明", "填写说明", "使用说明", "说明", "填表须知",
                                # sheets our own tools add to a user's workbook
                                "校验结果", "修正记录", "待安排"})

# The merged master (version stamp form "master", written by workbook_tools.merge): only
# these sheets hold data, one form each; its report sheets (待修正, 冲突, 疑似重复, 变更记录,
# 合并说明) are never input rows, and its provenance columns are not unknown columns.
MASTER_FORM = "master"
MASTER_DATA_SHEETS = {"客户档案": "registration", "拜访记录": "visit-record",
                      "拜访计划": "visit-plan", "投诉记录": "complaint"}
MASTER_PROVENANCE = frozenset(normalize_header(h) for h in ("来源文件", "来源工作表", "来源行"))
# The self-checking forms' formula column (generate/checks): ours, never data, never unknown.
CHECK_COLUMNS = frozenset({normalize_header("检查结果")})


def read_workbook(path: str | Path, schema: Schema, form: str | Form | None = None) -> WorkbookData:
    """Read every sheet of ``path``; ``form`` (a key such as "registration", or a Form)
    restricts detection to that form. Raises UnreadableWorkbook with a Chinese reason."""
    forms = resolve_forms(schema, form)
    sniffed = sniff(path)
    prefer = sniffed.stamp.get("form") if sniffed.stamp.get("form") in schema.form_keys else None
    try:
        return _read(sniffed, _calamine_or_csv(sniffed), forms, prefer)
    except CalamineFailed:
        if sniffed.kind not in ("xlsx", "xlsm"):
            raise unreadable(sniffed.path, "corrupt", what="工作簿内部结构无法解析") from None
    from workbook_tools.io.openpyxl_source import OpenpyxlSource

    return _read(sniffed, OpenpyxlSource(sniffed.path), forms, prefer)


def read_workbooks(paths: Iterable[str | Path], schema: Schema, form: str | Form | None = None,
                   ) -> Iterator[tuple[Path, WorkbookData | UnreadableWorkbook]]:
    """read_workbook for several files, in order: (path, data) or (path, the
    UnreadableWorkbook) for each. The next file is read on a background thread while the
    caller works on the current one — calamine parses without holding the GIL, so its
    parse overlaps the caller's Python work (validation). One file is read ahead."""
    paths = [Path(p) for p in paths]
    if not paths:
        return
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead")
    try:
        ahead = pool.submit(_read_or_error, paths[0], schema, form)
        for i, path in enumerate(paths):
            result = ahead.result()
            if i + 1 < len(paths):
                ahead = pool.submit(_read_or_error, paths[i + 1], schema, form)
            yield path, result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _read_or_error(path: Path, schema: Schema, form: str | Form | None,
                   ) -> WorkbookData | UnreadableWorkbook:
    try:
        return read_workbook(path, schema, form)
    except UnreadableWorkbook as exc:
        return exc


def resolve_forms(schema: Schema, form: str | Form | None) -> list[Form]:
    if form is None:
        return list(schema.forms)
    if isinstance(form, Form):
        return [form]
    try:
        return [schema.form(form)]
    except KeyError as exc:
        raise WorkbookToolsError(exc.args[0]) from None


def _calamine_or_csv(sniffed: Sniffed):
    if sniffed.kind == "csv":
        return CsvSource(sniffed.path)
    return CalamineSource(sniffed.path, sniffed.kind)


def _read(sniffed: Sniffed, source, forms: list[Form], prefer: str | None) -> WorkbookData:
    data = WorkbookData(str(sniffed.path), sniffed.kind, sniffed.stamp, date1904=sniffed.date1904)
    master = sniffed.stamp.get("form") == MASTER_FORM
    ignore = (MASTER_PROVENANCE if master else frozenset()) | CHECK_COLUMNS
    try:
        for info in source.sheets():
            table = None
            sheet_forms = master_forms(info.name, forms) if master else forms
            if sheet_forms and is_data_sheet(info):
                grid = source.load(info.name)
                table = build_table(str(sniffed.path), grid, sheet_forms, prefer, ignore=ignore)
            if table is None:
                data.other_sheets.append(info.name)
            else:
                data.sheets.append(table)
    finally:
        source.close()
    return data


def is_data_sheet(info: SheetInfo) -> bool:
    """Hidden sheets (our templates' choice lists), chart sheets and instruction sheets
    (填表说明) never hold records."""
    return info.visible and info.worksheet and normalize_header(info.name) not in INSTRUCTION_SHEETS


def master_forms(sheet: str, forms: list[Form]) -> list[Form]:
    """The form a master's sheet holds (if asked for); [] for its report sheets."""
    key = MASTER_DATA_SHEETS.get(sheet)
    return [f for f in forms if f.key == key]


def build_table(path: str, grid: SheetGrid, forms: list[Form], prefer: str | None = None, *,
                ignore: frozenset[str] = frozenset()) -> SheetTable | None:
    """The table on ``grid``, or None when no form's header is recognisable. Columns whose
    normalised header is in ``ignore`` are kept but not listed as unknown columns."""
    match = find_header(grid, forms, prefer)
    if match is None:
        return None
    columns = match.columns
    mapped = [c.field is not None for c in columns]
    records, footer = extract_records(grid.rows, match.row, match.start, match.end,
                                      grid.first_row, mapped)
    by_field: dict[str, list[Column]] = defaultdict(list)
    for col in columns:
        if col.field is not None:
            by_field[col.field].append(col)
    return SheetTable(
        path=path, sheet=grid.name, form=match.form, header_row=grid.first_row + match.row + 1,
        columns=columns, records=records,
        missing_required=[f.key for f in match.form.fields if f.required and f.key not in by_field],
        duplicate_fields={k: cols for k, cols in by_field.items() if len(cols) > 1},
        unknown_columns=[c for c in columns if c.field is None and c.header.strip()
                         and normalize_header(c.header) not in ignore],
        footer_row=footer, title_matched=match.title_matched,
    )

