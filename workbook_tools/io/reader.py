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
from workbook_tools.io import isolate
from workbook_tools.io.body import extract_records
from workbook_tools.io.calamine_source import CalamineFailed, CalamineSource
from workbook_tools.io.continuation import continuation_of, header_mismatch, split_name
from workbook_tools.io.csv_source import CsvSource
from workbook_tools.io.grid import SheetGrid, SheetInfo
from workbook_tools.io.header import scan_header
from workbook_tools.io.header_rows import header_like_rows
from workbook_tools.io.problems import unreadable
from workbook_tools.io.sniff import Sniffed, sniff
from workbook_tools.io.stamp import read_version_stamp
from workbook_tools.io.table import Column, Record, SheetTable, WorkbookData
from workbook_tools.io.unnamed import name_unnamed
from workbook_tools.schema.model import Form, Schema, normalize_header

__all__ = ["Column", "Record", "SheetTable", "WorkbookData", "read_version_stamp", "read_workbook",
           "read_workbooks"]

# Sheets of our generated templates (and of most Chinese forms) that explain, not hold, data.
INSTRUCTION_SHEETS = frozenset({"填表说明", "填写说明", "使用说明", "说明", "填表须知",
                                # sheets our own tools add to a user's workbook
                                "校验结果", "修正记录", "待安排", "迁移说明"})

# The merged master (version stamp form "master", written by workbook_tools.merge): only
# these sheets hold data, one form each; its report sheets (待修正, 冲突, 疑似重复, 变更记录,
# 合并说明) are never input rows, and its provenance columns are not unknown columns. A data
# sheet's continuation sheets (拜访记录(2) …, io/continuation.py) hold the same form when
# their header is the first sheet's; each is its own SheetTable (its cells keep their sheet).
MASTER_FORM = "master"
MASTER_DATA_SHEETS = {"客户档案": "registration", "拜访记录": "visit-record",
                      "拜访计划": "visit-plan", "投诉记录": "complaint",
                      "交易记录": "trade"}
MASTER_PROVENANCE = frozenset(normalize_header(h) for h in ("来源文件", "来源工作表", "来源行"))
# The self-checking forms' formula column (generate/checks): ours, never data, never unknown.
CHECK_COLUMNS = frozenset({normalize_header("检查结果")})


def read_workbook(path: str | Path, schema: Schema, form: str | Form | None = None) -> WorkbookData:
    """Read every sheet of ``path``; ``form`` (a key such as "registration", or a Form)
    restricts detection to that form. Raises UnreadableWorkbook with a Chinese reason."""
    return read_here(Path(path), resolve_forms(schema, form), named=form is not None, all_forms=list(schema.forms))


def read_here(path: Path, forms: list[Form], *, named: bool = False,
              all_forms: list[Form] | None = None) -> WorkbookData:
    """read_workbook. The pre-parse checks (sniff) run here; the parse runs here too when
    they bounded everything it will build, otherwise in a child process with a memory
    limit (io/isolate.py), so that even a crash of the Rust parser is an
    UnreadableWorkbook ("读取程序异常终止") and the caller goes on. ``named``: the user named
    the form (a lower recognition threshold); ``all_forms``: every form of the schema."""
    sniffed = sniff(path)
    all_forms = all_forms or forms
    if (sniffed.bounded and not isolate.always()) or not isolate.available():
        return read_sniffed(sniffed, forms, named, all_forms)
    result = isolate.PendingRead(path, forms, lambda _path, _forms: read_sniffed(sniffed, _forms, named,
                                                                                   all_forms)).result()
    if isinstance(result, UnreadableWorkbook):
        raise result
    return result


def read_sniffed(sniffed: Sniffed, forms: list[Form], named: bool = False,
                 all_forms: list[Form] | None = None) -> WorkbookData:
    """Parse a file that passed sniff's checks."""
    all_forms = all_forms or forms
    stamped = sniffed.stamp.get("form")
    prefer = stamped if any(f.key == stamped for f in all_forms) else None
    try:
        return _read(sniffed, _calamine_or_csv(sniffed), forms, prefer, named, all_forms)
    except CalamineFailed:
        if sniffed.kind not in ("xlsx", "xlsm"):
            raise unreadable(sniffed.path, "corrupt", what="工作簿内部结构无法解析") from None
    from workbook_tools.io.openpyxl_source import OpenpyxlSource

    return _read(sniffed, OpenpyxlSource(sniffed.path), forms, prefer, named, all_forms)


def read_workbooks(paths: Iterable[str | Path], schema: Schema, form: str | Form | None = None,
                   ) -> Iterator[tuple[Path, WorkbookData | UnreadableWorkbook]]:
    """read_workbook for several files, in order: (path, data) or (path, the
    UnreadableWorkbook) for each. The next file is read on a background thread while the
    caller works on the current one — calamine parses without holding the GIL (and a child
    process, when one is needed, runs on its own), so the parse overlaps the caller's
    Python work (validation). One file is read ahead."""
    paths = [Path(p) for p in paths]
    forms = resolve_forms(schema, form)
    wanted = (forms, form is not None, list(schema.forms))
    if not paths:
        return
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead")
    try:
        ahead = pool.submit(_read_or_error, paths[0], *wanted)
        for i, path in enumerate(paths):
            result = ahead.result()
            if i + 1 < len(paths):
                ahead = pool.submit(_read_or_error, paths[i + 1], *wanted)
            yield path, result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _read_or_error(path: Path, forms: list[Form], named: bool = False,
                   all_forms: list[Form] | None = None) -> WorkbookData | UnreadableWorkbook:
    try:
        return read_here(path, forms, named=named, all_forms=all_forms)
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


def _read(sniffed: Sniffed, source, forms: list[Form], prefer: str | None,
          named: bool = False, all_forms: list[Form] | None = None) -> WorkbookData:
    data = WorkbookData(str(sniffed.path), sniffed.kind, sniffed.stamp, date1904=sniffed.date1904)
    master = sniffed.stamp.get("form") == MASTER_FORM
    ignore = (MASTER_PROVENANCE if master else frozenset()) | CHECK_COLUMNS
    try:
        infos = list(source.sheets())
        names = [info.name for info in infos]
        for info in infos:
            base = continuation_of(info.name, names) if master else None
            sheet_forms = master_forms(base or info.name, forms) if master else forms
            why = not_data_reason(info) if sheet_forms else _master_reason(base or info.name)
            if why is None:
                grid = source.load(info.name)
                found = read_table(str(sniffed.path), grid, sheet_forms, prefer, ignore=ignore,
                                   named=named, all_forms=all_forms)
                if base is not None:
                    found = _continuing(data.sheet(base), found, info.name, base)
                if isinstance(found, SheetTable):
                    data.sheets.append(found)
                    continue
                why = found
            data.other_sheets.append(info.name)
            data.other_reasons[info.name] = why
    finally:
        source.close()
    return data


def _continuing(first: SheetTable | None, table: SheetTable | str, sheet: str, base: str) -> SheetTable | str:
    """A master's continuation sheet (拜访记录(2)) is read when its header is the one of the
    table it continues; otherwise why not (the sheet is then listed, not joined)."""
    if isinstance(table, str):
        return table if table == EMPTY_SHEET else header_mismatch(sheet, base)
    if first is None or table.header_row != first.header_row or \
            [c.header for c in table.columns] != [c.header for c in first.columns]:
        return header_mismatch(sheet, base)
    return table


EMPTY_SHEET = "空工作表"
HIDDEN_SHEET = "隐藏的工作表"
CHART_SHEET = "图表或宏工作表"
INSTRUCTION_SHEET = "说明页或本工具添加的工作表"
MASTER_REPORT_SHEET = "主档的报表页，不是输入数据"
OTHER_FORM_SHEET = "不是所选的表格类型"
# Sheets never examined for a header (the others say why no header was found).
NOT_DATA_REASONS = frozenset({HIDDEN_SHEET, CHART_SHEET, INSTRUCTION_SHEET, MASTER_REPORT_SHEET,
                              OTHER_FORM_SHEET})


def _master_reason(sheet: str) -> str:
    return OTHER_FORM_SHEET if sheet in MASTER_DATA_SHEETS else MASTER_REPORT_SHEET


def is_data_sheet(info: SheetInfo) -> bool:
    """Hidden sheets (our templates' choice lists), chart sheets and instruction sheets
    (填表说明) never hold records."""
    return not_data_reason(info) is None


def not_data_reason(info: SheetInfo) -> str | None:
    """Why a sheet is never read (in Chinese), or None for a sheet that may hold data."""
    if not info.worksheet:
        return CHART_SHEET
    if not info.visible:
        return HIDDEN_SHEET
    if normalize_header(split_name(info.name)[0]) in INSTRUCTION_SHEETS:   # 待安排(2) too
        return INSTRUCTION_SHEET
    return None


def master_forms(sheet: str, forms: list[Form]) -> list[Form]:
    """The form a master's sheet holds (if asked for); [] for its report sheets."""
    key = MASTER_DATA_SHEETS.get(sheet)
    return [f for f in forms if f.key == key]


def build_table(path: str, grid: SheetGrid, forms: list[Form], prefer: str | None = None, *,
                ignore: frozenset[str] = frozenset(), named: bool = False) -> SheetTable | None:
    """The table on ``grid``, or None when no form's header is recognisable. Columns whose
    normalised header is in ``ignore`` are kept but not listed as unknown columns."""
    found = read_table(path, grid, forms, prefer, ignore=ignore, named=named)
    return found if isinstance(found, SheetTable) else None


def read_table(path: str, grid: SheetGrid, forms: list[Form], prefer: str | None = None, *,
               ignore: frozenset[str] = frozenset(), named: bool = False,
               all_forms: list[Form] | None = None) -> SheetTable | str:
    """The table on ``grid``, or why there is none (Chinese). ``named``: the caller named
    the form, so one required field in a header row is enough; ``all_forms``: the schema's
    forms (their titles name other tables)."""
    scan = scan_header(grid, forms, prefer, named, all_forms)
    match = scan.match
    if match is None:
        return scan.reason or no_header_reason(grid)
    columns, end, unnamed = name_unnamed(grid, match.row, match.start, match.end, match.columns)
    mapped = [c.field is not None for c in columns]
    skipped = header_like_rows(grid.rows, match)
    body = skipped[-1][0] if skipped else match.row
    inner: list[int] = []
    key = next((k for k, c in enumerate(columns) if c.field == match.form.id_field), None)
    records, footer = extract_records(grid.rows, body, match.start, end, grid.first_row, mapped, inner, key)
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
        skipped_rows=[(grid.first_row + i + 1, kind) for i, kind in skipped],
        inner_footers=inner, unnamed_columns=unnamed,
    )


def no_header_reason(grid: SheetGrid) -> str:
    """An empty sheet says so; otherwise no row matched any column name."""
    for row in grid.rows:
        for value in row:
            if not (value is None or value == "" or (isinstance(value, str) and value.isspace())):
                return "没有找到与表格列名对得上的表头"
    return EMPTY_SHEET
