"""What one role of the 权限分配表 sees: ``RoleView(schema, "业务员")``.

``hidden(key)`` → the field is absent for this role; ``show(key, value)`` → the value as the
role may see it (masked by the field's rule, or unchanged). A 禁止外传 field is hidden from
every role but an admin role, whatever the table says. Keys of other forms that are not
registration fields (拜访内容, 投诉编号, …) are shown as they are.
"""

from __future__ import annotations

from typing import Any

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.privacy.masks import mask_value
from workbook_tools.schema.model import FORBIDDEN, HIDDEN, MASKED, VISIBLE, Field, Role, Schema


class PrivacyError(WorkbookToolsError):
    """A role that does not exist or may not receive what was asked (one Chinese line)."""


class RoleView:
    """A role's view of the registration fields (the card builder and export use it)."""

    def __init__(self, schema: Schema, role: str | Role):
        if isinstance(role, str):
            try:
                role = schema.role(role)
            except KeyError as exc:
                raise PrivacyError(exc.args[0]) from None
        self.schema = schema
        self.role = role
        self.fields: dict[str, Field] = {f.key: f for f in schema.form("registration").fields}
        self._levels = {key: self._level(f) for key, f in self.fields.items()}

    @property
    def name(self) -> str:
        return self.role.name

    @property
    def may_export(self) -> bool:
        return self.role.export

    def _level(self, field: Field) -> str:
        if field.sensitivity == FORBIDDEN and not self.role.admin:
            return HIDDEN
        return self.role.level(field.key)

    def level(self, field_key: str) -> str:
        """可见 / 脱敏 / 不可见 (a key that is not a registration field: 可见)."""
        return self._levels.get(field_key, VISIBLE)

    def hidden(self, field_key: str) -> bool:
        return self.level(field_key) == HIDDEN

    def masked(self, field_key: str) -> bool:
        return self.level(field_key) == MASKED

    def show(self, field_key: str, value: Any) -> Any:
        """The display value: masked for 脱敏 fields, None for hidden ones, else unchanged."""
        level = self.level(field_key)
        if level == VISIBLE:
            return value
        if level == HIDDEN:
            return None
        return mask_value(self.fields[field_key].mask_rule, value)

    def keys(self, level: str) -> list[str]:
        """Registration field keys at ``level``, in form order."""
        return [key for key, lv in self._levels.items() if lv == level]

    def labels(self, level: str) -> list[str]:
        return [self.fields[key].label for key in self.keys(level)]

    def receives(self, form_key: str) -> bool:
        """Whether rows of ``form_key`` go to this role (registration always)."""
        return form_key == "registration" or form_key in self.role.forms

    def require_export(self) -> None:
        """PrivacyError (Chinese) unless this role may receive exports."""
        if not self.role.export:
            allowed = "、".join(r.name for r in self.schema.roles if r.export)
            raise PrivacyError(f"角色“{self.name}”不能接收客户资料（权限分配表中该角色不允许发放）；"
                               f"可以发放给的角色：{allowed}。未写出任何文件")


def role_view(schema: Schema, role: str) -> RoleView:
    return RoleView(schema, role)


def mask_for_field(field: Field, value: Any) -> Any:
    """How everyday outputs (messages, reports) quote a value: masked when the field is
    敏感 or 禁止外传, as it is otherwise."""
    if not field.is_sensitive:
        return value
    return mask_value(field.mask or field.type, value)
