"""Size limits that keep a hostile or absurd input from exhausting memory or time.

Every limit is far above what a real customer archive needs (100,000 rows × 36
columns is 3.6 million cells) and far below what would crash the process.
"""

from __future__ import annotations

# Whole input file, compressed (xlsx) or raw (csv/xls).
MAX_FILE_BYTES = 512 * 1024 * 1024
# Cells (rows × columns of a sheet's used rectangle) we agree to load for one sheet.
MAX_CELLS = 25_000_000
# Zip containers (xlsx/xlsm/ods).
MAX_ZIP_ENTRIES = 20_000
MAX_ZIP_TOTAL = 3 * 1024 * 1024 * 1024 // 2  # 1.5 GiB declared uncompressed in total
MAX_ZIP_RATIO = 500  # uncompressed / compressed, checked for big entries only
ZIP_RATIO_MIN_SIZE = 32 * 1024 * 1024
# How much of each XML part is read to check its prolog for DOCTYPE/ENTITY.
XML_PROLOG_BYTES = 64 * 1024
# Worksheet parts smaller than this are always scanned for their real extent
# (cheap); bigger ones are scanned only when their <dimension> is missing or huge.
SHEET_SCAN_ALWAYS_BELOW = 2 * 1024 * 1024
# Legacy .xls workbook streams up to this size are walked record by record.
BIFF_WALK_MAX_BYTES = 32 * 1024 * 1024
# Rows examined when looking for the header row.
HEADER_SCAN_ROWS = 50
# Excel's own grid.
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLS = 16_384
