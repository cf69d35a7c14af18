"""Value conversion and inference for adopt (迁移旧台账): legacy values to the form's,
所属区域 / 客户类型 inferred, 客户编号 assigned, duplicates listed. Pure functions on plain
dicts; every change comes back as a Conversion with a Chinese ``how`` (model.py).

    convert_row(schema, values, *, row, region=None, owner=None) -> (values, [Conversion])
    assign_ids(schema, rows, *, prefix, start) -> [Conversion]        (fills rows in place)
    find_duplicates(rows) -> [(reason, [row index, …])]
"""

from workbook_tools.adopt.infer.duplicates import find_duplicates
from workbook_tools.adopt.infer.ids import assign_ids
from workbook_tools.adopt.infer.model import Conversion
from workbook_tools.adopt.infer.row import EXTRAS_KEY, convert_row

__all__ = ["EXTRAS_KEY", "Conversion", "assign_ids", "convert_row", "find_duplicates"]
