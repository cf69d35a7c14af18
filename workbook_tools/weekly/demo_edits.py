"""The demo's second week: what the offices change in their workbooks before resubmitting
(a new mobile and contact, a new trade, a moved address, a customer left out), so the
second run has a real 变更记录 and the history store a real 修改记录."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl

from workbook_tools.io.reader import read_workbook
from workbook_tools.merge.result import MergeResult
from workbook_tools.schema.model import Schema

# region → {field key: new value, or a function of the old value}
EDITS: dict[str, dict[str, Any]] = {
    "华东": {"mobile": "13912345678", "contact": "林晓峰", "revised": dt.date(2026, 11, 26),
             "last_trade_date": dt.date(2026, 11, 25), "trade_count": lambda v: int(v or 0) + 1,
             "trade_amount": lambda v: round(float(v or 0) + 18600.0, 2)},
    "华南": {"address": "广东省深圳市南山区科技园南区高新南七道18号", "revised": dt.date(2026, 11, 27)},
}
LEAVE_OUT = "华北"   # one customer of this region is not resubmitted: 本周未出现
WHAT = {"华东": "换了手机和联系人，新增一笔交易", "华南": "搬了地址", LEAVE_OUT: "本周未再提交"}


def edit_for_next_week(result: MergeResult, schema: Schema, folder: Path) -> list[tuple[str, str]]:
    """Apply EDITS to one clean customer of each region in ``folder``'s files (and delete
    one 华北 customer's row); returns (customer id, what changed) pairs."""
    edited = []
    for region, edits in [*EDITS.items(), (LEAVE_OUT, None)]:
        customer = _pick(result, region)
        if customer is None:
            continue
        source = customer.provenance
        _edit_row(folder / source.file, source.sheet, source.row, schema, edits)
        edited.append((customer.id, WHAT[region]))
    return edited


def _pick(result: MergeResult, region: str):
    """The first customer of the region from exactly one clean row, with a mobile."""
    for c in result.customers:
        if (c.values.get("region") == region and c.n_sources == 1 and not c.quarantined
                and c.values.get("mobile") and c.values.get("trade_count") is not None):
            return c
    return None


def _edit_row(path: Path, sheet: str, row: int, schema: Schema, edits: dict | None) -> None:
    table = next(t for t in read_workbook(path, schema, form="registration").sheets if t.sheet == sheet)
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    if edits is None:
        ws.delete_rows(row)
    else:
        for key, value in edits.items():
            col = table.position(key)
            if col is None:
                continue
            cell = ws.cell(row, table.columns[col].index + 1)
            cell.value = value(cell.value) if callable(value) else value
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    book.save(path)


def resubmit(folder: Path, old_week: str, new_week: str) -> list[Path]:
    """The offices send next week's files: every workbook in ``folder`` named for ``old_week``
    is renamed for ``new_week`` (an office that changed nothing resends the same bytes)."""
    renamed = []
    for path in sorted(folder.glob(f"*{old_week}*")):
        target = path.with_name(path.name.replace(old_week, new_week))
        path.rename(target)
        renamed.append(target)
    return renamed
