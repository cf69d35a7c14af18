"""Finding and reading the master's sheets: whole sheets through python-calamine (small sheets,
and the fallback), or chosen columns chunk by chunk through io.stream (big sheets).

Both read a table as its sheet followed by the data rows of its continuation sheets
(``拜访记录(2)`` …, io.continuation), joined when their rows up to the header equal the first
sheet's; a continuation whose header differs is reported (Chinese) and not read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from python_calamine import CalamineWorkbook

from workbook_tools.errors import UnreadableWorkbook
from workbook_tools.io.continuation import Joined, continued_sheets, header_mismatch, join_rows, trimmed
from workbook_tools.io.stream import Chunk, XlsxStream
from workbook_tools.schema.model import Form, normalize_header

HEADER_SCAN_ROWS = 10


def open_book(path: Path) -> CalamineWorkbook:
    """The workbook opened with calamine; a missing or unreadable file is UnreadableWorkbook."""
    if not path.is_file():
        raise UnreadableWorkbook(path, "文件不存在", "请检查总档案的路径")
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several unrelated types for bad files
        raise UnreadableWorkbook(
            path, f"不是可读取的 Excel 工作簿（{type(exc).__name__}）", "请选择合并生成的总档案 .xlsx 文件"
        ) from None


def find_sheet(names: list[str], preferred: str, form: Form | None = None) -> str | None:
    """``preferred`` when the workbook has it, else the first sheet named like ``form``'s titles."""
    wanted = {normalize_header(n) for n in (form.title_names() if form else ())}
    return preferred if preferred in names else next((n for n in names if normalize_header(n) in wanted), None)


def sheet_rows(path: Path, preferred: str, form: Form | None = None,
               head: Callable[[list[list]], int] | None = None) -> Joined | None:
    """The sheet's values (calamine ``to_python``) followed by the data rows of its
    continuation sheets (``preferred(2)`` …, whose rows up to the header — ``head(rows)``,
    0-based — must equal the first sheet's), or None when the workbook has no such sheet."""
    book = open_book(path)
    names = book.sheet_names
    name = find_sheet(names, preferred, form)
    try:
        if name is None:
            return None
        rows = _load(book, path, name)
        more = [(n, (lambda n=n: _load(book, path, n))) for n in continued_sheets(names, name)[1:]]
        return join_rows(name, rows, head(rows) if head is not None and more else -1, more)
    finally:
        book.close()


def _load(book: CalamineWorkbook, path: Path, name: str) -> list[list]:
    try:
        return book.get_sheet_by_name(name).to_python()
    except Exception as exc:  # a damaged sheet inside a readable zip
        raise UnreadableWorkbook(path, f"工作表“{name}”已损坏，无法读取（{type(exc).__name__}）",
                                 "请用 Excel 打开并另存后重试") from None


def stream_chunks(book: XlsxStream, name: str, top: list[list], head: int, columns: list[int],
                  problems: list[str]) -> Iterator[Chunk]:
    """Chunks of ``columns`` of the data rows (below the 0-based ``head`` row) of sheet ``name``
    and of its continuation sheets whose rows up to the header equal ``top``'s; the others
    are reported in ``problems``. Nothing without a header (``head`` < 0) or columns."""
    if head < 0 or not columns:
        return
    sheets = continued_sheets(book.sheet_names, name)
    above = [trimmed(r) for r in top[:head + 1]]
    for k, sheet in enumerate(sheets):
        if k and [trimmed(r) for r in book.head(sheet, head + 1)] != above:
            problems.append(header_mismatch(sheet, name))
            continue
        yield from book.columns(sheet, columns, first_row=head + 2)


__all__ = ["HEADER_SCAN_ROWS", "find_sheet", "open_book", "sheet_rows", "stream_chunks"]
