"""Small hostile and edge-case input files, built byte by byte for the tests (issue 17).

Each builder writes one file into a folder and returns its path. They are tiny on disk
(a few KB to a few hundred KB) but would, without the guards, make python-calamine
allocate gigabytes, abort the process, or lose rows silently.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import xlsxwriter

HEADER = ["客户编号", "客户名称", "客户类型", "所属区域", "客户类别", "负责业务员", "手机", "身份证号", "建档日期"]
SHEET = "客户档案登记表"
SHEET_PART = "xl/worksheets/sheet1.xml"
DIMENSION = b'<dimension ref="A1:I4"/>'  # good_xlsx's three rows


def id_card(n: int) -> str:
    body = f"11010519900101{n % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


def row(n: int, prefix: str = "HD") -> list:
    """A valid registration row (a private customer, so no USCC is needed)."""
    return [f"{prefix}{n:04d}", f"王{n}", "个人", "华东", "普通客户", "张伟", f"138{n:08d}",
            id_card(n), "2026-03-01"]


def good_xlsx(path: Path, rows: int = 3, prefix: str = "HD", start: int = 1, extra=None) -> Path:
    """A clean registration workbook; ``extra(workbook, worksheet)`` may add to it."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(SHEET)
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, HEADER)
    for i in range(rows):
        ws.write_row(i + 1, 0, row(start + i, prefix)[:-1])
        ws.write_datetime(i + 1, len(HEADER) - 1, dt.datetime(2026, 3, 1), date)
    if extra is not None:
        extra(wb, ws)
    wb.close()
    return path


def rewrite(src: Path, dst: Path, edit: dict) -> Path:
    """Copy the zip ``src`` to ``dst``; ``edit[name](bytes) -> bytes`` changes entries."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename in edit:
                data = edit[info.filename](data)
            zout.writestr(info.filename, data)
    return dst


def _append_rows(folder: Path, name: str, rows: bytes, dimension: bytes | None = None) -> Path:
    base = good_xlsx(folder / f"base-{name}")

    def sheet(data: bytes) -> bytes:
        if dimension is not None:
            data = data.replace(DIMENSION, b'<dimension ref="' + dimension + b'"/>')
        return data.replace(b"</sheetData>", rows + b"</sheetData>")

    out = rewrite(base, folder / name, {SHEET_PART: sheet})
    base.unlink()
    return out


def quoted_ref(folder: Path) -> Path:
    """<c r='XFD1048576'>: single quotes, which the old guard's regex did not see."""
    return _append_rows(folder, "quoted.xlsx",
                        b"<row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c></row>")


def cells_without_r(folder: Path) -> Path:
    """A far row whose cells carry no r: the last one sits in column XFD by position."""
    return _append_rows(folder, "no-r.xlsx",
                        b'<row r="1048576">' + b"<c/>" * 16383
                        + b'<c t="inlineStr"><is><t>x</t></is></c></row>')


def lying_big_part(folder: Path) -> Path:
    """A sheet part over 2 MB whose <dimension> claims A1:I4 but which ends in XFD1048576."""
    filler = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>'
                      % (i, i, b"y" * 40) for i in range(5, 40_005))
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return _append_rows(folder, "liar.xlsx", filler + far, dimension=b"A1:I4")


def shared_strings_bomb(folder: Path, cells: int = 100_000, size: int = 1 << 20,
                        uses: int | None = None) -> Path:
    """One 1 MB shared string referenced by 100,000 cells: 100 GB once expanded. With
    ``uses``, only the first ``uses`` cells refer to it, the others to a short string."""
    uses = cells if uses is None else uses
    base = good_xlsx(folder / "base-bomb.xlsx")
    with zipfile.ZipFile(base) as zf:
        index = zf.read("xl/sharedStrings.xml").count(b"<si>")

    def strings(data: bytes) -> bytes:
        return data.replace(b"</sst>", b"<si><t>" + b"x" * size + b"</t></si></sst>")

    def sheet(data: bytes) -> bytes:
        rows = b"".join(b'<row r="%d"><c r="G%d" t="s"><v>%d</v></c></row>'
                        % (r, r, index if r < 5 + uses else 0) for r in range(5, 5 + cells))
        return data.replace(b"</sheetData>", rows + b"</sheetData>")

    out = rewrite(base, folder / "sst-bomb.xlsx", {"xl/sharedStrings.xml": strings, SHEET_PART: sheet})
    base.unlink()
    return out


def wide_csv(folder: Path, commas: int = 200_000) -> Path:
    path = folder / "wide.csv"
    lines = [",".join(HEADER), ",".join(row(1)), "x" + "," * commas]
    lines += [",".join(row(n)) for n in range(2, 200)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ods(path: Path, rows_xml: str) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        f'<office:body><office:spreadsheet><table:table table:name="{SHEET}">{rows_xml}'
        "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml", manifest)
    return path


def _ods_row(values: list, repeat: int = 1) -> str:
    cells = "".join(f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
                    for v in values)
    rep = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{rep}>{cells}</table:table-row>"


def repeated_ods(folder: Path, times: int = 1_000_000) -> Path:
    """1 KB: one data row repeated a million times (7 GB and minutes once expanded)."""
    return _ods(folder / "repeat.ods", _ods_row(HEADER) + _ods_row(row(1), repeat=times))


def good_ods(folder: Path) -> Path:
    """Three identical rows stored once, repeated three times, as LibreOffice does."""
    return _ods(folder / "good.ods", _ods_row(HEADER) + _ods_row(row(7001, "HN"), repeat=3))


def binary_csv(folder: Path) -> Path:
    path = folder / "binary.csv"
    path.write_bytes(bytes(range(256)) * 16)
    return path


def subtotal_in_the_middle(folder: Path) -> Path:
    """Eight customers with a 合计 row after the third (the old reader stopped there)."""
    def extra(wb, ws):
        ws.write_row(4, 0, ["合计", "3 户"])
        for i in range(5):
            ws.write_row(5 + i, 0, row(4 + i)[:-1])
            ws.write_datetime(5 + i, len(HEADER) - 1, dt.datetime(2026, 3, 1),
                              wb.add_format({"num_format": "yyyy-mm-dd"}))
        ws.write(11, 0, "填表人：李娜")  # a real footer: nothing table-like below it

    return good_xlsx(folder / "subtotal.xlsx", rows=3, prefix="HD", start=1, extra=extra)


def merged_header(folder: Path) -> Path:
    """备注 merged across J:K, with text in K (the old reader dropped column K)."""
    def extra(wb, ws):
        ws.merge_range("J1:K1", "备注", wb.add_format({"align": "center"}))
        for r in range(1, 4):
            ws.write(r, 9, f"老客户{r}")
            ws.write(r, 10, f"K列内容{r}")

    return good_xlsx(folder / "merged.xlsx", rows=3, prefix="HN", start=101, extra=extra)


def _edit_cells(src: Path, dst: Path, cells: dict[str, bytes]) -> Path:
    """Replace whole cells (``<c r="B2" …>…</c>``) of sheet1 with raw XML."""
    def sheet(data: bytes) -> bytes:
        for ref, xml in cells.items():
            data = re.sub(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', xml, data, count=1)
        return data

    out = rewrite(src, dst, {SHEET_PART: sheet})
    src.unlink()
    return out


def nan_dates(folder: Path) -> Path:
    """建档日期 cells holding NaN and inf as plain numbers (validate used to stop, exit 3)."""
    base = good_xlsx(folder / "base-nan.xlsx", prefix="XN", start=201)
    return _edit_cells(base, folder / "nan.xlsx", {"I2": b'<c r="I2"><v>NaN</v></c>',
                                                   "I3": b'<c r="I3"><v>-inf</v></c>'})


def long_cell(folder: Path, length: int = 40_000) -> Path:
    """A 客户名称 longer than an Excel cell holds (32,767 characters)."""
    base = good_xlsx(folder / "base-long.xlsx", prefix="XB", start=301)
    text = ("很长的名称" * (length // 5 + 1))[:length].encode()
    return _edit_cells(base, folder / "long.xlsx",
                       {"B2": b'<c r="B2" t="inlineStr"><is><t>' + text + b"</t></is></c>"})
