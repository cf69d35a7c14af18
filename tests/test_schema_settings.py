"""Typed schema settings (schema/settings.py) and conditions reported at their own line:
a wrong value is a SchemaError naming file:line, never a crash later (summary exit 3)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from workbook_tools.schema import load_schema
from workbook_tools.schema import settings as typed
from workbook_tools.schema.loader import SETTING_KEYS
from workbook_tools.schema.yamlsrc import YamlContext, load_yaml

from test_schema import BUNDLED, edit, load_error


@pytest.mark.parametrize("anchor, new, expected", [
    ("stale_days: 60", "  stale_days: 六十", "settings.stale_days 应为整数，实际为“六十”"),
    ("stale_days: 60", "  stale_days: 0", "settings.stale_days 应为不小于 1 的整数，实际为“0”"),
    ("stale_days: 60", "  stale_days: true", "settings.stale_days 应为整数，实际为“true”"),
    ("stale_days: 60", "  stale_days:", "settings.stale_days 应为整数，实际为空值"),
    ("fuzzy_threshold: 92", "  fuzzy_threshold: 192", "settings.fuzzy_threshold 应为 0 到 100 之间的数字，实际为“192”"),
    ("contact_cycles: {", "  contact_cycles: 7", "settings.contact_cycles 应为“名称: 不小于 1 的整数”的映射，实际为“7”"),
    ("contact_cycles: {", "  contact_cycles: {重要客户: 一周}", "settings.contact_cycles.重要客户 应为整数，实际为“一周”"),
    ("value_classes: {", "  value_classes: {主力客户: 八成}", "settings.value_classes.主力客户 应为数字，实际为“八成”"),
    ("id_card_age: {", "  id_card_age: {min: 0, mx: 120}", "settings.id_card_age 中有未知的键“mx”（可用的键：min、max）"),
    ("id_card_age: {", "  id_card_age: [0, 120]", "settings.id_card_age 应为含 min、max 的映射，实际为列表"),
    ("empty_placeholders: [", "  empty_placeholders: 无", "settings.empty_placeholders 应为由文字组成的列表，实际为“无”"),
    ("empty_placeholders: [", "  empty_placeholders: [无, 3]", "settings.empty_placeholders[2] 应为文字，实际为“3”"),
])
def test_wrong_setting_types_name_file_line_and_value(tmp_path, anchor, new, expected):
    path, line = edit(tmp_path, anchor, new)
    assert load_error(path) == f"{path}:{line}: {expected}"


def test_a_nested_value_is_reported_at_its_own_line(tmp_path):
    path, line = edit(tmp_path, "id_card_age: {", "  id_card_age:\n    min: 0\n    max: 很老")
    assert load_error(path) == f"{path}:{line + 2}: settings.id_card_age.max 应为整数，实际为“很老”"


def test_every_known_setting_has_a_type_and_the_bundled_values_pass():
    assert SETTING_KEYS == set(typed.SETTING_TYPES)
    settings = load_schema().settings
    assert set(settings) == set(typed.SETTING_TYPES)
    assert settings["empty_placeholders"][:5] == ["无", "不详", "/", "—", "－"]


def test_a_new_setting_is_one_line_in_the_table(monkeypatch):
    monkeypatch.setitem(typed.SETTING_TYPES, "review_months", typed.ListOf(typed.Int(min=1, max=12)))
    data = load_yaml("settings:\n  review_months: [3, 6, 13]\n", "s.yaml")
    with pytest.raises(Exception) as err:
        typed.check_settings(YamlContext("s.yaml"), data["settings"])
    assert str(err.value) == "s.yaml:2: settings.review_months[3] 应为 1 到 12 之间的整数，实际为“13”"


@pytest.mark.parametrize("anchor, new, expected", [
    ("required_if: {customer_type: 个人}", "        required_if: {customer_typ: 个人}",
     "表单 registration 字段 id_card 的 required_if 引用了不存在的字段“customer_typ”"),
    ("required_if: {customer_type: 公司}", "        required_if: {customer_type: 企业}",
     "表单 registration 字段 uscc 的 required_if 中“customer_type”的值“企业”不是它的选项（应写选项本身：公司、个人）"),
    ("when: {field: trade_count, op: \">\"", '        when: {field: trade_cnt, op: ">", value: 0}',
     "表单 registration 规则 trade_count_needs_first_date 引用了不存在的字段“trade_cnt”"),
    ("require: first_trade_date", "        require: first_date",
     "表单 registration 规则 trade_count_needs_first_date 引用了不存在的字段“first_date”"),
    ("right: first_trade_date", "        right: first_date",
     "表单 registration 规则 trade_dates_order 引用了不存在的字段“first_date”"),
])
def test_bad_conditions_are_reported_at_the_field_or_rule_line(tmp_path, anchor, new, expected):
    path, line = edit(tmp_path, anchor, new)
    assert load_error(path) == f"{path}:{line}: {expected}"


def test_summary_with_a_wrong_setting_is_one_chinese_line_exit_2(tmp_path):
    path, line = edit(tmp_path, "stale_days: 60", "  stale_days: 六十")
    master = tmp_path / "总表.xlsx"
    master.write_bytes(b"")
    run = subprocess.run([sys.executable, "-m", "workbook_tools", "summary", str(master), "-o",
                          str(tmp_path / "汇总.xlsx"), "--schema", str(path)],
                         capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 2, run.stderr
    assert f"{path}:{line}: settings.stale_days 应为整数，实际为“六十”" in run.stderr
    assert "Traceback" not in run.stderr
    assert "stale_days: 60" in BUNDLED
