"""Large but honest packages past the hostile-input limits, and the bombs those limits stop.

- zip total (io/zipcheck.py allowed_total): a package whose sheet XML compresses as sheet XML
  does is read past MAX_ZIP_TOTAL; a bomb declaring the same total from a few KB is refused;
- extent (io/extent.py within_extent): a dense sheet is read past MAX_CELLS; a sparse one of
  the same rectangle (a value in A1 and one far away) is refused.

The limits are lowered (monkeypatch, as tests/test_rowlimit.py lowers SHEET_MAX_ROWS) so that
a 20,000-row workbook (8 MB of XML, 0.8 MB on disk) stands for a 1,000,000-customer master
(2.5 GB of XML, 41 million cells)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import hostile_files as hf
from workbook_tools.errors import UnreadableWorkbook
from workbook_tools.io import limits
from workbook_tools.io.extent import within_extent
from workbook_tools.io.reader import read_workbook
from workbook_tools.io.zipcheck import allowed_total, open_package
from workbook_tools.schema import load_schema

ROWS = 20_000


@pytest.fixture(scope="module")
def schema():
    return load_schema()


@pytest.fixture(scope="module")
def honest(tmp_path_factory) -> Path:
    """A real workbook: 20,000 customer rows (≈ 5 MB of XML, ≈ 1 MB on disk)."""
    return hf.good_xlsx(tmp_path_factory.mktemp("big") / "大表.xlsx", rows=ROWS)


def declared(path: Path) -> int:
    with zipfile.ZipFile(path) as zf:
        return sum(i.file_size for i in zf.infolist())


@pytest.fixture
def low_total(honest, monkeypatch):
    """MAX_ZIP_TOTAL at 40 % of what the honest workbook declares."""
    monkeypatch.setattr(limits, "MAX_ZIP_TOTAL", declared(honest) * 2 // 5)
    return limits.MAX_ZIP_TOTAL


def bomb_like(honest: Path, out: Path) -> Path:
    """A small workbook whose sheet part is padded (blanks after </sheetData>, valid XML)
    up to the honest workbook's declared total: it compresses about 1000:1."""
    base = hf.good_xlsx(out.with_name("base.xlsx"))
    pad = declared(honest) - declared(base)

    def sheet(data: bytes) -> bytes:
        return data.replace(b"</sheetData>", b"</sheetData>" + b" " * pad, 1)

    return hf.rewrite(base, out, {hf.SHEET_PART: sheet})


def test_rule_arithmetic(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ZIP_TOTAL", 1000)
    monkeypatch.setattr(limits, "MAX_ZIP_TOTAL_RATIO", 50)
    monkeypatch.setattr(limits, "MAX_ZIP_TOTAL_HARD", 10_000)
    assert allowed_total(0) == 1000
    assert allowed_total(100) == 6000
    assert allowed_total(1000) == 10_000          # the hard ceiling


def test_defaults_admit_the_issue_target_and_not_a_bomb():
    """A 1,000,000-customer master (2.5 GB declared, 442 MB on disk, benchmarks/README.md)
    and one with 3,000,000 visits too (≈ 4 GB from ≈ 700 MB) pass; 2.5 GB from 5 MB does not;
    its full sheets are dense enough, a far cell is not."""
    mb = 1024 * 1024
    assert allowed_total(442 * mb) >= 2500 * mb
    assert allowed_total(700 * mb) >= 4000 * mb
    assert allowed_total(5 * mb) < 2500 * mb
    rows, cols = 1_000_001, 41                     # its 客户档案, 89 % of the cells written
    assert within_extent(rows, cols, rows * cols * 89 // 100)
    assert within_extent(limits.EXCEL_MAX_ROWS, 43, limits.EXCEL_MAX_ROWS * 43 // 2)   # a full 待修正
    assert not within_extent(rows, cols, 50)       # A1 and AO1000001: the sparse rectangle


def test_an_honest_package_over_the_total_is_read(honest, low_total, schema):
    assert declared(honest) > low_total
    assert honest.stat().st_size * 4 < declared(honest)   # really compressed, as sheet XML is
    book = read_workbook(honest, schema)
    (table,) = book.sheets
    assert len(table.records) == ROWS
    assert table.records[-1].values[:2] == [f"HD{ROWS:04d}", f"王{ROWS}"]


def test_a_bomb_with_the_same_declared_total_is_refused(honest, low_total, schema, tmp_path):
    bomb = bomb_like(honest, tmp_path / "炸弹.xlsx")
    assert declared(bomb) == declared(honest) and bomb.stat().st_size < 64 * 1024
    with pytest.raises(UnreadableWorkbook) as err:
        read_workbook(bomb, schema)
    assert "压缩炸弹" in err.value.reason and "压缩数据只有" in err.value.reason


def test_the_hard_ceiling_refuses_even_an_honest_package(honest, low_total, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ZIP_TOTAL_HARD", declared(honest) - 1)
    with pytest.raises(UnreadableWorkbook, match="压缩炸弹"):
        open_package(honest)
    monkeypatch.setattr(limits, "MAX_ZIP_TOTAL_HARD", declared(honest))
    open_package(honest).close()


def far_cell(tmp_path: Path, ref: str) -> Path:
    """The small workbook with one more value at ``ref``: a sparse rectangle."""
    base = hf.good_xlsx(tmp_path / "base-far.xlsx")

    def sheet(data: bytes) -> bytes:
        row = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return data.replace(b"</sheetData>", f'<row r="{row}"><c r="{ref}"><v>1</v></c></row></sheetData>'.encode(), 1)

    return hf.rewrite(base, tmp_path / "远处的单元格.xlsx", {hf.SHEET_PART: sheet})


@pytest.fixture
def low_cells(monkeypatch):
    """MAX_CELLS below the honest sheet's 20,001 × 9 rectangle (a 1M-customer 客户档案 is
    over the real 25 million)."""
    monkeypatch.setattr(limits, "MAX_CELLS", 100_000)
    return 100_000


def test_a_dense_sheet_over_max_cells_is_read(honest, low_cells, schema):
    book = read_workbook(honest, schema)
    assert len(book.sheets[0].records) == ROWS


def test_a_sparse_sheet_of_the_same_rectangle_is_refused(low_cells, schema, tmp_path):
    path = far_cell(tmp_path, f"I{ROWS + 1}")
    with pytest.raises(UnreadableWorkbook) as err:
        read_workbook(path, schema)
    assert "范围过大" in err.value.reason and f"A1:I{ROWS + 1}" in err.value.reason


def test_dense_sheets_have_a_ceiling_too(honest, low_cells, schema, monkeypatch):
    monkeypatch.setattr(limits, "MAX_DENSE_CELLS", 150_000)
    with pytest.raises(UnreadableWorkbook, match="范围过大"):
        read_workbook(honest, schema)
