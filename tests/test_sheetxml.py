"""io.sheetxml: cells written directly are the cells XlsxWriter writes; splice keeps the package."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
import xlsxwriter

from workbook_tools.io.sheetxml import any_special, plain_text, splice, string_cell
from workbook_tools.io.sheetrows import SheetRows, text_cells

TRICKY = ["a & b <c>", " 前后空格 ", "尾空格 ", "\t制表", "控制\x01字符", "_x0041_ 字面", "\ufffe", "长" * 40_000]
PLAIN = ["上海恒丰贸易有限公司", "HD0001", "a|b", "_x004_", "x", "行1\n行2", "=1+2"]


@pytest.mark.parametrize("text", TRICKY)
def test_one_special_text_is_found_among_plain_ones(text):
    assert not plain_text(text)
    assert any_special([*PLAIN, text]) and any_special([text, *PLAIN]) and any_special([text])


def test_plain_texts_raise_no_alarm():
    assert all(plain_text(t) for t in PLAIN)
    assert not any_special(PLAIN) and not any_special([])


def test_string_cell_escapes_like_xlsxwriter():
    assert string_cell("A1", "", "a & b") == '<c r="A1" t="inlineStr"><is><t>a &amp; b</t></is></c>'
    assert string_cell("B2", ' s="3"', " x") == \
        '<c r="B2" s="3" t="inlineStr"><is><t xml:space="preserve"> x</t></is></c>'
    assert string_cell("C3", "", "_x0041_\x01") == \
        '<c r="C3" t="inlineStr"><is><t>_x005F_x0041__x0001_</t></is></c>'


def _values(path):
    book = openpyxl.load_workbook(path)
    return [[c.value for c in row] for row in book.worksheets[0].iter_rows()]


def test_spliced_text_cells_read_back_as_xlsxwriter_writes_them(tmp_path):
    texts = [*TRICKY, *PLAIN, "", None]
    direct = tmp_path / "direct.xlsx"
    book = xlsxwriter.Workbook(direct, {"constant_memory": True})  # inline strings, as we write
    sheet = book.add_worksheet("表")
    fmt = book.add_format({"bold": True})
    for i, text in enumerate(texts):
        if text:
            sheet.write_string(i + 1, 1, text, fmt)
    book.close()

    spliced = tmp_path / "spliced.xlsx"
    book = xlsxwriter.Workbook(spliced)
    book.add_worksheet("表")
    style = book.add_format({"bold": True})
    xf = style._get_xf_index()  # registered before close, as the writers do
    book.close()
    rows = SheetRows()
    numbers = [str(i + 2) for i in range(len(texts))]
    rows.add_block(1, 1, 1, [text_cells("B", numbers, texts, xf)])
    before = set(zipfile.ZipFile(spliced).namelist())
    splice(spliced, {"xl/worksheets/sheet1.xml": rows})
    assert set(zipfile.ZipFile(spliced).namelist()) == before
    assert _values(spliced) == _values(direct)
    assert openpyxl.load_workbook(spliced).worksheets[0]["B2"].font.b


def test_a_part_without_rows_is_copied_unchanged(tmp_path):
    path = tmp_path / "empty.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("表").write("A1", "标题")
    book.close()
    sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    splice(path, {"xl/worksheets/sheet1.xml": SheetRows()})
    assert zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml") == sheet
