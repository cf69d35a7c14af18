"""The 客户分类 computed column-wise (accounts.columns/figures/scores/table) against the row-wise
definition (accounts.trades.trade_figures + accounts.credit, one customer at a time) on generated
trades: refunds and negative amounts, missing and datetime dates, text in number cells, ids typed
in lower case / with spaces / as numbers, customers without trades, typed figures that agree and
disagree. Every value must be equal and of the same type (the master's bytes depend on it)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pandas as pd
import pytest

from workbook_tools.accounts import KEYS, Accounts, compute_accounts
from workbook_tools.accounts.classes import DEFAULT_CLASSES, value_classes
from workbook_tools.accounts.credit import credit_score, review_status
from workbook_tools.accounts.trades import as_day, trade_figures
from workbook_tools.merge import packed
from workbook_tools.merge.packed import PackedRows
from workbook_tools.merge.rows import norm_id
from workbook_tools.schema import load_schema
from workbook_tools.schema.catalogue import finding_type
from workbook_tools.schema.credit import CreditRules, credit_rules

SCHEMA = load_schema()
AS_OF = dt.date(2026, 11, 22)


def _day(rng: random.Random):
    pick = rng.random()
    if pick < 0.1:
        return None
    day = AS_OF - dt.timedelta(days=rng.randint(-20, 900))
    if pick < 0.2:
        return dt.datetime.combine(day, dt.time(rng.randint(0, 23), 30))
    return day


def _amount(rng: random.Random):
    pick = rng.random()
    if pick < 0.05:
        return None
    if pick < 0.08:
        return rng.choice(["不详", True, ""])
    if pick < 0.18:
        return -round(rng.uniform(1, 5000), 2)          # a refund
    if pick < 0.4:
        return rng.randint(0, 20000)
    return round(rng.uniform(0.01, 50000), 2) + rng.choice([0, 0.001, 1e-9])


def _id(rng: random.Random, n: int):
    k = rng.randint(1, n * 4 // 5 + 3)   # the last fifth has no trades; a few ids of nobody
    return rng.choice([f"HD{k:04d}", f"hd{k:04d}", f" HD{k:04d} ", f"ＨＤ{k:04d}", None, ""]) if rng.random() < 0.15 \
        else f"HD{k:04d}"


def _trade(rng: random.Random, n: int) -> dict:
    day, amount = _day(rng), _amount(rng)
    paid = rng.choice([amount, amount, None, 0, round(rng.uniform(0, 60000), 2)])
    return {"trade_id": f"JY{rng.randint(1, 10**6)}", "date": day, "customer_id": _id(rng, n),
            "amount": amount, "paid_amount": paid if not isinstance(paid, str) else None,
            "due_date": rng.choice([None, _day(rng)]), "paid_date": rng.choice([None, _day(rng), _day(rng)])}


def _typed(rng: random.Random, values: list):
    return rng.choice(values) if rng.random() < 0.7 else None


def _customer(rng: random.Random, k: int) -> tuple[str, dict]:
    cid = f"HD{k:04d}"
    if rng.random() < 0.1:
        return cid, {"customer_id": cid, "customer_name": f"客户{k}"}
    return cid, {"customer_id": cid, "customer_name": f"客户{k}", "region": rng.choice(["华东", "华南", None]),
                 "owner": rng.choice(["张三", "李四"]), "credit": rng.choice(["A", "B", "C", None, ""]),
                 "credit_reviewed": rng.choice([None, _day(rng), dt.date(2026, 1, 1)]),
                 "trade_count": _typed(rng, [0, 1, 2, 3, 4, 2.0, "三"]),
                 "trade_amount": _typed(rng, [0, 1000, 2500.5, 99999.999, -10, "约一万"]),
                 "first_trade_date": _typed(rng, [_day(rng), dt.date(2024, 5, 1)]),
                 "last_trade_date": _typed(rng, [_day(rng), "2026-11-01"])}


def rowwise(customers, trades, complaints, rules: CreditRules):
    """The 客户分类 lines as compute_accounts built them one customer at a time."""
    figures = trade_figures(trades, AS_OF, rules, key=lambda v: norm_id(v.get("customer_id")))
    n_complaints = Counter(norm_id(v.get("customer_id")) for v in complaints)
    rows = []
    for cid, values in customers:
        t, row = figures.get(norm_id(cid)), dict.fromkeys(KEYS)
        row.update(customer_id=cid, customer_name=values.get("customer_name"), region=values.get("region"),
                   owner=values.get("owner"), typed_credit=values.get("credit"),
                   review_date=as_day(values.get("credit_reviewed")))
        if t is None:
            typed = {k: values.get(k) for k in ("trade_count", "trade_amount", "first_trade_date", "last_trade_date")}
            any_typed = any(v is not None for v in typed.values())
            row.update(typed, source="录入" if any_typed else "无", notes="无交易记录：交易次数、交易金额、交易日期为登记表录入值"
                       if any_typed else None)
            row["first_trade_date"], row["last_trade_date"] = as_day(typed["first_trade_date"]), as_day(
                typed["last_trade_date"])
            if row["typed_credit"]:
                row["review_due"] = review_status(row["review_date"], AS_OF, rules, False)
        else:
            s = credit_score(t, n_complaints.get(norm_id(cid), 0), rules)
            agrees = None if not row["typed_credit"] or not s.grade.typed else row["typed_credit"] == s.grade.typed
            row.update(source="统计", trade_count=t.count, trade_amount=t.amount, first_trade_date=t.first,
                       last_trade_date=t.last, paid_amount=t.paid, unpaid_amount=t.unpaid, overdue_amount=t.overdue,
                       on_time_rate=None if t.on_time_rate is None else round(t.on_time_rate, 4),
                       score=s.score, grade=s.grade.name, grade_typed=s.grade.typed or None,
                       grade_agrees=None if agrees is None else ("一致" if agrees else "不一致"),
                       monthly_amount=s.monthly_amount, credit_limit=s.limit,
                       review_due=review_status(row["review_date"], AS_OF, rules, agrees is False))
        rows.append(row)
    frame = pd.DataFrame({"customer_id": [r["customer_id"] for r in rows],
                          "trade_amount": [r["trade_amount"] for r in rows]}, dtype=object)
    for column, names in (("value_class", DEFAULT_CLASSES), ("abc", rules.abc)):
        for row, label in zip(rows, value_classes(frame, names).tolist()):
            row[column] = label
    return rows, figures


def _same_rows(got: list[dict], want: list[dict]) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g == w
        assert [type(g[k]) for k in KEYS] == [type(w[k]) for k in KEYS], g["customer_id"]


def _generated(seed: int, n: int, trades: int):
    rng = random.Random(seed)
    customers = [_customer(rng, k) for k in range(1, n + 1)]
    rows = [_trade(rng, n) for _ in range(trades)]
    complaints = [{"customer_id": _id(rng, n)} for _ in range(n // 2)]
    return customers, rows, complaints


def _plain(trades: list[dict], customers) -> None:
    """Numbers and dates only (the columns' fast paths, which convert in C)."""
    for t in trades:
        for key in ("amount", "paid_amount"):
            t[key] = t[key] if type(t[key]) in (int, float) else None
        for key in ("date", "due_date", "paid_date"):
            t[key] = as_day(t[key])
    for _, values in customers:
        amount = values.get("trade_amount")
        values["trade_amount"] = amount if type(amount) in (int, float) else None


@pytest.mark.parametrize("seed, plain", [(1, False), (2, False), (3, True), (4, True)])
def test_columns_equal_the_rowwise_definition(seed, plain):
    customers, trades, complaints = _generated(seed, 400, 1500)
    if plain:
        _plain(trades, customers)
    rules = credit_rules(SCHEMA)
    want, figures = rowwise(customers, trades, complaints, rules)
    got = compute_accounts(customers, trades, complaints, SCHEMA, AS_OF, norm=norm_id)
    _same_rows(got.rows, want)
    assert {r["source"] for r in want} == {"统计", "录入", "无"}       # every kind of line occurs
    assert any(r["trade_amount"] is not None and r["trade_amount"] < 0 for r in want)
    assert plain or any(r["source"] == "统计" and r["first_trade_date"] is None for r in want)
    # the findings: each typed figure the records contradict, in master and field order
    found = [(cid, f.field, f.value, f.message) for cid, fs in got.disagreements.items() for f in fs]
    assert found == list(rowwise_findings(customers, figures))
    assert {f[1] for f in found} == {"交易次数", "交易金额(元)", "首次交易日期", "最近交易日期"}


def _shown(value) -> str:
    if isinstance(value, dt.date):
        return as_day(value).isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def rowwise_findings(customers, figures):
    """trade-figure-disagrees as the row-wise compute_accounts found them."""
    kind, reg = finding_type("trade-figure-disagrees"), SCHEMA.form("registration")
    for cid, values in customers:
        t = figures.get(norm_id(cid))
        if t is None:
            continue
        for key, value in (("trade_count", t.count), ("trade_amount", t.amount), ("first_trade_date", t.first),
                           ("last_trade_date", t.last)):
            typed = values.get(key)
            if typed is None or value is None:
                continue
            if isinstance(value, (int, float)):
                same = isinstance(typed, (int, float)) and not isinstance(typed, bool) and abs(typed - value) < 0.005
            else:
                same = as_day(typed) == value
            if not same:
                label = reg.field(key).label
                yield cid, label, _shown(typed), kind.render(customer_id=cid, label=label, value=_shown(typed),
                                                             computed=_shown(value), count=t.count)


def test_packed_rows_give_the_same_table(monkeypatch):
    """The merge hands the packed blocks' value tuples (no dict per trade): same lines."""
    monkeypatch.setattr(packed, "BLOCK", 97)
    customers, trades, complaints = _generated(7, 300, 1200)
    form, cform = SCHEMA.form("trade"), SCHEMA.form("complaint")
    rows, crows = PackedRows("trade", form.keys), PackedRows("complaint", cform.keys)
    for i, t in enumerate(trades):
        rows.add({k: v for k, v in t.items() if k in form.keys}, None, "a.xlsx", "交易", i + 2)
    for i, c in enumerate(complaints):
        crows.add(c, None, "a.xlsx", "投诉", i + 2)
    got = compute_accounts(customers, rows.close(), crows.close(), SCHEMA, AS_OF, norm=norm_id)
    want = compute_accounts(customers, trades, complaints, SCHEMA, AS_OF, norm=norm_id)
    _same_rows(got.rows, want.rows)
    assert [f.message for f in got.findings] == [f.message for f in want.findings]


def test_lines_columns_and_one_customer():
    customers, trades, complaints = _generated(5, 50, 150)
    got = compute_accounts(customers, trades, complaints, SCHEMA, AS_OF, norm=norm_id)
    rows = got.rows
    assert len(got) == 50 and [dict(zip(KEYS, line)) for line in got.lines()] == rows
    assert got.column("score", 10, 20) == [r["score"] for r in rows[10:20]]
    assert got.of("HD0007") == rows[6] and got.of("HD9999") is None


def test_no_customers_and_no_trades():
    empty = compute_accounts([], [], [], SCHEMA, AS_OF)
    assert len(empty) == 0 and empty.rows == [] and empty.findings == []
    assert Accounts().column("customer_id") == [] and Accounts().distinct("score") == []
    customers = [("HD0001", {"trade_count": 3, "credit": "A"}), ("HD0002", {})]
    lines = compute_accounts(customers, [], [], SCHEMA, AS_OF).rows
    assert [(r["source"], r["trade_count"], r["value_class"], r["notes"] is not None) for r in lines] == [
        ("录入", 3, "无交易金额", True), ("无", None, "无交易金额", False)]


def test_rounded_is_pythons_round():
    """figures.rounded: NumPy where it is safe, Python's round where the product could cross a
    half (2.675 → 2.67 in Python, 2.68 in np.round), non-finite and huge values."""
    from workbook_tools.accounts.figures import rounded
    import numpy as np

    rng = np.random.default_rng(16)
    values = np.concatenate([
        rng.uniform(-1e6, 1e6, 20000), np.round(rng.uniform(0, 1e5, 20000), 3),
        np.arange(-2000, 2000) / 1000 + 0.005, rng.uniform(0, 1, 5000) * 10.0 ** rng.integers(-8, 16, 5000),
        [2.675, 1.005, 0.125, 0.375, -2.675, 0.0, -0.0, np.nan, np.inf, -np.inf, 2.0 ** 60, 1e300]])
    for digits in (1, 2, 4):
        got = rounded(values, digits)
        want = np.array([round(v, digits) for v in values.tolist()])
        assert np.array_equal(got, want, equal_nan=True) and np.array_equal(np.signbit(got), np.signbit(want))
    assert rounded(np.array([2.675]), 2)[0] == 2.67 != np.round(2.675, 2)


def test_ids_as_numbers_text_variants_and_unhashable_values():
    """A trade's 客户编号 is grouped by its normalised text: 'hd0001 ', 'ＨＤ0001' and 'HD0001'
    are one customer, 1234.0 is '1234'; an unhashable value is normalised, not refused."""
    customers = [("HD0001", {}), ("1234", {}), ("", {})]
    trades = [{"customer_id": cid, "amount": 100, "date": AS_OF}
              for cid in ("HD0001", "hd0001 ", "ＨＤ0001", 1234.0, "1234", ["x"], None, "")]
    lines = compute_accounts(customers, trades, [], SCHEMA, AS_OF, norm=norm_id).rows
    assert [(r["customer_id"], r["trade_count"], r["trade_amount"]) for r in lines] == [
        ("HD0001", 3, 300.0), ("1234", 2, 200.0), ("", None, None)]
