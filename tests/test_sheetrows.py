"""io.sheetrows, the one <row> builder: the bytes the master's row-by-row builder
(merge.sheet_xml before #16) and the summary's column-wise one wrote, frozen here."""

from __future__ import annotations

import datetime as dt

import numpy as np

from workbook_tools.io.sheetrows import SheetRows, number_cells, row_xml, style_attr, text_cells, value_cells
from workbook_tools.merge.rows import code_text
from workbook_tools.merge.sheet_xml import Body

# every cell kind: plain, CJK and XML-special text, control characters, edge space, _xHHHH_,
# codes, large / fractional / NaN / infinite numbers, bool, dates before and after 1900,
# date-times, times, None, and a row with nothing in it
TEXT = ["上海华东贸易有限公司", 'A & B <Co> "x"', "tab\x01ctl\x1f", " lead", "_x0041_", None, "", "普通",
        12345, float("nan")]
CODE = ["001234", 1234, None, "0042", 98765432109876, "甲-1", None, "x", "y", "z"]
NUMS = [1, 2.5, 12345678901234567, float("nan"), float("inf"), None, -0.1, 3.0, 10**20, True]
DATES = [dt.date(2026, 12, 4), dt.datetime(2026, 12, 4, 13, 30), None, dt.date(1899, 1, 1), "2026-12-01",
         dt.date(1900, 3, 1), None, dt.time(8, 15), dt.date(2026, 1, 1), dt.datetime(2026, 1, 1)]
ROWS = [list(r) for r in zip(TEXT, CODE, NUMS, DATES)] + [[None, None, None, None]]

MASTER = (
    '<row r="2"><c r="A2" t="inlineStr"><is><t>上海华东贸易有限公司</t></is></c><c r="B2" s="5" t="inlineStr"><is><t>001234</t></is></c><c r="C2" s="6"><v>1</v></c><c r="D2" s="8"><v>46360</v></c></row>'
    '<row r="3"><c r="A3" t="inlineStr"><is><t>A &amp; B &lt;Co&gt; "x"</t></is></c><c r="B3" s="5" t="inlineStr"><is><t>1234</t></is></c><c r="C3" s="6"><v>2.5</v></c><c r="D3" s="9"><v>46360.5625</v></c></row>'
    '<row r="4"><c r="A4" t="inlineStr"><is><t>tab_x0001_ctl_x001F_</t></is></c><c r="C4" s="6"><v>1.234567890123457E+16</v></c></row>'
    '<row r="5"><c r="A5" t="inlineStr"><is><t xml:space="preserve"> lead</t></is></c><c r="B5" s="5" t="inlineStr"><is><t>0042</t></is></c><c r="C5" s="6" t="e"><f>#NUM!</f><v>#NUM!</v></c><c r="D5" s="7" t="inlineStr"><is><t>1899-01-01</t></is></c></row>'
    '<row r="6"><c r="A6" t="inlineStr"><is><t>_x005F_x0041_</t></is></c><c r="B6" s="5" t="inlineStr"><is><t>98765432109876</t></is></c><c r="C6" s="6" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D6" s="7" t="inlineStr"><is><t>2026-12-01</t></is></c></row>'
    '<row r="7"><c r="B7" s="5" t="inlineStr"><is><t>甲-1</t></is></c><c r="D7" s="8"><v>61</v></c></row>'
    '<row r="8"><c r="A8" t="inlineStr"><is><t></t></is></c><c r="C8" s="6"><v>-0.1</v></c></row>'
    '<row r="9"><c r="A9" t="inlineStr"><is><t>普通</t></is></c><c r="B9" s="5" t="inlineStr"><is><t>x</t></is></c><c r="C9" s="6"><v>3</v></c><c r="D9" s="7" t="inlineStr"><is><t>08:15:00</t></is></c></row>'
    '<row r="10"><c r="A10"><v>12345</v></c><c r="B10" s="5" t="inlineStr"><is><t>y</t></is></c><c r="C10" s="6"><v>1E+20</v></c><c r="D10" s="8"><v>46023</v></c></row>'
    '<row r="11"><c r="A11" t="e"><f>#NUM!</f><v>#NUM!</v></c><c r="B11" s="5" t="inlineStr"><is><t>z</t></is></c><c r="C11" s="6" t="b"><v>1</v></c><c r="D11" s="9"><v>46023</v></c></row>'
)


def test_master_body_writes_the_bytes_of_the_row_by_row_builder():
    body = Body(ROWS, len(ROWS), 1, ["text", "code", "number", "date"], [None, 5, 6, 7], 8, 9)
    assert b"".join(body.chunks()) == MASTER.encode("utf-8")
    assert body.last_cell == "D12"


def test_value_cells_and_row_xml_are_the_master_body():
    rows = [str(r) for r in range(2, 2 + len(ROWS))]
    dates = (style_attr(8), style_attr(9))
    columns = [value_cells(letter, rows, [row[c] for row in ROWS], style_attr(s), dates, as_text)
               for c, (letter, s, as_text) in enumerate([("A", None, None), ("B", 5, code_text),
                                                         ("C", 6, None), ("D", 7, None)])]
    assert row_xml(rows, columns) == MASTER
    assert columns[0][5] == "" and columns[2][-1] == ""  # None: no cell


def test_master_body_chunks_join_to_the_same_rows_across_chunk_borders(monkeypatch):
    from workbook_tools.merge import sheet_xml

    monkeypatch.setattr(sheet_xml, "CHUNK_ROWS", 3)
    body = Body(ROWS, len(ROWS), 1, ["text", "code", "number", "date"], [None, 5, 6, 7], 8, 9)
    chunks = list(body.chunks())
    assert len(chunks) == 4 and b"".join(chunks) == MASTER.encode("utf-8")


def test_summary_text_and_number_cells_keep_their_bytes():
    rows = [str(r) for r in range(2, 2 + len(TEXT) + 1)]
    assert text_cells("B", rows, TEXT + [None], 3) == [
        '<c r="B2" s="3" t="inlineStr"><is><t>上海华东贸易有限公司</t></is></c>',
        '<c r="B3" s="3" t="inlineStr"><is><t>A &amp; B &lt;Co&gt; "x"</t></is></c>',
        '<c r="B4" s="3" t="inlineStr"><is><t>tab_x0001_ctl_x001F_</t></is></c>',
        '<c r="B5" s="3" t="inlineStr"><is><t xml:space="preserve"> lead</t></is></c>',
        '<c r="B6" s="3" t="inlineStr"><is><t>_x005F_x0041_</t></is></c>', "", "",
        '<c r="B9" s="3" t="inlineStr"><is><t>普通</t></is></c>',
        '<c r="B10" s="3" t="inlineStr"><is><t>12345</t></is></c>', "", ""]
    ints = np.array([1.0, 2.0, np.nan, 12345678901.0, -3.0, np.inf, 0.0, 7.0, 8.0, 9.0, np.nan])
    assert number_cells("C", rows, ints, 4) == [
        '<c r="C2" s="4"><v>1</v></c>', '<c r="C3" s="4"><v>2</v></c>', "",
        '<c r="C5" s="4"><v>12345678901</v></c>', '<c r="C6" s="4"><v>-3</v></c>', "",
        '<c r="C8" s="4"><v>0</v></c>', '<c r="C9" s="4"><v>7</v></c>', '<c r="C10" s="4"><v>8</v></c>',
        '<c r="C11" s="4"><v>9</v></c>', ""]
    fracs = np.array([0.5, 1e16, np.nan, 1 / 3, 2.0**60])
    assert number_cells("D", rows[:5], fracs, 4) == [
        '<c r="D2" s="4"><v>0.5</v></c>', '<c r="D3" s="4"><v>1e+16</v></c>', "",
        '<c r="D5" s="4"><v>0.3333333333333333</v></c>', '<c r="D6" s="4"><v>1.152921504606847e+18</v></c>']


def test_sheet_rows_joins_blocks_in_row_and_column_order_with_heights():
    sheet = SheetRows()
    sheet.add_block(1, 1, 1, [text_cells("B", ["2", "3"], ["右", None], 3)])
    sheet.add_block(1, 0, 0, [text_cells("A", ["2", "3"], ["左", "下"], 3)])
    sheet.heights[2] = 30.0
    assert sheet.xml().decode() == (
        '<row r="2"><c r="A2" s="3" t="inlineStr"><is><t>左</t></is></c>'
        '<c r="B2" s="3" t="inlineStr"><is><t>右</t></is></c></row>'
        '<row r="3" ht="30" customHeight="1"><c r="A3" s="3" t="inlineStr"><is><t>下</t></is></c></row>')
    assert sheet.last_cell == "B3"


def test_a_text_only_column_takes_the_bulk_path_with_the_same_bytes():
    rows = ["2", "3", "4"]
    dates = (style_attr(8), style_attr(9))
    assert value_cells("A", rows, ["", None, "华东"], "", dates) == [
        '<c r="A2" t="inlineStr"><is><t></t></is></c>', "",
        '<c r="A3" t="inlineStr"><is><t>华东</t></is></c>'.replace("A3", "A4")]
    assert value_cells("A", rows, ["a&b", None, "\x07"], ' s="2"', dates) == [
        '<c r="A2" s="2" t="inlineStr"><is><t>a&amp;b</t></is></c>', "",
        '<c r="A4" s="2" t="inlineStr"><is><t>_x0007_</t></is></c>']


def test_number_and_date_columns_take_the_bulk_path_with_the_same_bytes():
    """A column of only numbers (or only dates) and None is written in one comprehension: the
    cells of the value-by-value loop (forced here by a text value at the end), nan/inf and
    dates before 1900 included."""
    dates = (style_attr(8), style_attr(9))
    numbers = [1, 2.5, None, 12345678901234567, float("nan"), -0.0, float("-inf"), 10**20, 0.1 + 0.2, 3.0]
    days = [dt.date(2026, 12, 4), None, dt.date(1899, 12, 31), dt.date(1900, 1, 1), dt.date(9999, 12, 31)]
    for values in (numbers, days):
        rows = [str(r) for r in range(2, 3 + len(values))]
        looped = value_cells("C", rows, values + ["x"], ' s="6"', dates)[:-1]
        assert value_cells("C", rows[:-1], values, ' s="6"', dates) == looped
        assert [c for c in looped if c]
