"""Write the master workbook atomically, deterministically (fixed created date, no
timestamps in cells except the caller's run date), strings never turned into formulas,
numbers or links.

XlsxWriter (constant_memory mode) writes the package; the tables' data rows are streamed in
afterwards by sheet_xml (engine "splice", the default, ~7× faster on large masters) or go
through XlsxWriter cell by cell (engine "xlsxwriter"). Both give the same cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from workbook_tools import __version__
from workbook_tools.errors import OutputError
from workbook_tools.generate.card_sheet import WIDTHS as CARD_WIDTHS, LookupCard, write_lookup_card
from workbook_tools.io.atomic import atomic_path
from workbook_tools.io.pagesetup import setup_table_page, setup_text_page
from workbook_tools.merge.result import MergeResult
from workbook_tools.merge.rows import code_text
from workbook_tools.merge.sheet_xml import Body, splice
from workbook_tools.merge.sheets import master_sheets
from workbook_tools.merge.tables import Report, Table
from workbook_tools.schema.model import Schema

WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,   # "=HYPERLINK(…)" typed by staff stays text
    "strings_to_numbers": False,    # "+86 138…" and "0571…" stay text
    "strings_to_urls": False,
    "nan_inf_to_errors": True,
}
_EPOCH = dt.date(1899, 12, 30)
MASTER_FORM = "master"
KEY_HEADERS = {"客户编号", "客户名称", "记录编号", "计划编号", "文件"}   # repeated on every page across
ENGINES = ("splice", "xlsxwriter")
ENGINE = "splice"  # the default engine; "xlsxwriter" is the fallback if sheet_xml ever misbehaves

Writer = Callable[[Any, int, int, Any], Any]


def write_master(result: MergeResult, schema: Schema, path: str | Path, *,
                 inputs: Iterable[Any] = ()) -> Path:
    """Write the master to ``path`` atomically. Refuses to overwrite any of ``inputs``
    (paths or InputFile) or any input file listed in the result."""
    refuse = [str(getattr(i, "path", i)) for i in (*inputs, *result.inputs)]
    return write_sheets(master_sheets(result, schema), path,
                        properties=master_properties(result, schema), inputs=refuse)


def master_properties(result: MergeResult, schema: Schema) -> dict[str, Any]:
    """Document properties: fixed created date (deterministic output) and the version stamp
    (custom properties; ``form`` = "master" tells the reader which sheets hold data)."""
    return {
        "title": f"{schema.name}总表", "created": dt.datetime.combine(result.run_date, dt.time()),
        "comments": f"由 workbook-tools {__version__} 合并生成",
        "custom": {"schema_name": schema.name, "schema_version": schema.version, "form": MASTER_FORM,
                   "generator": f"workbook-tools {__version__}", "run_date": result.run_date.isoformat()},
    }


def write_sheets(sheets: Iterable[Table | Report | LookupCard], path: str | Path, *, properties: dict[str, Any],
                 inputs: Iterable[Any] = (), options: dict[str, Any] | None = None,
                 engine: str | None = None) -> Path:
    """Write plain sheets (Table / Report) to ``path`` atomically: the one place that knows
    the xlsx library, so another writer can replace this function. ``options``: XlsxWriter
    Workbook options (default WORKBOOK_OPTIONS). ``engine``: "splice" (XlsxWriter writes all
    but the tables' data rows, which sheet_xml streams in: ~7× faster) or "xlsxwriter"
    (every cell through XlsxWriter); the cells are the same. Default: the module's ENGINE."""
    engine = engine or ENGINE
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {ENGINES}")
    target = Path(path)
    bodies: dict[str, Body] = {}
    with atomic_path(target, inputs=[str(i) for i in inputs]) as tmp:
        workbook = xlsxwriter.Workbook(str(tmp), options or WORKBOOK_OPTIONS)
        try:
            _properties(workbook, properties)
            styles = _Styles(workbook)
            for index, sheet in enumerate(_pieces(sheets), start=1):
                ws = workbook.add_worksheet(sheet.name)
                _page_setup(ws, sheet, properties)
                if isinstance(sheet, Report):
                    _write_report(ws, sheet, styles)
                elif isinstance(sheet, LookupCard):
                    write_lookup_card(workbook, ws, sheet)
                elif engine == "xlsxwriter":
                    _write_table(ws, sheet, styles)
                else:
                    bodies[f"xl/worksheets/sheet{index}.xml"] = _table_frame(ws, sheet, styles)
        finally:
            _close(workbook, target)
        if bodies:
            splice(tmp, bodies)
    return target


def _pieces(sheets: Iterable[Table | Report | LookupCard]) -> Iterator[Table | Report | LookupCard]:
    """Every sheet; a table longer than a sheet holds as its continuation sheets NAME(2) …"""
    for sheet in sheets:
        if isinstance(sheet, Table):
            yield from sheet.pieces()
        else:
            yield sheet


def _page_setup(ws, sheet: Table | Report | LookupCard, properties: dict[str, Any]) -> None:
    """Every sheet prints deliberately: tables with their header repeated and, when too wide to
    shrink legibly, 客户编号 and the name repeated on every page across; reports and the
    资料卡 lookup one page wide."""
    title = f"{properties.get('title', '')} · {sheet.name}"
    run = properties.get("custom", {}).get("run_date")
    subtitle = f"合并日期 {run}" if run else None
    if isinstance(sheet, (Report, LookupCard)):
        width = sum(sheet.widths) if isinstance(sheet, Report) else sum(CARD_WIDTHS)
        setup_text_page(ws, width, title=title, subtitle=subtitle)
        return
    header = 1 if sheet.note else 0
    keys = max(1, sum(1 for col in sheet.columns[:2] if col.header in KEY_HEADERS))
    setup_table_page(ws, [col.width for col in sheet.columns], title=title, subtitle=subtitle,
                     header_row=header, key_columns=keys)


def _close(workbook: xlsxwriter.Workbook, target: Path) -> None:
    try:
        workbook.close()
    except (XlsxWriterException, OSError) as exc:
        raise OutputError(f"无法写入 {target}：{exc}") from None


def _properties(workbook: xlsxwriter.Workbook, properties: dict[str, Any]) -> None:
    workbook.set_properties({k: v for k, v in properties.items() if k != "custom"})
    for name, value in properties.get("custom", {}).items():
        workbook.set_custom_property(name, value)


class _Styles:
    """Formats and the per-kind cell writers (one dispatch per column, not per value)."""

    def __init__(self, wb: xlsxwriter.Workbook):
        self.header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                     "text_wrap": True, "valign": "vcenter"})
        self.note = wb.add_format({"italic": True, "font_color": "#595959"})
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.section = wb.add_format({"bold": True, "font_size": 12, "font_color": "#1F4E78"})
        self.text = wb.add_format({"num_format": "@"})
        self.date = wb.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.pct = wb.add_format({"num_format": "0.0%"})
        self.column = {"code": self.text, "date": self.date, "prose": self.wrap, "pct": self.pct}
        self.writers: dict[str, Writer] = {"code": self.write_code, "date": self.write_any,
                                           "number": self.write_number, "text": self.write_text,
                                           "prose": self.write_prose, "pct": self.write_pct}

    def write_code(self, ws, r: int, c: int, v: Any) -> None:
        ws.write_string(r, c, v if type(v) is str else code_text(v), self.text)

    def write_text(self, ws, r: int, c: int, v: Any) -> None:
        if type(v) is str:
            ws.write_string(r, c, v)
        else:
            self.write_any(ws, r, c, v)

    def write_prose(self, ws, r: int, c: int, v: Any) -> None:
        ws.write_string(r, c, str(v), self.wrap)

    def write_number(self, ws, r: int, c: int, v: Any) -> None:
        if type(v) is int or type(v) is float:
            ws.write_number(r, c, v)
        else:
            self.write_any(ws, r, c, v)

    def write_pct(self, ws, r: int, c: int, v: Any) -> None:
        if type(v) is int or type(v) is float:
            ws.write_number(r, c, v, self.pct)
        else:
            self.write_any(ws, r, c, v)

    def write_any(self, ws, r: int, c: int, v: Any) -> None:
        """By the value's type: dates as date serials, strings always as text."""
        if isinstance(v, str):
            ws.write_string(r, c, v)
        elif isinstance(v, bool):
            ws.write_boolean(r, c, v)
        elif isinstance(v, (int, float)):
            ws.write_number(r, c, v)
        elif isinstance(v, dt.datetime) and v.year >= 1900:
            delta = v.replace(tzinfo=None) - dt.datetime(1899, 12, 30)
            ws.write_number(r, c, delta.days + delta.seconds / 86400, self.datetime)
        elif isinstance(v, dt.date) and not isinstance(v, dt.datetime) and v.year >= 1900:
            ws.write_number(r, c, (v - _EPOCH).days, self.date)
        elif isinstance(v, (dt.date, dt.time)):
            ws.write_string(r, c, v.isoformat())
        else:
            ws.write_string(r, c, str(v))


def _write_table(ws, table: Table, styles: _Styles) -> None:
    rows, count = table.sized()
    top = _write_head(ws, table, styles, count)
    writers = [styles.writers[col.kind] for col in table.columns]
    r = top
    for values in rows:
        r += 1
        for c, v in enumerate(values):
            if v is not None:
                writers[c](ws, r, c, v)


def _write_head(ws, table: Table, styles: _Styles, count: int) -> int:
    """Note line, column widths and formats, header row, frozen panes, filter over the
    ``count`` data rows to come; returns the header's 0-based row."""
    top = 1 if table.note else 0
    if table.note:
        ws.write_string(0, 0, table.note, styles.note)
    for c, col in enumerate(table.columns):
        ws.set_column(c, c, col.width, styles.column.get(col.kind))
        ws.write_string(top, c, col.header, styles.header)
    ws.freeze_panes(top + 1, 0)
    ws.autofilter(top, 0, top + count, len(table.columns) - 1)
    return top


def _table_frame(ws, table: Table, styles: _Styles) -> Body:
    """The table's head through XlsxWriter; its data rows as a Body for sheet_xml.splice."""
    rows, count = table.sized()
    top = _write_head(ws, table, styles, count)
    column = [styles.column.get(col.kind) for col in table.columns]
    return Body(rows, count, top + 1, [col.kind for col in table.columns],
                [None if f is None else f._get_xf_index() for f in column],
                styles.date._get_xf_index(), styles.datetime._get_xf_index())


def _write_report(ws, report: Report, styles: _Styles) -> None:
    for c, width in enumerate(report.widths):
        ws.set_column(c, c, width)
    formats = {"title": styles.title, "section": styles.section, "header": styles.header}
    for r, (style, cells) in enumerate(report.lines):
        fmt = formats.get(style)
        for c, v in enumerate(cells):
            if v is None:
                continue
            if fmt is not None:
                ws.write_string(r, c, str(v), fmt)
            else:
                styles.write_any(ws, r, c, v)
