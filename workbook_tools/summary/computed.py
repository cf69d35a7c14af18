"""The master's 客户分类 sheet (written by merge from workbook_tools.accounts) as the summary and
the card read it: per customer the 交易次数, 交易金额, 首次/最近交易日期 computed from 交易记录
(数据来源 统计), or the typed ones where a customer has no trade records (录入). With the sheet,
these replace the typed 客户档案 values in 价值分类, 客户构成分析 and 业务下滑, so the summary,
the card and the master show the same figures; without it the typed values stay."""

from __future__ import annotations

import pandas as pd

from workbook_tools.accounts import COLUMNS, SHEET
from workbook_tools.summary.parse import parse_dates, parse_numbers, parse_text

ACCOUNTS = "accounts"   # load_master's ``fields`` key asking for the 客户分类 sheet
TRADE_KEYS = ("trade_count", "trade_amount", "first_trade_date", "last_trade_date")
_KINDS = {key: kind for key, _, kind in COLUMNS}
_KEYS = {header: key for key, header, _ in COLUMNS if key in ("customer_id", "source", *TRADE_KEYS)}
HEADER_SCAN_ROWS = 10


def accounts_head(rows: list[list]) -> int:
    """The 客户分类 header row (0-based; -1 if none): the first rows' one naming the most columns."""
    best, best_n = -1, 0
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        n = sum(isinstance(c, str) and c.strip() in _KEYS for c in row)
        if n > best_n:
            best, best_n = i, n
    return best


def accounts_columns(header: list) -> dict[str, int]:
    """Column index of each 客户分类 header the summary reads (customer_id, source, figures)."""
    out: dict[str, int] = {}
    for j, c in enumerate(header):
        if isinstance(c, str) and c.strip() in _KEYS:
            out[_KEYS[c.strip()]] = j   # the last of equal headers, as before
    return out


def accounts_frame(rows: list[list]) -> pd.DataFrame | None:
    """customer_id, source and the trade figures of the 客户分类 rows (calamine values), typed
    as load_master types 客户档案; None without a 客户编号 column."""
    head = accounts_head(rows)
    if head < 0:
        return None
    columns = accounts_columns(rows[head])
    if "customer_id" not in columns:
        return None
    body = [r for r in rows[head + 1:] if any(c not in (None, "") for c in r)]
    return accounts_typed({key: [r[j] if j < len(r) else None for r in body] for key, j in columns.items()},
                          len(body))


def accounts_typed(values: dict[str, list], n: int) -> pd.DataFrame:
    """The typed frame of ``n`` 客户分类 rows from raw ``values`` by key (a key not given is blank),
    without the rows blank in every given column."""
    out = {}
    for key in ("customer_id", "source", *TRADE_KEYS):
        raw = values.get(key, [None] * n)
        kind = _KINDS[key]
        out[key] = (pd.Series(parse_dates(raw)) if kind == "date" else parse_numbers(raw)
                    if kind == "number" else parse_text(raw))
    frame = pd.DataFrame(out)
    given = [key for key in out if key in values]
    keep = frame[given].notna().any(axis=1) if given else pd.Series(False, index=frame.index)
    return frame if keep.all() else frame[keep].reset_index(drop=True)


def _ids(values: pd.Series) -> pd.Series:
    return values.astype(object).map(lambda v: "" if v is None or v != v else str(v).strip().upper())


def with_computed(customers: pd.DataFrame, accounts: pd.DataFrame | None) -> pd.DataFrame:
    """``customers`` with the trade figures of their 客户分类 line (a customer not on it, e.g. a
    row added to the master by hand, keeps its typed values); unchanged without the sheet."""
    keys = [k for k in TRADE_KEYS if k in customers.columns]   # the columns the caller loaded
    if accounts is None or not keys:
        return customers
    lines = accounts.assign(_id=_ids(accounts["customer_id"]))
    lines = lines[lines["_id"] != ""].drop_duplicates("_id").set_index("_id")
    ids = _ids(customers["customer_id"])
    found = ids.isin(lines.index).to_numpy()
    if not found.any():
        return customers
    rows = lines.index.get_indexer(ids)   # one look-up for the four figures
    return customers.assign(**{key: pd.Series(lines[key].to_numpy()[rows], index=customers.index)
                               .astype(customers[key].dtype).where(found, customers[key]) for key in keys})


def source_note(accounts: pd.DataFrame | None) -> str:
    """One Chinese line: where 交易金额 / 最近交易日期 of 价值分类, 客户构成分析, 业务下滑 come from."""
    if accounts is None:
        return f"总档案中没有“{SHEET}”工作表：按客户档案中填写的交易次数、交易金额、交易日期"
    counts = accounts["source"].value_counts()
    parts = "，".join(f"{k} {int(counts.get(k, 0))} 位" for k in ("统计", "录入", "无"))
    return (f"总档案“{SHEET}”工作表（与客户资料卡一致）：有交易记录的客户按交易记录统计，"
            f"没有交易记录的按客户档案填写值（{parts}）")


__all__ = ["ACCOUNTS", "TRADE_KEYS", "accounts_columns", "accounts_frame", "accounts_head", "accounts_typed", "source_note", "with_computed"]
