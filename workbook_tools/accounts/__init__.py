"""Per-customer accounts: trade figures computed from 交易记录, 价值分类/ABC classes and the
computed 信用评估 (schema ``credit:``). Pure; merge writes them as the master's 客户分类 sheet.
Row-wise definitions: trades.py, credit.py; the column-wise computation the merge runs:
columns.py → figures.py → scores.py → table.py (compute_accounts), held as model.Accounts."""

from workbook_tools.accounts.classes import NO_AMOUNT, value_classes
from workbook_tools.accounts.table import COLUMNS, HEADERS, KEYS, SHEET, Accounts, compute_accounts

__all__ = ["COLUMNS", "HEADERS", "KEYS", "NO_AMOUNT", "SHEET", "Accounts", "compute_accounts", "value_classes"]
