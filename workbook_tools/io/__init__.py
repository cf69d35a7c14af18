"""I/O: read any workbook into rows with coordinates; write new workbooks atomically."""
