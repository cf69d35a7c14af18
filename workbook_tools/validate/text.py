"""text and customer_id fields, and Field.pattern for any text field."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from workbook_tools.validate.common import NO_ISSUES, display, nfkc, one


@lru_cache(maxsize=256)
def compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _pattern(text: str, field: Any) -> tuple:
    if field.pattern and compiled(field.pattern).search(text) is None:
        return one("pattern-mismatch", hint=field.pattern_hint)
    return NO_ISSUES


def check_text(raw: Any, field: Any, ctx: Any) -> tuple[Any, tuple]:
    text = raw.strip() if raw.__class__ is str else display(raw)
    return text, _pattern(text, field)


def check_customer_id(raw: Any, field: Any, ctx: Any) -> tuple[Any, tuple]:
    """Half-width and upper-case (hd0001 → HD0001, with a warning), then the pattern."""
    stripped = raw.strip() if raw.__class__ is str else display(raw)
    text = nfkc(stripped).upper()
    issues = NO_ISSUES if text == stripped else one("value-normalized", parsed=text)
    return text, issues + _pattern(text, field)
