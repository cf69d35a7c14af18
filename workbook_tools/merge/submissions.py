"""Which offered files are really this week's submissions.

Our own outputs (a master, a summary, the 总部工具) are not submissions; ``--previous`` must be a
master this tool wrote; and a file sent twice — byte-identical, or whose rows all stand in
another input (a '… - 副本.xlsx') — is a probable duplicate submission, counted once."""

from __future__ import annotations

import dataclasses
import pickle
import re
from array import array
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
from python_calamine import CalamineWorkbook

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.io.crypto import opened
from workbook_tools.io.reader import MASTER_FORM
from workbook_tools.io.stamp import OUTPUT_KINDS, output_kind, read_version_stamp
from workbook_tools.merge.packed import ReadRows
from workbook_tools.merge.rows import InputFile, SourceRow, norm_id
from workbook_tools.merge.summary_sheet import SUMMARY
from workbook_tools.schema import Schema

OWN_OUTPUT = "本工具生成的文件（{what}），未作为提交处理"
SAME_BYTES = "疑似重复提交：与 {other} 内容完全相同，只计一次"
SUBSET = "疑似重复提交：全部 {rows} 行都已包含在 {other} 中，只计一次"
_COPY = re.compile(r"副本|复制|copy|[(（]\d+[)）]\s*$", re.IGNORECASE)


def own_output_reason(path: Path, master_reason: str) -> str | None:
    """The skip reason of one of our outputs offered as input (``master_reason`` for a master)."""
    kind = output_kind(path)
    if kind is None:
        return None
    return master_reason if kind == MASTER_FORM else OWN_OUTPUT.format(what=OUTPUT_KINDS[kind])


def check_previous(path: Path, schema: Schema, password: str | None = None) -> None:
    """Raise unless ``path`` is a master written by this tool (its stamp says so); an
    encrypted master is looked at through its decrypted copy."""
    if not path.exists():
        raise WorkbookToolsError(f"上期总表（--previous）{path} 不存在；请检查路径，首次合并时不要指定 --previous")
    with opened(path, password) as plain:
        kind = output_kind(plain)
        form = None if kind else read_version_stamp(plain).get("form")
    if kind == MASTER_FORM:
        return
    if kind is not None:
        what = f"是{OUTPUT_KINDS[kind]}"
    else:
        what = (f"是一份{schema.form(form).title}（区域提交的表格）" if form in schema.form_keys
                else "不是本工具合并生成的总表")
    raise WorkbookToolsError(f"上期总表（--previous）{path.name} {what}；--previous 只接受上次合并生成的"
                             "客户档案总表（如 客户档案总表_2026-W47.xlsx），以免把其他表格的内容当作上期档案")


def drop_duplicate_submissions(files: list[InputFile], rows: ReadRows | list[SourceRow], schema: Schema,
                               ) -> tuple[list[InputFile], ReadRows | list[SourceRow]]:
    """Mark as skipped every used file whose content is another used file's (same sha256) or
    whose rows all stand in one other file; their rows leave the merge. Of two identical
    files the first (input order) is kept."""
    used = [f for f in files if f.skipped_reason is None and f.rows_read]
    if len(used) < 2:
        return files, rows
    reasons = _duplicates(used, _FileRows(rows), schema)
    if not reasons:
        return files, rows
    files = [dataclasses.replace(f, skipped_reason=reasons[f.name], rows_read_by_sheet={})
             if f.name in reasons else f for f in files]
    if isinstance(rows, ReadRows):
        rows.drop_files(set(reasons))
        return files, rows
    return files, [r for r in rows if r.file not in reasons]


class _FileRows:
    """The rows of each file, loose and packed (decoded one file at a time)."""

    def __init__(self, rows: ReadRows | list[SourceRow]):
        self.loose: dict[str, list[SourceRow]] = defaultdict(list)
        self.blocks: dict[str, list] = defaultdict(list)
        for row in rows.loose if isinstance(rows, ReadRows) else rows:
            self.loose[row.file].append(row)
        for packed in rows.packed.values() if isinstance(rows, ReadRows) else ():
            for block in packed.close().blocks:
                self.blocks[block.file].append((packed, block))

    def count(self, name: str) -> int:
        return len(self.loose[name]) + sum(b.count for _, b in self.blocks[name])

    def rows(self, name: str) -> Iterator[SourceRow]:
        yield from self.loose[name]
        for packed, block in self.blocks[name]:
            yield from (packed.source_row(block, item) for item in pickle.loads(block.data))

    def keys(self, name: str, schema: Schema) -> np.ndarray:
        """Hashes of the file's row keys, sorted and unique: a cheap necessary condition."""
        ids = _id_keys(schema)
        out = array("q", (hash(k) for k in _keys(self.loose[name], ids)))
        for packed, block in self.blocks[name]:
            key = ids.get(packed.form)
            if key is None:
                out.extend(hash(_content(packed.source_row(block, item))) for item in pickle.loads(block.data))
                continue
            form, i = packed.form, packed.keys.index(key)
            out.extend(hash((form, norm_id(values[i] if values.__class__ is tuple else values.get(key))))
                       for values, _, _ in pickle.loads(block.data))
        return np.unique(np.frombuffer(out, dtype=np.int64))


def _duplicates(used: list[InputFile], by_file: _FileRows, schema: Schema) -> dict[str, str]:
    """name → reason for every file that repeats another; of two identical files the one whose
    name looks like a copy ('… - 副本', '(1)', 'copy') goes, else the later one."""
    keys = {f.name: by_file.keys(f.name, schema) for f in used}
    order = sorted(used, key=lambda f: (-len(keys[f.name]), _looks_like_copy(f.name), used.index(f)))
    reasons: dict[str, str] = {}
    for i, small in enumerate(order):              # biggest first; a file is only dropped for a kept one
        for big in order[:i]:
            if big.name in reasons:
                continue
            if small.sha256 and small.sha256 == big.sha256:
                reasons[small.name] = SAME_BYTES.format(other=big.name)
            elif (_subset(keys[small.name], keys[big.name])
                  and _contents(by_file.rows(small.name)) <= _contents(by_file.rows(big.name))):
                reasons[small.name] = SUBSET.format(rows=by_file.count(small.name), other=big.name)
            if small.name in reasons:
                break
    return reasons


def _subset(small: np.ndarray, big: np.ndarray) -> bool:
    """Every value of ``small`` is in ``big`` (both sorted, unique); a sample is tried first."""
    if len(small) > len(big):
        return False
    if not len(small):
        return True
    for part in (small[:16], small):
        at = np.searchsorted(big, part).clip(max=len(big) - 1)
        if not (big[at] == part).all():
            return False
    return True


def _looks_like_copy(name: str) -> bool:
    return bool(_COPY.search(Path(name).stem))


def _id_keys(schema: Schema) -> dict[str, str | None]:
    return {f.key: f.id_field or next((x.key for x in f.fields if x.unique), None) for f in schema.forms}


def _keys(rows: Iterable[SourceRow], id_keys: dict[str, str | None]) -> Iterator[tuple]:
    """(form, id) of every row (the whole row where a form has no id)."""
    for row in rows:
        key = id_keys.get(row.form)
        yield (row.form, norm_id(row.values.get(key))) if key else _content(row)


def _contents(rows: Iterable[SourceRow]) -> set:
    return {_content(r) for r in rows}


def _content(row: SourceRow) -> tuple:
    return (row.form, repr(sorted(row.raw.items(), key=lambda kv: kv[0])), repr(sorted(row.extras.items())))


def previous_inputs(master: Path) -> dict[str, str]:
    """sha256 → file name of the files merged into ``master`` (read from its 合并说明), so a
    file resent unchanged a week later can be told apart; {} when the sheet cannot be read."""
    try:
        rows = CalamineWorkbook.from_path(str(master)).get_sheet_by_name(SUMMARY).to_python()
    except Exception:  # an unreadable or foreign previous master: load_previous reports it
        return {}
    out: dict[str, str] = {}
    for row in rows:
        if len(row) >= 6 and _is_sha(row[1]) and not str(row[5]).startswith("已跳过"):
            out.setdefault(row[1], str(row[0]))
    return out


def _is_sha(value) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
