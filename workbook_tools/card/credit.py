"""The card's 信用评估 block: the customer's line of the master's 客户分类 sheet (trade figures,
价值分类/ABC, computed 信用评估 next to the typed 信誉等级, 建议信用限度, 复评), each item shown
only as the registration field it follows (schema credit.permissions) may be shown."""

from __future__ import annotations

import re
from typing import Any

from workbook_tools.accounts import COLUMNS
from workbook_tools.accounts.table import COMPUTED
from workbook_tools.card.model import Block, Item, View
from workbook_tools.schema.credit import CreditRules

CREDIT_SECTION = "信用评估（按交易记录统计）"
_SKIP = {"customer_id", "customer_name", "region", "owner"}
_KINDS = {"number": "number", "date": "date", "pct": "text", "prose": "text", "text": "text", "code": "code"}
_MONEY = {"trade_amount", "paid_amount", "unpaid_amount", "overdue_amount", "monthly_amount", "credit_limit"}


_DISAGREES = re.compile(r"的(.+?)录入为 ")
NOTE_CHARS = 60   # a longer 核对说明 is summed up on the card (the master's 客户分类 has it in full)


def _note(value: Any) -> Any:
    """The card's 核对说明: the fields whose typed value the records contradict, not every message."""
    if not isinstance(value, str) or len(value) <= NOTE_CHARS:
        return value
    labels = list(dict.fromkeys(_DISAGREES.findall(value)))
    if not labels:
        return value[:NOTE_CHARS - 1] + "…"
    return f"登记表录入的{'、'.join(labels)}与交易记录不符，已采用统计值；详见总表“客户分类”"


def _shown(key: str, kind: str, value: Any) -> Any:
    if key == "notes":
        return _note(value)
    if kind == "pct" and isinstance(value, (int, float)):
        return f"{value:.1%}"
    if kind == "number" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def credit_block(account: dict[str, Any] | None, view: View, rules: CreditRules) -> Block | None:
    """None when the master has no 客户分类 line computed from 交易记录 for the customer (an older
    master, or typed figures only: those are on the card's 交易现状 block already)."""
    if account is None or account.get("source") != COMPUTED:
        return None
    items = []
    for key, header, kind in COLUMNS:
        follows = rules.follows(key)
        if key in _SKIP or view.hidden(follows):
            continue
        value = _shown(key, kind, account.get(key))
        shown = view.show(follows, value)
        items.append(Item(header, shown, "money" if key in _MONEY and shown == value else _KINDS[kind]))
    return Block(CREDIT_SECTION, items) if items else None
