"""One merge at a time per output: ``总表.xlsx.lock`` beside the output.

The lock file is created with O_CREAT|O_EXCL (atomic on local disks and on SMB/NFS shares)
and holds the owner's pid, host and start time as JSON. A lock left by a merge that died
(same host, pid no longer running) is taken over with a notice; any other existing lock
is an OutputError telling who holds it and how to clear it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import time
from pathlib import Path

from workbook_tools.errors import OutputError

LOCK_SUFFIX = ".lock"
# An unreadable lock (e.g. its writer was between create and write) counts as live this long.
UNREADABLE_GRACE_SECONDS = 60


def lock_path(output: str | Path) -> Path:
    output = Path(output)
    return output.with_name(output.name + LOCK_SUFFIX)


class OutputLock:
    """``with OutputLock(output) as lock: …`` — ``lock.notices`` holds the Chinese notice
    when a stale lock was taken over."""

    def __init__(self, output: str | Path):
        self.path = lock_path(output)
        self.notices: list[str] = []
        self._token: str | None = None

    def __enter__(self) -> "OutputLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def acquire(self) -> None:
        if self._create():
            return
        holder = _read(self.path)
        if not _is_stale(self.path, holder):
            raise OutputError(_live_message(self.path, holder))
        self._take_over(holder)

    def release(self) -> None:
        """Remove the lock if it is still ours."""
        if self._token is None:
            return
        try:
            if self.path.read_text(encoding="utf-8") == self._token:
                self.path.unlink()
        except OSError:
            pass
        self._token = None

    def _create(self) -> bool:
        now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        token = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "time": now,
                            "tool": "workbook-tools merge"}, ensure_ascii=False)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        except OSError as exc:
            raise OutputError(f"无法创建锁文件 {self.path}：{exc.strerror or exc}") from None
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(token)
        self._token = token
        return True

    def _take_over(self, holder: dict | None) -> None:
        """Move the stale lock aside (atomic rename), check it is the one judged stale,
        then create ours; a lock that changed in between is treated as live."""
        aside = self.path.with_name(f"{self.path.name}.stale-{os.getpid()}")
        try:
            os.replace(self.path, aside)
        except FileNotFoundError:
            pass  # its owner just released it
        else:
            moved = _read(aside)
            if moved != holder:
                try:
                    os.link(aside, self.path)
                except OSError:
                    pass
                aside.unlink(missing_ok=True)
                raise OutputError(_live_message(self.path, moved))
            aside.unlink(missing_ok=True)
        if not self._create():
            raise OutputError(_live_message(self.path, _read(self.path)))
        self.notices.append(_stale_message(self.path, holder))


def _read(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _is_stale(path: Path, holder: dict | None) -> bool:
    if holder is None:
        try:
            return time.time() - path.stat().st_mtime > UNREADABLE_GRACE_SECONDS
        except OSError:
            return True  # vanished: its owner released it
    if holder.get("host") != socket.gethostname():
        return False  # another computer: cannot tell whether it still runs
    return not pid_alive(holder.get("pid"))


def pid_alive(pid) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # runs under another user
    except OSError:
        return False
    return True


def _who(holder: dict | None) -> str:
    if not holder:
        return "（锁文件内容无法识别）"
    return (f"（计算机 {holder.get('host', '?')}，进程号 {holder.get('pid', '?')}，"
            f"开始于 {holder.get('time', '?')}）")


def _live_message(path: Path, holder: dict | None) -> str:
    return (f"另一个合并正在写入同一个总表{_who(holder)}，锁文件：{path}。请等它完成后再运行；"
            "如果确认没有合并在运行（例如上次合并时电脑断电），请删除该锁文件后重试")


def _stale_message(path: Path, holder: dict | None) -> str:
    return f"提示：发现上次合并遗留的锁文件 {path}{_who(holder)}，该进程已不在运行，已接管"
