"""Trade records (客户交易记录) for one region, consistent with the registration rows.

Each trading customer gets 交易次数 deals between its 首次 and 最近交易日期 whose amounts add up
to its 交易金额, by its 负责业务员. 回款 follows the typed 信誉等级 (the first choice pays on
time, the last one is often late or does not pay), and 约定回款日期 follows the 结算方式, so the
computed 信用评估 varies. A few customers (LAG_SHARE) miss their last deal in the records: the
registration row is ahead of the 交易记录, which the master reports as a disagreement.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from workbook_tools.sampledata.customers import Customer
from workbook_tools.sampledata.vocabulary import Vocabulary

REVIEWED_SHARE = 0.75  # customers with a 信誉等级 that have a 信誉评定日期
LAG_SHARE = 0.04  # trading customers whose last deal is not in the records yet
DUE_DAYS = {"现款现货": 0, "月结": 30, "票到付款": 15, "两个月回款": 60, "三个月回款": 90}
# by 信誉等级 rank (best first): chance a due deal is paid on time, chance it is never paid
BEHAVIOUR = ((0.95, 0.0), (0.6, 0.08), (0.3, 0.35))
PRODUCTS = (("办公用纸", 180.0), ("打印耗材", 420.0), ("包装材料", 95.0), ("电子元器件", 36.0),
            ("五金配件", 12.5), ("劳保用品", 58.0), ("清洁用品", 26.0), ("工业润滑油", 310.0),
            ("标准件", 3.2), ("网络设备", 1280.0))


def trade_records(rng: random.Random, vocab: Vocabulary, customers: list[Customer], as_of: date,
                  series: str, skip: frozenset[str] = frozenset()) -> list[dict]:
    """Deals of every trading customer (not in ``skip``), in date order, numbered HD-JY-000001 …"""
    credits = vocab.values("credit")
    deals = []
    for c in customers:
        v = c.values
        if not v.get("trade_count") or v["customer_id"] in skip:
            continue
        deals.extend(_customer_deals(rng, c, credits, as_of))
    deals.sort(key=lambda d: (d["date"], d["customer_id"]))
    for seq, deal in enumerate(deals, 1):
        deal["trade_id"] = f"{series}-JY-{seq:06d}"
    return deals


def _customer_deals(rng: random.Random, c: Customer, credits: list[str], as_of: date) -> list[dict]:
    v = c.values
    count, first, last = v["trade_count"], v["first_trade_date"], v["last_trade_date"]
    days = sorted([first, last][:count] + [first + timedelta(days=rng.randrange((last - first).days + 1))
                                         for _ in range(count - 2)])
    amounts = _split(rng, v["trade_amount"], count)
    rank = min(credits.index(v["credit"]) if v.get("credit") in credits else 1, len(BEHAVIOUR) - 1)
    due_days = DUE_DAYS.get(v.get("settlement"), 30)
    product = rng.choice(PRODUCTS)
    out = []
    for day, amount in zip(days, amounts):
        if rng.random() < 0.25:
            product = rng.choice(PRODUCTS)
        name, price = product
        deal = dict(customer_id=v["customer_id"], customer_name=v["customer_name"], date=day, product=name,
                    quantity=round(amount / price, 2), amount=amount, salesperson=v["owner"],
                    due_date=day + timedelta(days=due_days) if rng.random() < 0.8 else None)
        deal.update(_payment(rng, day, deal["due_date"] or day + timedelta(days=30), amount, rank, as_of))
        out.append(deal)
    if count > 1 and rng.random() < LAG_SHARE:
        out.pop()
    return out


def _split(rng: random.Random, total: float, count: int) -> list[float]:
    """``count`` positive amounts (to the cent) adding up to ``total``."""
    weights = [rng.lognormvariate(0, 0.6) for _ in range(count)]
    scale = total / sum(weights)
    parts = [round(w * scale, 2) for w in weights[:-1]]
    parts.append(round(total - sum(parts), 2))
    if parts[-1] <= 0:  # rounding ate the last deal: spread evenly instead
        even = round(total / count, 2)
        parts = [even] * (count - 1) + [round(total - even * (count - 1), 2)]
    return parts


def _payment(rng: random.Random, day: date, due: date, amount: float, rank: int, as_of: date) -> dict:
    """回款日期 and 回款金额 (both None: not paid yet)."""
    on_time, never = BEHAVIOUR[rank]
    roll = rng.random()
    if due >= as_of and roll < 0.5:
        return {}   # not due yet and not paid yet
    if roll < on_time:
        paid = day + timedelta(days=rng.randrange(max(0, (due - day).days) + 1))
    elif roll < 1 - never:
        paid = due + timedelta(days=rng.randrange(5, 90))
    else:
        return dict(remarks="催收中") if rng.random() < 0.5 else {}
    if paid > as_of:
        return {}
    partial = rank > 0 and rng.random() < 0.15
    return dict(paid_date=paid, paid_amount=round(amount * 0.6, 2) if partial else amount)


def review_dates(rng: random.Random, customers: list[Customer], as_of: date, shared: str | None) -> None:
    """信誉评定日期 for most customers with a 信誉等级: within the last 400 days (some are due for
    复评), never before 建档日期. Not for the ``shared`` customer (its two files must agree)."""
    for c in customers:
        v = c.values
        if v.get("credit") and v["customer_id"] != shared and rng.random() < REVIEWED_SHARE:
            v["credit_reviewed"] = max(v["created"], as_of - timedelta(days=rng.randrange(400)))
