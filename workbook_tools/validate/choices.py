"""choice fields: the canonical value or any alias is accepted (normalised as headers are:
NFKC, no spaces, case-insensitive); the parsed value is always the canonical one, which
the --fix step writes back. Anything else lists the allowed values."""

from __future__ import annotations

from typing import Any

from workbook_tools.schema.model import normalize_choice
from workbook_tools.validate.common import NO_ISSUES, display, one


def allowed_text(field: Any) -> str:
    return "、".join(field.choice_values)


def check_choice(raw: Any, field: Any, ctx: Any) -> tuple[Any, tuple]:
    text = raw if raw.__class__ is str else display(raw)
    canonical = field.choice_lookup().get(normalize_choice(text))
    if canonical is None:
        return None, one("choice-invalid", allowed=allowed_text(field))
    return canonical, NO_ISSUES
