"""Reading chosen columns of big xlsx sheets without building the whole sheet.

python-calamine parses every cell of a sheet into memory before the first value reaches
Python: for a 300,000-customer master that is 11 million cells to export six columns, and
for a million customers more memory than the machine should spend. The stream reader
decompresses a worksheet part in pieces, finds only the wanted columns' cells with one
regular expression per piece and yields them in chunks of rows, as column lists.

    book = XlsxStream("客户档案总表.xlsx")
    top = book.head("客户档案", 10)                   # the first rows, every column
    for chunk in book.columns("客户档案", [0, 3, 7], first_row=3):
        chunk.rows, chunk.values[3]                   # sheet row numbers; column D's values

Values are what python-calamine's ``to_python`` gives for the same cells ('' for an empty
cell, floats for numbers, date/datetime/time for date-styled numbers); tests compare the two.
Memory is one piece of XML plus the chunk's values. Files the reader does not handle —
anything but a plain xlsx/xlsm zip, the 1904 date system, cells without a leading
reference — raise NotStreamable before or while reading, and the caller reads them with
calamine (io.reader) instead, where every guard and Chinese message lives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from workbook_tools.io import limits
from workbook_tools.io.problems import extent_error
from workbook_tools.io.stream.cells import (Decoder, NotStreamable, cell_pattern, check_references,
                                            column_index)
from workbook_tools.io.stream.columnar import piece_columns
from workbook_tools.io.stream.package import date_styles, shared_strings
from workbook_tools.io.xlsx_meta import date1904, sheet_names_by_part
from workbook_tools.io.zipcheck import open_package

__all__ = ["Chunk", "NotStreamable", "XlsxStream", "column_index"]

PIECE_BYTES = 8 * 1024 * 1024     # decompressed XML handled at a time
CHUNK_ROWS = 65_536               # rows per yielded chunk
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class Chunk:
    """Rows of a sheet that have a cell in one of the wanted columns, in sheet order."""

    rows: list[int] = field(default_factory=list)            # 1-based sheet row numbers
    values: dict[int, list] = field(default_factory=dict)    # column index → values ('' if empty)

    def __len__(self) -> int:
        return len(self.rows)


class XlsxStream:
    """An xlsx/xlsm package opened for streaming; raise NotStreamable for other files and
    UnreadableWorkbook (zipcheck's refusals: bombs, DOCTYPE) for hostile ones."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        with open(self.path, "rb") as fh:
            if fh.read(4) != _ZIP_MAGIC:
                raise NotStreamable("not a zip package")
        self.pkg = open_package(self.path)
        try:
            if self.pkg.kind not in ("xlsx", "xlsm"):
                raise NotStreamable(f"package kind {self.pkg.kind}")
            if date1904(self.pkg):
                raise NotStreamable("1904 date system")
            self.parts = {name: part for part, name in sheet_names_by_part(self.pkg).items()}
            if not self.parts:
                raise NotStreamable("no sheet list")
            try:
                self.decoder = Decoder(shared_strings(self.pkg), *date_styles(self.pkg))
            except Exception as exc:  # defusedxml's ParseError, a bad number in styles …
                raise NotStreamable(f"package parts: {type(exc).__name__}") from None
        except BaseException:
            self.pkg.close()
            raise

    @property
    def sheet_names(self) -> list[str]:
        return list(self.parts)

    def close(self) -> None:
        self.pkg.close()

    def __enter__(self) -> "XlsxStream":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def head(self, sheet: str, count: int) -> list[list]:
        """The sheet's first ``count`` rows (row 1 on, empty rows included) with every column,
        padded to the widest: meant for a header scan (small ``count``)."""
        out: list[list] = []
        for rows, cells in self._pieces(sheet, None):
            for letters, row, *content in cells:
                r = int(row) - 1
                if r >= count:
                    return _padded(out)
                while len(out) <= r:
                    out.append([])
                line, c = out[r], column_index(letters.decode())
                line.extend([""] * (c + 1 - len(line)))
                line[c] = self.decoder.value(*content)
        return _padded(out)

    def columns(self, sheet: str, columns: list[int], first_row: int = 1,
                chunk_rows: int = CHUNK_ROWS) -> Iterator[Chunk]:
        """Chunks of the rows from ``first_row`` (1-based) on that have a cell in ``columns``."""
        wanted = sorted(set(columns))
        limit = limits.MAX_DENSE_CELLS // max(len(wanted), 1)
        chunk, total = self._chunk(wanted), 0
        for _, cells in self._pieces(sheet, wanted):
            rows, values = piece_columns(cells, self.decoder, wanted, first_row)
            total += len(rows)
            if total > limit:
                raise extent_error(self.path, sheet, rows[-1], max(wanted) + 1)
            chunk.rows.extend(rows)
            for c in wanted:
                chunk.values[c].extend(values[c])
            while len(chunk.rows) >= chunk_rows:
                yield Chunk(chunk.rows[:chunk_rows], {c: v[:chunk_rows] for c, v in chunk.values.items()})
                chunk = Chunk(chunk.rows[chunk_rows:], {c: v[chunk_rows:] for c, v in chunk.values.items()})
        if chunk.rows:
            yield chunk

    @staticmethod
    def _chunk(wanted: list[int]) -> Chunk:
        return Chunk(values={c: [] for c in wanted})

    def _pieces(self, sheet: str, columns: list[int] | None):
        """(None, cells) for every piece of the sheet's XML cut at a row end; cells are
        (letters, row, attributes, content) tuples of the wanted columns."""
        part = self.parts.get(sheet)
        if part is None or not self.pkg.has(part):
            raise KeyError(sheet)
        pattern = cell_pattern(columns)
        carry, first = b"", True
        with self.pkg.open(part) as fh:
            while True:
                data = fh.read(PIECE_BYTES)
                piece = carry + data
                if data:
                    cut = piece.rfind(b"</row>")
                    if cut < 0:
                        carry = piece
                        continue
                    cut += len(b"</row>")
                    piece, carry = piece[:cut], piece[cut:]
                if first and b"<sheetData" not in piece:
                    raise NotStreamable("worksheet XML with a namespace prefix")
                first = False
                check_references(piece)
                yield None, pattern.findall(piece)
                if not data:
                    return


def _padded(rows: list[list]) -> list[list]:
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]
