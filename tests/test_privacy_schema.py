"""The 权限分配表 in the schema: sensitivity, mask and roles, their file:line errors, RoleView,
and the README table generated from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook_tools.privacy.table import permission_markdown
from workbook_tools.privacy.view import PrivacyError, RoleView
from workbook_tools.schema import load_schema

from test_schema import BUNDLED, edit, load_error

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def schema():
    return load_schema()


def test_every_registration_field_declares_its_sensitivity(schema):
    lines = BUNDLED.splitlines()
    reg = schema.form("registration")
    assert sum("sensitivity:" in line for line in lines) == len(reg.fields)
    assert reg.field("id_card").sensitivity == "敏感" and reg.field("id_card").mask == "id_card"
    assert reg.field("bank_account").sensitivity == "禁止外传"
    assert reg.field("industry").sensitivity == "公开" and reg.field("industry").mask == ""
    assert reg.field("mobile").is_sensitive and not reg.field("customer_id").is_sensitive
    assert [r.name for r in schema.roles] == ["管理员", "客户服务", "业务员", "外部"]
    assert schema.role("客户经理").name == "管理员"


@pytest.mark.parametrize("anchor, new, offset, expected", [
    ("        sensitivity: 禁止外传", "        sensitivity: 绝密", 0,
     "表单 registration 字段 bank_account 的“sensitivity”是“绝密”，只能是：公开、内部、敏感、禁止外传"),
    ("        mask: bank_account", "        mask: last4", 0,
     "表单 registration 字段 bank_account 的“mask”是“last4”，只能是：address、bank_account"),
    ("    visible: [customer_id, customer_name, region, contact, title, owner]",
     "    visible: [customer_id, 客户名称]", 0, "角色 业务员 的 visible 引用了登记表中不存在的字段“客户名称”"),
    ("    masked: [id_card]", "    masked: [id_card, bank_account]", 0,
     "角色 客户服务 不能看到字段“bank_account”：它的敏感级别是“禁止外传”，只有管理员角色（admin: true）可以看到"),
    ("    masked: [id_card]", "    masked: [id_card]\n    visible: [id_card]", 0,
     "角色 客户服务 中字段“id_card”同时出现在两个列表中"),
    ("    aliases: [客服]", "    aliases: [客服]\n    can_print: true", 1, "角色中有未知的键“can_print”"),
    ("    aliases: [客服]", "    aliases: [客服]\n    admin: 1", 1, "角色 客户服务 的“admin”只能是 true 或 false"),
    ("    default: 可见\n    masked: [id_card]", "    default: 部分可见\n    masked: [id_card]", 0,
     "角色 客户服务 的 default“部分可见”只能是：可见、脱敏、不可见"),
    ("    forms: [visit-record, complaint]", "    forms: [visit-record, 投诉]", 0,
     "角色 客户服务 的 forms 引用了不存在的表单“投诉”"),
    ("    aliases: [客服]", "    aliases: [业务员]", 7, "角色名“业务员”重复"),  # at 业务员's name
    ("    export: false", "    export: 否", 0, "角色 外部 的“export”只能是 true 或 false"),
])
def test_role_errors_name_file_and_line(tmp_path, anchor, new, offset, expected):
    if "\n" in anchor:  # a two-line anchor: replace the pair
        text = BUNDLED.replace(anchor, new)
        line = BUNDLED[:BUNDLED.index(anchor)].count("\n") + 1
        path = tmp_path / "schema.yaml"
        path.write_text(text, encoding="utf-8")
    else:
        path, line = edit(tmp_path, anchor, new)
    message = load_error(path)
    assert message.startswith(f"{path}:{line + offset}: "), message
    assert expected in message


def test_a_schema_without_roles_has_none_and_views_say_so(tmp_path):
    text = BUNDLED.split("\nroles:")[0] + "\n"
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    schema = load_schema(path)
    assert schema.roles == ()
    with pytest.raises(PrivacyError, match="未知的角色“业务员”，可用：（schema 中没有定义角色）"):
        RoleView(schema, "业务员")


def test_role_views_follow_the_table(schema):
    admin, service, sales, outside = (RoleView(schema, n) for n in ("客户经理", "客户服务", "业务员", "外部"))
    assert admin.show("bank_account", "6222021234567890") == "6222021234567890"
    assert service.hidden("bank_account") and service.show("bank_account", "6222021234567890") is None
    assert service.show("id_card", "32050019801207206X") == "320500********206X"
    assert service.show("mobile", "13812345678") == "13812345678"
    assert sales.keys("可见") == ["customer_id", "customer_name", "region", "contact", "title", "owner"]
    assert sales.hidden("mobile") and not sales.hidden("contact")
    assert sales.show("visit_content_not_a_registration_field", "面谈") == "面谈"
    assert service.receives("complaint") and not sales.receives("visit-record")
    assert outside.keys("可见") == [] and not outside.may_export
    with pytest.raises(PrivacyError, match="角色“外部”不能接收客户资料.*可以发放给的角色：管理员、客户服务、业务员"):
        outside.require_export()
    with pytest.raises(PrivacyError, match="未知的角色“老板”，可用：管理员、客户服务、业务员、外部"):
        RoleView(schema, "老板")


def test_forbidden_fields_are_hidden_from_non_admins_even_by_default(tmp_path):
    path, _ = edit(tmp_path, "    hidden: [bank_account]", "    hidden: []")
    service = RoleView(load_schema(path), "客户服务")
    assert service.level("bank_account") == "不可见"


def test_readme_prints_the_permission_table(schema):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- ROLES:START -->\n")[1].split("<!-- ROLES:END -->")[0]
    assert section == permission_markdown(schema)
    assert "| 身份证号 | 敏感 | 保留前 6 位和后 4 位，如 110101********123X | 可见 | 脱敏 | 不可见 | 不可见 |" in section
    assert "| 银行账号 | 禁止外传 | 只保留后 4 位，如 ************7890 | 可见 | 不可见 | 不可见 | 不可见 |" in section
    assert section.rstrip().endswith("| **可接收发放** | | | **是** | **是** | **是** | **否** |")
