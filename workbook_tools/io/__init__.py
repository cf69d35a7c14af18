"""I/O: read any workbook into rows with coordinates; write new workbooks atomically.

``read_workbook``, ``read_workbooks``, ``read_version_stamp`` and ``describe_workbook`` are importable from
here; they load lazily so that ``workbook_tools.io.atomic`` stays cheap to import.
"""

_LAZY = {
    "read_workbook": "workbook_tools.io.reader",
    "read_workbooks": "workbook_tools.io.reader",
    "read_version_stamp": "workbook_tools.io.stamp",
    "describe_workbook": "workbook_tools.io.describe",
    "WorkbookData": "workbook_tools.io.table",
    "SheetTable": "workbook_tools.io.table",
    "Column": "workbook_tools.io.table",
    "Record": "workbook_tools.io.table",
}

__all__ = list(_LAZY)


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(module), name)
