"""Progress on a terminal: one line on stderr saying which step a long command is in, with the
elapsed time (rich). Nothing at all when stderr is not a terminal (pipes, CI) or with --json."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Callable, Iterator

Step = Callable[[str], None]


@contextlib.contextmanager
def steps(first: str, *, enabled: bool = True, console=None) -> Iterator[Step]:
    """A status line starting at ``first``; the yielded ``step(text)`` moves it on."""
    if not enabled or (console is None and not sys.stderr.isatty()):
        yield lambda text: None
        return
    from rich.console import Console

    console = console or Console(stderr=True)
    with console.status(first, spinner="dots") as status:
        yield lambda text: status.update(text)


def file_progress(step: Step, doing: str) -> Callable[[Path, int, int], None]:
    """merge_files' ``progress(path, done, total)`` as status lines: '<doing>（3/8）：华东.xlsx'."""
    def update(path: Path, done: int, total: int) -> None:
        step(f"{doing}（{done}/{total}）：{Path(path).name}" if done else f"{doing}（共 {total} 个文件）…")
    return update
