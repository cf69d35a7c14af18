"""The summary's master read through io.stream (chosen columns, chunk by chunk) gives the same
frames as the calamine read, continuation sheets included; the summary workbook built window
by window is byte for byte the one built in one go; files the stream reader declines are read
through calamine."""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import pytest

from workbook_tools.io import limits
from workbook_tools.io.stream import NotStreamable
from workbook_tools.merge.files import merge_files
from workbook_tools.sampledata.generator import generate_samples
from workbook_tools.schema import load_schema
from workbook_tools.summary import sheetxml
from workbook_tools.summary.build import build_summary
from workbook_tools.summary.load import CUSTOMER_SHEET, PLAN_SHEET, TRADE_SHEET, VISIT_SHEET, forms, load_master

DAY = dt.date(2026, 11, 23)
LIMIT = 40   # rows per sheet: every table of the sample continues on NAME(2) …
SHEETS = {"registration": CUSTOMER_SHEET, "visit-record": VISIT_SHEET, "visit-plan": PLAN_SHEET,
          "trade": TRADE_SHEET}


@pytest.fixture(scope="module")
def schema():
    return load_schema()


@pytest.fixture(scope="module")
def master(tmp_path_factory, schema):
    folder = tmp_path_factory.mktemp("stream")
    generate_samples(folder / "in", customers_per_region=30, regions=["华东", "华南"])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(limits, "SHEET_MAX_ROWS", LIMIT)
        merge_files([folder / "in"], folder / "总表.xlsx", schema=schema, run_date=DAY, as_of=DAY)
    return folder / "总表.xlsx"


@pytest.mark.parametrize("form", list(SHEETS))
def test_streamed_columns_equal_the_calamine_read(master, schema, form):
    fields = list(schema.form(form).fields)
    streamed = forms._streamed_form(master, schema.form(form), SHEETS[form], fields, form == "registration")
    read = forms._calamine_form(master, schema.form(form), SHEETS[form], fields, form == "registration")
    assert len(streamed[0]) > (0 if form == "visit-plan" else LIMIT)   # first sheet and continuations
    pd.testing.assert_frame_equal(streamed[0], read[0])
    assert streamed[1:] == read[1:]


def test_streamed_accounts_equal_the_calamine_read(master, monkeypatch):
    streamed = forms.accounts_job(master)
    monkeypatch.setattr(forms, "STREAM", False)
    read = forms.accounts_job(master)
    assert len(streamed) > LIMIT and streamed["source"].notna().all()
    pd.testing.assert_frame_equal(streamed, read)


def test_a_file_the_stream_reader_declines_is_read_by_calamine(master, schema, monkeypatch):
    expected = load_master(master, schema, workers=1)

    def decline(*args, **kwargs):
        raise NotStreamable("test")

    monkeypatch.setattr(forms, "XlsxStream", decline)
    fallback = load_master(master, schema, workers=1)
    for name in ("customers", "visits", "plans", "trades", "accounts"):
        pd.testing.assert_frame_equal(getattr(fallback, name), getattr(expected, name))


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_summary_is_the_same_through_both_reads_and_any_window(master, schema, tmp_path, monkeypatch):
    def summary(name):
        return _digest(build_summary(master, tmp_path / name, schema=schema, as_of=DAY).path)

    streamed = summary("streamed.xlsx")
    monkeypatch.setattr(sheetxml, "WINDOW_ROWS", 7)   # rows built 7 at a time
    assert summary("windows.xlsx") == streamed
    monkeypatch.setattr(forms, "STREAM", False)
    monkeypatch.setattr(sheetxml, "WINDOW_ROWS", 10**6)
    assert summary("calamine.xlsx") == streamed


def test_fields_read_for_presence_only_give_the_same_quality_sheet(master, schema):
    from workbook_tools.summary.build import SUMMARY_FIELDS, presence_only, summary_fields
    from workbook_tools.summary.quality import quality_sheet

    keys = presence_only(schema, SUMMARY_FIELDS)
    assert keys and set(keys) <= {f.key for f in schema.form("registration").fields if f.important}
    texts = load_master(master, schema, fields=summary_fields(schema))
    flags = load_master(master, schema, fields=summary_fields(schema), presence=keys)
    assert all(str(flags.customers[k].dtype) == "boolean" for k in keys)
    assert (flags.customers[keys].notna() == texts.customers[keys].notna()).all().all()
    assert texts.customers[keys].isna().any().any()   # the sample leaves some of them blank
    for a, b in zip(quality_sheet(texts, schema, DAY).tables(), quality_sheet(flags, schema, DAY).tables()):
        pd.testing.assert_frame_equal(a.frame, b.frame)
