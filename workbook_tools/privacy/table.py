"""The 权限分配表 as a Markdown table, generated from the schema (README, printable)."""

from __future__ import annotations

from workbook_tools.privacy.masks import DESCRIPTIONS
from workbook_tools.privacy.view import RoleView
from workbook_tools.schema.model import Schema


def permission_markdown(schema: Schema) -> str:
    """One row per 客户档案登记表 field, one column per role; then who may receive exports."""
    views = [RoleView(schema, role) for role in schema.roles]
    names = [v.name + (f"（{'、'.join(v.role.aliases)}）" if v.role.aliases else "") for v in views]
    rows = ["| 字段 | 敏感级别 | 脱敏方式 | " + " | ".join(names) + " |",
            "| --- | --- | --- | " + " | ".join("---" for _ in views) + " |"]
    for field in schema.form("registration").fields:
        rule = DESCRIPTIONS[field.mask_rule] if field.mask or field.is_sensitive else "—"
        cells = [v.level(field.key) for v in views]
        rows.append(f"| {field.label} | {field.sensitivity} | {rule} | " + " | ".join(cells) + " |")
    titles = {f.key: f.title for f in schema.forms}
    other = ["、".join(titles[k] for k in v.role.forms) or "—" for v in views]
    rows.append("| 其他表单 | | | " + " | ".join(other) + " |")
    rows.append("| **可接收发放** | | | " + " | ".join("**是**" if v.may_export else "**否**"
                                                    for v in views) + " |")
    return "\n".join(rows) + "\n"
