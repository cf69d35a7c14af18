# placeholder: replaced by the infer branch
"""Value inferences for `adopt` (placeholder: replaced by the infer branch).

The contract the adopt package calls: Conversion, convert_row, assign_ids,
find_duplicates. This placeholder converts nothing, numbers rows without an ID
sequentially and lists only exact duplicates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbook_tools.schema.model import Schema, normalize_choice


@dataclass(frozen=True)
class Conversion:
    row: int          # 0-based index into the rows list
    field: str        # field key
    before: object
    after: object
    how: str          # Chinese
    score: float | None = None


def convert_row(schema: Schema, values: dict[str, object], *, row: int, region: str | None = None,
                owner: str | None = None) -> tuple[dict[str, object], list[Conversion]]:
    """Placeholder: the values as they are; only a blank 所属区域 / 负责业务员 takes
    ``region`` / ``owner``."""
    out, made = dict(values), []
    for key, given in (("region", region), ("owner", owner)):
        if given and out.get(key) in (None, ""):
            out[key] = given
            made.append(Conversion(row, key, None, given, f"按命令行参数填写“{given}”"))
    return out, made


def _prefix(schema: Schema, row: dict, prefix: str | None) -> str:
    if prefix:
        return prefix
    field = schema.form("registration").field("region")
    canonical = field.choice_lookup().get(normalize_choice(row.get("region") or ""))
    for choice in field.choices:
        if choice.value == canonical and choice.code:
            return choice.code
    return "KH"


def assign_ids(schema: Schema, rows: list[dict], *, prefix: str | None,
               start: int | None) -> list[Conversion]:
    """Placeholder: prefix + a 4-digit sequence for each row without customer_id."""
    used = [int(m.group(1)) for r in rows if isinstance(r.get("customer_id"), str)
            for m in [re.search(r"(\d+)$", r["customer_id"])] if m]
    number = start if start is not None else max(used, default=0) + 1
    out = []
    for i, row in enumerate(rows):
        if row.get("customer_id") in (None, ""):
            row["customer_id"] = f"{_prefix(schema, row, prefix)}{number:04d}"
            out.append(Conversion(i, "customer_id", None, row["customer_id"], "新编客户编号"))
            number += 1
    return out


def find_duplicates(rows: list[dict]) -> list[tuple[str, list[int]]]:
    """Placeholder: rows with exactly the same 客户名称."""
    seen: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        name = row.get("customer_name")
        if isinstance(name, str) and name.strip():
            seen.setdefault(name.strip(), []).append(i)
    return [(f"客户名称相同：{name}", idx) for name, idx in seen.items() if len(idx) > 1]
