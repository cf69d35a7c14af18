"""Per field type: the normalised value a check reads and the ordered checks of one cell,
mirroring validate's checkers (the first failing check of a chain is the one reported).

Formulas are templates in which ``§`` stands for the sheet row; ``x`` is the data cell,
``n`` the helper cell holding its normalised value."""

from __future__ import annotations

import re

from workbook_tools.generate.checks.excel import (
    DIGITS, Expr, all_digits, chain, condition, half_width, iso_date, message, stripped,
)
from workbook_tools.schema.model import DATE_TYPES, Field

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WIDE_X = (("Ｘ", "X"), ("ｘ", "x"))
_SIMPLE_PATTERN = re.compile(r"\^\(((?:[A-Z0-9]+\|)*[A-Z0-9]+)\)\\d\{(\d+),\}\$")


def compact(x: str) -> str:
    """Upper case, half-width digits, no spaces or hyphens (validate's compact_code)."""
    inner = f'SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({x}," ",""),"　",""),"-","")'
    return f"UPPER({half_width(inner, _WIDE_X)})"


def shown(field: Field, x: str) -> Expr:
    """The cell as validate shows it in a message ({value})."""
    if field.type in DATE_TYPES:
        return Expr(f"IF(ISNUMBER({x}),{iso_date(x)},{x})")
    return Expr(x)          # joined with & into the message: its text


def digits_only(text: str) -> str:
    """TRUE when ``text`` is non-empty and has nothing but ASCII digits."""
    inner = text
    for d in "0123456789":
        inner = f'SUBSTITUTE({inner},"{d}","")'
    return f'AND(LEN({text})>0,LEN({inner})=0)'


def normalised(field: Field, x: str) -> str | None:
    """The helper formula holding the value the checks read, or None when they read the cell."""
    if field.type in ("id_card", "uscc"):
        return compact(x)
    if field.type == "mobile":
        return half_width(f'SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({x}," ",""),"　",""),"-","")')
    if field.type in ("postal_code",):
        return half_width(stripped(x))
    if field.type == "customer_id" or field.unique:
        return f"UPPER({half_width(stripped(x))})" if field.type == "customer_id" else stripped(x)
    if field.type in ("integer", "decimal", "money"):
        return f'IF(ISNUMBER({x}),{x},"")'
    return None


# --- dates -----------------------------------------------------------------------------------------

def _text_date(x: str) -> dict[str, str]:
    """A 2026-11-22 text date (the cell is not a number here): its shape test and parts."""
    t = f"TRIM({x})"
    allowed = ",".join('"-"' if i in (5, 8) else f'"{DIGITS}"' for i in range(1, 11))
    shape = f'AND(LEN({t})=10,SUMPRODUCT(ISNUMBER(FIND(MID({t},{{1,2,3,4,5,6,7,8,9,10}},1),{{{allowed}}}))*1)=10)'
    return {"shape": shape, "y": f"LEFT({t},4)*1", "m": f"MID({t},6,2)*1", "d": f"MID({t},9,2)*1"}


def date_cell(x: str, is_blank: str, is_placeholder: str) -> str:
    """What validate makes of a date cell, computed once per row: the date it reads (a serial
    number, from a date cell or a 2026-11-22 text date), or "R" a year outside 1900–2100, "I" a
    day that does not exist, "" blank, "P" a placeholder (无 …), "X" any other text (left to
    validate)."""
    td = _text_date(x)
    text = (f'IF({condition("date-text", **td)},IF({condition("date-out-of-range", y=td["y"])},"R",'
            f'IF({condition("date-impossible", **td)},"I",DATE({td["y"]},{td["m"]},{td["d"]}))),"X")')
    text = f'IF({is_blank},"",IF({is_placeholder},"P",{text}))'
    return f'IF(ISNUMBER({x}),IF({condition("date-out-of-range", y=f"YEAR({x})")},"R",INT({x})),{text})'


def date_checks(field: Field, x: str, n: str) -> tuple[str, str]:
    """``n``: the field's :func:`date_cell`. Both formulas are "" for a blank or placeholder
    date ("" and "P" are neither a number nor "R"/"I"), so they need no blank test."""
    label, value = field.label, shown(field, x)
    text = chain([(f'{n}="R"', message("date-out-of-range", label=label, value=value)),
                  # only a text date can be impossible: shown as typed
                  (f'{n}="I"', message("date-impossible", label=label, value=Expr(x)))])
    future = '""' if field.allow_future else chain([(
        condition("date-future", date=n),
        message("date-future", label=label, value=value, as_of=Expr(iso_date("TODAY()"))))])
    errors = f"IF(ISNUMBER({n}),{future},{text})"
    warn = chain([(f"AND(ISNUMBER({n}),ISTEXT({x}))",          # a text date: shown as typed
                   message("date-text", label=label, value=Expr(x), parsed=Expr(iso_date(n))))])
    return errors, warn


# --- numbers ---------------------------------------------------------------------------------------

def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def number_checks(field: Field, x: str) -> tuple[str, str]:
    label, value = field.label, shown(field, x)
    cases = []
    if field.type == "integer":
        cases.append((condition("number-not-integer", x=x),
                       message("number-not-integer", label=label, value=value)))
    if field.min is not None:
        cases.append((condition("number-below-min", x=x, min=_num(field.min)),
                      message("number-below-min", label=label, value=value, min=_num(field.min))))
    if field.max is not None:
        cases.append((condition("number-above-max", x=x, max=_num(field.max)),
                      message("number-above-max", label=label, value=value, max=_num(field.max))))
    return (f'IF(ISNUMBER({x}),{chain(cases)},"")' if cases else '""'), '""'


# --- choices ---------------------------------------------------------------------------------------

def choice_text(x: str) -> str:
    return f'SUBSTITUTE(SUBSTITUTE({x}," ",""),"　","")'


def choice_is(x: str, keys) -> str:
    quoted = ",".join('"' + k.replace('"', '""') + '"' for k in keys)
    return f"SUMPRODUCT(({choice_text(x)}={{{quoted}}})*1)>0"


def choice_parts(field: Field, x: str) -> tuple[str, str]:
    """The choice-invalid condition and message of a choice cell."""
    keys = list(field.choice_lookup())
    quoted = ",".join('"' + k.replace('"', '""') + '"' for k in keys)
    cond = condition("choice-invalid", t=choice_text(x), keys=f"{{{quoted}}}")
    text = message("choice-invalid", label=field.label, value=shown(field, x),
                   allowed="、".join(field.choice_values))
    return cond, text


def choice_checks(field: Field, x: str) -> tuple[str, str]:
    return chain([choice_parts(field, x)]), '""'


def choice_tested_first(field: Field, placeholders: tuple[str, ...]) -> bool:
    """Whether a valid choice can be recognised before the blank and placeholder tests (most
    filled cells are valid: they then skip both): no blank or placeholder text is a choice."""
    keys = {k.lower() for k in field.choice_lookup()}
    wide = {p: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in p) for p in placeholders}
    texts = {t.replace(" ", "").replace("　", "").lower() for p in placeholders for t in (p, wide[p])}
    return "" not in keys and not texts & keys
