"""merge_files: the one library call behind `workbook-tools merge`.

Inputs (files and folders) → every workbook read and validated once → SourceRows →
merge_rows (with last week's master) → the master written atomically under a lock.
Files that cannot be used are skipped with a Chinese reason and listed in 合并说明.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from workbook_tools.errors import OutputError, WorkbookToolsError, shown
from workbook_tools.io.atomic import refuse_inputs
from workbook_tools.io.crypto import encrypt_in_place, opened
from workbook_tools.io.gcpause import gc_paused, release_memory
from workbook_tools.io.reader import MASTER_FORM
from workbook_tools.io.stamp import read_version_stamp
from workbook_tools.merge.collect import flag_duplicate_ids, load_previous
from workbook_tools.merge.core import merge_rows
from workbook_tools.history import archive_visits, check_store, iso_week, record_run
from workbook_tools.merge.lock import LOCK_SUFFIX, OutputLock
from workbook_tools.merge.master_writer import write_master
from workbook_tools.merge.reading import OnReport, Progress, read_inputs
from workbook_tools.merge.recording import moved_visits, run_record
from workbook_tools.merge.result import MergeResult, VisitArchive
from workbook_tools.merge.rows import InputFile
from workbook_tools.merge.submissions import check_previous, drop_duplicate_submissions, own_output_reason
from workbook_tools.schema import Schema, load_schema
from workbook_tools.validate.files import (
    LOCK_PREFIX, MACOS_RESIDUE, WORKBOOK_SUFFIXES, expand_paths, is_macos_residue,
)

LOCK_FILE = ("这是 Office 打开文件时自动生成的临时锁定文件（~$ 开头），不是工作簿；"
             "请忽略或删除它，提交同名的正式文件")
MASTER_INPUT = "这是合并生成的总表，不作为本周的输入；如要以它为上期总表，请用 --previous 指定"
PREVIOUS_INPUT = "已用 --previous 指定为上期总表，不作为本周的输入"
REPEATED = "与前面列出的文件是同一个文件，只读取一次"
DANGLING = "这是一个失效的快捷方式（符号链接），它指向的文件不存在；请放入真正的文件"


class NothingToMerge(WorkbookToolsError):
    """No input gave a usable table; ``inputs`` lists what was tried and why it was skipped."""

    def __init__(self, message: str, inputs: list[InputFile] | None = None):
        super().__init__(message)
        self.inputs = inputs or []


@dataclass
class MergeRun:
    result: MergeResult
    output: Path
    inputs: list[InputFile]                       # every file offered, skipped ones with a reason
    notices: list[str] = field(default_factory=list)  # e.g. a stale lock taken over
    history: Path | None = None                       # the history store this run was recorded in

    @property
    def skipped(self) -> list[InputFile]:
        return [i for i in self.inputs if i.skipped_reason]

    def counts(self) -> dict[str, Any]:
        """MergeResult.counts() and the output path (what `merge --json` prints)."""
        return {**self.result.counts(), "output": str(self.output)}


def merge_files(inputs: Iterable[str | Path], output: str | Path, *,
                previous: str | Path | None = None, schema: Schema | None = None,
                run_date: dt.date | None = None, as_of: dt.date | None = None,
                progress: Progress | None = None, on_report: OnReport | None = None,
                force: bool = False, ignore: Sequence[str] = (), password: str | None = None,
                history: str | Path | None = None, visit_history_weeks: int | None = None,
                visit_store: str | Path | None = None) -> MergeRun:
    """Merge the workbooks in ``inputs`` (files, or folders searched recursively) into the
    master ``output``. ``previous``: last week's master (a master this tool wrote).
    ``force``: replace an existing master at ``output`` (otherwise OutputError).
    ``as_of``: the validation date (default today); ``run_date``: the date written in the
    master (default today). ``progress(path, done, total)`` is called before the first file
    is read (done 0) and after each file read; ``on_report(path, FileReport)`` receives each
    file's validation (so callers need not read a file twice). ``ignore``: glob patterns
    (archive.yaml's ``ignore``); files inside a folder whose name or path relative to the
    folder matches one are left out silently, not listed as skipped.
    ``password``: the master is written encrypted (AES-256) and ``previous`` opened with it
    when it is encrypted (the 原始资料 at rest).
    store (SQLite file, created when missing) that records this run (its week replaced).
    ``visit_history_weeks``: visit records dated more than that many weeks before the run
    date move out of 拜访记录 into the history store ``visit_store`` (default ``history``);
    None keeps every visit in the master.
    Raises NothingToMerge (nothing usable), OutputError (output is an input, lock held)."""
    schema = schema or load_schema()
    paths, output = [Path(p) for p in inputs], Path(output)
    previous = Path(previous) if previous is not None else None
    if not paths:
        raise NothingToMerge("没有指定要合并的文件或文件夹")
    _check_output(output, paths, previous)
    if previous is not None:
        check_previous(previous, schema, password)
    store = _visit_store(visit_history_weeks, visit_store, history)
    for path in {p for p in (history, store) if p is not None}:
        check_store(path)
    with OutputLock(output) as lock, gc_paused():
        offered = discover(paths, previous, lock.path, ignore)
        refuse_inputs(output, [p for p, reason in offered if reason is None])
        _refuse_existing(output, force, password)
        # the inputs first: their worker processes fork from a small process (merge/workers.py)
        files, rows = read_inputs(offered, schema, as_of, progress, on_report)
        prev = _load_previous(previous, schema, password) if previous is not None else None
        files, rows = drop_duplicate_submissions(files, rows, schema)
        if not any(f.skipped_reason is None for f in files):
            raise NothingToMerge(_nothing_message(files), files)
        flag_duplicate_ids(rows, schema)
        release_memory(collect=False)
        run_date = run_date or dt.date.today()
        cutoff = run_date - dt.timedelta(weeks=visit_history_weeks) if store is not None else None
        result = merge_rows(rows, schema, previous=prev, run_date=run_date, inputs=files, visit_cutoff=cutoff)
        del rows
        if store is not None:
            _archive(result, visit_history_weeks, cutoff, store)
        used = [f.path for f in files if f.skipped_reason is None]
        write_master(result, schema, output, inputs=[*used, *([previous] if previous else [])])
        if password:
            encrypt_in_place(output, password)
        if history is not None:
            lock.notices += record_run(history, run_record(result, schema, output))
    return MergeRun(result, output, files, lock.notices, Path(history) if history is not None else None)


def _visit_store(weeks: int | None, store: str | Path | None, history: str | Path | None) -> Path | None:
    if weeks is None:
        return None
    if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
        raise WorkbookToolsError(f"visit_history_weeks 应当是正整数（周数），而不是 {weeks!r}")
    store = store if store is not None else history
    if store is None:
        raise WorkbookToolsError("设置了 visit_history_weeks（较早的拜访记录移入档案历史库），但没有指定档案历史库")
    return Path(store)


def _archive(result: MergeResult, weeks: int, cutoff: dt.date, store: Path) -> None:
    """Store the visits merge moved out of 拜访记录 before the master is written (a failed
    store write leaves no master without them)."""
    moved = len(result.visits.moved)
    archive_visits(store, iso_week(result.run_date), moved_visits(result.visits),
                   kept=moved_visits(result.visits, result.visits.rows))
    result.visit_archive = VisitArchive(weeks, cutoff, moved, store.name)
    result.visits.moved = []


def _check_output(output: Path, paths: list[Path], previous: Path | None) -> None:
    if output.is_dir():
        raise OutputError(f"输出路径 {output} 是一个文件夹；请指定总表文件名，如 {output / '客户档案总表.xlsx'}")
    if output.suffix.lower() != ".xlsx":
        raise OutputError(f"输出文件 {output} 的扩展名应为 .xlsx")
    refuse_inputs(output, [p for p in paths if not p.is_dir()] + ([previous] if previous else []))


def _load_previous(previous: Path, schema: Schema, password: str | None):
    with opened(previous, password) as plain:
        return load_previous(plain, schema)


def _refuse_existing(output: Path, force: bool, password: str | None = None) -> None:
    """An existing file is replaced only with ``force``, and only if it is a master made by
    this tool (never, by a typo, someone's workbook)."""
    if not output.exists():
        return
    with opened(output, password) as plain:
        stamp = read_version_stamp(plain)
    if stamp.get("form") != MASTER_FORM:
        raise OutputError(f"输出文件 {output} 已存在，但不是合并生成的总表；为避免覆盖其他文件，"
                          "请换一个输出文件名，或确认无用后先删除它")
    if not force:
        raise OutputError(f"输出文件 {output} 已存在；如确实要用本次合并结果覆盖它，请加 --force")


def _nothing_message(files: list[InputFile]) -> str:
    if not files:
        return "指定的文件夹中没有找到任何文件，没有可合并的数据"
    lines = "；".join(f"{shown(f.name)}：{f.skipped_reason}" for f in files[:5])
    more = f"；另有 {len(files) - 5} 个文件" if len(files) > 5 else ""
    which = "唯一的文件无法使用" if len(files) == 1 else f"{len(files)} 个文件都无法使用"
    return f"没有可合并的数据：{which}（{lines}{more}）"


# --- which files -----------------------------------------------------------------------


def discover(paths: list[Path], previous: Path | None, lock: Path,
             ignore: Sequence[str] = ()) -> list[tuple[Path, str | None]]:
    """Every file offered, in order (folders: sorted, recursively, less what ``ignore``
    matches), with the reason it is skipped before reading, or None. Unreadable files are
    found later, by the reader."""
    seen: set[Path] = set()
    own_lock = _identity(lock)
    prev = _identity(previous) if previous is not None else None
    out: list[tuple[Path, str | None]] = []
    for item in paths:
        for path in _files_of(item, ignore):
            key = _identity(path)
            if key == own_lock:
                continue
            reason = REPEATED if key in seen else _skip_reason(path, key == prev)
            seen.add(key)
            out.append((path, reason))
    return out


def _files_of(item: Path, ignore: Sequence[str] = ()) -> list[Path]:
    """expand_paths' workbooks, plus what it leaves out of a folder (lock files, other files),
    so that they can be listed with a reason. Hidden files and folders (.DS_Store, .git, our
    temporary files) and those matching an ``ignore`` pattern are left out."""
    files, _ = expand_paths([item])
    if not item.is_dir():
        return files
    others = [p for p in item.rglob("*") if (p.is_file() or _dangling(p)) and _listed(p.relative_to(item))
              and (p.suffix.lower() not in WORKBOOK_SUFFIXES or p.name.startswith(LOCK_PREFIX)
                   or is_macos_residue(p.relative_to(item)) or _dangling(p))]
    return sorted(p for p in [*files, *others] if not is_ignored(p.relative_to(item), ignore))


def is_ignored(relative: Path, patterns: Sequence[str]) -> bool:
    """Whether a file at ``relative`` (to the folder searched) matches one of the glob
    ``patterns`` — by file name (``*.json``) or by relative path (``说明/*``); case-insensitive."""
    name, path = relative.name.lower(), relative.as_posix().lower()
    return any(fnmatch.fnmatchcase(name, p.lower()) or fnmatch.fnmatchcase(path, p.lower())
               for p in patterns)


def _listed(relative: Path) -> bool:
    """Hidden files and folders are ignored, except macOS residue (listed as such)."""
    return is_macos_residue(relative) or not any(part.startswith(".") for part in relative.parts)


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _dangling(path: Path) -> bool:
    return path.is_symlink() and not path.exists()


def _skip_reason(path: Path, is_previous: bool) -> str | None:
    if _dangling(path):
        return DANGLING
    if path.name.startswith(LOCK_PREFIX):
        return LOCK_FILE
    if is_macos_residue(path):
        return MACOS_RESIDUE
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        if path.name.endswith(LOCK_SUFFIX):
            return "这是合并程序的锁文件，不是工作簿"
        kinds = "、".join(WORKBOOK_SUFFIXES)
        return f"不是工作簿文件（扩展名为“{path.suffix or '无'}”）；请提交 {kinds} 格式的文件"
    if is_previous:
        return PREVIOUS_INPUT
    return own_output_reason(path, MASTER_INPUT)
