"""Run a piece of a test in a forked child process under a memory cap (RLIMIT_AS), so that
a regression in a hostile-input guard fails the test instead of exhausting the machine.

    code, out, err = cli("validate", str(path))     # the console entry point, capped
    value = capped(read_workbook, path, schema)     # any picklable result, capped

A child that dies (a Rust abort, the kernel's OOM killer) or runs past ``timeout`` fails
the test with the reason; an exception in the child is raised again in the test.
"""

from __future__ import annotations

import io
import os
import pickle
import signal
import sys
import tempfile
import time
import traceback

import pytest

CAP_BYTES = 2 * 1024 ** 3

resource = pytest.importorskip("resource")
if not hasattr(os, "fork"):  # pragma: no cover - Windows
    pytest.skip("the memory cap needs fork()", allow_module_level=True)


def capped(fn, *args, limit: int = CAP_BYTES, timeout: float = 120, **kwargs):
    """``fn(*args, **kwargs)`` in a child limited to ``limit`` bytes of address space."""
    with tempfile.TemporaryFile() as out:
        pid = os.fork()
        if pid == 0:
            _child(out, limit, fn, args, kwargs)
        status = _wait(pid, timeout)
        if os.WIFSIGNALED(status):
            pytest.fail(f"the capped child died of signal {os.WTERMSIG(status)} "
                        f"(address space limited to {limit >> 20} MB)")
        out.seek(0)
        kind, value = pickle.load(out)
    if kind == "error":
        raise AssertionError(f"exception in the capped child:\n{value}")
    return value


def cli(*args: str, limit: int = CAP_BYTES, timeout: float = 120) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``workbook-tools ARGS`` run in a capped child."""
    return capped(_run_cli, list(args), limit=limit, timeout=timeout)


def _run_cli(args: list[str]) -> tuple[int, str, str]:
    from workbook_tools.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.stdout, sys.stderr = saved
    return code, out.getvalue(), err.getvalue()


def _child(out, limit: int, fn, args, kwargs) -> None:
    code = 1
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        try:
            result = ("ok", fn(*args, **kwargs))
        except BaseException:  # noqa: BLE001 - reported to the test
            result = ("error", traceback.format_exc())
        pickle.dump(result, out)
        out.flush()
        code = 0
    finally:
        os._exit(code)


def _wait(pid: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"the capped child ran longer than {timeout} s")
        time.sleep(0.01)
