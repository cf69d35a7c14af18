"""Field type → value checker (looked up once per column, not per cell)."""

from __future__ import annotations

from typing import Any, Callable

from workbook_tools.validate.choices import check_choice
from workbook_tools.validate.contact import (
    check_email, check_mobile, check_phone, check_postal_code, check_url,
)
from workbook_tools.validate.dates import check_date
from workbook_tools.validate.identity import check_bank_account, check_id_card, check_uscc
from workbook_tools.validate.numbers import check_decimal, check_integer, check_money
from workbook_tools.validate.text import check_customer_id, check_text

Checker = Callable[[Any, Any, Any], tuple[Any, tuple]]

CHECKERS: dict[str, Checker] = {
    "text": check_text,
    "integer": check_integer,
    "decimal": check_decimal,
    "money": check_money,
    "date": check_date,
    "choice": check_choice,
    "mobile": check_mobile,
    "phone": check_phone,
    "email": check_email,
    "postal_code": check_postal_code,
    "id_card": check_id_card,
    "uscc": check_uscc,
    "url": check_url,
    "customer_id": check_customer_id,
    "bank_account": check_bank_account,
}


def checker_for(field: Any) -> Checker:
    return CHECKERS[field.type]
