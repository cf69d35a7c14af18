"""compute_accounts: every customer's line of the master's 客户分类 sheet — trade figures computed
from 交易记录 (typed values kept and marked 录入 when a customer has none), 价值分类, ABC, the
computed 信用评估 next to the typed 信誉等级, 建议信用限度 and the 复评 status — and a finding
(``trade-figure-disagrees``) for each typed figure the records contradict.

Computed column-wise (accounts.columns → figures → scores): the result is the same, value for
value, as accounts.trades / accounts.credit give one customer at a time (tests/test_accounts_columns.py
checks it on generated trades); the table is held as columns (accounts.model.Accounts)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from workbook_tools.accounts.classes import DEFAULT_CLASSES, NO_AMOUNT, class_index, ranked_shares
from workbook_tools.accounts.columns import given, id_counts, raw_groups, trade_columns
from workbook_tools.accounts.credit import review_status
from workbook_tools.accounts.disagree import disagreements
from workbook_tools.accounts.figures import GroupFigures, group_figures, rounded
from workbook_tools.accounts.model import (
    COLUMNS, COMPUTED, HEADERS, KEYS, NO_RECORDS, NONE, SHEET, TYPED, Accounts, Coded,
)
from workbook_tools.accounts.scores import credit_scores
from workbook_tools.accounts.trades import as_day
from workbook_tools.schema.credit import credit_rules
from workbook_tools.schema.model import Schema

__all__ = ["COLUMNS", "COMPUTED", "HEADERS", "KEYS", "NO_RECORDS", "NONE", "SHEET", "TYPED", "Accounts",
           "compute_accounts"]
DISAGREES = "trade-figure-disagrees"
TRADE_FIELDS = ("trade_count", "trade_amount", "first_trade_date", "last_trade_date")
_GIVEN = (("customer_name", "customer_name"), ("region", "region"), ("owner", "owner"), ("typed_credit", "credit"))


def compute_accounts(customers: Iterable[tuple[str, Mapping[str, Any]]], trades: Any, complaints: Any,
                     schema: Schema, as_of: dt.date,
                     norm: Callable[[Any], str] = lambda v: "" if v is None else str(v).strip().upper()
                     ) -> Accounts:
    """``customers``: (客户编号 as written, registration values by key) in master order; ``trades`` and
    ``complaints``: the master's record rows — mappings by field key, or an object with ``keys``
    and ``value_tuples()`` (merge.packed.PackedRows: no dict per row). ``norm`` normalises a 客户编号."""
    rules = credit_rules(schema)
    out = Accounts()
    out.given, out.typed = _registration(customers)
    out.computed, grade = _figures(out.given["customer_id"], trades, complaints, norm, as_of, rules)
    out.traded = out.computed.pop("traded")
    grade = np.where(out.traded, grade, len(rules.grades)).astype("int16")
    out.coded["grade"] = Coded(grade, [g.name for g in rules.grades] + [None])
    out.coded["grade_typed"] = Coded(grade, [g.typed or None for g in rules.grades] + [None])
    agrees = _agreement(out, grade, [g.typed for g in rules.grades] + [""])
    out.coded["grade_agrees"] = Coded(agrees, [None, "一致", "不一致"])
    out.coded["source"] = Coded(_sources(out), [NONE, TYPED, COMPUTED])
    out.given["review_due"] = _reviews(out, agrees, as_of, rules)
    _classes(out, schema, rules)
    reg = schema.form("registration")
    out.disagreements = disagreements(out, {k: reg.field(k).label for k in TRADE_FIELDS if k in reg.keys})
    return out


def _registration(customers: Iterable[tuple[str, Mapping[str, Any]]]) -> tuple[dict, dict]:
    """The registration values the table shows (lists, master order)."""
    keys = [key for _, key in _GIVEN] + ["credit_reviewed", *TRADE_FIELDS]
    ids: list[str] = []
    got: dict[str, list] = {key: [] for key in keys}
    # one value object per distinct value in the repeated columns (a decoded row's values are
    # its own copies); read row by row: a packed row (merge/compact.py) is decoded once
    shared = [{} if key in _REPEATED else None for key in keys]
    adds = [got[key].append for key in keys]
    for cid, v in customers:
        ids.append(cid)
        for add, seen, value in zip(adds, shared, map(v.get, keys)):
            add(value if seen is None or value is None else seen.setdefault(value, value))
    given = {"customer_id": ids, **{column: got[key] for column, key in _GIVEN},
             "review_date": list(map(as_day, got["credit_reviewed"]))}
    return given, {key: got[key] for key in TRADE_FIELDS}


_REPEATED = {"region", "owner", "credit", "credit_reviewed", "first_trade_date", "last_trade_date"}


def _figures(ids: list, trades: Any, complaints: Any, norm: Callable[[Any], str], as_of: dt.date, rules
             ) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The computed columns (and each line's grade index) per customer; the per-trade columns,
    the id look-ups and the per-group figures are freed on return."""
    groups: dict[str, int] = {}
    of = np.array([groups.setdefault(k, len(groups)) if k else -1 for k in map(norm, ids)], dtype="int64")
    memo, n = raw_groups(ids, of), len(groups)
    complained = id_counts(complaints, groups, norm, n, memo)
    columns = trade_columns(trades, groups, norm, memo)
    del memo, groups
    figures = group_figures(columns, n, as_of, rules)
    del columns
    scores = credit_scores(figures, complained, rules)
    at = np.where(of >= 0, of, len(figures.count))       # customers without an id: the extra empty group

    def pick(a: np.ndarray) -> np.ndarray:
        return np.append(a, np.zeros(1, a.dtype))[at]
    return {**_computed(figures, scores, pick), "traded": pick(figures.count) > 0}, pick(scores.grade)


def _computed(f: GroupFigures, s, pick) -> dict[str, np.ndarray]:
    rate = np.zeros(len(f.count))
    np.divide(f.on_time_deals, f.due_deals, out=rate, where=f.due_deals > 0)
    return {"trade_count": pick(f.count), "trade_amount": pick(f.amount), "first_trade_date": pick(f.first),
            "last_trade_date": pick(f.last), "paid_amount": pick(f.paid), "unpaid_amount": pick(f.unpaid),
            "overdue_amount": pick(f.overdue), "on_time_rate": pick(rounded(rate, 4)),
            "rated": pick(f.due_deals) > 0, "score": pick(s.score), "monthly_amount": pick(s.monthly),
            "credit_limit": pick(s.limit)}


def _agreement(out: Accounts, grade: np.ndarray, typed_of: list[str]) -> np.ndarray:
    """0: not compared (no 信誉等级 typed, or the grade has none), 1: 一致, 2: 不一致."""
    return np.array([0 if not c or not typed_of[g] else (1 if c == typed_of[g] else 2)
                     for c, g in zip(out.given["typed_credit"], grade.tolist())], dtype="int8")


def _sources(out: Accounts) -> np.ndarray:
    """2: 统计 (traded), 1: 录入 (a typed trade figure), 0: 无."""
    typed = np.zeros(len(out), bool)
    for values in out.typed.values():
        typed |= given(values)
    return np.where(out.traded, 2, np.where(typed, 1, 0)).astype("int8")


def _reviews(out: Accounts, agrees: np.ndarray, as_of: dt.date, rules) -> list[str | None]:
    """需复评 of every line (one string object per distinct outcome)."""
    memo: dict[tuple, str] = {}
    due: list[str | None] = []
    for reviewed, traded, credit, agree in zip(out.given["review_date"], out.traded.tolist(),
                                               out.given["typed_credit"], agrees.tolist()):
        if not traded and not credit:
            due.append(None)
            continue
        key = (reviewed, traded and agree == 2)
        text = memo.get(key)
        if text is None:
            text = memo[key] = review_status(reviewed, as_of, rules, key[1])
        due.append(text)
    return due


def _classes(out: Accounts, schema: Schema, rules) -> None:
    """价值分类 and ABC from one ranking of the 交易金额 shown (computed, else typed)."""
    frame = pd.DataFrame({"customer_id": pd.Series(out.given["customer_id"], dtype=object),
                          "trade_amount": _amounts(out)})
    index, before = ranked_shares(frame)
    position = index.to_numpy()
    for column, classes in (("value_class", schema.settings.get("value_classes") or DEFAULT_CLASSES),
                            ("abc", rules.abc)):
        codes = np.full(len(out), len(classes), dtype="int16")
        codes[position] = class_index(before, classes)
        out.coded[column] = Coded(codes, [*classes, NO_AMOUNT])


def _amounts(out: Accounts) -> Any:
    """The 交易金额 column as floats when the typed ones are plain numbers, else as objects."""
    typed = out.typed["trade_amount"]
    if set(map(type, typed)) <= {int, float, type(None)}:
        plain = np.array([np.nan if v is None else v for v in typed], dtype="float64") if typed else np.zeros(0)
        return np.where(out.traded, out.computed["trade_amount"], plain)
    return pd.Series(out.column("trade_amount"), dtype=object)
