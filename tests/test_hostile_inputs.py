"""Issue 17: hostile inputs that used to abort the process or exhaust memory. Every file is
built in the test; every run happens in a child capped at 2 GB of address space
(tests/capped.py), so a regression fails here instead of taking the machine down."""

from __future__ import annotations

import re

import pytest

import hostile_files as hf
from capped import capped, cli
from workbook_tools.errors import UnreadableWorkbook
from workbook_tools.io import extent, limits, read_workbook


def one_chinese_line(code: int, out: str, err: str, *words: str) -> str:
    """`inspect` refused the file: exit 2, nothing on stdout, one Chinese line on stderr."""
    lines = err.splitlines()
    assert code == 2 and out == "" and len(lines) == 1, (code, out, err)
    assert lines[0].startswith("错误：无法读取文件") and all(w in lines[0] for w in words), lines[0]
    return lines[0]


@pytest.mark.parametrize("build, words", [
    (hf.quoted_ref, ("范围过大", "XFD1048576")),
    (hf.cells_without_r, ("范围过大", "XFD1048576")),
    (hf.lying_big_part, ("范围过大", "XFD1048576")),
    (hf.shared_strings_bomb, ("文字内容展开后过多",)),
    (hf.wide_csv, ("第 3 行有 200,001 列",)),
    (hf.repeated_ods, ("重复了 1,000,000 次",)),
    (hf.binary_csv, ("不是 Excel 工作簿",)),
])
def test_hostile_file_is_one_chinese_line(tmp_path, build, words):
    path = build(tmp_path)
    one_chinese_line(*cli("inspect", str(path)), path.name, *words)


def test_validate_reports_the_hostile_file_with_exit_2(tmp_path):
    path = hf.cells_without_r(tmp_path)
    code, out, err = cli("validate", str(path))
    assert code == 2 and "范围过大" in out, (code, out, err)


def test_a_crash_inside_the_parser_is_one_line_and_the_next_file_is_read(tmp_path, monkeypatch):
    """An unforeseen blow-up: with the extent guard switched off, calamine asks for
    ~549 GB and aborts — in the reading child, not in the process running the command."""
    far = hf.quoted_ref(tmp_path)
    good = hf.good_xlsx(tmp_path / "good.xlsx")
    monkeypatch.setattr(extent, "check_xlsx", lambda pkg: None)
    line = one_chinese_line(*cli("inspect", str(far)), "读取程序异常终止")
    assert "/tmp/" not in line.replace(str(far), "")  # no temporary path leaks out
    code, out, err = cli("merge", str(far), str(good), "-o", str(tmp_path / "总表.xlsx"))
    assert code == 0, (out, err)
    assert f"已跳过 {far.name}：解析这个文件时读取程序异常终止" in out
    assert re.search(r"客户档案：读取 3 行 = .*（一致）", out), out


def test_near_misses_still_read(tmp_path, schema):
    """A long shared string used once, empty styled cells far away and an .ods storing three
    identical rows once are all ordinary: they read in full."""
    book = capped(read_workbook, hf.good_ods(tmp_path), schema)
    assert [r.row for r in book.sheets[0].records] == [2, 3, 4]
    long_text = hf.shared_strings_bomb(tmp_path, cells=3_000, size=100_000, uses=2)
    assert 3_000 * 100_000 > limits.MAX_TEXT_CHARS  # the cheap bound trips, the exact one passes
    book = capped(read_workbook, long_text, schema)  # not refused
    records = book.sheets[0].records
    assert len(records) == 3 + 3_000 and len(records[3].values[6]) == 100_000


def test_unreadable_workbook_survives_the_trip_from_the_child(tmp_path, schema):
    with pytest.raises(UnreadableWorkbook) as info:
        read_workbook(hf.quoted_ref(tmp_path), schema)
    assert info.value.path.endswith("quoted.xlsx") and info.value.advice


def test_only_files_the_guards_cannot_bound_are_parsed_in_a_child(tmp_path):
    """An xlsx in the usual form (every cell <c r="…">) and a CSV are parsed in-process;
    an .ods, or an xlsx with cells without r, in the memory-capped child."""
    from workbook_tools.io.sniff import sniff

    usual = hf.good_xlsx(tmp_path / "usual.xlsx")
    implicit = hf._append_rows(tmp_path, "implicit.xlsx",
                               b'<row r="9"><c t="inlineStr"><is><t>HD0009</t></is></c></row>')
    assert sniff(usual).bounded and not sniff(implicit).bounded
    assert not sniff(hf.good_ods(tmp_path)).bounded


def test_bounds_of_several_sheets_adding_up_are_counted_exactly(tmp_path, schema, monkeypatch):
    """Each sheet's cheap bound (its cells × the longest string) can pass alone while their sum
    passes the limit: an ordinary workbook with one long string and several sheets (the demo's
    files) is then counted cell by cell, not refused."""
    import xlsxwriter

    path = tmp_path / "三张表.xlsx"
    book = xlsxwriter.Workbook(str(path))
    for name in ("客户档案登记表", "客户拜访记录", "客户拜访计划"):
        ws = book.add_worksheet(name)
        ws.write_row(0, 0, ["客户编号", "客户名称", "备注"])
        for r in range(1, 201):
            ws.write_row(r, 0, [f"HD{r:04d}", f"客户{r}", "短"])
    book.get_worksheet_by_name("客户档案登记表").write_string(1, 2, "长" * 5_000)
    book.close()
    # each sheet's bound is its ~600 string cells × the whole sharedStrings part (~25 KB) ≈ 15 M:
    # under a 20 M limit one at a time, 45 M together; counted exactly they hold ~50 K characters
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 20_000_000)
    data = read_workbook(path, schema)
    assert [len(t.records) for t in data.sheets if t.sheet == "客户档案登记表"] == [200]


def test_a_tall_sheet_in_the_usual_form_is_bounded_by_the_fast_pass(tmp_path):
    """A sheet taller than MAX_CELLS / 702 rows (a 300,000-customer master) is bounded by its
    real width at C speed, not by the slow exact pass; a value as far right as ZZ in such a
    sheet still makes it too large."""
    from workbook_tools.io.sniff import sniff

    rows = 40_000
    assert rows * 702 > limits.MAX_CELLS
    body = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>HD%06d</t></is></c><c r="B%d"><v>1</v></c></row>'
                    % (r, r, r, r) for r in range(10, rows + 1))
    tall = hf._append_rows(tmp_path, "tall.xlsx", body)
    assert sniff(tall).bounded
    wide = hf._append_rows(tmp_path, "tall-wide.xlsx",
                           body + b'<row r="%d"><c r="ZZ%d"><v>1</v></c></row>' % (rows + 1, rows + 1))
    with pytest.raises(UnreadableWorkbook, match="范围过大"):
        sniff(wide)
