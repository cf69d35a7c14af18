"""身份证号 (GB 11643), 统一社会信用代码 (GB 32100), mobile, 邮编 and patterned codes as
formulas, in validate's order (identity.py, contact.py, text.py)."""

from __future__ import annotations

from workbook_tools.generate.checks.excel import DIGITS, Expr, all_digits, chain, condition, message, stripped
from workbook_tools.generate.checks.values import (
    USCC_ALPHABET, _SIMPLE_PATTERN, digits_only, shown,
)
from workbook_tools.schema.model import Field


def normalized_warning(field: Field, x: str, n: str) -> tuple[str, str]:
    return (condition("value-normalized", n=n, s=stripped(x)),
            message("value-normalized", label=field.label, value=shown(field, x), parsed=Expr(n)))


def _person(field: Field, x: str, n: str, settings: dict, old: bool) -> list[tuple[str, str]]:
    if old:
        y, m, d = f'("19"&MID({n},7,2))*1', f"MID({n},9,2)*1", f"MID({n},11,2)*1"
        birth, positions = f'"19"&MID({n},7,2)&"-"&MID({n},9,2)&"-"&MID({n},11,2)', "7–12"
    else:
        y, m, d = f"MID({n},7,4)*1", f"MID({n},11,2)*1", f"MID({n},13,2)*1"     # products: no brackets needed
        birth, positions = f'MID({n},7,4)&"-"&MID({n},11,2)&"-"&MID({n},13,2)', "7–14"
    age = f"(YEAR(TODAY())-{y}-(MONTH(TODAY())*100+DAY(TODAY())<{m}*100+{d}))"
    low, high = settings.get("min", 0), settings.get("max", 120)
    value = shown(field, x)
    return [
        (condition("id-card-birth-date", y=y, m=m, d=d),
         message("id-card-birth-date", label=field.label, value=value, positions=positions)),
        (condition("id-card-age", age=age, middle=_number((low + high) / 2), half=_number((high - low) / 2)),
         message("id-card-age", label=field.label, value=value, birth=Expr(birth), min=low, max=high)),
    ]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def id_card_checks(field: Field, x: str, n: str, settings: dict) -> tuple[str, str]:
    value, label = shown(field, x), field.label
    digits = {"n": n, "digits15": all_digits(n, 15).rsplit("=", 1)[0],
              "digits17": all_digits(n, 17).rsplit("=", 1)[0]}
    old_branch = chain(_person(field, x, n, settings, old=True))
    new_branch = chain([(condition("id-card-checksum", n=n),
                         message("id-card-checksum", label=label, value=value)),
                        *_person(field, x, n, settings, old=False)])
    errors = chain([
        (condition("id-card-length", n=n),
         message("id-card-length", label=label, value=value, length=Expr(f"LEN({n})"))),
        (condition("id-card-format", **digits), message("id-card-format", label=label, value=value)),
    ], otherwise=f"IF(LEN({n})=15,{old_branch},{new_branch})")
    warnings = chain([normalized_warning(field, x, n)]) + "&" + chain(
        [(condition("id-card-old", **digits), message("id-card-old", label=label, value=value))])
    return errors, warnings


def uscc_bad_chars(n: str) -> str:
    """The characters validate names in uscc-format, in order, each once (``_bad_uscc_chars``):
    a character outside the alphabet at its first position in the code; a letter in 3–8 (digits
    only there) at its first position from 3 on. FIND finds the first occurrence."""
    terms = []
    for k in range(1, 19):
        c = f"MID({n},{k},1)"
        if 3 <= k <= 8:
            start = f'IF(ISERROR(FIND({c},"{USCC_ALPHABET}")),1,3)'
            terms.append(f'IF(ISERROR(FIND({c},"{DIGITS}")),IF(FIND({c},{n},{start})={k},{c},""),"")')
        else:   # outside the alphabet and first in the code: found past it in alphabet & code
            terms.append(f'IF(FIND({c},"{USCC_ALPHABET}"&{n})={len(USCC_ALPHABET) + k},{c},"")')
    return "&".join(terms)


def uscc_wellformed(n: str) -> str:
    """validate's _USCC pattern for an 18-character code: the alphabet, digits in 3–8 (one
    FIND per character, in the alphabet its position allows)."""
    assert USCC_ALPHABET.startswith(DIGITS)
    positions = ",".join(str(i) for i in range(1, 19))
    sizes = ",".join(str(len(DIGITS) if 3 <= i <= 8 else len(USCC_ALPHABET)) for i in range(1, 19))
    return (f'SUMPRODUCT(ISNUMBER(FIND(MID({n},{{{positions}}},1),'
            f'LEFT("{USCC_ALPHABET}",{{{sizes}}})))*1)=18')


def uscc_checks(field: Field, x: str, n: str) -> tuple[str, str]:
    value, label = shown(field, x), field.label
    digits = {"n": n, "digits15": all_digits(n, 15).rsplit("=", 1)[0]}
    old = condition("uscc-old", **digits)
    errors = f'IF({old},"",' + chain([
        (condition("uscc-length", n=n),
         message("uscc-length", label=label, value=value, length=Expr(f"LEN({n})"))),
        (condition("uscc-format", wellformed=uscc_wellformed(n)),
         message("uscc-format", label=label, value=value, chars=Expr(uscc_bad_chars(n)))),
        (condition("uscc-checksum", n=n), message("uscc-checksum", label=label, value=value)),
    ]) + ")"
    warnings = chain([normalized_warning(field, x, n)]) + "&" + chain(
        [(old, message("uscc-old", label=label, value=value))])
    return errors, warnings


def mobile_checks(field: Field, x: str, n: str) -> tuple[str, str]:
    cond = f"IF(LEN({n})=11,FALSE,{condition('mobile-invalid', n=n, digits=digits_only(n))})"
    return chain([(cond, message("mobile-invalid", label=field.label, value=shown(field, x)))]), '""'


def postal_checks(field: Field, x: str, n: str) -> tuple[str, str]:
    cond = condition("postal-code-invalid", n=n, digits6=all_digits(n, 6))
    errors = chain([(cond, message("postal-code-invalid", label=field.label, value=shown(field, x)))])
    changed, text = normalized_warning(field, x, n)      # tested first: most codes are as typed
    warnings = f'IF({changed},IF({cond},"",{text}),"")'
    return errors, warnings


def pattern_matches(pattern: str, n: str) -> str | None:
    """``^(AB|CD)\\d{4,}$`` as a formula over ``n``; None for any other pattern."""
    match = _SIMPLE_PATTERN.fullmatch(pattern or "")
    if not match:
        return None
    prefixes, least = match.group(1).split("|"), int(match.group(2))
    sizes = {len(p) for p in prefixes}
    if len(sizes) != 1:
        return None
    size = sizes.pop()
    quoted = ",".join(f'"{p}"' for p in prefixes)
    rest = f"MID({n},{size + 1},999)"
    return (f"AND(SUMPRODUCT(EXACT(LEFT({n},{size}),{{{quoted}}})*1)>0,"
            f"LEN({n})>={size + least},{digits_only(rest)})")


def customer_id_checks(field: Field, x: str, n: str) -> tuple[str, str]:
    matches = pattern_matches(field.pattern, n)
    errors = '""' if matches is None else chain([(
        condition("pattern-mismatch", matches=matches),
        message("pattern-mismatch", label=field.label, value=shown(field, x), hint=field.pattern_hint))])
    return errors, chain([normalized_warning(field, x, n)])
