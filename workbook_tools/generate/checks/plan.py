"""Which helper columns a form's checks need and the formula template of each.

The hidden 检查 sheet mirrors the data sheet row for row: column A says whether the row is in
use, B and C gather the row's error and warning messages; a code or date field gets a helper
column with its normalised value (blank and placeholder tests included), and its messages go
into a 错误/警告 column of its own or one shared with its neighbours (groups.py). ``§`` in a
template stands for the row number."""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field

from xlsxwriter.utility import xl_col_to_name

from workbook_tools.generate.checks import codes, values
from workbook_tools.generate.checks.groups import SharedCells
from workbook_tools.generate.checks.excel import (
    Expr, Texts, blank, blank_or_placeholder, chain, check_length, collect_texts, condition, iso_date,
    message, placeholder, stripped, verdict_messages,
)
from workbook_tools.schema.model import DATE_TYPES, NUMBER_TYPES, Field, Form
from workbook_tools.schema.settings import DEFAULT_PLACEHOLDERS

CHECK_SHEET = "检查"
TEXT_SHEET = "检查文字"
CHECK_COLUMN = "检查结果"
IN_USE, ERRORS, WARNINGS = "A", "B", "C"
BLANK_MARK, PLACEHOLDER_MARK = '" "', '"  "'     # a text 规范值 of a blank / placeholder cell


@dataclass
class Helper:
    header: str
    template: str


@dataclass
class CheckPlan:
    form: Form
    data_sheet: str
    first_row: int                 # 1-based sheet row of the first data row
    last_row: int
    helpers: list[Helper] = dc_field(default_factory=list)
    cell_errors: dict[int, str] = dc_field(default_factory=dict)    # data column → helper letter
    cell_warnings: dict[int, str] = dc_field(default_factory=dict)
    error_parts: list[str] = dc_field(default_factory=list)          # helper letters of 错误, in order
    warning_parts: list[str] = dc_field(default_factory=list)
    verdicts: dict[tuple, str] = dc_field(default_factory=dict)      # (data column, 错误/警告) → its test
    normal: dict[str, str] = dc_field(default_factory=dict)          # field key → helper letter
    status: dict[str, str] = dc_field(default_factory=dict)          # date field key → its 日期 letter
    state: dict[str, str] = dc_field(default_factory=dict)           # field key → helper letter
    in_use: str = ""
    texts: Texts | None = None
    placeholders: tuple[str, ...] = DEFAULT_PLACEHOLDERS   # settings.empty_placeholders

    # A field with a 规范值 (text) or 日期 (date) helper has its blank and placeholder tests
    # computed once there: the text helper holds " " for a blank cell and "  " for a placeholder
    # (no normalised value has a space), the 日期 helper "" and "P" (values.date_cell).
    def is_blank(self, key: str) -> str:
        if key in self.state:
            return f'{self.state[key]}§={BLANK_MARK}' if key in self.normal_text else f'{self.state[key]}§=""'
        return blank(self.x(key))

    def is_placeholder(self, key: str) -> str:
        if key in self.state and self.placeholders:
            mark = PLACEHOLDER_MARK if key in self.normal_text else '"P"'
            return f"{self.state[key]}§={mark}"
        return self.placeholder_test(key)

    def placeholder_test(self, key: str) -> str:
        """The placeholder test on the data cell itself."""
        return placeholder(self.x(key), self.placeholders) if self.placeholders else "FALSE"

    def empty(self, key: str) -> str:
        """TRUE when the field's cell is blank or holds a placeholder (无 …): empty for validate."""
        if key in self.normal_text:
            return f'LEFT({self.state[key]}§)=" "'
        if key in self.state:
            return f'OR({self.state[key]}§="",{self.state[key]}§="P")'
        if not self.placeholders:
            return blank(self.x(key))
        return blank_or_placeholder(self.x(key), self.placeholders)

    @property
    def normal_text(self) -> set[str]:
        return {k for k in self.state if k not in self.status}

    def x(self, key: str) -> str:
        col = next(i for i, f in enumerate(self.form.fields) if f.key == key)
        return f"'{self.data_sheet}'!{xl_col_to_name(col)}§"

    def add(self, header: str, template: str) -> str:
        letter = xl_col_to_name(len(self.helpers) + 3)
        check_length(template.replace("§", "99999"), header)   # as written in the largest form
        self.helpers.append(Helper(header, template))
        return letter


def build_plan(form: Form, data_sheet: str, first_row: int, last_row: int,
               settings: dict | None = None) -> CheckPlan:
    """The helper columns for ``form`` whose data rows are ``first_row``..``last_row`` (1-based)."""
    plan = CheckPlan(form, data_sheet, first_row, last_row, texts=Texts(TEXT_SHEET))
    collect_texts(plan.texts)
    try:
        _build(plan, form, data_sheet, settings)
    finally:
        collect_texts(None)
    return plan


def _build(plan: CheckPlan, form: Form, data_sheet: str, settings: dict | None) -> None:
    last = xl_col_to_name(len(form.fields) - 1)
    in_use = f"SUMPRODUCT(LEN(TRIM('{data_sheet}'!A§:{last}§)))>0"
    plan.placeholders = tuple((settings or {}).get("empty_placeholders", DEFAULT_PLACEHOLDERS))
    for f in form.fields:
        x = plan.x(f.key)
        if f.type in DATE_TYPES:
            cell = values.date_cell(x, blank(x), plan.placeholder_test(f.key))
            plan.normal[f.key] = plan.status[f.key] = plan.state[f.key] = plan.add(f"{f.label} 日期", cell)
            continue
        elif f.type in NUMBER_TYPES:
            formula = values.normalised(f, x) if f.key in _rule_operands(form) else None
        else:
            formula = values.normalised(f, x)
            if formula is not None:
                formula = f"IF({blank(x)},{BLANK_MARK},IF({plan.placeholder_test(f.key)},{PLACEHOLDER_MARK},{formula}))"
        if formula is not None:
            plan.normal[f.key] = plan.add(f"{f.label} 规范值", formula)
            if f.type not in DATE_TYPES and f.type not in NUMBER_TYPES:
                plan.state[f.key] = plan.normal[f.key]
    ages = (settings or {}).get("id_card_age") or {}
    errors = SharedCells(plan, CHECK_SHEET, "错误", plan.cell_errors, plan.error_parts)
    warnings = SharedCells(plan, CHECK_SHEET, "警告", plan.cell_warnings, plan.warning_parts)
    for col, f in enumerate(form.fields):
        error, warning = _cell_checks(plan, f, ages)
        with verdict_messages():
            error_test, warning_test = _cell_checks(plan, f, ages)
        errors.add(col, f, error, f"LEN({error_test})>0", shareable=not _unique(plan, f))
        warnings.add(col, f, warning, f"LEN({warning_test})>0", shareable=True)
    errors.close()
    warnings.close()
    plan.in_use = in_use


def _cell_checks(plan: CheckPlan, f: Field, ages: dict) -> tuple[str, str]:
    """The cell's error and warning formulas ('""' for none)."""
    errors, warnings = _field_checks(plan, f, ages)
    if warnings != '""' and f.key not in plan.status and (plan.placeholders or f.key in plan.state):
        warnings = f'IF({plan.empty(f.key) if f.key in plan.state else plan.is_placeholder(f.key)},"",{warnings})'
    errors = _with_blank(plan, f, errors) + _rule_parts(plan, f) + _unique(plan, f)
    return (errors[3:] if errors.startswith('""&') else errors), warnings


def _rule_operands(form: Form) -> set[str]:
    """Fields whose value a compare or implies rule reads."""
    keys = set()
    for rule in form.rules:
        if rule.kind == "compare":
            keys |= {rule.left, rule.right}
        elif rule.kind == "implies":
            keys.add(rule.when[0])
            if rule.then is not None:
                keys.add(rule.then[0])
    return keys


def _field_checks(plan: CheckPlan, f: Field, ages: dict) -> tuple[str, str]:
    x, n = plan.x(f.key), f"{plan.normal[f.key]}§" if f.key in plan.normal else None
    if f.type == "id_card":
        return codes.id_card_checks(f, x, n, ages)
    if f.type == "uscc":
        return codes.uscc_checks(f, x, n)
    if f.type == "mobile":
        return codes.mobile_checks(f, x, n)
    if f.type == "postal_code":
        return codes.postal_checks(f, x, n)
    if f.type == "customer_id":
        return codes.customer_id_checks(f, x, n)
    if f.type in DATE_TYPES:
        return values.date_checks(f, x, n)
    if f.type in NUMBER_TYPES:
        return values.number_checks(f, x)
    if f.type == "choice":
        return values.choice_checks(f, x)
    return '""', '""'


def _when(plan: CheckPlan, key: str, value: str) -> str:
    other = plan.form.field(key)
    if other.type == "choice":
        keys = [k for k, v in other.choice_lookup().items() if v == value]
        return values.choice_is(plan.x(key), keys)
    return f'{values.stripped(plan.x(key))}="{value}"'


def _with_blank(plan: CheckPlan, f: Field, checks: str) -> str:
    """The field's checks behind its blank test: a blank cell gets the required findings
    only; a placeholder (无 …) is blank too, but named in the required findings. A valid
    choice is recognised first (values.choice_tested_first)."""
    x, used = plan.x(f.key), f"{IN_USE}§"
    out, out_placeholder = _required_parts(plan, f, used, None), _required_parts(plan, f, used, x)
    valid = None
    if f.type == "choice" and checks != '""' and values.choice_tested_first(f, plan.placeholders):
        invalid, checks = values.choice_parts(f, x)      # reached only by an invalid choice
        valid = f"NOT({invalid})"
    if out == '""' and checks == '""':
        return '""'
    if not plan.placeholders:
        inner = f"IF({plan.is_blank(f.key)},{out},{checks})"
    elif out == '""' and (f.key in plan.status or f.type in NUMBER_TYPES):
        inner = checks   # "" for a blank or placeholder date status, and for a non-number
    elif out == '""':
        inner = f"IF({plan.empty(f.key)},{out},{checks})"
    else:
        inner = f"IF({plan.is_blank(f.key)},{out},IF({plan.is_placeholder(f.key)},{out_placeholder},{checks}))"
    return inner if valid is None else f'IF({valid},"",{inner})'


def _required_parts(plan: CheckPlan, f: Field, used: str, shown: str | None) -> str:
    """required-missing / required-if-missing (shown None), or the -placeholder findings
    naming the cell's text (``shown``: the cell)."""
    suffix, value = ("-missing", {}) if shown is None else ("-placeholder", {"value": Expr(stripped(shown))})
    cases = []
    if f.required:
        code = "required" + suffix
        cases.append((condition(code, blank=used), message(code, label=f.label, **value)))
    out = chain(cases)
    if f.required_if and all(k in {g.key for g in plan.form.fields} for k, _ in f.required_if):
        when = "AND(" + ",".join(_when(plan, k, v) for k, v in f.required_if) + ")"
        text = "且".join(f"{plan.form.field(k).label}为“{v}”" for k, v in f.required_if)
        code = "required-if" + suffix
        extra = chain([(condition(code, blank=used, when=when),
                        message(code, label=f.label, condition=text, **value))])
        out = extra if out == '""' else f"{out}&{extra}"
    return out


def _rule_parts(plan: CheckPlan, f: Field) -> str:
    parts = []
    keys = {g.key for g in plan.form.fields}
    labels = {g.key: g.label for g in plan.form.fields}
    for rule in plan.form.rules:
        if rule.kind == "any_required":
            present = [k for k in rule.fields if k in keys]
            if present and present[0] == f.key:
                all_blank = "AND(" + ",".join(plan.empty(k) for k in present) + ")"
                parts.append(chain([(condition("rule-any-required", in_use=f"{IN_USE}§", all_blank=all_blank),
                                     message("rule-any-required", rule=rule.message,
                                             labels="、".join(labels[k] for k in rule.fields)))]))
        elif rule.kind == "compare" and rule.left == f.key:
            parts.append(_compare(plan, rule, labels))
        elif rule.kind == "implies" and rule.then is not None and rule.then[0] == f.key:
            parts.append(_implies_value(plan, rule, labels))
        elif rule.kind == "implies" and rule.then is None and rule.require == f.key:
            parts.append(_implies(plan, rule, labels))
    return "".join("&" + p for p in parts if p)


def _shown_parsed(plan: CheckPlan, key: str) -> Expr:
    ref = f"{plan.normal[key]}§"
    return Expr(iso_date(ref) if plan.form.field(key).type in DATE_TYPES else ref)


def _compare(plan: CheckPlan, rule, labels: dict) -> str:
    if rule.left not in plan.normal or rule.right not in plan.normal:
        return ""
    op = {"==": "=", "!=": "<>"}.get(rule.op, rule.op)
    left, right = f"{plan.normal[rule.left]}§", f"{plan.normal[rule.right]}§"
    return chain([(condition("rule-compare", left=left, right=right, op=op),
                   message("rule-compare", rule=rule.message, label=labels[rule.left],
                           left=_shown_parsed(plan, rule.left), right=_shown_parsed(plan, rule.right),
                           right_label=labels[rule.right]))])


def _implies(plan: CheckPlan, rule, labels: dict) -> str:
    key, op, value = rule.when
    if plan.form.field(key).type not in NUMBER_TYPES or isinstance(value, (str, bool)) \
            or rule.require not in labels:
        return ""
    op = {"==": "=", "!=": "<>"}.get(op, op)
    ref = f"{plan.normal[key]}§"
    when = f"AND(ISNUMBER({ref}),{ref}{op}{value})"
    return chain([(condition("rule-implies", when=when, blank=plan.empty(rule.require)),
                   message("rule-implies", rule=rule.message, label=labels[rule.require],
                           when_label=labels[key], when_value=Expr(ref)))])


def _number_condition(plan: CheckPlan, condition_: tuple) -> str:
    """``field op value`` as a formula on the normalised cell, or "" when it is not numeric."""
    key, op, value = condition_
    if key not in plan.normal or plan.form.field(key).type not in NUMBER_TYPES \
            or isinstance(value, (str, bool)) or value is None:
        return ""
    ref = f"{plan.normal[key]}§"
    return f"AND(ISNUMBER({ref}),{ref}{({'==': '=', '!=': '<>'}).get(op, op)}{value})"


def _implies_value(plan: CheckPlan, rule, labels: dict) -> str:
    when, then = _number_condition(plan, rule.when), _number_condition(plan, rule.then)
    if not when or not then:
        return ""
    key, then_key = rule.when[0], rule.then[0]
    ref, then_ref = f"{plan.normal[key]}§", f"{plan.normal[then_key]}§"
    fails = f"AND(ISNUMBER({then_ref}),NOT({then}))"
    return chain([(condition("rule-implies-value", when=when, fails=fails),
                   message("rule-implies-value", rule=rule.message, label=labels[then_key],
                           when_label=labels[key], when_value=Expr(ref),
                           value=Expr(then_ref)))])


def _unique(plan: CheckPlan, f: Field) -> str:
    """Second and later occurrences: the first match (MATCH, wildcards escaped) lies above."""
    if not f.unique or f.key not in plan.normal or f.type in DATE_TYPES or f.type in NUMBER_TYPES:
        return ""
    letter = plan.normal[f.key]
    key = f'SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({letter}§,"~","~~"),"*","~*"),"?","~?")'
    first = f"MATCH({key},{letter}${plan.first_row}:{letter}${plan.last_row},0)+{plan.first_row - 1}"
    cond = f'AND(NOT({plan.empty(f.key)}),{condition("unique-duplicate", first=first)})'
    return "&" + chain([(cond, message("unique-duplicate", label=f.label,
                                       value=values.shown(f, plan.x(f.key)), first_row=Expr(first), first_sheet=""))])
