"""Data validation of template columns: dropdowns, date and number checks, input messages.

Excel limits titles to 32 and messages to 255 UTF-16 units; XlsxWriter refuses longer
texts, so every text passes through :func:`fit`.
"""

from __future__ import annotations

import datetime as dt

from xlsxwriter.utility import xl_rowcol_to_cell

from workbook_tools.schema.model import DATE_TYPES, NUMBER_TYPES, Field, Form

MAX_TITLE = 32
MAX_MESSAGE = 255
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
ELLIPSIS = "…"
CHOICE_SEPARATOR = "／"

CHOICE_PROMPT = "请点击单元格右侧的下拉箭头，从列表中选择。"
DATE_PROMPT = "请填写日期，格式如 2026-11-22。"


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def fit(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-16 units, ending with … when cut."""
    if _utf16_len(text) <= limit:
        return text
    out = ""
    for ch in text:
        if _utf16_len(out + ch + ELLIPSIS) > limit:
            break
        out += ch
    return out + ELLIPSIS


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _prompt(field: Field, default: str = "") -> dict:
    message = field.help or default
    if not message:
        return {}
    return {"input_title": fit(field.label, MAX_TITLE), "input_message": fit(message, MAX_MESSAGE)}


def _error(title: str, message: str) -> dict:
    return {"error_type": "stop", "error_title": fit(title, MAX_TITLE),
            "error_message": fit(message, MAX_MESSAGE)}


def list_options(field: Field, list_name: str) -> dict:
    """A dropdown fed from the defined name ``list_name`` (a range on the lists sheet)."""
    allowed = CHOICE_SEPARATOR.join(field.choice_values)
    return {
        "validate": "list", "source": f"={list_name}",
        **_prompt(field, CHOICE_PROMPT),
        **_error("输入值无效", f"“{field.label}”只能从下拉列表中选择：{allowed}"),
    }


def date_options(field: Field) -> dict:
    return {
        "validate": "date", "criteria": "between", "minimum": DATE_MIN, "maximum": DATE_MAX,
        **_prompt(field, DATE_PROMPT),
        **_error("日期无效", f"“{field.label}”请填写 {DATE_MIN:%Y-%m-%d} 至 {DATE_MAX:%Y-%m-%d} "
                          "之间的日期，格式如 2026-11-22。"),
    }


def number_options(field: Field) -> dict:
    """Integer or decimal check between the field's declared min and/or max."""
    low, high = field.min, field.max
    if low is not None and high is not None:
        criteria = {"criteria": "between", "minimum": low, "maximum": high}
        bounds = f"{_number(low)} 到 {_number(high)} 之间"
    elif low is not None:
        criteria = {"criteria": ">=", "value": low}
        bounds = f"不小于 {_number(low)} "
    else:
        criteria = {"criteria": "<=", "value": high}
        bounds = f"不大于 {_number(high)} "
    integer = field.type == "integer"
    what = "整数" if integer else "数字"
    return {
        "validate": "integer" if integer else "decimal", **criteria, **_prompt(field),
        **_error("数值无效", f"“{field.label}”请填写{bounds}的{what}。"),
    }


# Lengths a code can only have (after spaces and hyphens are removed): refused outright by
# the self-checking forms, since validate reports every other length as an error.
CODE_LENGTHS = {"id_card": (15, 18), "uscc": (15, 18), "postal_code": (6,)}
CODE_MESSAGES = {
    "id_card": "身份证号应为 18 位（最后一位可以是 X），旧证 15 位。",
    "uscc": "统一社会信用代码应为 18 位数字或大写字母（旧注册号 15 位）。",
    "postal_code": "邮编应为 6 位数字，可以 0 开头。",
}


def code_options(field: Field, cell: str) -> dict:
    """Custom validation refusing a code of impossible length; ``cell`` is the first data cell."""
    compact = f'SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({cell}," ",""),"　",""),"-","")'
    if field.type == "postal_code":
        compact = f'TRIM(SUBSTITUTE({cell},"　"," "))'
    tests = ",".join(f"LEN({compact})={n}" for n in CODE_LENGTHS[field.type])
    return {
        "validate": "custom", "value": f"=OR({tests})", **_prompt(field),
        **_error("位数不对", f"“{field.label}”{CODE_MESSAGES[field.type]}"),
    }


def field_options(field: Field, list_name: str | None = None, cell: str | None = None) -> dict | None:
    """The XlsxWriter ``data_validation`` options for a column of ``field``, or None. With
    ``cell`` (the self-checking forms), codes of impossible length are refused."""
    if cell and field.type in CODE_LENGTHS:
        return code_options(field, cell)
    if field.type == "choice" and list_name:
        return list_options(field, list_name)
    if field.type in DATE_TYPES:
        return date_options(field)
    if field.type in NUMBER_TYPES and (field.min is not None or field.max is not None):
        return number_options(field)
    if field.help:
        return {"validate": "any", **_prompt(field)}
    return None


def add_validations(worksheet, form: Form, first_row: int, last_row: int,
                    list_names: dict[str, str], checks: bool = False) -> None:
    """Add each column's validation to rows ``first_row``..``last_row`` (zero-based)."""
    for col, field in enumerate(form.fields):
        cell = xl_rowcol_to_cell(first_row, col) if checks else None
        options = field_options(field, list_names.get(field.key), cell)
        if options is None:
            continue
        if worksheet.data_validation(first_row, col, last_row, col, options) != 0:
            raise RuntimeError(f"data validation rejected for field {field.key}: {options}")
