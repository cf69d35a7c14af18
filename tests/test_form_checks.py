"""Self-checking forms: every form carries the 检查结果 column, validate treats it as ours, and
in LibreOffice (a real spreadsheet engine) the formulas agree with validate on every value."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from cfverdict import VERDICT_SHEET, with_verdict_sheet
from formfill import fill, registration_row
from office import convert, convert_sheets, needs_soffice, pdf_pages
from xlsxwriter.utility import xl_col_to_name
from workbook_tools.generate.checks import CHECK_COLUMN, CHECK_SHEET, build_plan
from workbook_tools.generate.template import generate_template
from workbook_tools.schema import load_schema
from workbook_tools.schema.catalogue import catalogue
from workbook_tools.validate import sink
from workbook_tools.validate.files import validate_workbook
from workbook_tools.validate.run import run_validation

SCHEMA = load_schema()
ROWS = 5000         # values per rule family in the LibreOffice comparison (one conversion)


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
    assert plan.error_parts, "every form has at least one checked column"
    assert all(len(h.template.replace("§", "10001")) < 8192 for h in plan.helpers)  # Excel's limit
    assert all(_nesting(h.template) < 64 for h in plan.helpers)                     # Excel's limit
    for banned in ("TEXTJOIN", "XLOOKUP", "LAMBDA", "LET(", "FILTER(", "IFS("):
        assert all(banned not in h.template for h in plan.helpers)


def test_validate_treats_the_check_column_as_ours(tmp_path):
    path = generate_template(SCHEMA, "registration", tmp_path / "t.xlsx", rows=5, checks=True)
    report = validate_workbook(path, SCHEMA)
    assert not [f for f in report.findings if f.code == "column-unknown"]


# --- the differential test against validate, in LibreOffice ----------------------------------------
# One 5,000-row form, every row holding a valid or mutated value of every rule family (身份证号,
# 信用代码, 手机, 邮编, 客户编号, dates, numbers, choices, required fields), recalculated by ONE
# LibreOffice run that writes each sheet's values as CSV; validate reads the same filled file.

# validate's findings the formulas do not produce for a field type (the catalogue's formula_limit)
NOT_BY_FORMULA = {("mobile", "value-normalized")}


def _covered(finding, types: dict) -> bool:
    item = catalogue()[finding.code]
    return item.formula is not None and (types.get(finding.field), finding.code) not in NOT_BY_FORMULA


def _csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("checks")
    form = SCHEMA.form("registration")
    template, rules = with_verdict_sheet(SCHEMA, "registration", tmp / "blank.xlsx", ROWS)
    rng, ids, today = random.Random(20261204), [], dt.date.today()
    rows = [registration_row(rng, i, ids, today) for i in range(ROWS)]
    filled = tmp / "filled.xlsx"
    fill(template, filled, rows, form)
    sheets = convert_sheets(filled, tmp / "lo")
    report = unmasked_validation(filled)
    return form, rows, report, _csv(sheets[form.title]), (rules, _csv(sheets[VERDICT_SHEET]))


def unmasked_validation(path: Path):
    """validate's findings with values quoted as typed. Everyday outputs quote a 敏感 field's
    value masked (权限分配表: 手机“138****5678”); the form's own 检查结果 quotes it as typed — it is
    the office's own workbook, the value stands in the next cell — with the same words."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sink, "mask_for_field", lambda field, value: value)
        return validate_workbook(path, SCHEMA)


def _remove_all(text: str, messages: list[str]) -> str:
    """``text`` ("；"-joined messages) without each of ``messages`` once; "" when they were all."""
    rest = "；" + text + "；"
    for m in sorted(messages, key=len, reverse=True):
        assert "；" + m + "；" in rest, m
        rest = rest.replace("；" + m + "；", "；", 1)
    return rest.strip("；")


FAMILIES = {"id_card": "身份证号", "uscc": "统一社会信用代码", "mobile": "手机", "postal_code": "邮编",
            "customer_id": "客户编号", "created": "建档日期", "employees": "员工人数", "region": "所属区域",
            "owner": "负责业务员"}


@needs_soffice
def test_formulas_agree_with_validate_on_every_value(recalculated):
    form, rows, report, data, _ = recalculated
    types = {f.label: f.type for f in form.fields}
    by_row: dict[int, list[str]] = {}
    for f in report.findings:
        if f.row is not None and _covered(f, types):
            by_row.setdefault(f.row, []).append(f.message)
    disagreements = []
    for r in range(2, ROWS + 2):
        result = data[r - 1][len(form.fields)]
        try:
            leftover = _remove_all(result, by_row.get(r, []))
        except AssertionError as exc:
            disagreements.append((r, "formula misses", str(exc)))
            continue
        if leftover:
            disagreements.append((r, "formula adds", leftover))
    assert disagreements == []
    # the valid path is exercised too: most 身份证号 and 信用代码 pass every formula check
    for key, prefix in (("id_card", "id-card"), ("uscc", "uscc")):
        label = form.field(key).label
        flagged = {f.row for f in report.findings if f.field == label and f.code.startswith(prefix)
                   and f.severity == "error"}
        filled = sum(row[key] is not None for row in rows)
        assert filled - len(flagged) > 0.25 * filled, key
    # every family had ROWS values (filled or deliberately empty), valid and mutated ones
    for key in FAMILIES:
        assert len(rows) >= 5000 and sum(row[key] is not None for row in rows) > 4000, key
    codes = {f.code for f in report.findings if _covered(f, types)}
    assert {"id-card-checksum", "id-card-length", "id-card-format", "id-card-birth-date", "id-card-age",
            "id-card-old", "uscc-checksum", "uscc-format", "uscc-length", "uscc-old", "mobile-invalid",
            "postal-code-invalid", "required-missing", "required-if-missing", "unique-duplicate",
            "date-impossible", "date-future", "date-text", "date-out-of-range", "rule-compare",
            "rule-implies", "rule-any-required", "choice-invalid", "value-normalized", "pattern-mismatch",
            "number-below-min", "number-not-integer", "required-placeholder", "required-if-placeholder"} <= codes


@needs_soffice
def test_red_and_yellow_cells_are_where_validate_reports(recalculated):
    """Every conditional format of the data sheet, as written in the file (a field's own test,
    or LEN(检查!<its 错误/警告 column>)>0), computed by LibreOffice: true exactly at validate's
    findings, red for errors and yellow for warnings."""
    form, _, report, _, (rules, verdicts) = recalculated
    types = {f.label: f.type for f in form.fields}
    result_column = xl_col_to_name(len(form.fields))
    assert {col for col, *_ in rules} >= {xl_col_to_name(c) for c, f in enumerate(form.fields)
                                         if f.type in ("choice", "id_card", "uscc", "mobile", "date")}
    for severity in ("error", "warning"):
        expected = {f.cell for f in report.findings if f.severity == severity and _covered(f, types)}
        coloured = {f"{col}{r}" for k, (col, sev, first, last, _) in enumerate(rules)
                    if sev == severity and col != result_column
                    for r in range(first, last + 1) if verdicts[r - 1][k] in ("TRUE", "1")}
        assert len(expected) > 500 and coloured == expected, severity


@pytest.fixture(scope="module")
def small_filled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("small")
    form = SCHEMA.form("registration")
    template = generate_template(SCHEMA, "registration", tmp / "blank.xlsx", rows=40, checks=True)
    rng, ids, today = random.Random(5), [], dt.date.today()
    fill(template, tmp / "登记表.xlsx", [registration_row(rng, i, ids, today) for i in range(40)], form)
    return form, tmp / "登记表.xlsx"


@needs_soffice
def test_pdf_opens_and_the_annotated_copy_keeps_the_formulas_working(small_filled, tmp_path):
    form, filled = small_filled
    assert pdf_pages(convert(filled, "pdf", tmp_path / "pdf")) >= 1
    run = run_validation([filled], SCHEMA, annotate_dir=tmp_path / "退回")
    annotated = Path(run.annotated[str(filled)])
    types = {f.label: f.type for f in form.fields}
    by_row: dict[int, list[str]] = {}
    for f in unmasked_validation(filled).findings:
        if f.row is not None and _covered(f, types):
            by_row.setdefault(f.row, []).append(f.message)
    copy = _csv(convert_sheets(annotated, tmp_path / "copy")[form.title])
    results = [row[len(form.fields)] for row in copy[1:41]]
    assert [_remove_all(text, by_row.get(r, [])) for r, text in enumerate(results, start=2)] == [""] * 40
    assert sum(bool(r) for r in results) > 10


def test_checked_templates_are_byte_deterministic(tmp_path):
    a = generate_template(SCHEMA, "registration", tmp_path / "a.xlsx", rows=20, checks=True)
    b = generate_template(SCHEMA, "registration", tmp_path / "b.xlsx", rows=20, checks=True)
    assert a.read_bytes() == b.read_bytes()


def test_the_template_command_writes_checks_unless_no_checks(tmp_path):
    from click.testing import CliRunner

    from workbook_tools.cli import cli

    runner = CliRunner()
    done = runner.invoke(cli, ["template", "registration", "-o", str(tmp_path / "a.xlsx")])
    assert done.exit_code == 0, done.output
    plain = runner.invoke(cli, ["template", "registration", "-o", str(tmp_path / "b.xlsx"), "--no-checks"])
    assert plain.exit_code == 0, plain.output
    form = SCHEMA.form("registration")
    assert _sheet(tmp_path / "a.xlsx", form.title)[0][-1] == CHECK_COLUMN
    assert CHECK_COLUMN not in _sheet(tmp_path / "b.xlsx", form.title)[0]


def test_merge_ignores_the_check_column(small_filled, tmp_path):
    from workbook_tools.merge.files import merge_files

    form, filled = small_filled
    run = merge_files([filled], tmp_path / "总表.xlsx", schema=SCHEMA)
    book = CalamineWorkbook.from_path(str(tmp_path / "总表.xlsx"))
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        assert all(CHECK_COLUMN not in map(str, row) for row in rows[:5]), name
    assert run is not None


@needs_soffice
@pytest.mark.parametrize("kind", ["visit-plan", "visit-record", "complaint"])
def test_the_other_forms_agree_with_validate(tmp_path, kind):
    """Typed rows (wrong codes and choices, a text 2024-02-30, negative numbers, empty
    required cells) in each other form: LibreOffice's 检查结果 equals validate's findings."""
    import openpyxl

    form = SCHEMA.form(kind)
    blank = generate_template(SCHEMA, kind, tmp_path / "blank.xlsx", rows=6, checks=True)
    wb = openpyxl.load_workbook(blank)
    ws = wb[form.title]
    for r, text in ((2, "x"), (3, None), (4, "HD0001"), (5, "hd0002")):
        for c, f in enumerate(form.fields, start=1):
            if f.type == "date":
                ws.cell(r, c, "2024-02-30" if r == 3 else dt.datetime(2024, 5, 6))
            elif f.type in ("integer", "decimal", "money"):
                ws.cell(r, c, -1 if r == 2 else 3)
            elif text or c % 2:
                ws.cell(r, c, text or "y")
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    data = _csv(convert_sheets(filled, tmp_path / "lo")[form.title])
    types = {f.label: f.type for f in form.fields}
    report = unmasked_validation(filled)
    for r in range(2, 6):
        expected = [f.message for f in report.findings if f.row == r and _covered(f, types)]
        assert expected and _remove_all(data[r - 1][len(form.fields)], expected) == ""


def test_a_second_engine_agrees_too(tmp_path):
    """The `formulas` package (a Python spreadsheet engine, no LibreOffice) computes the same
    检查结果 as validate's findings for a few rows of every family."""
    formulas = pytest.importorskip("formulas")
    form = SCHEMA.form("registration")
    blank = generate_template(SCHEMA, "registration", tmp_path / "blank.xlsx", rows=8, checks=True)
    rng, ids, today = random.Random(9), [], dt.date.today()
    rows = [registration_row(rng, i, ids, today) for i in range(8)]
    fill(blank, tmp_path / "f.xlsx", rows, form)
    solution = formulas.ExcelModel().loads(str(tmp_path / "f.xlsx")).finish().calculate()
    types = {f.label: f.type for f in form.fields}
    report = unmasked_validation(tmp_path / "f.xlsx")
    letter = xl_col_to_name(len(form.fields))
    results = []
    for r in range(2, 10):
        value = solution[f"'[f.xlsx]{form.title.upper()}'!{letter}{r}"].value[0][0]
        expected = [f.message for f in report.findings if f.row == r and _covered(f, types)]
        results.append(_remove_all(str(value), expected))
    assert results == [""] * 8
    assert sum(1 for f in report.findings if _covered(f, types)) > 20


def _nesting(formula: str) -> int:
    """Deepest parenthesis nesting outside string literals (≥ Excel's function nesting)."""
    depth = deepest = 0
    quoted = False
    for ch in formula:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "()":
            depth += 1 if ch == "(" else -1
            deepest = max(deepest, depth)
    return deepest
