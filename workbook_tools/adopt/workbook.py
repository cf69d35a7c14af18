"""The adopted workbook: the generated registration template (dropdowns, input help,
checks, 填表说明) with the rows filled in, the 其他信息 columns after the 检查结果 column,
and the 迁移说明 sheet.

XlsxWriter writes the template (generate_template, with an ``extend`` hook adding the
其他信息 headers and the 迁移说明 sheet's frame); the data rows and the 迁移说明 lines are
then streamed into the closed package (as io.sheetxml does for the master), each cell
keeping its column's style from the template's first data row.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any, Iterable

from xlsxwriter.utility import xl_col_to_name

from workbook_tools.generate import DEFAULT_ROWS, MAX_ROWS, generate_template
from workbook_tools.generate.checks.sheet import result_formula
from workbook_tools.io.atomic import atomic_path
from workbook_tools.io.sheetxml import COMPRESSLEVEL, copied_entry, plain_text, string_cell, value_cell
from workbook_tools.adopt.rows import OTHER_PREFIX
from workbook_tools.schema.model import Form, Schema

NOTES_SHEET = "迁移说明"
SPARE_ROWS = 50            # formatted empty rows after the adopted ones, for new customers
NOTES_WIDTHS = (16, 14, 16, 26, 26, 40, 10)
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')


def template_rows(count: int) -> int:
    """Prepared rows of the form: the adopted rows plus spare ones, within the template limit."""
    return min(max(count + SPARE_ROWS, DEFAULT_ROWS), MAX_ROWS)


def write_adopted(path: Path, schema: Schema, form: Form, rows: list[list], extra_headers: list[str],
                  extras: list[list], notes: list[list[tuple[Any, str]]], *, region: str | None,
                  owner: str | None, inputs: Iterable[Path] = ()) -> Path:
    """Write the adopted workbook atomically. ``rows``: per customer the values of
    ``form.fields`` in order; ``extras``: the values of ``extra_headers``; ``notes``: the
    迁移说明 lines, each a list of (value, style) with style title/section/header/text/""."""
    frame = _Frame(form, extra_headers)
    prepared = template_rows(len(rows))
    with atomic_path(path, inputs) as tmp:
        generate_template(schema, form.key, tmp, region=region, owner=owner, rows=prepared, checks=True,
                          extend=frame, blank_cells=False)
        _fill(Path(tmp), frame, rows, extras, notes, prepared)
    return path


class _Frame:
    """The ``extend`` hook: 其他信息 headers on the data sheet and the 迁移说明 sheet."""

    def __init__(self, form: Form, extra_headers: list[str]):
        self.form, self.extra_headers = form, extra_headers
        self.formats: dict[str, Any] = {}
        self.columns: list[Any] = []   # the data sheet's cell formats: the fields', then 检查结果
        self.notes_part = ""

    def __call__(self, workbook, data, formats, info) -> None:
        first = len(self.form.fields) + 1  # after the 检查结果 column
        self.columns = [formats.cell(f) for f in self.form.fields] + [formats.result()]
        text = formats.cell(self.form.field("remarks")) if _has(self.form, "remarks") else None
        for k, header in enumerate(self.extra_headers):
            data.set_column(first + k, first + k, 16, text)
            data.write_string(0, first + k, f"{OTHER_PREFIX}{header}", formats.header(False))
        sheet = workbook.add_worksheet(NOTES_SHEET)
        for col, width in enumerate(NOTES_WIDTHS):
            sheet.set_column(col, col, width)
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.formats = {"title": formats.title(), "section": formats.section(),
                        "header": formats.table_header(), "text": wrap}
        sheet.write_string(0, 0, NOTES_SHEET, self.formats["title"])
        for col, key in enumerate(("section", "header", "text"), start=1):
            sheet.write_blank(0, col, None, self.formats[key])  # registers the style for the rows
        self.notes_part = f"xl/worksheets/sheet{workbook.worksheets().index(sheet) + 1}.xml"

    def styles(self) -> dict[str, str]:
        return {k: _style(f) for k, f in self.formats.items()}

    def column_styles(self) -> dict[str, str]:
        """Column letter → the ' s="N"' attribute of the data sheet's cells (after close)."""
        return {xl_col_to_name(j): _style(f) for j, f in enumerate(self.columns)}


def _style(fmt) -> str:
    return f' s="{fmt.xf_index}"' if fmt is not None and fmt.xf_index else ""


def _has(form: Form, key: str) -> bool:
    return any(f.key == key for f in form.fields)


def _fill(xlsx: Path, frame: _Frame, rows: list[list], extras: list[list], notes: list, prepared: int) -> None:
    out = xlsx.with_name(xlsx.name + ".fill")
    try:
        with zipfile.ZipFile(xlsx) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                entry = copied_entry(info, COMPRESSLEVEL)
                data = src.read(info)
                if info.filename == "xl/worksheets/sheet1.xml":
                    _write_data(dst, entry, data, frame, rows, extras, prepared)
                elif info.filename == frame.notes_part:
                    _write_part(dst, entry, data, _note_rows(notes, frame.styles()), len(notes) + 1, 7, keep=True)
                else:
                    dst.writestr(entry, data)
        out.replace(xlsx)
    finally:
        out.unlink(missing_ok=True)


def _write_data(dst, entry, sheet: bytes, frame: _Frame, rows, extras, prepared: int) -> None:
    styles = frame.column_styles()
    count = max(len(rows), prepared)
    width = len(frame.form.fields) + 1 + len(frame.extra_headers)
    chunks = _data_rows(frame, rows, extras, styles, prepared, count)
    _write_part(dst, entry, sheet, chunks, count + 1, width, keep=False)


def _data_rows(frame: _Frame, rows, extras, styles: dict[str, str], prepared: int, count: int) -> Iterable[bytes]:
    fields = frame.form.fields
    letters = [xl_col_to_name(j) for j in range(len(fields))]
    field_styles = [styles.get(letter, "") for letter in letters]
    check_letter = xl_col_to_name(len(fields))
    check_style = styles.get(check_letter, "")
    extra_letters = [xl_col_to_name(len(fields) + 1 + k) for k in range(len(frame.extra_headers))]
    text_style = styles.get(letters[-1], "")
    batch: list[str] = []
    for i in range(count):
        r = i + 2
        values = rows[i] if i < len(rows) else None
        cells = [f'<row r="{r}">']
        for j, letter in enumerate(letters):
            v = values[j] if values is not None else None
            cells.append(_cell(f"{letter}{r}", field_styles[j], v))
        if i < prepared:
            formula = result_formula(r)[1:].replace("&", "&amp;")
            cells.append(f'<c r="{check_letter}{r}"{check_style}><f>{formula}</f><v></v></c>')
        if values is not None and i < len(extras):
            for k, v in enumerate(extras[i]):
                if v is not None:
                    cells.append(_cell(f"{extra_letters[k]}{r}", text_style, v))
        cells.append("</row>")
        batch.append("".join(cells))
        if len(batch) == 2000:
            yield "".join(batch).encode("utf-8")
            batch = []
    if batch:
        yield "".join(batch).encode("utf-8")


def _cell(ref: str, s: str, v: Any) -> str:
    if v is None:
        return f'<c r="{ref}"{s}/>'
    if type(v) is str and plain_text(v):
        return f'<c r="{ref}"{s} t="inlineStr"><is><t>{v}</t></is></c>'
    return value_cell(ref, s, v, (s, s))


def _note_rows(notes: list, styles: dict[str, str]) -> Iterable[bytes]:
    for i, line in enumerate(notes):
        r = i + 2
        cells = [f'<row r="{r}">']
        for j, (value, style) in enumerate(line):
            if value is None or value == "":
                continue
            s = styles.get(style, "")
            cells.append(string_cell(f"{xl_col_to_name(j)}{r}", s, str(value)) if isinstance(value, str)
                         else value_cell(f"{xl_col_to_name(j)}{r}", s, value, (s, s)))
        cells.append("</row>")
        yield "".join(cells).encode("utf-8")


def _write_part(dst, entry, sheet: bytes, chunks: Iterable[bytes], last_row: int, width: int, *,
                keep: bool) -> None:
    """The sheet with ``chunks`` as its rows: after the existing rows (``keep``) or after
    the first (header) row only."""
    sheet = _DIMENSION.sub(f'<dimension ref="A1:{xl_col_to_name(max(width, 1) - 1)}{last_row}"/>'.encode(),
                           sheet, count=1)
    start = sheet.index(b"<sheetData")
    if sheet.startswith(b"<sheetData/>", start):
        head, tail = sheet[:start] + b"<sheetData>", b"</sheetData>" + sheet[start + len(b"<sheetData/>"):]
    else:
        end = sheet.index(b"</sheetData>", start)
        cut = end if keep else sheet.index(b"</row>", start) + len(b"</row>")
        head, tail = sheet[:cut], sheet[end:]
    with dst.open(entry, "w", force_zip64=last_row > 200_000) as fh:
        fh.write(head)
        for chunk in chunks:
            fh.write(chunk)
        fh.write(tail)
