"""Rows of the legacy files (all files together) that look like one customer: the same
统一社会信用代码, 身份证号 or 手机, or — company customers only, person names collide —
the same name after normalisation (validate.names, as merge's suspected duplicates).
Listed for a person to decide; nothing is merged."""

from __future__ import annotations

from workbook_tools.adopt.infer.model import compact_code as _code
from workbook_tools.privacy.masks import mask_value
from workbook_tools.validate.names import normalize_company_name

# (field key, reason, mask rule for the value shown: "" = shown as is)
IDENTIFIERS = (("uscc", "相同统一社会信用代码", ""), ("id_card", "相同身份证号", "id_card"),
               ("mobile", "相同手机", "mobile"))
SAME_NAME = "名称规范化后相同"
PERSON = "个人"



def _groups(rows: list[dict], keyer) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        key = keyer(row)
        if key:
            groups.setdefault(key, []).append(index)
    return {k: v for k, v in groups.items() if len(v) > 1}


def _company_name(row: dict) -> str:
    if row.get("customer_type") == PERSON:
        return ""
    name = row.get("customer_name")
    return normalize_company_name(str(name)) if name is not None else ""


def find_duplicates(rows: list[dict]) -> list[tuple[str, list[int]]]:
    """(reason in Chinese, row indexes) per group of rows sharing an identifier, ordered
    by their first row; a sensitive value is quoted masked (相同手机：138****5678)."""
    found: list[tuple[int, int, str, list[int]]] = []
    for order, (key, label, mask) in enumerate(IDENTIFIERS):
        for value, indexes in _groups(rows, lambda r, k=key: _code(r.get(k))).items():
            shown = mask_value(mask, value) if mask else value
            found.append((indexes[0], order, f"{label}：{shown}", indexes))
    for name, indexes in _groups(rows, _company_name).items():
        found.append((indexes[0], len(IDENTIFIERS), f"{SAME_NAME}：{name}", indexes))
    return [(reason, indexes) for _, _, reason, indexes in sorted(found, key=lambda f: f[:2])]
