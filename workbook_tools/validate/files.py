"""Validate workbooks on disk: read with the reader (docs/architecture.md), validate every
table, turn an unreadable file into a report entry instead of an exception."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterable, Iterator

from workbook_tools.errors import UnreadableWorkbook, shown
from workbook_tools.io.continuation import header_mismatch, split_name
from workbook_tools.io.reader import EMPTY_SHEET, NOT_DATA_REASONS, read_workbook, read_workbooks
from workbook_tools.validate.continued import cross_sheet_findings
from workbook_tools.validate.engine import validate_table
from workbook_tools.validate.findings import FileReport, ValidationReport, sort_findings
from workbook_tools.validate.sink import FindingSink

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
LOCK_PREFIX = "~$"
MACOS_FOLDER, MACOS_PREFIX = "__MACOSX", "._"
MACOS_RESIDUE = "这是 macOS 压缩或拷贝时留下的附属文件（__MACOSX 文件夹或 ._ 开头），不含数据，可以忽略"


def is_macos_residue(path: Path) -> bool:
    """AppleDouble files (._name) and anything under a __MACOSX folder of an unpacked zip."""
    return path.name.startswith(MACOS_PREFIX) or MACOS_FOLDER in path.parts


def _example_labels(schema: Any, form: str | None) -> str:
    forms = [schema.form(form)] if form else list(schema.forms)[:1]
    labels = [f.label for f in forms[0].fields if f.required][:3] if forms else []
    return "”“".join(labels)


def _no_form(path: str, book: Any, schema: Any, form: str | None) -> FileReport:
    """No sheet was read: say why per sheet (the reader's reasons), or that it is empty."""
    sink = FindingSink("")
    reasons = getattr(book, "other_reasons", None) or {}
    data_sheets = [s for s in book.other_sheets if reasons.get(s) not in NOT_DATA_REASONS]
    if data_sheets and all(reasons.get(s) == EMPTY_SHEET for s in data_sheets):
        sink.add("workbook-empty", cell=None, row=None, label=None, sheets="、".join(data_sheets))
    else:
        named = [f"{s}：{reasons[s]}" for s in book.other_sheets if reasons.get(s)]
        sheets = "；".join(named) if named else "、".join(book.other_sheets)
        sink.add("form-not-found", cell=None, row=None, label=None, sheets=sheets or "无",
                 example=_example_labels(schema, form))
    return FileReport(path=path, form=form, findings=sink.findings)


def validate_workbook(path: str | Path, schema: Any, *, form: str | None = None,
                      as_of: dt.date | None = None) -> FileReport:
    """Read one workbook and validate every sheet in which a form header was found."""
    try:
        book = read_workbook(path, schema, form=form)
    except UnreadableWorkbook as exc:
        book = exc
    return validate_book(path, book, schema, form=form, as_of=as_of)


def validate_workbooks(paths: Iterable[str | Path], schema: Any, *, form: str | None = None,
                       as_of: dt.date | None = None) -> Iterator[tuple[Path, FileReport]]:
    """validate_workbook for each path, in order; the next file is read while the current
    one is validated (io.reader.read_workbooks)."""
    for path, book in read_workbooks(paths, schema, form):
        yield path, validate_book(path, book, schema, form=form, as_of=as_of)


def validate_book(path: str | Path, book: Any, schema: Any, *, form: str | None = None,
                  as_of: dt.date | None = None) -> FileReport:
    """The FileReport of a workbook already read (``book``: WorkbookData, or the
    UnreadableWorkbook raised when reading it)."""
    path = str(path)
    if isinstance(book, UnreadableWorkbook):
        return FileReport.unreadable(path, str(book))
    if not book.sheets:
        return _no_form(path, book, schema, form)
    results = [validate_table(t, schema, as_of=as_of, date1904=bool(book.date1904))
               for t in book.sheets]
    forms = list(dict.fromkeys(t.form.key for t in book.sheets))
    cross_sheet_findings(results)   # adds to each result's own findings
    found = [f for r in results for f in r.findings] + _continuation_findings(book)
    return FileReport(
        path=path, form=",".join(forms), rows=sum(len(t.records) for t in book.sheets),
        findings=sort_findings(found), tables=results,
    )


def _continuation_findings(book: Any) -> list:
    """A master's continuation sheet (拜访记录(2)) whose header differs from its table's."""
    reasons = getattr(book, "other_reasons", None) or {}
    out = []
    for sheet, reason in reasons.items():
        base = split_name(sheet)[0]
        if base != sheet and reason == header_mismatch(sheet, base):
            sink = FindingSink(sheet)
            sink.add("continuation-header", cell=None, row=None, label=None, sheet=sheet, base=base)
            out += sink.findings
    return out


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Files to validate (directories searched recursively, sorted) and notes about
    skipped Excel lock files (~$…, left while a workbook is open)."""
    files: list[Path] = []
    notes: list[str] = []
    for item in map(Path, paths):
        if not item.is_dir():
            files.append(item)
            continue
        for found in sorted(p for p in item.rglob("*") if p.suffix.lower() in WORKBOOK_SUFFIXES):
            if found.name.startswith(LOCK_PREFIX):
                notes.append(f"已跳过 {shown(found)}：这是 Excel 打开工作簿时生成的临时锁文件，不含数据，可以忽略")
            elif is_macos_residue(found.relative_to(item)):
                notes.append(f"已跳过 {shown(found)}：{MACOS_RESIDUE}")
            elif found.is_symlink() and not found.exists():
                notes.append(f"已跳过 {shown(found)}：这是一个失效的快捷方式（符号链接），它指向的文件不存在")
            elif found.is_file():
                files.append(found)
    return files, notes


def validate_paths(paths: Iterable[str | Path], schema: Any, *, form: str | None = None,
                   as_of: dt.date | None = None) -> ValidationReport:
    """Validate files and directories; one FileReport per file, in the order found."""
    files, notes = expand_paths(paths)
    found = [p for p in files if p.exists()]
    reports = dict(validate_workbooks(found, schema, form=form, as_of=as_of))
    return ValidationReport(files=[reports.get(p) or _missing(p) for p in files], notes=notes)


def _missing(path: Path) -> FileReport:
    """A path given on the command line that does not exist."""
    error = UnreadableWorkbook(path, "文件不存在", "请检查路径和文件名是否正确")
    return FileReport.unreadable(str(path), str(error))
