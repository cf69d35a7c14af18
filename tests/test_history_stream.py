"""Recording a kept master in chunks (merge/master_stream.py, issue 16): the store a master
gives through the chunked reader equals the store the whole-sheet calamine reader gives —
two weeks in a row (the hash chain), a master a person edited (an unknown column, blank rows,
a 合计 row), a sheet the stream reader gives up on half-way, and batches smaller than the run."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from workbook_tools.history import HistoryStore, record_run
from workbook_tools.history import writer
from workbook_tools.io.body import extract_records
from workbook_tools.io.stream import NotStreamable, XlsxStream
from workbook_tools.merge import master_stream
from workbook_tools.merge.files import merge_files
from workbook_tools.merge.recording import record_from_master
from workbook_tools.sampledata import generate_samples
from workbook_tools.schema import load_schema

W47, W48 = dt.date(2026, 11, 22), dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def masters(tmp_path_factory):
    """Two weeks merged: the second with --previous (its 变更记录 lists every change)."""
    root = tmp_path_factory.mktemp("histstream")
    generate_samples(root / "in", regions=["华东", "华南"], customers_per_region=30,
                     manifest=root / "manifest.json")
    first = merge_files([root / "in"], root / "W47.xlsx", run_date=W47, as_of=W47, force=True)
    book = openpyxl.load_workbook(next((root / "in").glob("华东*.xlsx")))
    ws = book.worksheets[0]
    ws.cell(4, 2).value = "改过名字的客户有限公司"
    book.save(next((root / "in").glob("华东*.xlsx")))
    second = merge_files([root / "in"], root / "W48.xlsx", previous=first.output, run_date=W48, as_of=W48,
                         force=True)
    return root, first, second


def _dump(path: Path) -> dict:
    with HistoryStore(path) as store:
        return store.dump()


def _record_both(masters_: list[Path], tmp_path: Path) -> tuple[dict, dict, list, list]:
    schema = load_schema()
    chunked, whole = tmp_path / "chunked.sqlite", tmp_path / "whole.sqlite"
    counts_a, counts_b = [], []
    for master in masters_:
        run = record_from_master(master, schema)
        record_run(chunked, run)
        counts_a.append(run.counts())
        old = record_from_master(master, schema, chunked=False)
        counts_b.append(old.counts())
        record_run(whole, old)
    return _dump(chunked), _dump(whole), counts_a, counts_b


def test_two_weeks_give_the_same_store_both_ways(masters, tmp_path):
    root, first, second = masters
    run = record_from_master(second.output, load_schema())
    assert isinstance(run.customers, master_stream.Lazy)         # the chunked path was taken
    a, b, counts_a, counts_b = _record_both([first.output, second.output], tmp_path)
    assert a == b
    assert counts_a == counts_b
    assert counts_a[0]["customers"] == counts_a[0]["new"] == len(first.result.customers)
    assert counts_a[1]["customers"] == len(second.result.customers) and counts_a[1]["changed"] >= 1
    assert counts_a[1]["visits"] == len(second.result.visits.rows) > 0
    assert len(a["versions"]) == len(first.result.customers) + counts_a[1]["changed"] + counts_a[1]["new"]
    assert any(row[3] == "修改" for row in a["changes"])
    weeks = {row[1] for row in a["added"]}
    assert weeks == {"2026-W47"}                                  # the same visits again keep their week


def test_a_master_edited_by_hand_gives_the_same_store(masters, tmp_path):
    """An unknown column (微信号), blank rows inside the table, a 合计 row with customers
    below it (read, as io.body does) and a 合计 row at the end (ends the table)."""
    root, first, _ = masters
    master = tmp_path / "edited.xlsx"
    shutil.copy(first.output, master)
    book = openpyxl.load_workbook(master)
    ws = book["客户档案"]
    width = ws.max_column
    ws.cell(1, width + 1).value = "微信号"
    ws.cell(3, width + 1).value = "wx_lin"
    last = ws.max_row
    ws.insert_rows(6, 2)                                          # two blank rows
    ws.cell(10, 1).value = "合计"                                  # overwrites one customer's id
    ws.cell(last + 4, 1).value = "合计：共计若干户"
    ws.cell(last + 4, 2).value = "HD9999"
    book.save(master)
    a, b, counts_a, counts_b = _record_both([master], tmp_path)
    assert a == b and counts_a == counts_b
    bodies = [row[4] for row in a["versions"]]
    assert sum('"微信号":"wx_lin"' in body for body in bodies) == 1
    assert counts_a[0]["customers"] == len(first.result.customers)    # the inner 合计 row is a record
    assert not any(row[0] == "HD9999" for row in a["versions"])


def test_a_sheet_the_stream_gives_up_on_is_finished_with_calamine(masters, tmp_path, monkeypatch):
    root, first, second = masters
    (tmp_path / "ref").mkdir()
    expected = _record_both([first.output, second.output], tmp_path / "ref")[1]
    real = XlsxStream.columns

    def failing(self, sheet, columns, first_row=1, chunk_rows=65536):
        for n, chunk in enumerate(real(self, sheet, columns, first_row, chunk_rows)):
            if n == 2:
                raise NotStreamable("test: cells without a reference")
            yield chunk

    monkeypatch.setattr(XlsxStream, "columns", failing)
    monkeypatch.setattr(master_stream, "CHUNK_ROWS", 5)
    monkeypatch.setattr(writer, "BATCH", 7)                        # batches smaller than the run
    store = tmp_path / "fallback.sqlite"
    for master in (first.output, second.output):
        record_run(store, record_from_master(master, load_schema()))
    assert _dump(store) == expected


@pytest.mark.parametrize("rows", [
    [["HD1", "a", ""], ["", "", ""], ["合计", "", ""]],                        # footer ends the table
    [["HD1", "a", ""], ["合计", "", ""], ["HD2", "b", ""], ["填表人：张三", "", ""]],
    [["HD1", "a", ""], ["注：以下为补录", "", ""], ["", "", "x"], ["HD2", "b", ""], ["HD3", "", ""]],
    [["", "", "x"], ["HD1", "a", "y"], ["合计", "", ""], ["说明：无", "", ""], ["", "", "z"]],
])
def test_records_over_a_stream_match_the_reader(rows):
    mapped, key = [True, True, False], 0
    grid = [["客户编号", "客户名称", "备注"], *[list(r) for r in rows]]
    expected, _ = extract_records([list(r) for r in grid], 0, 0, 3, 0, mapped, [], key)
    got = list(master_stream.records(((i + 2, r) for i, r in enumerate(rows)), 0, 3, mapped, key))
    assert [row for row, _ in got] == [r.row for r in expected]


def _previous_both(master: Path, monkeypatch) -> tuple[list, list]:
    from workbook_tools.merge import collect

    schema = load_schema()
    chunked = collect.load_previous(master, schema)
    with monkeypatch.context() as mp:
        mp.setattr(collect, "_previous_streamed", lambda path, schema: None)
        whole = collect.load_previous(master, schema)

    def shown(rows):
        return [(dict(r.values), dict(r.extras), r.file, r.sheet, r.row, tuple(r.errors)) for r in rows]
    assert chunked and chunked[0].values._spill is not None          # the chunked path was taken
    return shown(chunked), shown(whole)


def test_previous_master_read_in_chunks_equals_the_whole_sheet_read(masters, tmp_path, monkeypatch):
    """merge --previous reads last week's master through io.stream (rows packed and spilled as
    they come): the same previous rows, value for value, as the whole-sheet read — on a master
    as written and on one edited by hand (unknown column, blank rows, 合计 rows)."""
    _, first, second = masters
    for master in (first.output, second.output):
        chunked, whole = _previous_both(master, monkeypatch)
        assert chunked == whole and len(chunked) == len(first.result.customers)
    master = tmp_path / "edited.xlsx"
    shutil.copy(first.output, master)
    book = openpyxl.load_workbook(master)
    ws = book["客户档案"]
    ws.cell(1, ws.max_column + 1).value = "微信号"
    ws.cell(3, ws.max_column).value = "wx_lin"
    last = ws.max_row
    ws.insert_rows(6, 2)
    ws.cell(10, 1).value = "合计"
    ws.cell(last + 4, 1).value = "合计：共计若干户"
    book.save(master)
    chunked, whole = _previous_both(master, monkeypatch)
    assert chunked == whole and any(extras == {"微信号": "wx_lin"} for _, extras, *_ in chunked)
