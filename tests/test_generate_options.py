"""Options, errors, determinism and Excel's text limits of the template generator."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from workbook_tools.errors import OutputError, WorkbookToolsError
from workbook_tools.generate import INSTRUCTIONS_SHEET, generate_template, resolve_form
from workbook_tools.generate import template as template_module
from workbook_tools.schema import load_schema


@pytest.fixture(scope="module")
def schema():
    return load_schema()


def validation_at(ws, coord: str):
    found = [dv for dv in ws.data_validations.dataValidation if coord in dv.sqref]
    assert len(found) <= 1, f"several validations on {coord}"
    return found[0] if found else None


def test_region_alias_is_canonicalised_and_unknown_refused(tmp_path, schema):
    out = generate_template(schema, "visit-plan", tmp_path / "plan.xlsx", region=" 华东区 ", owner="李四")
    wb = openpyxl.load_workbook(out)
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert (props["region"], props["owner"]) == ("华东", "李四")
    assert wb[INSTRUCTIONS_SHEET]["A4"].value == "所属区域：华东　业务员：李四"
    with pytest.raises(WorkbookToolsError, match="未知的区域“火星”，可用的区域：华东、华南"):
        generate_template(schema, "registration", tmp_path / "x.xlsx", region="火星")
    assert not (tmp_path / "x.xlsx").exists()



# ---------------------------------------------------------------- options, errors, determinism

def test_output_is_deterministic(tmp_path, schema):
    a = generate_template(schema, "registration", tmp_path / "a.xlsx", region="华南")
    b = generate_template(load_schema(), "客户档案登记表", tmp_path / "b.xlsx", region="华南")
    assert a.read_bytes() == b.read_bytes()
    c = generate_template(schema, "registration", tmp_path / "c.xlsx", region="华南",
                          created=dt.datetime(2026, 1, 2, 3, 4, 5))
    assert c.read_bytes() != a.read_bytes()
    assert openpyxl.load_workbook(c).properties.created == dt.datetime(2026, 1, 2, 3, 4, 5)


def test_rows_option(tmp_path, schema):
    out = generate_template(None, "complaint", tmp_path / "c.xlsx", rows=5)
    ws = openpyxl.load_workbook(out)["客户投诉记录"]
    assert ws.max_row == 6
    assert ws.auto_filter.ref == "A1:H6"
    assert {str(dv.sqref)[-2:] for dv in ws.data_validations.dataValidation} == {"G6", "B6"}
    for rows in (0, -1, 10_001, 2.5, True):
        with pytest.raises(WorkbookToolsError, match="预留行数"):
            generate_template(schema, "complaint", tmp_path / "bad.xlsx", rows=rows)


def test_kind_by_key_title_or_alias(schema):
    assert resolve_form(schema, "visit-plan").key == "visit-plan"
    assert resolve_form(schema, "客户拜访计划").key == "visit-plan"
    assert resolve_form(schema, "投诉记录").key == "complaint"
    with pytest.raises(WorkbookToolsError) as err:
        resolve_form(schema, "nosuch")
    assert str(err.value) == ("未知的表格类型“nosuch”，可用的类型：registration（客户档案登记表）、"
                              "visit-plan（客户拜访计划）、visit-record（客户拜访记录）、complaint（客户投诉记录）、"
                                  "trade（客户交易记录）")


def test_schema_path_or_default(tmp_path):
    from workbook_tools.schema import DEFAULT_SCHEMA
    a = generate_template(DEFAULT_SCHEMA, "complaint", tmp_path / "a.xlsx")
    b = generate_template(None, "complaint", tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()


def test_output_must_be_xlsx(tmp_path, schema):
    for name in ("x.xls", "x.xlsm", "x"):
        with pytest.raises(OutputError, match=r"扩展名应为 \.xlsx"):
            generate_template(schema, "complaint", tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_failure_leaves_no_file(tmp_path, schema, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(template_module, "write_instructions", boom)
    with pytest.raises(RuntimeError):
        generate_template(schema, "registration", tmp_path / "out.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_long_texts_are_cut_to_excel_limits(tmp_path):
    from workbook_tools.generate.validation import fit
    from workbook_tools.schema import DEFAULT_SCHEMA, parse_schema

    assert fit("abc", 3) == "abc"
    assert fit("abcd", 3) == "ab…"
    assert fit("😀😀😀", 4) == "😀…"  # characters above U+FFFF count as two UTF-16 units
    old = "help: 公司客户填营业执照上的全称；个人客户填姓名"
    text = DEFAULT_SCHEMA.read_text(encoding="utf-8")
    assert text.count(old) == 1
    schema = parse_schema(text.replace(old, "help: " + "很长的说明" * 80), "long.yaml")
    out = generate_template(schema, "registration", tmp_path / "long.xlsx", rows=3)
    ws = openpyxl.load_workbook(out)["客户档案登记表"]
    dv = validation_at(ws, "B2")
    assert len(dv.prompt) == 255 and dv.prompt.endswith("…")
    assert dv.prompt.startswith("很长的说明很长的说明")
    for dv in ws.data_validations.dataValidation:
        assert len(dv.error or "") <= 255 and len(dv.errorTitle or "") <= 32
        assert len(dv.promptTitle or "") <= 32
