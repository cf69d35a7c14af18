"""Packed record rows (merge/packed.py): the merge keeps clean 拜访记录 / 拜访计划 / 投诉记录 /
交易记录 rows as pickled blocks between reading and writing. The blocks must be invisible:
values round-trip with their types, and a merge with tiny blocks (every boundary crossed)
gives the same master, byte for byte, as with the shipped block size."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from workbook_tools.merge import SourceRow, merge_rows, packed
from workbook_tools.merge.collect import flag_duplicate_ids
from workbook_tools.merge.files import merge_files
from workbook_tools.merge.packed import PackedRows, ReadRows
from workbook_tools.merge.sheets import master_sheets
from workbook_tools.schema import load_schema

SCHEMA = load_schema()
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
RUN = dt.date(2026, 11, 23)
TRADE_KEYS = SCHEMA.form("trade").keys


def trade(tid, file, row, **values) -> SourceRow:
    v = {"trade_id": tid, "date": dt.date(2026, 10, 2), "customer_id": "HD0001", "customer_name": "甲公司",
         "product": "电子元器件", "amount": 100.0, "salesperson": "王五"}
    v.update(values)
    return SourceRow("trade", v, v, {}, file, "客户交易记录", row)


def test_values_round_trip_with_their_types_and_order(monkeypatch):
    monkeypatch.setattr(packed, "BLOCK", 2)
    rows = PackedRows("trade", TRADE_KEYS)
    odd = {"trade_id": "X", "not_a_field": 1}          # a key the form lacks: kept as a dict
    given = [({"trade_id": "A", "amount": 1, "quantity": 2.5, "remarks": True}, None, 2),
             ({"trade_id": "B", "date": dt.datetime(2026, 1, 2, 3, 4), "due_date": dt.date(2026, 1, 3)},
              {"微信号": "wx1"}, 3),
             (odd, None, 4), ({"amount": 0.1 + 0.2}, None, 5), ({}, None, 6)]
    for values, extras, row in given:
        rows.add(values, extras, "a.xlsx", "客户交易记录", row)
    rows.close()
    assert len(rows) == 5 and len(rows.blocks) == 3
    out = list(rows)
    for (values, extras, row), got in zip(given, out):
        expected = values if "not_a_field" in values else {k: values.get(k) for k in TRADE_KEYS}
        assert got.values == expected and got.raw is got.values
        assert [type(got.values.get(k)) for k in values] == [type(v) for v in values.values()]
        assert (got.extras, got.file, got.sheet, got.row, got.errors) == (extras or {}, "a.xlsx", "客户交易记录", row, [])
    assert rows[-1].row == 6 and rows[2].values == odd and [r.row for r in rows[1:3]] == [3, 4]
    with pytest.raises(IndexError):
        rows[5]


def test_duplicate_numbers_and_exact_duplicates_across_blocks(monkeypatch):
    """A number reused by another file → the later row to 待修正; a row identical to an earlier
    one → counted as removed; extras registered in source order — with blocks of 2 rows."""
    monkeypatch.setattr(packed, "BLOCK", 2)
    rows = [trade(f"T{i}", "a.xlsx", i + 2, amount=float(i)) for i in range(7)]
    rows += [trade("T3", "b.xlsx", 2, amount=3.0),                # identical to a.xlsx T3: exact duplicate
             trade("T5", "b.xlsx", 3, amount=99.0),               # T5 reused for another deal: flagged
             trade("T9", "b.xlsx", 4, amount=9.0)]
    rows[4].extras["备注2"] = "加急"
    rows[8 - 1].extras["备注2"] = "复核"
    read = ReadRows.from_rows(reversed(rows), SCHEMA)           # any order in, source order inside
    assert flag_duplicate_ids(read, SCHEMA) == 1
    assert [(r.file, r.row) for r in read.loose] == [("b.xlsx", 3)] and "已被 a.xlsx/客户交易记录/7" in read.loose[0].errors[0]
    result = merge_rows(read, SCHEMA, run_date=RUN)
    kept = [(r.file, r.values["trade_id"], r.extras) for r in result.trades.rows]
    assert kept == [("a.xlsx", f"T{i}", {"备注2": "加急"} if i == 4 else {}) for i in range(7)] + [("b.xlsx", "T9", {})]
    assert result.trades.duplicates_removed == 1 and len(result.quarantined) == 1
    assert result.trades.extra_cols.labels == ["备注2"]
    assert result.reconciliation("交易记录").ok and result.counts()["trades"] == 8
    table = next(t for t in master_sheets(result, SCHEMA) if getattr(t, "name", "") == "交易记录")
    lines = list(table.sized()[0])
    assert lines[4][:1] == ["T4"] and lines[4][len(TRADE_KEYS)] == "加急" and lines[4][-3:] == ["a.xlsx", "客户交易记录", 6]


@pytest.fixture(scope="module")
def masters(tmp_path_factory):
    """The sample data (plus a copy of one file) merged twice: with the shipped block size and
    with blocks of 3 rows, and a second week with --previous and visits moved to the store."""
    tmp = tmp_path_factory.mktemp("packed")
    inputs = tmp / "in"
    inputs.mkdir()
    for p in sorted(SAMPLE.glob("*.xlsx")):
        shutil.copy(p, inputs / p.name)
    first = sorted(inputs.glob("*.xlsx"))[0]
    shutil.copy(first, inputs / f"{first.stem} - 副本.xlsx")
    out = {}
    for size in (packed.BLOCK, 3):
        old, packed.BLOCK = packed.BLOCK, size
        try:
            folder = tmp / str(size)                    # same file names: 合并说明 cites them
            folder.mkdir()
            m1, m2 = folder / "m1.xlsx", folder / "m2.xlsx"
            backwards = sorted(inputs.glob("*.xlsx"), reverse=True)    # read order ≠ source order
            run = merge_files(backwards, m1, as_of=dt.date(2026, 11, 20), run_date=RUN)
            merge_files(sorted(SAMPLE.glob("*.xlsx"))[:3], m2, previous=m1, as_of=dt.date(2026, 11, 27),
                        run_date=dt.date(2026, 11, 30), visit_history_weeks=8, history=folder / "h.sqlite")
        finally:
            packed.BLOCK = old
        out[size] = (m1.read_bytes(), m2.read_bytes(), run.result, m1)
    return out


def test_tiny_blocks_give_the_same_master_bytes(masters):
    (a1, a2, result, path), (b1, b2, _, _) = masters.values()
    assert a1 == b1 and a2 == b2
    assert result.trades.rows and result.counts()["files_skipped_count"] == 1
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name("交易记录").to_python()
    assert len(rows) - 1 == len(result.trades.rows)
    first = result.trades.rows[0]
    assert rows[1][:2] == [first.values["trade_id"], first.values["date"]]
    where = [(r[-3], r[-2], r[-1]) for r in rows[1:]]             # files were read backwards
    assert where == sorted(where) and len({w[0] for w in where}) == 4
