"""The stream reader (io/stream) on every xlsx/xlsm of the shared corpus: each file either
reads exactly as python-calamine reads it, cell for cell and sheet for sheet, or is declined
(NotStreamable: the callers then take the guarded calamine path) or refused by zipcheck
(UnreadableWorkbook); nothing else escapes. Files the pre-parse guards do not bound are not
given to calamine here; a file calamine cannot open has nothing to compare with."""

from __future__ import annotations

import pytest
import python_calamine as pc

from made_files import CORPUS, CORPUS_ABSENT
from workbook_tools.errors import UnreadableWorkbook
from workbook_tools.io.sniff import sniff
from workbook_tools.io.stream import NotStreamable, XlsxStream

if not CORPUS.is_dir():
    pytest.skip(CORPUS_ABSENT, allow_module_level=True)

FILES = sorted([*CORPUS.glob("*.xlsx"), *CORPUS.glob("*.xlsm")])


def _cut(rows: list[list]) -> list[list]:
    rows = [r[: max([i + 1 for i, v in enumerate(r) if v != ""] or [0])] for r in rows]
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _calamine(book: pc.CalamineWorkbook, sheet: str) -> list[list]:
    grid = book.get_sheet_by_name(sheet)
    rows = grid.to_python()
    top, left = grid.start or (0, 0)
    return _cut([[""] * left + r for r in [[]] * top + rows] if rows else [])


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_the_stream_reader_agrees_with_calamine_or_declines(path):
    try:
        bounded = sniff(path).bounded
    except UnreadableWorkbook:
        bounded = False
    try:
        with XlsxStream(path) as book:
            if not bounded:  # opened (zipcheck passed); calamine might not be safe on it: read column A
                for sheet in book.sheet_names:
                    assert sum(len(chunk) for chunk in book.columns(sheet, [0])) >= 0
                return
            heads = {sheet: _cut(book.head(sheet, 10**7)) for sheet in book.sheet_names}
            try:
                reference = pc.CalamineWorkbook.from_path(str(path))
            except Exception:  # calamine refuses it (our readers then try openpyxl): nothing to compare
                return
            for sheet, head in heads.items():
                if sheet in reference.sheet_names:
                    assert head == _calamine(reference, sheet), sheet
    except (NotStreamable, UnreadableWorkbook):
        return
