"""Clean, consistent customer records (客户档案) for one regional file.

Every value is valid: check digits, mobile ranges, dates in order (首次 ≤ 最近 ≤ as_of,
建档 ≤ 最新修订), amounts skewed so that a few big accounts carry most of the turnover.
The mess is added later by ``mess``.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from workbook_tools.sampledata import identifiers as ids
from workbook_tools.sampledata import names
from workbook_tools.sampledata.places import BUILDINGS, STREETS, City, cities
from workbook_tools.sampledata.vocabulary import SOLE_TRADER, Vocabulary

PERSON_SHARE = 0.15  # 个人 customers
POTENTIAL_SHARE = 0.15  # customers without any trade yet
_TAGS = ("", "", "", "-tech", "group", "china", "gf", "-cn")
_TLDS = ("com", "com", "cn", "com.cn", "net")


@dataclass
class Customer:
    values: dict[str, Any]  # registration field key → cell value
    city: City
    parts: tuple[str, str, str, str] | None = None  # company name: place, 字号, industry word, legal form
    pinyin: str = ""  # 字号 pinyin (companies) or name pinyin (people)


@dataclass
class RegionContext:
    region: str  # canonical value, e.g. 华东
    code: str  # HD
    cities: tuple[City, ...]
    salespeople: list[str]
    clerk: str  # who fills in the form (footer 填表人)
    as_of: date
    _city_cum: tuple[float, ...] = field(default=(), repr=False)
    _sales_cum: tuple[float, ...] = field(default=(), repr=False)

    def city(self, rng: random.Random) -> City:
        return rng.choices(self.cities, cum_weights=self._city_cum)[0]

    def salesperson(self, rng: random.Random) -> str:
        return rng.choices(self.salespeople, cum_weights=self._sales_cum)[0]


def make_region(rng: random.Random, region: str, code: str, customers: int, as_of: date,
                part: int = 0, parts: int = 1) -> RegionContext:
    """Cities, salespeople (more for bigger files) and a clerk.

    Staff names are unique within the file and, through a hash partition, across the
    files of a run (file ``part`` of ``parts``), without the files knowing each other."""
    staff: list[str] = []
    while len(staff) < min(30, 3 + customers // 150) + 1:
        name, _ = names.person_name(rng, rng.random() < 0.4)
        if name not in staff and zlib.crc32(name.encode()) % parts == part:
            staff.append(name)
    places = cities(region)
    return RegionContext(
        region=region, code=code, cities=places, salespeople=staff[1:], clerk=staff[0], as_of=as_of,
        _city_cum=tuple(accumulate(c.weight for c in places)),
        _sales_cum=tuple(accumulate(rng.uniform(0.5, 2.0) for _ in staff[1:])),
    )


def _block(count: int, block: int) -> tuple[int, int]:
    span = count + count // 20 + 2
    return 1 + block * span, span


def customer_ids(rng: random.Random, code: str, count: int, block: int, width: int) -> list[str]:
    """``count`` increasing 客户编号 in block ``block``; a few numbers are skipped (deleted
    customers) and the middle one is always left free for ``reserved_id``."""
    start, span = _block(count, block)
    reserved = start + span // 2
    numbers = sorted(n + (n >= reserved) for n in rng.sample(range(start, start + span - 1), count))
    return [f"{code}{n:0{width}d}" for n in numbers]


def reserved_id(code: str, count: int, block: int, width: int) -> str:
    """The 客户编号 no regular customer of the block gets (used for the customer shared by two regions)."""
    start, span = _block(count, block)
    return f"{code}{start + span // 2:0{width}d}"


def id_width(count: int, blocks: int) -> int:
    return max(4, len(str(sum(_block(count, blocks - 1)))))


def make_customers(rng: random.Random, vocab: Vocabulary, ctx: RegionContext, id_list: list[str],
                   part: int = 0, parts: int = 1) -> list[Customer]:
    """One customer per 客户编号, 客户类别 assigned by turnover rank (file ``part`` of ``parts``)."""
    taken: set[str] = set()  # company name cores (字号 + industry word) of this file
    out = [_customer(rng, vocab, ctx, cid, taken, part, parts) for cid in id_list]
    _assign_categories(vocab, out)
    return out


def _customer(rng, vocab: Vocabulary, ctx: RegionContext, cid: str, taken: set[str], part: int,
              parts: int) -> Customer:
    city = ctx.city(rng)
    if rng.random() < PERSON_SHARE:
        customer = _person(rng, vocab, ctx, city)
    else:
        customer = _company(rng, vocab, ctx, city, taken, part, parts)
    customer.values.update(customer_id=cid, region=ctx.region)
    _history(rng, vocab, ctx, customer)
    return customer


def shared_customer(seed: int, vocab: Vocabulary, region: str, code: str, cid: str, as_of: date,
                    parts: int) -> tuple[Customer, str, date]:
    """The company both its home region and another region keep a row for, generated the
    same way in both files (its own seed, and a 字号 partition no file uses). Returns the
    customer as the home region has it (负责业务员/填表人 left to each file), and the 手机 and
    最新修订日期 the other region has."""
    rng = random.Random(f"{seed}:shared-customer")
    places = cities(region)
    ctx = RegionContext(region, code, places, [""], "", as_of, tuple(range(1, len(places) + 1)), (1.0,))
    customer = _company(rng, vocab, ctx, places[0], set(), parts, parts)
    while not customer.values.get("mobile"):
        customer.values["mobile"] = ids.mobile(rng)
    customer.values.update(customer_id=cid, region=region)
    _history(rng, vocab, ctx, customer)
    cats = vocab.categories
    customer.values["category"] = cats[min(1, len(cats) - 1)] if customer.values["trade_count"] else cats[-1]
    return customer, ids.other_mobile(rng, customer.values["mobile"]), _other_revision(rng, customer, as_of)


def _other_revision(rng, customer: Customer, as_of: date) -> date:
    """A different 最新修订日期: earlier (not before the last trade) if there is room, else later
    (never after as_of), else a few days earlier (created is at least a week before as_of)."""
    v = customer.values
    floor = v.get("last_trade_date") or v["created"]
    if v["revised"] > floor:
        return floor + timedelta(days=rng.randrange((v["revised"] - floor).days))
    if v["revised"] < as_of:
        return v["revised"] + timedelta(days=rng.randrange(1, min(7, (as_of - v["revised"]).days) + 1))
    return v["revised"] - timedelta(days=rng.randrange(1, 7))


def _company(rng, vocab: Vocabulary, ctx: RegionContext, city: City, taken: set[str], part: int,
             parts: int) -> Customer:
    """A company; its 字号 comes from partition ``part`` of ``parts`` + 1 (the last one is
    reserved for the shared customer)."""
    industry = vocab.pick(rng, "industry")
    brand, brand_py, word = _unique_core(rng, industry, taken, part, parts)
    form = names.legal_form(rng)
    ownership = vocab.pick(rng, "ownership")
    district, district_code = rng.choice(city.districts)
    contact, contact_py = names.person_name(rng, rng.random() < 0.45)
    domain = f"{brand_py}{rng.choice(_TAGS)}.{rng.choice(_TLDS)}"
    boss = contact if rng.random() < 0.3 else names.person_name(rng, rng.random() < 0.2)[0]
    values = dict(
        customer_name=f"{city.short}{brand}{word}{form}", customer_type=vocab.company, industry=industry,
        ownership=ownership, contact=contact, title=rng.choice(names.TITLES),
        mobile=ids.mobile(rng) if rng.random() < 0.9 else None,
        phone=ids.landline(rng, city, extension=rng.random() < 0.2),
        fax=ids.landline(rng, city) if rng.random() < 0.3 else None,
        email=rng.choice((f"{contact_py}@{domain}", f"sales@{domain}", f"info@{domain}",
                          f"{contact_py}{rng.randrange(1, 99)}@{rng.choice(names.MAIL_HOSTS)}")),
        website=f"www.{domain}" if rng.random() < 0.6 else None,
        address=_address(rng, city, district),
        postal_code=ids.postal_code(rng, city),
        uscc=ids.uscc(rng, district_code, "sole_trader" if ownership == SOLE_TRADER else "company"),
        legal_rep=boss, registered_capital=float(rng.choice((10, 50, 100, 200, 300, 500, 1000, 2000, 5000))),
        bank=_bank(rng, city, district), bank_account=ids.bank_account(rng),
        employees=max(1, int(rng.lognormvariate(3.5, 1.2))),
    )
    return Customer(values, city, (city.short, brand, word, form), brand_py)


def _unique_core(rng, industry: str, taken: set[str], part: int, parts: int) -> tuple[str, str, str]:
    """字号 + industry word not used yet in this file; a third 字号 character once the
    two-character ones of the partition run short (very big files)."""
    for attempt in range(1_000_000):
        brand, brand_py = names.brand(rng, part, parts + 1)
        if attempt >= 20:
            extra, extra_py = names.brand(rng)
            brand, brand_py = brand + extra[0], brand_py + names.BRAND_CHARS[extra[0]]
        word = rng.choice(names.industry_words(industry))
        if brand + word not in taken:
            taken.add(brand + word)
            return brand, brand_py, word
    raise RuntimeError("no unused company name left")


def _person(rng, vocab: Vocabulary, ctx: RegionContext, city: City) -> Customer:
    female = rng.random() < 0.45
    name, name_py = names.person_name(rng, female)
    age_days = rng.randrange(22 * 365, 68 * 365)
    birth = ctx.as_of - timedelta(days=age_days)
    district, _ = rng.choice(city.districts)
    mobile = ids.mobile(rng)
    values = dict(
        customer_name=name, customer_type=vocab.person, contact=name, mobile=mobile,
        phone=ids.landline(rng, city) if rng.random() < 0.1 else None,
        email=rng.choice((f"{name_py}{rng.randrange(1, 999)}@{rng.choice(names.MAIL_HOSTS)}",
                          f"{rng.randrange(10 ** 7, 10 ** 10)}@qq.com", None)),
        address=_address(rng, city, district), postal_code=ids.postal_code(rng, city),
        id_card=ids.id_card(rng, ctx.cities, city, birth, female),
    )
    if rng.random() < 0.3:
        values.update(bank=_bank(rng, city, district), bank_account=ids.bank_account(rng))
    return Customer(values, city, None, name_py)


def _address(rng, city: City, district: str) -> str:
    building = rng.choice(BUILDINGS)
    room = f"{rng.randrange(2, 30)}{rng.randrange(1, 20):02d}室" if building else ""
    return f"{city.full_name}{district}{rng.choice(STREETS)}{rng.randrange(1, 999)}号{building}{room}"


def _bank(rng, city: City, district: str) -> str:
    branch = district.removesuffix("街道").removesuffix("区").removesuffix("镇")
    return f"{rng.choice(names.BANKS)}{city.short}分行{branch}支行"


def _history(rng, vocab: Vocabulary, ctx: RegionContext, customer: Customer) -> None:
    """Dates, trades, owner and the other fields every customer has."""
    v, as_of = customer.values, ctx.as_of
    created = as_of - timedelta(days=rng.randrange(7, 6 * 365))
    owner = ctx.salesperson(rng)
    v.update(credit=vocab.pick(rng, "credit"), source=vocab.pick(rng, "source"),
             settlement=vocab.pick(rng, "settlement"), owner=owner, created=created,
             filled_by=owner if rng.random() < 0.7 else ctx.clerk,
             remarks=rng.choice(names.REMARKS) if rng.random() < 0.08 else None,
             contact_cycle=_contact_cycle(rng, vocab) if rng.random() < 0.1 else None)
    if rng.random() < POTENTIAL_SHARE:
        v.update(trade_count=0, trade_amount=0.0)
    else:
        _trades(rng, customer, created, as_of)
    # revised when the last trade was entered, or later (never after as_of)
    base = v.get("last_trade_date") or created
    v["revised"] = base + timedelta(days=rng.randrange(min(60, (as_of - base).days) + 1))


def _trades(rng, customer: Customer, created: date, as_of: date) -> None:
    """交易次数 (Pareto: most customers few, some many) and 交易金额 (log-normal per order)."""
    count = min(300, int(rng.paretovariate(1.2)))
    mean = (9.3, 0.9) if customer.parts else (8.0, 0.7)
    first = created + timedelta(days=rng.randrange(min(90, (as_of - created).days) + 1))
    days = (as_of - first).days
    last = first if count == 1 else as_of - timedelta(days=int(days * rng.random() ** 2))
    customer.values.update(trade_count=count, trade_amount=round(count * rng.lognormvariate(*mean), 2),
                           first_trade_date=first, last_trade_date=last)


def _contact_cycle(rng, vocab: Vocabulary) -> int:
    cycles = sorted(set(vocab.schema.settings.get("contact_cycles", {}).values()) | {10, 20, 45})
    return rng.choice(cycles)


def _assign_categories(vocab: Vocabulary, customers: list[Customer]) -> None:
    """客户类别 from turnover: top 5 % → most important, next 15 % → second, other traders → third;
    customers without trades → the last category (潜在客户)."""
    cats = vocab.categories
    traders = sorted((c for c in customers if c.values["trade_count"]),
                     key=lambda c: -c.values["trade_amount"])
    for rank, c in enumerate(traders):
        if "category" in c.values:
            continue
        tier = 0 if rank < len(traders) * 0.05 else 1 if rank < len(traders) * 0.20 else 2
        c.values["category"] = cats[min(tier, max(0, len(cats) - 2))]
    for c in customers:
        c.values.setdefault("category", cats[-1])
