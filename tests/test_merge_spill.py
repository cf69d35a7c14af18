"""Rows kept on disk during the merge (merge/spill.py): registration rows pickled one by one
(merge/compact.RowValues.packed) and record blocks (merge/packed.py) live in one unlinked
temporary file and are read back by reference. They must read exactly as the values they
stand for, compare as them, and leave the merge pickled with their bytes."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from workbook_tools.merge import compact, spill
from workbook_tools.merge.compact import RowValues, key_index
from workbook_tools.merge.packed import ReadRows
from workbook_tools.merge.rows import SourceRow
from workbook_tools.merge.spill import Spill
from workbook_tools.schema import load_schema

SCHEMA = load_schema()
REG_KEYS = SCHEMA.form("registration").keys


def test_spill_gives_back_every_item_across_flushes(monkeypatch):
    monkeypatch.setattr(spill, "FLUSH_AT", 10)
    store = Spill()
    items = [bytes([i]) * (i % 7) for i in range(200)]
    refs = [store.put(item) for item in items]
    assert [store.get(ref) for ref in refs] == items          # from the file and from the buffer
    store.flush()
    assert [store.get(ref) for ref in reversed(refs)] == items[::-1] and store.size == sum(map(len, items))
    with pytest.raises(TypeError):
        pickle.dumps(store)


def _row(cid, name, day):
    return {"customer_id": cid, "customer_name": name, "created": day, "employees": 12, "region": "华东"}


def test_packed_and_spilled_rows_read_as_their_values():
    store = Spill()
    rows = [_row(f"HD{i:04}", f"公司{i}", dt.date(2026, 1, 1 + i % 28)) for i in range(50)]
    packed = [RowValues.packed(v, REG_KEYS, store) for v in rows]
    as_dicts = [{k: v.get(k) for k in REG_KEYS} for v in rows]
    assert all(p._spill is store and p._data.__class__ is int for p in packed)
    # three rows read in turn (more than the two decoded rows remembered) and pairs compared
    for i in range(len(packed) - 2):
        got = (packed[i]["customer_name"], packed[i + 1].get("created"), packed[i + 2].get("employees"),
               packed[i].get("created"))
        assert got == (f"公司{i}", as_dicts[i + 1]["created"], 12, as_dicts[i]["created"])
    assert [dict(p) for p in packed] == as_dicts and packed[3] == as_dicts[3] and packed[3] != packed[4]
    assert packed[3] == RowValues.packed(rows[3], REG_KEYS) == RowValues.of(rows[3], REG_KEYS)
    assert packed[7]["customer_id"] == "HD0007" and packed[7]._first == "HD0007"


def test_the_first_field_is_read_without_decoding(monkeypatch):
    row = RowValues.packed(_row("HD0001", "甲公司", dt.date(2026, 1, 5)), REG_KEYS, Spill())
    monkeypatch.setattr(compact, "_unpacked", lambda row: pytest.fail("decoded"))
    assert row.get("customer_id") == row["customer_id"] == "HD0001" and REG_KEYS[0] == "customer_id"


def test_spilled_rows_and_blocks_leave_pickled_with_their_bytes():
    read = ReadRows(SCHEMA)
    values = RowValues.packed(_row("HD0001", "甲公司", dt.date(2026, 1, 5)), REG_KEYS, read.spill)
    read.loose.append(SourceRow("registration", values, values, {}, "a.xlsx", "客户档案", 2, ()))
    trades = read.packed["trade"]
    for n in range(5):
        trades.add({"trade_id": f"T{n}", "amount": n * 1.5}, None, "a.xlsx", "客户交易记录", 2 + n)
    read.close()
    assert trades.blocks[0].spill is read.spill and isinstance(trades.blocks[0].stored, int)
    back = pickle.loads(pickle.dumps((read.loose, trades)))
    assert back[0][0].values == values and back[0][0].values._spill is None
    assert back[0][0].values._index is key_index(REG_KEYS)
    assert [r.values for r in back[1]] == [r.values for r in trades] and back[1].spill is None
    assert [r.values["amount"] for r in back[1]] == [0.0, 1.5, 3.0, 4.5, 6.0]


def test_a_files_rows_read_elsewhere_are_spilled_when_absorbed():
    part = ReadRows(SCHEMA, spill=False)
    values = RowValues.packed(_row("HD0002", "乙公司", None), REG_KEYS)
    part.loose.append(SourceRow("registration", values, values, {}, "b.xlsx", "客户档案", 2, ()))
    part.packed["trade"].add({"trade_id": "T1"}, {"微信号": "wx"}, "b.xlsx", "客户交易记录", 2)
    part = pickle.loads(pickle.dumps(part.close()))            # as a worker sends it
    whole = ReadRows(SCHEMA)
    whole.absorb(part)
    row = whole.loose[0]
    assert row.values._spill is whole.spill and row.raw is row.values and dict(row.values) == dict(values)
    block = whole.packed["trade"].blocks[0]
    assert block.spill is whole.spill and [r.extras for r in whole.packed["trade"]] == [{"微信号": "wx"}]
