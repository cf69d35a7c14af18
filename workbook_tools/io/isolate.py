"""Read untrusted workbooks in a forked child process under an address-space limit.

The pre-parse guards (sniff, zipcheck, extent) refuse every hostile file we know of, but
python-calamine is Rust: an allocation it cannot make aborts the whole process (no
MemoryError, no traceback, exit 134). So a workbook the guards could not bound exactly
(.xls, .ods, an xlsx in an unusual form — see io/reader.read_here) is read in a child forked
from this process, with RLIMIT_AS set to what this process already maps plus
``limits.READ_MEMORY_BYTES``; the child sends back the WorkbookData (or the
UnreadableWorkbook) pickled into an unlinked temporary file. A child that dies becomes
one Chinese reason, and the caller goes on with the other files.

The records travel as two plain lists per table (rows, value lists), which pickle at C
speed; forms travel by key. Where fork or RLIMIT_AS do not exist (Windows), files are
read in this process.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from pathlib import Path

from workbook_tools.errors import UnreadableWorkbook
from workbook_tools.io import limits
from workbook_tools.io.problems import human_size, unreadable
from workbook_tools.io.table import Record, WorkbookData
from workbook_tools.schema.model import Form

try:
    import resource
except ImportError:  # Windows
    resource = None

_CRASH_EXIT = 70


def available() -> bool:
    """Whether reads can be isolated here (POSIX fork and RLIMIT_AS)."""
    return (hasattr(os, "fork") and resource is not None and hasattr(resource, "RLIMIT_AS")
            and sys.platform.startswith("linux") and not os.environ.get("WORKBOOK_TOOLS_NO_ISOLATION"))


def always() -> bool:
    """WORKBOOK_TOOLS_ISOLATE=all: parse every file in a child, bounded or not (slower:
    benchmarks/README.md)."""
    return os.environ.get("WORKBOOK_TOOLS_ISOLATE", "").lower() == "all"


class PendingRead:
    """A read running in a child process; ``result()`` waits for it."""

    def __init__(self, path: Path, forms: list[Form], read):
        self.path, self.forms = path, forms
        self.out = tempfile.TemporaryFile(prefix="workbook-tools-read-")
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            _child(self.out, read, path, forms)

    def result(self) -> WorkbookData | UnreadableWorkbook:
        try:
            _, status = _wait(self.pid)
            if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
                self.out.seek(0)
                try:
                    result = _load(self.out, self.forms)
                except Exception:  # noqa: BLE001 - a truncated result (disk full in /tmp …)
                    return _crashed(self.path, status)
                if isinstance(result, Raised):
                    raise result.exc
                return result
            return _crashed(self.path, status)
        finally:
            self.out.close()


def _wait(pid: int) -> tuple[int, int]:
    while True:
        try:
            return os.waitpid(pid, 0)
        except InterruptedError:
            continue


def _crashed(path: Path, status: int) -> UnreadableWorkbook:
    """The child died (a Rust abort on a failed allocation, a signal, an error while
    pickling): one Chinese reason, whatever the cause."""
    return unreadable(path, "reader_crash", limit=human_size(limits.READ_MEMORY_BYTES))


def _child(out, read, path: Path, forms: list[Form]) -> None:
    code = _CRASH_EXIT
    try:
        import gc

        gc.disable()  # short-lived; and no page of the parent's heap gets copied by a collection
        _silence()  # Rust's "memory allocation of … failed" must not reach the user's console
        _limit_address_space()
        try:
            result = read(path, forms)
        except UnreadableWorkbook as exc:
            result = exc
        except MemoryError:
            result = unreadable(path, "memory")
        except Exception as exc:  # a bug, not bad input: raised again in the parent
            result = Raised(exc if _picklable(exc) else RuntimeError(f"{type(exc).__name__}: {exc}"))
        _dump(out, result, forms)
        out.flush()
        code = 0
    except BaseException:  # noqa: BLE001 - whatever happens, the child must not return
        code = _CRASH_EXIT
    finally:
        os._exit(code)


class Raised:
    """An exception other than UnreadableWorkbook raised while reading in the child."""

    def __init__(self, exc: BaseException):
        self.exc = exc


def _picklable(exc: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(exc))
        return True
    except Exception:  # noqa: BLE001
        return False


def _silence() -> None:
    import faulthandler

    faulthandler.disable()  # (pytest enables it) an abort must not print a Python traceback
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def _limit_address_space() -> None:
    """RLIMIT_AS = what is mapped now + READ_MEMORY_BYTES (never above the hard limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = _mapped_bytes() + limits.READ_MEMORY_BYTES
    for cap in (soft, hard):
        if cap != resource.RLIM_INFINITY:
            want = min(want, cap)
    resource.setrlimit(resource.RLIMIT_AS, (want, hard))


def _mapped_bytes() -> int:
    try:
        with open("/proc/self/statm", "rb") as fh:
            pages = int(fh.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


# --- the result, pickled -------------------------------------------------------------------


def _dump(out, result, forms: list[Form]) -> None:
    keys = {id(f): f.key for f in forms}
    columns = []
    if isinstance(result, WorkbookData):
        for table in result.sheets:
            records = table.records
            columns.append(([r.row for r in records], [r.values for r in records]))
            table.records = []

    class _Pickler(pickle.Pickler):
        def persistent_id(self, obj):
            return keys.get(id(obj)) if isinstance(obj, Form) else None

    pickler = _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: the result has no cycles, and dumping takes half the time
    pickler.dump((result, columns))


def _load(fh, forms: list[Form]):
    by_key = {f.key: f for f in forms}

    class _Unpickler(pickle.Unpickler):
        def persistent_load(self, pid):
            return by_key[pid]

    result, columns = _Unpickler(fh).load()
    if isinstance(result, WorkbookData):
        for table, (rows, values) in zip(result.sheets, columns):
            table.records = list(map(Record, rows, values))
    return result
