"""Size limits that keep a hostile or absurd input from exhausting memory or time.

Every limit is far above what a real customer archive needs (100,000 rows × 36
columns is 3.6 million cells) and far below what would crash the process.
"""

from __future__ import annotations

# Whole input file, compressed (xlsx) or raw (csv/xls).
MAX_FILE_BYTES = 512 * 1024 * 1024
# Cells (rows × columns of a sheet's used rectangle) we agree to load for one sheet.
MAX_CELLS = 25_000_000
# … unless the sheet is dense: a rectangle up to MAX_DENSE_CELLS (a full-height sheet of 64
# columns; a 1,000,000-customer 客户档案 is 1,000,001 × 41) in which at least one cell in
# MIN_DENSE_FILL is really written (the guard counts them). A sparse rectangle (a value in A1
# and one far away) is what asks calamine for memory the file does not hold.
MAX_DENSE_CELLS = 64 * 1_048_576
MIN_DENSE_FILL = 4
# Characters of cell text a workbook may decode to (shared strings count once per cell
# that uses them): 100,000 rows × 36 columns × 70 characters is 252 million.
MAX_TEXT_CHARS = 256 * 1024 * 1024
# A row holding values may repeat this often in an .ods (LibreOffice compresses identical
# neighbouring rows; a real archive never has thousands of identical rows in a row).
MAX_ODS_ROW_REPEAT = 10_000
# Cells, empty ones included, in the .ods rows that hold values (calamine keeps them).
MAX_ODS_POSITIONS = 200_000_000
# Address space a reading child process may add to what it inherits (io/isolate.py).
READ_MEMORY_BYTES = 3 * 1024 * 1024 * 1024
# Zip containers (xlsx/xlsm/ods).
MAX_ZIP_ENTRIES = 20_000
# Declared uncompressed size of all entries: up to MAX_ZIP_TOTAL whatever the compressed size;
# past it, only when the excess is backed by real compressed bytes — total ≤ MAX_ZIP_TOTAL +
# MAX_ZIP_TOTAL_RATIO × the compressed bytes actually in the file — and never past
# MAX_ZIP_TOTAL_HARD. A master of 1,000,000 customers declares ≈ 2.5 GB at ≈ 6:1 (442 MB on
# disk); one with 3,000,000 visit records as continuation sheets ≈ 4 GB. A bomb declaring the
# same total from a few MB is refused. Read at call time (tests lower them with monkeypatch).
MAX_ZIP_TOTAL = 3 * 1024 * 1024 * 1024 // 2  # 1.5 GiB
MAX_ZIP_TOTAL_RATIO = 50   # honest sheet XML compresses 4–15:1, deflate bombs ≈ 1000:1
MAX_ZIP_TOTAL_HARD = 8 * 1024 * 1024 * 1024  # 8 GiB: twice the 1M-customer target
MAX_ZIP_RATIO = 500  # uncompressed / compressed, checked for big entries only
ZIP_RATIO_MIN_SIZE = 32 * 1024 * 1024
# How much of each XML part is read to check its prolog for DOCTYPE/ENTITY.
XML_PROLOG_BYTES = 64 * 1024
# Legacy .xls workbook streams up to this size are walked record by record.
BIFF_WALK_MAX_BYTES = 32 * 1024 * 1024
# Rows examined when looking for the header row.
HEADER_SCAN_ROWS = 50
# Excel's own grid.
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLS = 16_384
# Rows of one worksheet, header rows included: a table that needs more continues on sheets
# named NAME(2), NAME(3) … with the same header (io/continuation.py). Read at call time, so
# tests lower it with monkeypatch.setattr(limits, "SHEET_MAX_ROWS", 50).
SHEET_MAX_ROWS = EXCEL_MAX_ROWS
