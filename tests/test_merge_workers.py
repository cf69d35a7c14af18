"""Files read in worker processes (merge/workers.py): the master must be byte for byte the one
a merge reading every file in its own process writes, whatever the number of workers, and a
worker that dies must not lose its file."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from workbook_tools.merge import workers
from workbook_tools.merge.files import merge_files
from workbook_tools.merge.reading import read_inputs

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
FILES = sorted(SAMPLE.glob("*.xlsx"))
RUN, AS_OF = dt.date(2026, 11, 23), dt.date(2026, 11, 20)

pytestmark = pytest.mark.skipif(workers.worker_count(2) == 0 and not os.environ.get(workers.ENV),
                                reason="no fork here: files are read in this process")


def _merge(tmp_path, monkeypatch, setting: str, name: str, inputs=FILES):
    monkeypatch.setenv(workers.ENV, setting)
    out = tmp_path / name
    run = merge_files([*inputs, tmp_path / "missing.xlsx"], out, as_of=AS_OF, run_date=RUN)
    return out.read_bytes(), run


def test_workers_write_the_master_this_process_writes(tmp_path, monkeypatch):
    (tmp_path / "missing.xlsx").write_bytes(b"not a workbook")   # a skipped file among the inputs
    here, run_here = _merge(tmp_path, monkeypatch, "0", "here.xlsx")
    for setting in ("2", "3"):
        there, run_there = _merge(tmp_path, monkeypatch, setting, f"w{setting}.xlsx")
        assert there == here
        assert [(f.name, f.sha256, dict(f.rows_read_by_sheet), f.skipped_reason) for f in run_there.inputs] == \
               [(f.name, f.sha256, dict(f.rows_read_by_sheet), f.skipped_reason) for f in run_here.inputs]
    assert run_here.inputs[-1].skipped_reason and len(FILES) >= 3


def test_progress_reports_each_file_in_order(monkeypatch):
    monkeypatch.setenv(workers.ENV, "2")
    seen = []
    read_inputs([(p, None) for p in FILES], _schema(), AS_OF, lambda p, done, total: seen.append((p, done, total)))
    assert seen == [(FILES[0], 0, len(FILES))] + [(p, i, len(FILES)) for i, p in enumerate(FILES, 1)]


def test_a_worker_that_dies_does_not_lose_its_file(tmp_path, monkeypatch):
    here, _ = _merge(tmp_path, monkeypatch, "0", "here.xlsx")
    real = workers._read_one
    victim = FILES[1]

    def dying(path, *args):
        if path == victim:
            os._exit(9)   # killed: out of memory, a crash in a native library …
        return real(path, *args)

    monkeypatch.setattr(workers, "_read_one", dying)
    there, run = _merge(tmp_path, monkeypatch, "2", "there.xlsx")
    assert there == here and all(f.skipped_reason is None for f in run.inputs[:-1])


def test_worker_count():
    assert workers.worker_count(1) == 0
    os.environ[workers.ENV] = "0"
    try:
        assert workers.worker_count(10) == 0
        os.environ[workers.ENV] = "3"
        assert workers.worker_count(10) == 3 and workers.worker_count(2) == 2
    finally:
        del os.environ[workers.ENV]
    assert 2 <= workers.worker_count(10) <= workers.MAX_WORKERS


def _schema():
    from workbook_tools.schema import load_schema
    return load_schema()
