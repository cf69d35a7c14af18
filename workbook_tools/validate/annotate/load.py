"""Open a submitted workbook for annotation (helper of ``annotate``).

What a file is comes from its bytes (``io.sniff``, which also refuses lock files,
encrypted, DRM-wrapped and hostile files), not from its name. .xlsx/.xlsm are opened
with openpyxl so that formats, data validations, merged cells, comments and (for .xlsm)
the VBA project survive. Everything else (.xls, .ods, .csv) — and an .xlsx that openpyxl
cannot open — is copied value by value into a new workbook, through the reader's own
sources, so that sheet names and cell positions are exactly those the findings name.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.workbook import Workbook

from workbook_tools.io.calamine_source import CalamineFailed, CalamineSource
from workbook_tools.io.csv_source import CsvSource
from workbook_tools.io.problems import unreadable
from workbook_tools.io.sniff import sniff

MAX_TEXT = 32767  # Excel's limit for one cell
_BAD_TITLE_CHARS = re.compile(r"[\\/?*\[\]:]")
_SHAPE_RE = re.compile(rb"<(?:\w+:)?(?:sp|pic|grpSp|cxnSp)[\s/>]")
_CONTROL_RE = re.compile(rb'ObjectType="(?!Note")')
_LOSS_NOTES = {  # openpyxl warning text → what the user may miss in the copy
    "Data Validation extension": "部分下拉列表（数据验证扩展）未能保留",
    "Conditional Formatting extension": "部分条件格式未能保留",
    "Sparkline Group extension": "迷你图未能保留",
}


@dataclass
class Loaded:
    """A workbook ready to annotate and what the summary line must tell the user."""

    wb: Workbook
    suffix: str  # suffix of the annotated copy: ".xlsx" or ".xlsm"
    notes: list[str] = field(default_factory=list)
    sheet_alias: dict[str, str] = field(default_factory=dict)  # finding sheet → title
    single_sheet: bool = False  # CSV: every finding belongs to the only sheet


def load_for_annotation(src: Path) -> Loaded:
    """Raises UnreadableWorkbook (Chinese reason and advice) when ``src`` cannot be used."""
    kind = sniff(src).kind
    if kind not in ("xlsx", "xlsm"):
        loaded = _copy_values(src, kind)
        loaded.notes.insert(0, f"原文件为 .{kind}，已转存为 .xlsx")
        return loaded
    try:
        loaded = _load_native(src, kind)
    except OSError:
        raise unreadable(src, "no_access") from None
    except Exception:  # openpyxl rejects some files that Excel and calamine accept
        loaded = _copy_values(src, kind)
        loaded.notes.insert(0, "原文件部分格式无法读取，已按单元格内容转存为 .xlsx")
        return loaded
    if src.suffix.lower() != loaded.suffix:
        loaded.notes.insert(0, f"原文件扩展名为 {src.suffix or '（无）'}，实际是 {loaded.suffix} 格式")
    return loaded


def _load_native(src: Path, kind: str) -> Loaded:
    keep_vba = kind == "xlsm"
    data = io.BytesIO(src.read_bytes())  # a file object: no check of the name's suffix
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wb = openpyxl.load_workbook(data, keep_vba=keep_vba, rich_text=True)
    wb.template = False  # an .xltx/.xltm is annotated as a plain workbook
    texts = " ".join(str(w.message) for w in caught)
    notes = [note for key, note in _LOSS_NOTES.items() if key in texts]
    if _may_lose_objects(data, keep_vba):
        notes.append("原文件中的图片、图形或按钮在本副本中可能缺失")
    return Loaded(wb, "." + kind, notes)


def _may_lose_objects(data: io.BytesIO, keep_vba: bool) -> bool:
    """Pictures, shapes and (outside .xlsm) form controls are not kept by openpyxl; charts are."""
    with zipfile.ZipFile(data) as archive:
        for name in archive.namelist():
            if name.startswith("xl/media/"):
                return True
            if name.startswith("xl/drawings/drawing") and _SHAPE_RE.search(archive.read(name)):
                return True
            if (not keep_vba and name.startswith("xl/drawings/vmlDrawing")
                    and _CONTROL_RE.search(archive.read(name))):
                return True
    return False


def _copy_values(src: Path, kind: str) -> Loaded:
    """A new workbook holding the values of every worksheet at the same positions."""
    loaded = Loaded(Workbook(), ".xlsx", single_sheet=kind == "csv")
    loaded.wb.remove(loaded.wb.active)
    try:
        source = CsvSource(src) if kind == "csv" else CalamineSource(src, kind)
    except CalamineFailed:
        raise unreadable(src, "corrupt", what="工作簿内部结构无法解析") from None
    try:
        for info in source.sheets():
            if info.worksheet:
                ws = _new_sheet(loaded, info.name)
                _fill_grid(ws, source.load(info.name))
                _merge_like(ws, source, info.name)
                ws.sheet_state = "visible" if info.visible else "hidden"
    except CalamineFailed:
        raise unreadable(src, "corrupt", what="工作簿内部结构无法解析") from None
    finally:
        source.close()
    if not loaded.wb.worksheets:
        _new_sheet(loaded, "Sheet1")
    return loaded


def _new_sheet(loaded: Loaded, name: str):
    """Create a sheet named like the source one (made legal for Excel if needed)."""
    title = _BAD_TITLE_CHARS.sub("_", name).strip("'")[:31] or "Sheet"
    base, n = title, 1
    while title in loaded.wb.sheetnames:
        n += 1
        title = f"{base[:28]}_{n}"
    if title != name:
        loaded.sheet_alias[name] = title
    return loaded.wb.create_sheet(title)


def _fill_grid(ws, grid) -> None:
    for i, row in enumerate(grid.rows):
        for j, value in enumerate(row):
            if value is not None and value != "":
                put_value(ws.cell(row=grid.first_row + i + 1, column=grid.first_col + j + 1), value)


def _merge_like(ws, source, name: str) -> None:
    book = getattr(source, "book", None)  # CalamineSource; a CSV has no merged cells
    try:
        ranges = book.get_sheet_by_name(name).merged_cell_ranges if book is not None else None
    except Exception:  # merged ranges are layout only: never fail the annotation for them
        return
    for (r0, c0), (r1, c1) in ranges or ():
        if (r0, c0) != (r1, c1):
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)


def clean_text(value: str) -> str:
    """Text as a cell can hold it: no characters XML forbids, at most 32,767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_TEXT]


def put_value(cell, value) -> None:
    """Store a raw value as data: text stays text (never a formula), odd types become text."""
    if isinstance(value, str):
        cell.value = clean_text(value)
        cell.data_type = "s"  # "=…" typed by a user is text, not a formula
        return
    try:
        cell.value = value
    except (ValueError, TypeError):
        put_value(cell, str(value))
