"""Write outputs atomically: to a temporary file beside the target, then rename.

A crash or a full disk never leaves a half-written workbook under the final name,
and an input file is never overwritten.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path
from typing import Iterable, Iterator

from workbook_tools.errors import OutputError


TMP_PREFIX = ".~tmp-"
STALE_SECONDS = 15 * 60


_SWEPT: dict[str, float] = {}   # folder → when this process last swept it
SWEEP_EVERY = 60.0               # seconds: a run writing 3,000 plan workbooks lists the folder once


def remove_stale(folder: Path) -> None:
    """Remove temporary files a killed run left in ``folder``: ours (``.~tmp-PID-…``),
    untouched for STALE_SECONDS, whose process no longer runs. Errors are ignored.

    A folder is swept at most once every SWEEP_EVERY seconds by one process: listing it
    for every file written made writing n files into one folder cost O(n²)."""
    key, now = os.fspath(folder), time.time()
    if now - _SWEPT.get(key, -SWEEP_EVERY) < SWEEP_EVERY:
        return
    _SWEPT[key] = now
    try:
        with os.scandir(folder) as entries:
            found = [Path(e.path) for e in entries if e.name.startswith(TMP_PREFIX)]
    except OSError:
        return
    for path in found:
        pid = path.name[len(TMP_PREFIX):].split("-", 1)[0]
        try:
            if now - path.stat().st_mtime < STALE_SECONDS or (pid.isdigit() and _running(int(pid))):
                continue
            path.unlink()
        except OSError:
            continue


def _running(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # (on Windows os.kill would end the process)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True
    return True


def _umask() -> int:
    """The process umask (mkstemp creates 0600 files; outputs should be shareable)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def refuse_inputs(target: str | Path, inputs: Iterable[str | Path] = ()) -> None:
    """Raise OutputError if ``target`` is one of the input files."""
    target = Path(target)
    for item in inputs:
        item = Path(item)
        if _same_file(target, item) or target.resolve() == item.resolve():
            raise OutputError(f"输出文件 {target} 与输入文件相同，拒绝覆盖输入文件；请换一个输出路径")


@contextlib.contextmanager
def atomic_path(target: str | Path, inputs: Iterable[str | Path] = ()) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success rename it onto ``target``.

    >>> with atomic_path("out.xlsx") as tmp:
    ...     workbook_writer(tmp)
    """
    target = Path(target)
    refuse_inputs(target, inputs)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建输出目录 {target.parent}：{exc.strerror or exc}") from None
    remove_stale(target.parent)
    try:  # a read-only folder fails here: one Chinese line, no temporary path
        fd, tmp_name = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{os.getpid()}-", suffix=target.suffix,
                                        dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"无法写入 {target}：{exc.strerror or exc}；请检查该文件夹是否只读或有写入权限") from None
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"无法写入 {target}：{exc.strerror or exc}") from None
    finally:
        if tmp.exists():
            tmp.unlink()
