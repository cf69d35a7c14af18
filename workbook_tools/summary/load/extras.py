"""The master's small list sheets: 待修正 (rows quarantined by merge: a count, by region and by
salesperson) and 疑似重复 (open suspected-duplicate pairs), read whole through calamine."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from workbook_tools.schema.model import Form, normalize_choice, normalize_header
from workbook_tools.summary.load.forms import body_columns, header, typed_values
from workbook_tools.summary.load.sheets import HEADER_SCAN_ROWS, sheet_rows
from workbook_tools.summary.parse import parse_text
from workbook_tools.summary.tables import labelled

# 疑似重复: a pair is open while its 处理意见 (or status) cell is blank or says it is still pending;
# anything else a person wrote there (合并为 HD0001, 不是同一客户, 已处理 …) closes it.
OPEN_STATUSES = frozenset(normalize_choice(s) for s in ("", "待处理", "未处理", "处理中", "待核实", "待确认"))
_STATUS_HEADERS = frozenset({"处理意见", "状态", "处理状态", "处理结果", "处理情况", "结论"})
_PAIR_SUFFIX = re.compile(r"(?:[(（]?(?:[ab12一二甲乙])[)）]?)$")


def rows_job(path: Path, name: str, convert, form: Form, head):
    """(``convert(rows, form)``, missing sheet names, problems) for sheet ``name``."""
    joined = sheet_rows(path, name, head=lambda rows: head(rows, form))
    rows = joined.rows if joined is not None else []
    problems = tuple(joined.problems) if joined is not None else ()
    return convert(rows, form), (() if joined is not None else (name,)), problems


def quarantine_head(rows: list[list], reg: Form) -> int:
    head, _ = header(rows, reg)
    if head < 0:
        head = next((i for i, r in enumerate(rows) if any(_filled(c) for c in r)), len(rows))
    return head


def pairs_head(rows: list[list], reg: Form) -> int:
    return next((i for i, r in enumerate(rows[:HEADER_SCAN_ROWS]) if len(_id_columns(r, reg)) >= 1), -1)


def quarantine(rows: list[list], reg: Form) -> tuple[int, pd.Series | None, pd.Series | None]:
    """Row count of 待修正 and, when it has the columns, counts by 所属区域 / 负责业务员."""
    _, mapping = header(rows, reg)
    head = quarantine_head(rows, reg)
    body = [r for r in rows[head + 1:] if any(_filled(c) for c in r)]
    columns = body_columns(body, {k: mapping[k] for k in ("region", "owner") if k in mapping})
    counts = {}
    for key in ("region", "owner"):
        if key in columns:
            values = typed_values(reg.field(key), columns[key])
            counts[key] = labelled(values).value_counts()
    return len(body), counts.get("region"), counts.get("owner")


def duplicate_pairs(rows: list[list], reg: Form) -> pd.DataFrame:
    """Open suspected-duplicate pairs as customer ids (id_a, id_b); one sheet row per pair."""
    empty = pd.DataFrame({"id_a": pd.Series(dtype=object), "id_b": pd.Series(dtype=object)})
    head = pairs_head(rows, reg)
    if head < 0:
        return empty
    ids = _id_columns(rows[head], reg)[:2]
    status = next((j for j, c in enumerate(rows[head]) if normalize_header(c) in _STATUS_HEADERS), None)
    body = [r for r in rows[head + 1:] if any(_filled(c) for c in r)]
    if status is not None:
        body = [r for r in body if status >= len(r) or normalize_choice(r[status]) in OPEN_STATUSES]
    cols = body_columns(body, {"id_a": ids[0], "id_b": ids[-1] if len(ids) > 1 else ids[0]})
    if not cols:
        return empty
    out = pd.DataFrame({k: parse_text(v) for k, v in cols.items()})
    if len(ids) == 1:
        out["id_b"] = None
    return out


def _id_columns(row: list, reg: Form) -> list[int]:
    """Columns whose header is 客户编号 with a pair marker (客户编号A, 客户编号（乙）, 客户编号1 …)."""
    out = []
    for j, cell in enumerate(row):
        text = normalize_header(cell)
        if reg.match_header(_PAIR_SUFFIX.sub("", text)) == reg.id_field or reg.match_header(text) == reg.id_field:
            out.append(j)
    return out


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


__all__ = ["OPEN_STATUSES", "duplicate_pairs", "pairs_head", "quarantine", "quarantine_head", "rows_job"]
