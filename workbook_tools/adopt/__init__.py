"""Adopting legacy registers (迁移旧台账): old 客户信息表, CRM exports, 通讯录 lists →
the standard 客户档案登记表, filled, with a 迁移说明 sheet.

    adopt_files(paths, output, schema, region=, owner=, map_file=, id_prefix=, start=) -> AdoptResult
    plan_files(paths, schema, map_file=, map_out=) -> AdoptPlan     (``adopt --plan``: no workbook)
"""

from workbook_tools.adopt.core import AdoptResult, adopt_files
from workbook_tools.adopt.plan import AdoptPlan, plan_files

__all__ = ["AdoptPlan", "AdoptResult", "adopt_files", "plan_files"]
