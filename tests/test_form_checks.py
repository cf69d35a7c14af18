"""Self-checking forms: every form carries the 检查结果 column, validate treats it as ours, and
in LibreOffice (a real spreadsheet engine) the formulas agree with validate on every value."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from formfill import fill, registration_row
from office import convert, needs_soffice
from workbook_tools.generate.checks import CHECK_COLUMN, CHECK_SHEET, build_plan
from workbook_tools.generate.template import generate_template
from workbook_tools.schema import load_schema
from workbook_tools.schema.catalogue import catalogue
from workbook_tools.validate.files import validate_workbook

SCHEMA = load_schema()
ROWS = 300          # values per rule family in the LibreOffice comparison (one conversion)


def _sheet(path: Path, name: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


@pytest.mark.parametrize("kind", SCHEMA.form_keys)
def test_every_form_has_the_check_column_and_plain_forms_do_not(tmp_path, kind):
    form = SCHEMA.form(kind)
    checked = generate_template(SCHEMA, kind, tmp_path / "a.xlsx", rows=5, checks=True)
    plain = generate_template(SCHEMA, kind, tmp_path / "b.xlsx", rows=5, checks=False)
    assert _sheet(checked, form.title)[0][len(form.fields)] == CHECK_COLUMN
    assert len(_sheet(plain, form.title)[0]) == len(form.fields)
    names = CalamineWorkbook.from_path(str(checked)).sheet_names
    assert CHECK_SHEET in names and CHECK_SHEET not in CalamineWorkbook.from_path(str(plain)).sheet_names
    plan = build_plan(form, form.title, 2, 6, SCHEMA.settings)
    assert plan.cell_errors, "every form has at least one checked column"
    assert all(len(h.template) < 8192 for h in plan.helpers)
    for banned in ("TEXTJOIN", "XLOOKUP", "LAMBDA", "LET(", "FILTER(", "IFS("):
        assert all(banned not in h.template for h in plan.helpers)


def test_validate_treats_the_check_column_as_ours(tmp_path):
    path = generate_template(SCHEMA, "registration", tmp_path / "t.xlsx", rows=5, checks=True)
    report = validate_workbook(path, SCHEMA)
    assert not [f for f in report.findings if f.code == "column-unknown"]


# --- the differential test against validate, in LibreOffice ----------------------------------------

# findings the formulas report, per field type (the catalogue's formula entries, in their domain)
NOT_BY_FORMULA = {("mobile", "value-normalized")}


def _covered(finding, types: dict) -> bool:
    item = catalogue()[finding.code]
    return item.formula is not None and (types.get(finding.field), finding.code) not in NOT_BY_FORMULA


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("checks")
    form = SCHEMA.form("registration")
    template = generate_template(SCHEMA, "registration", tmp / "blank.xlsx", rows=ROWS, checks=True)
    rng, ids, today = random.Random(20261204), [], dt.date.today()
    rows = [registration_row(rng, i, ids, today) for i in range(ROWS)]
    fill(template, tmp / "filled.xlsx", rows, form)
    out = convert(tmp / "filled.xlsx", "xlsx", tmp / "lo")
    return form, rows, out


def _remove_all(text: str, messages: list[str]) -> str:
    """``text`` ("；"-joined messages) without each of ``messages`` once; "" when they were all."""
    rest = "；" + text + "；"
    for m in sorted(messages, key=len, reverse=True):
        assert "；" + m + "；" in rest, m
        rest = rest.replace("；" + m + "；", "；", 1)
    return rest.strip("；")


@needs_soffice
def test_formulas_agree_with_validate_on_every_value(recalculated):
    form, rows, out = recalculated
    types = {f.label: f.type for f in form.fields}
    data = _sheet(out, form.title)
    report = validate_workbook(out, SCHEMA)
    by_row: dict[int, list[str]] = {}
    for f in report.findings:
        if f.row is not None and _covered(f, types):
            by_row.setdefault(f.row, []).append(f.message)
    disagreements = []
    for r in range(2, ROWS + 2):
        result = data[r - 1][len(form.fields)]
        expected = by_row.get(r, [])
        try:
            leftover = _remove_all(result, expected)
        except AssertionError as exc:
            disagreements.append((r, "missing", str(exc)))
            continue
        if leftover:
            disagreements.append((r, "extra", leftover))
    assert disagreements == []
    codes = {f.code for f in report.findings if _covered(f, types)}
    assert {"id-card-checksum", "id-card-length", "id-card-format", "id-card-birth-date",
            "uscc-checksum", "uscc-format", "uscc-length", "mobile-invalid", "postal-code-invalid",
            "required-missing", "required-if-missing", "unique-duplicate", "date-impossible",
            "date-future", "rule-compare", "choice-invalid", "value-normalized"} <= codes


@needs_soffice
def test_red_cells_are_where_validate_reports_errors(recalculated, tmp_path):
    form, rows, out = recalculated
    plan = build_plan(form, form.title, 2, ROWS + 1, SCHEMA.settings)
    helper = _sheet(out, CHECK_SHEET)
    header = helper[0]
    types = {f.label: f.type for f in form.fields}
    report = validate_workbook(out, SCHEMA)
    errors = {f.cell for f in report.findings if f.severity == "error" and _covered(f, types)}
    red = set()
    for col, letter in plan.cell_errors.items():
        index = header.index(f"{form.fields[col].label} 错误")
        for r in range(2, ROWS + 2):
            if helper[r - 1][index]:          # the conditional format's LEN(…)>0
                red.add(f"{_letter(col)}{r}")
    assert red == errors
    pdf = convert(out, "pdf", tmp_path)
    assert pdf.read_bytes()[:5] == b"%PDF-"


def _letter(i: int) -> str:
    from xlsxwriter.utility import xl_col_to_name
    return xl_col_to_name(i)
