"""Reading the offered files: each usable file read and validated once (validate_workbooks:
the next file is read on a thread — parsed in a memory-capped child process when the guards
could not bound it, io/isolate.py — while the current one is validated), its tables turned
into rows (collect.add_table: clean record rows packed as each file is done, merge/packed.py). A file that crashes the parser is skipped with its reason; the
merge goes on. Costs: benchmarks/README.md."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterator

from workbook_tools.merge.collect import (
    add_table, input_file, no_table_reason, sha256_of, unreadable_reason,
)
from workbook_tools.merge.packed import ReadRows
from workbook_tools.merge.rows import InputFile
from workbook_tools.merge.workers import WorkerFailed, read_in_workers, worker_count
from workbook_tools.schema import Schema
from workbook_tools.validate.files import validate_workbooks

Progress = Callable[[Path, int, int], Any]
OnReport = Callable[[Path, Any], Any]  # (path, validate.FileReport) for each file read


def read_inputs(offered: list[tuple[Path, str | None]], schema: Schema, as_of: dt.date | None,
                progress: Progress | None, on_report: OnReport | None = None,
                ) -> tuple[list[InputFile], ReadRows]:
    """Read and validate each usable file once; InputFiles for all, rows of the used ones.
    Files are read in worker processes where that pays (merge/workers.py), else here."""
    labels = display_labels([p for p, _ in offered])
    todo = [p for p, reason in offered if reason is None]
    if progress is not None and todo:
        progress(todo[0], 0, len(todo))
    rows = ReadRows(schema)
    done: dict[Path, InputFile] = {}
    for path, info in _read(todo, labels, schema, as_of, on_report, rows):
        done[path] = info
        if progress is not None:
            progress(path, len(done), len(todo))
    files = [InputFile(str(path), sha256_of(path), skipped_reason=reason, label=labels[path])
             if reason is not None else done[path] for path, reason in offered]
    return files, rows.close()


def _read(todo: list[Path], labels: dict[Path, str | None], schema: Schema, as_of: dt.date | None,
          on_report: OnReport | None, into: ReadRows) -> Iterator[tuple[Path, InputFile]]:
    """(path, InputFile) of each file in order, its rows added ``into``."""
    workers = 0 if on_report is not None else worker_count(len(todo))
    if workers:
        try:
            for path, info, rows in read_in_workers(todo, labels, schema, as_of, workers):
                into.absorb(rows)
                yield path, info
            return
        except WorkerFailed as failed:
            todo = todo[todo.index(failed.path):]
    reports = validate_workbooks(todo, schema, as_of=as_of)  # reads the next file meanwhile
    for path in todo:
        _, report = next(reports)
        yield path, use_report(path, labels[path], report, on_report, into)


def use_report(path: Path, label: str | None, report: Any, on_report: OnReport | None,
               into: ReadRows) -> InputFile:
    """The InputFile of one file from its validation (a FileReport); its rows go ``into``."""
    sha = sha256_of(path)
    if on_report is not None:  # e.g. the weekly run annotates from this same validation
        on_report(path, report)
    if report.error:
        return InputFile(str(path), sha, skipped_reason=unreadable_reason(report), label=label)
    if not report.tables:
        return InputFile(str(path), sha, skipped_reason=no_table_reason(report), label=label)
    info = input_file(path, sha, label, report.tables)
    for table in report.tables:
        add_table(table, info.name, into)
    return info


def display_labels(paths: list[Path]) -> dict[Path, str | None]:
    """A label for files whose name another input shares ("华东/客户档案.xlsx"), else None."""
    counts = Counter(p.name for p in paths)
    labels: dict[Path, str | None] = {}
    for p in paths:
        labels[p] = f"{p.parent.name}/{p.name}" if counts[p.name] > 1 else None
    taken = Counter(labels.values())
    for p, label in labels.items():
        if label is not None and taken[label] > 1:
            labels[p] = str(p)
    return labels
