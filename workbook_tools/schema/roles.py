"""The schema's ``roles:`` block — the 权限分配表 — checked with file:line messages.

    roles:
      - name: 业务员
        description: 只提供单位名称、姓名、职务
        export: true            # may receive exports (发放)
        default: 不可见          # 可见 / 脱敏 / 不可见 for fields not listed below
        visible: [customer_id, customer_name, contact, title]
        masked: [mobile]
        hidden: []
        forms: [visit-record]   # other forms whose rows it receives
"""

from __future__ import annotations

from typing import Any

from workbook_tools.schema.model import ACCESS_LEVELS, FORBIDDEN, HIDDEN, MASKED, VISIBLE, Form, Role
from workbook_tools.schema.yamlsrc import YamlContext

ROLE_KEYS = {"name", "aliases", "description", "export", "admin", "default", "visible", "masked",
             "hidden", "forms"}
_LISTS = {"visible": VISIBLE, "masked": MASKED, "hidden": HIDDEN}


def parse_roles(ctx: YamlContext, data: dict, forms: tuple[Form, ...]) -> tuple[Role, ...]:
    node = data.get("roles")
    if node is None:
        return ()
    if not isinstance(node, list) or not node:
        raise ctx.fail(data, "roles 应当是非空的角色列表", "roles")
    registration = next((f for f in forms if f.key == "registration"), None)
    fields = {f.key: f for f in registration.fields} if registration else {}
    other_forms = {f.key for f in forms if f.key != "registration"}
    roles = tuple(_role(ctx, item, fields, other_forms) for item in node)
    seen: set[str] = set()
    for item, role in zip(node, roles):
        for name in (role.name, *role.aliases):
            if name in seen:
                raise ctx.fail(item, f"角色名“{name}”重复", "name")
            seen.add(name)
    return roles


def _role(ctx: YamlContext, node: Any, fields: dict, other_forms: set) -> Role:
    ctx.check_keys(node, ROLE_KEYS, "角色")
    name = ctx.require(node, "name", "角色")
    what = f"角色 {name}"
    default = node.get("default", HIDDEN)
    if default not in ACCESS_LEVELS:
        raise ctx.fail(node, f"{what} 的 default“{default}”只能是：{'、'.join(ACCESS_LEVELS)}", "default")
    admin, export = (_flag(ctx, node, key, what) for key in ("admin", "export"))
    access: dict[str, str] = {}
    for key, level in _LISTS.items():
        for field_key in ctx.str_list(node, key, what):
            if field_key not in fields:
                raise ctx.fail(node, f"{what} 的 {key} 引用了登记表中不存在的字段“{field_key}”", key)
            if field_key in access:
                raise ctx.fail(node, f"{what} 中字段“{field_key}”同时出现在两个列表中", key)
            if level != HIDDEN and not admin and fields[field_key].sensitivity == FORBIDDEN:
                raise ctx.fail(node, f"{what} 不能看到字段“{field_key}”：它的敏感级别是“{FORBIDDEN}”，"
                                     "只有管理员角色（admin: true）可以看到", key)
            access[field_key] = level
    role_forms = ctx.str_list(node, "forms", what)
    for form in role_forms:
        if form not in other_forms:
            raise ctx.fail(node, f"{what} 的 forms 引用了不存在的表单“{form}”"
                                 f"（可用：{'、'.join(sorted(other_forms))}）", "forms")
    return Role(name=name, aliases=ctx.str_list(node, "aliases", what),
                description=str(node.get("description") or ""), export=export, admin=admin,
                forms=role_forms, default=default, access=tuple(access.items()))


def _flag(ctx: YamlContext, node: dict, key: str, what: str) -> bool:
    value = node.get(key, False)
    if not isinstance(value, bool):
        raise ctx.fail(node, f"{what} 的“{key}”只能是 true 或 false", key)
    return value
