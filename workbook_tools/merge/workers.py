"""The offered files read and validated in worker processes, several at a time.

Reading and validating a file makes ≈ 25 short-lived Python objects for every one the merge
keeps; in one process the survivors end up scattered over the allocator's pools, which are
then never handed back (measured: RSS ≈ 2× the live data after reading 300,000 customers).
A worker (a child forked for the file, so the schema and the code are not sent) reads and
validates one file and sends back only what the merge keeps — the InputFile and the file's rows as
:class:`~workbook_tools.merge.packed.ReadRows` (record rows in packed blocks) — pickled in
one ``bytes``; the parent unpickles it into compact, freshly allocated objects. With two or
more cores the files are read in parallel. Costs: benchmarks/README.md.

Used on Linux (fork) for two files or more; ``WORKBOOK_TOOLS_READ_WORKERS=0`` (or 1) reads
in this process, as a caller's ``on_report`` does (it needs each file's whole FileReport).
A worker that dies (killed, out of memory) does not lose the file: the files not yet
received are read in this process instead.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import signal
import sys
import tempfile
from collections import deque
from pathlib import Path
from typing import Any, Iterator

from workbook_tools.merge.packed import ReadRows
from workbook_tools.merge.rows import InputFile

ENV = "WORKBOOK_TOOLS_READ_WORKERS"
MAX_WORKERS = 4


def worker_count(files: int) -> int:
    """Worker processes for reading ``files`` files: 0 = read in this process."""
    if files < 2 or not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 0
    setting = os.environ.get(ENV, "").strip()
    if setting:
        wanted = int(setting) if setting.isdigit() else 0
        return 0 if wanted <= 1 else min(wanted, files)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(max(cores, 2), MAX_WORKERS, files)


def read_in_workers(todo: list[Path], labels: dict[Path, str | None], schema: Any,
                    as_of: dt.date | None, workers: int) -> Iterator[tuple[Path, InputFile, ReadRows]]:
    """(path, InputFile, the file's rows) for each path in order, ``workers`` files read at a
    time, each in a child forked for it. Raises WorkerFailed naming the first path whose
    result did not arrive (the results before it were yielded; no child is left running)."""
    running: deque[_Child] = deque()
    queue = iter(todo)
    try:
        for path in queue:
            running.append(_Child(path, labels[path], schema, as_of))
            if len(running) >= workers:
                break
        while running:
            child = running.popleft()
            result = child.result()
            following = next(queue, None)
            if following is not None:
                running.append(_Child(following, labels[following], schema, as_of))
            if result is None:
                raise WorkerFailed(child.path)
            yield child.path, *result
    finally:
        for child in running:
            child.stop()


class WorkerFailed(Exception):
    """A worker did not deliver ``path``'s rows (the caller reads it in its own process)."""

    def __init__(self, path: Path):
        super().__init__(str(path))
        self.path = path


class _Child:
    """One file read and validated in a forked child; its result pickled into an unlinked
    temporary file (no pipe to fill, nothing to deadlock on)."""

    def __init__(self, path: Path, label: str | None, schema: Any, as_of: dt.date | None):
        self.path = path
        self.out = tempfile.TemporaryFile(prefix="workbook-tools-merge-read-")
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            _child(self.out, path, label, schema, as_of)

    def result(self) -> tuple[InputFile, ReadRows] | None:
        """The child's (InputFile, rows), or None when it died or its result is unreadable."""
        try:
            status = _wait(self.pid)
            if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
                return None
            self.out.seek(0)
            try:
                return pickle.load(self.out)
            except Exception:  # noqa: BLE001 - a truncated result (disk full …)
                return None
        finally:
            self.out.close()

    def stop(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _wait(self.pid)
        self.out.close()


def _wait(pid: int) -> int:
    while True:
        try:
            return os.waitpid(pid, 0)[1]
        except InterruptedError:
            continue
        except ChildProcessError:   # already reaped
            return -1


def _child(out, path: Path, label: str | None, schema: Any, as_of: dt.date | None) -> None:
    code = 1
    try:
        import gc

        gc.disable()   # short-lived; and no page of the parent's heap gets copied by a collection
        pickle.dump(_read_one(path, label, schema, as_of), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()
        code = 0
    except BaseException:  # noqa: BLE001 - whatever happens, the child must not return
        code = 1
    finally:
        os._exit(code)


def _read_one(path: Path, label: str | None, schema: Any, as_of: dt.date | None
              ) -> tuple[InputFile, ReadRows]:
    """In the child: read and validate ``path``; its InputFile and rows."""
    from workbook_tools.merge.reading import use_report
    from workbook_tools.validate.files import validate_workbook

    rows = ReadRows(schema, spill=False)   # the rows travel as bytes; the parent spills them
    info = use_report(path, label, validate_workbook(path, schema, as_of=as_of), None, rows)
    rows.shared = {}
    return info, rows.close()
