"""Compact registration rows (merge/compact.py): clean 客户档案 rows keep their values as a
tuple behind a read-only mapping. They must read as the dicts they replace, and a merge of
compact rows must give what the same rows as dicts give."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import pytest

from workbook_tools.merge import SourceRow, merge_rows
from workbook_tools.merge.collect import load_previous
from workbook_tools.merge.compact import EMPTY, RowValues, in_order, key_index
from workbook_tools.merge.files import merge_files
from workbook_tools.merge.reading import read_inputs
from workbook_tools.merge.sheets import master_sheets
from workbook_tools.schema import load_schema

SCHEMA = load_schema()
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
REG_KEYS = SCHEMA.form("registration").keys
RUN, AS_OF = dt.date(2026, 11, 23), dt.date(2026, 11, 20)


def test_reads_as_the_dict_it_replaces():
    given = {"customer_id": "HD0001", "customer_name": "甲公司", "created": dt.date(2026, 1, 5),
             "employees": 12, "remarks": ""}
    compact = RowValues.of(given, REG_KEYS)
    as_dict = {k: given.get(k) for k in REG_KEYS}       # a missing key reads as None (empty)
    assert compact.__class__ is RowValues
    assert dict(compact) == as_dict and list(compact) == REG_KEYS and len(compact) == len(REG_KEYS)
    assert compact == as_dict and as_dict == compact and compact != given
    assert list(compact.items()) == list(as_dict.items()) and list(compact.values()) == list(as_dict.values())
    assert compact["customer_name"] == "甲公司" and compact.get("fax") is None and "fax" in compact
    assert compact.get("not_a_field", "x") == "x" and "not_a_field" not in compact
    with pytest.raises(KeyError):
        compact["not_a_field"]
    with pytest.raises(TypeError):
        compact["customer_name"] = "乙公司"                # read-only
    with pytest.raises(TypeError):
        hash(compact)
    assert {**compact, "customer_id": "HD0002"}["customer_id"] == "HD0002" and compact["customer_id"] == "HD0001"
    assert [type(compact[k]) for k in given] == [str, str, dt.date, int, str]


def test_rows_share_one_key_index_and_odd_rows_stay_dicts():
    a, b = RowValues.of({"customer_id": "A"}, REG_KEYS), RowValues.of({"customer_id": "B"}, list(REG_KEYS))
    assert a._index is b._index is key_index(REG_KEYS)
    assert RowValues.of(a, REG_KEYS) is a
    assert a != b and a == RowValues.of({"customer_id": "A", "fax": None}, REG_KEYS)
    odd = {"customer_id": "A", "not_a_field": 1}
    assert RowValues.of(odd, REG_KEYS) is odd
    assert in_order(a, REG_KEYS) == [a.get(k) for k in REG_KEYS] == in_order(dict(a), REG_KEYS)
    assert in_order(a, ["fax", "customer_id"]) == [None, "A"]


def test_pickled_rows_come_back_sharing_the_key_index():
    """A weekly run's result crosses processes (tests/capped.py, the reading child)."""
    row = SourceRow("registration", RowValues.of({"customer_id": "A"}, REG_KEYS), {}, EMPTY, "a.xlsx", "表", 2, ())
    row.raw = row.values
    back = pickle.loads(pickle.dumps([row, row.values], protocol=pickle.HIGHEST_PROTOCOL))
    assert back[0].values == row.values and back[0].values._index is key_index(REG_KEYS)
    assert back[0].extras is EMPTY and back[0].raw is back[0].values is back[1] and back[0].errors == ()
    assert not EMPTY and dict(EMPTY) == {} and EMPTY.get("x") is None and "x" not in EMPTY


def _as_dicts(rows):
    """The same rows as plain dicts, lists and dicts, as a caller of merge_rows builds them."""
    out = []
    for r in rows:
        values = dict(r.values)
        raw = values if r.raw is r.values else dict(r.raw)
        out.append(SourceRow(r.form, values, raw, dict(r.extras), r.file, r.sheet, r.row, list(r.errors)))
    return out


def _tables(result):
    return [(t.name, [list(row) for row in t.sized()[0]]) for t in master_sheets(result, SCHEMA)
            if hasattr(t, "sized")]


def test_merge_of_compact_rows_equals_merge_of_dicts(tmp_path):
    files, read = read_inputs([(p, None) for p in sorted(SAMPLE.glob("*.xlsx"))], SCHEMA, AS_OF, None)
    clean = [r for r in read.loose if r.form == "registration" and not r.errors]
    assert len(clean) > 100 and all(r.values.__class__ is RowValues and r.raw is r.values for r in clean)
    assert all(r.errors == () for r in clean) and any(r.extras is EMPTY for r in clean)
    before = [(dict(r.values), dict(r.extras)) for r in read.loose]
    compact = merge_rows(read, SCHEMA, run_date=RUN, inputs=files)
    assert [(dict(r.values), dict(r.extras)) for r in read.loose] == before      # rows left as they were
    read.loose = _as_dicts(read.loose)
    plain = merge_rows(read, SCHEMA, run_date=RUN, inputs=files)
    assert [c.id for c in compact.customers] == [c.id for c in plain.customers]
    assert [dict(c.values) for c in compact.customers] == [{**dict.fromkeys(REG_KEYS), **c.values}
                                                           for c in plain.customers]
    assert compact.duplicates == plain.duplicates and len(compact.duplicates) > 0
    assert compact.conflicts == plain.conflicts and compact.accounts.rows == plain.accounts.rows
    assert _tables(compact) == _tables(plain)


def test_previous_master_rows_are_compact_and_merge_as_dicts(tmp_path):
    first = tmp_path / "m1.xlsx"
    merge_files(sorted(SAMPLE.glob("*.xlsx"))[:2], first, as_of=AS_OF, run_date=RUN)
    previous = load_previous(first, SCHEMA)
    assert previous and all(r.values.__class__ is RowValues for r in previous)
    files, read = read_inputs([(p, None) for p in sorted(SAMPLE.glob("*.xlsx"))[1:]], SCHEMA, AS_OF, None)
    run = dt.date(2026, 11, 30)
    compact = merge_rows(read, SCHEMA, previous=previous, run_date=run, inputs=files)
    read.loose = _as_dicts(read.loose)
    plain = merge_rows(read, SCHEMA, previous=_as_dicts(previous), run_date=run, inputs=files)
    assert compact.changes == plain.changes and len(compact.changes) > 0
    assert _tables(compact) == _tables(plain)
