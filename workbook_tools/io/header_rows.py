"""Rows right under the header that explain it rather than hold data.

CRM import templates put a second header row in English under the Chinese one
(CustomerName, MobilePhone, Email …) or a row of notes (必填 / 选填 / "电话和手机号码
选填一样"); some registers repeat the header. Read as records they would be validated
as customers and give false errors. A row is header-like when most of its filled cells
are: a column name of the form, a 必填/选填 style note, or an English label made only of
words that translate column names. Such rows directly under the header (blank rows in
between allowed) are skipped; the first other row starts the data.
"""

from __future__ import annotations

import re

from workbook_tools.schema.model import Form

MAX_ROWS = 5  # header-like rows looked for under the header

REPEATED = "重复表头"
NOTES = "填写说明"
ENGLISH = "英文表头"

_NOTE = re.compile(r"必填|选填|非必填|可选|可不填|必须填写|请填写|请选择|填写说明|填写要求")
_ENGLISH = re.compile(r"[A-Za-z][A-Za-z\s_\-./()*#&:]*\Z")
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
# English words used in column names of customer lists and CRM import templates.
ENGLISH_WORDS = frozenset("""
customer customers client company corp corporation enterprise organization org account shop store
name full short code id no num number serial seq index type category class level grade rank vip
region area district province city country industry sector ownership nature credit rating
source channel lead origin contact contacts person title position job role department dept
mobile cell cellphone phone telephone tel fax email mail e website web site url homepage home page
address addr street postal post zip postcode card identity idcard uscc unified social tax taxpayer
legal representative rep registered capital bank account settlement payment pay method terms
employees staff headcount owner sales salesman salesperson manager cycle days day first last latest
recent trade deal deals transaction order date time count times amount total created create creation
creator updated update modified revised revision filled by remark remarks note notes memo comment
comments description desc of the and or in at for required optional gender sex birthday wechat qq
status result plan visit content purpose next actual satisfaction complaint handler resolution
record yuan rmb wan
""".split())


def header_like_rows(rows: list[list], match) -> list[tuple[int, str]]:
    """(index into ``rows``, kind) of the header-like rows directly under ``match.row``."""
    out: list[tuple[int, str]] = []
    seen = 0
    for i in range(match.row + 1, len(rows)):
        cells = [v for v in rows[i][match.start:match.end] if not _blank(v)]
        if not cells:
            continue
        kind = row_kind(cells, match.form)
        if kind is None:
            break
        out.append((i, kind))
        seen += 1
        if seen == MAX_ROWS:
            break
    return out


def row_kind(cells: list, form: Form) -> str | None:
    """The kind of a header-like row (its filled cells), or None for a data row."""
    kinds = [cell_kind(v, form) for v in cells]
    found = [k for k in kinds if k is not None]
    if len(found) * 2 <= len(cells):
        return None
    if NOTES in found:
        return NOTES
    return ENGLISH if found.count(ENGLISH) * 2 >= len(found) else REPEATED


def cell_kind(value, form: Form) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _NOTE.search(text):
        return NOTES
    if form.match_header(text) is not None:
        return REPEATED
    if _ENGLISH.match(text):
        words = _WORD.findall(text)
        if words and all(w.lower() in ENGLISH_WORDS for w in words):
            return ENGLISH
    return None


def _blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, str) and value.isspace())
