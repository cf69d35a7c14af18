"""一户一档: the 客户资料卡 workbook (one sheet per customer) built from the master.

    build_cards(master, out, schema=schema, as_of=date, select=Selection(...), view=..., changes_for=...)
"""

from workbook_tools.card.build import CardResult, NoCustomers, Selection, build_cards
from workbook_tools.card.issue import CardIssue, IssuedCards, make_cards
from workbook_tools.card.model import Card, ChangeRecord, FullView, View

__all__ = ["Card", "CardIssue", "CardResult", "ChangeRecord", "FullView", "IssuedCards", "NoCustomers",
           "Selection", "View", "build_cards", "make_cards"]
