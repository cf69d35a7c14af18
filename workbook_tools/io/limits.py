"""Size limits that keep a hostile or absurd input from exhausting memory or time.

Every limit is far above what a real customer archive needs (100,000 rows × 36
columns is 3.6 million cells) and far below what would crash the process.
"""

from __future__ import annotations

# Whole input file, compressed (xlsx) or raw (csv/xls).
MAX_FILE_BYTES = 512 * 1024 * 1024
# Cells (rows × columns of a sheet's used rectangle) we agree to load for one sheet.
MAX_CELLS = 25_000_000
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
MAX_ZIP_TOTAL = 3 * 1024 * 1024 * 1024 // 2  # 1.5 GiB declared uncompressed in total
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
