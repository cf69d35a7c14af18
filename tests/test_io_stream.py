"""The stream reader (io/stream) returns what python-calamine returns, for the cells it reads.

Every workbook here is compared cell by cell with calamine's ``to_python``: XlsxWriter's
inline and shared strings, escapes, rich text, numbers, dates, times, elapsed times, custom
formats, booleans, formula results; an openpyxl file; a LibreOffice re-save; our own merged
master. Files it does not read raise NotStreamable (the callers then use calamine).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine as pc
import xlsxwriter

from office import convert, needs_soffice
from workbook_tools.io.stream import NotStreamable, XlsxStream
from workbook_tools.io.stream.package import custom_kind
from workbook_tools.merge.files import merge_files

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
FORMATS = ["yyyy-mm-dd", "yyyy-mm-dd hh:mm", "hh:mm", "[h]:mm", "[mm]:ss", 'yyyy"年"m"月"d"日"', "0.00",
           "@", "[Red]0", "m/d/yy", "[=0]?;[hh]:mm", "h:mm AM/PM", '0" 天"', "#,##0_);(#,##0)",
           "[$-804]aaaa", "ss.0", r"0\d", "General"]
NUMBERS = [46024.0, 46024.5, 0.25, 1.25, 45.0, 60.5, 61.0, 0.0, -1.0, 2958466.0, 1e-7]


def calamine_rows(path: Path, sheet: str) -> list[list]:
    """calamine's rows of ``sheet`` placed from row 1 / column A, trailing blanks cut."""
    grid = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet)
    rows = grid.to_python()
    top, left = grid.start or (0, 0)
    return _cut([[""] * left + r for r in [[]] * top + rows] if rows else [])


def _cut(rows: list[list]) -> list[list]:
    rows = [r[: max([i + 1 for i, v in enumerate(r) if v != ""] or [0])] for r in rows]
    while rows and not rows[-1]:
        rows.pop()
    return rows


def assert_same_as_calamine(path: Path) -> None:
    with XlsxStream(path) as book:
        for sheet in book.sheet_names:
            assert _cut(book.head(sheet, 10**6)) == calamine_rows(path, sheet), sheet


@pytest.fixture(scope="module")
def varied(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("stream") / "varied.xlsx"
    wb = xlsxwriter.Workbook(path)  # shared strings: not constant_memory
    ws = wb.add_worksheet("值")
    texts = ["客户", " 前后空格 ", "a&b<c>\"'", "控制\x01字符", "_x0041_ 不是转义", "换行\r\n两行", "", "x" * 300]
    for c, text in enumerate(texts):
        ws.write_string(0, c, text)
    for r, fmt in enumerate(FORMATS, start=1):
        style = wb.add_format({"num_format": fmt})
        for c, number in enumerate(NUMBERS):
            ws.write_number(r, c, number, style)
    row = len(FORMATS) + 2
    ws.write_boolean(row, 0, True)
    ws.write_boolean(row, 1, False)
    ws.write_formula(row, 2, "=1+1", None, 2)
    ws.write_formula(row, 3, '="文字"', None, "文字")
    ws.write_formula(row, 4, "=1/0", None, "#DIV/0!")
    ws.write_formula(row, 5, "=A1", None, "")
    ws.write_rich_string(row, 6, "红", wb.add_format({"bold": True}), "色", "字")
    ws.write_datetime(row, 7, dt.datetime(2026, 11, 23, 9, 30), wb.add_format({"num_format": "yyyy/m/d h:mm"}))
    ws.write(row + 3, 40, "远处的单元格")
    wb.add_worksheet("空表")
    wb.close()
    return path


def test_every_kind_of_cell_reads_as_calamine_reads_it(varied):
    assert_same_as_calamine(varied)


def test_inline_strings_of_constant_memory_mode(tmp_path):
    path = tmp_path / "inline.xlsx"
    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    ws = wb.add_worksheet("客户档案")
    for r in range(50):
        ws.write_row(r, 0, [f"KH{r:04d}", " 空格 ", "a&b", "控制\x02", r * 1.5, "_x0042_"])
    wb.close()
    assert_same_as_calamine(path)


def test_columns_in_chunks_equal_the_whole_sheet(varied):
    want = [0, 2, 5, 40]
    with XlsxStream(varied) as book:
        whole = book.head("值", 10**6)
        chunks = list(book.columns("值", want, first_row=2, chunk_rows=3))
    assert [len(c) for c in chunks][:-1] == [3] * (len(chunks) - 1)
    rows = [r for c in chunks for r in c.rows]
    expected = [i + 1 for i, line in enumerate(whole) if i >= 1 and any(
        i < len(whole) and c < len(line) and line[c] != "" for c in want)]
    assert rows == expected
    for chunk in chunks:
        for c in want:
            assert chunk.values[c] == [whole[r - 1][c] if c < len(whole[r - 1]) else "" for r in chunk.rows]


def test_openpyxl_and_the_merged_master(tmp_path, schema):
    path = tmp_path / "openpyxl.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "表"
    wb.active.append(["编号", "日期", "金额", "备注"])
    wb.active.append(["KH1", dt.date(2026, 1, 2), 12.5, None])
    wb.active.append(["KH2", dt.datetime(2026, 1, 2, 8), 0, "带 空格 "])
    wb.save(path)
    assert_same_as_calamine(path)
    master = tmp_path / "总表.xlsx"
    merge_files([SAMPLES], master, schema=schema, as_of=dt.date(2026, 11, 23), run_date=dt.date(2026, 11, 23))
    assert_same_as_calamine(master)


@needs_soffice
def test_a_libreoffice_resave(varied, tmp_path):
    resaved = convert(varied, "xlsx", tmp_path)
    assert_same_as_calamine(resaved)


def test_custom_format_rules():
    assert custom_kind("yyyy-mm-dd") == "date"
    assert custom_kind("[h]:mm:ss") == "duration"
    assert custom_kind("[=0]?;[hh]:mm") is None      # only the first section counts
    assert custom_kind('0" 天"') is None              # quoted text
    assert custom_kind("#,##0_);(#,##0)") is None
    assert custom_kind("[Red]0.00") is None


def test_files_it_does_not_read(tmp_path, varied):
    csv = tmp_path / "a.csv"
    csv.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(NotStreamable):
        XlsxStream(csv)
    book1904 = tmp_path / "1904.xlsx"
    wb = xlsxwriter.Workbook(book1904, {"date_1904": True})
    wb.add_worksheet().write(0, 0, 1)
    wb.close()
    with pytest.raises(NotStreamable):
        XlsxStream(book1904)
    for name, old, new in (("prefixed.xlsx", b"<sheetData>", b"<x:sheetData>"),
                           ("no_ref.xlsx", b'<c r="A1"', b"<c")):
        changed = tmp_path / name
        with zipfile.ZipFile(varied) as src, zipfile.ZipFile(changed, "w") as dst:
            for info in src.infolist():
                data = src.read(info)
                dst.writestr(info, data.replace(old, new, 1) if info.filename.endswith("sheet1.xml") else data)
        with pytest.raises(NotStreamable), XlsxStream(changed) as book:
            book.head("值", 5)


def test_column_index_agrees_with_openpyxl_for_every_column():
    from openpyxl.utils import get_column_letter

    from workbook_tools.io.stream import column_index

    assert all(column_index(get_column_letter(i)) == i - 1 for i in range(1, 16385))
