"""Cell-level mess: full-width digits, 10-digit mobiles, dates typed as text, old
industry names and choice aliases, 身份证号 with a wrong check digit, and one 身份证号
stored as a number. Rates are per customer of the file (about 4 % of the registration
rows in all, about 1 % of the visit rows); a kind whose rate rounds to nothing in every
file is still injected once somewhere.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from workbook_tools.sampledata import identifiers as ids
from workbook_tools.sampledata.sheet import FileModel, Pending, Row
from workbook_tools.sampledata.vocabulary import Vocabulary

ID_ALPHABET = "0123456789X"


@dataclass(frozen=True)
class CellSpec:
    kind: str
    form: str  # form key of the sheet
    rate: float  # cells per customer of the file; 0: exactly one cell in the whole set
    fields: tuple[str, ...]  # candidate field keys
    applies: Callable[[Vocabulary, str, Any], bool]
    mutate: Callable[[random.Random, Vocabulary, str, Any], tuple[Any, str]]  # → (new value, detail)


def _is_mobile(vocab, key, value) -> bool:
    return isinstance(value, str) and len(value) == 11


def _is_date(vocab, key, value) -> bool:
    return isinstance(value, date)


def _is_id(vocab, key, value) -> bool:
    return isinstance(value, str) and len(value) == 18


def _is_numeric_id(vocab, key, value) -> bool:
    return _is_id(vocab, key, value) and value[-1].isdigit()


def _has_alias(form_key):
    def applies(vocab: Vocabulary, key, value) -> bool:
        form = getattr(vocab, form_key)
        return isinstance(value, str) and bool(vocab.aliases(key, value, form))
    return applies


def _alias(form_key):
    def mutate(rng, vocab: Vocabulary, key, value):
        alias = rng.choice(vocab.aliases(key, value, getattr(vocab, form_key)))
        return alias, f"选项写成了别名/旧名称“{alias}”（标准：{value}）"
    return mutate


def _fullwidth(rng, vocab, key, value):
    return ids.fullwidth(value), "手机号用了全角数字"


def _short_mobile(rng, vocab, key, value):
    return ids.short_mobile(rng, value), "手机号只有10位"


def _text_date(rng, vocab, key, value: date):
    text = rng.choice((f"{value.year}.{value.month}.{value.day}", f"{value.year}年{value.month}月{value.day}日",
                       f"{value:%Y/%m/%d}"))
    return text, "日期以文本形式输入"


def _bad_check(rng, vocab, key, value):
    return ids.with_bad_check(rng, value, ID_ALPHABET), f"身份证号校验位错误（应为 {value[-1]}）"


def _as_number(rng, vocab, key, value):
    return float(int(value)), f"身份证号 {value} 被存成数字（常规格式单元格），后几位已丢失"


REG_CHOICES = ("customer_type", "region", "ownership", "category", "credit", "source", "settlement")
SPECS = (
    CellSpec("fullwidth_digits", "registration", 0.006, ("mobile",), _is_mobile, _fullwidth),
    CellSpec("invalid_mobile", "registration", 0.004, ("mobile",), _is_mobile, _short_mobile),
    CellSpec("text_date", "registration", 0.008, ("first_trade_date", "last_trade_date", "created", "revised"),
             _is_date, _text_date),
    CellSpec("old_industry_name", "registration", 0.004, ("industry",), _has_alias("registration"),
             _alias("registration")),
    CellSpec("choice_alias", "registration", 0.008, REG_CHOICES, _has_alias("registration"), _alias("registration")),
    CellSpec("invalid_id_checksum", "registration", 0.003, ("id_card",), _is_id, _bad_check),
    CellSpec("id_as_number", "registration", 0, ("id_card",), _is_numeric_id, _as_number),
    CellSpec("text_date", "visit-record", 0.006, ("date", "next_date"), _is_date, _text_date),
    CellSpec("choice_alias", "visit-record", 0.006, ("method",), _has_alias("visit_record"), _alias("visit_record")),
    CellSpec("text_date", "visit-plan", 0.003, ("planned_date", "actual_date", "next_date"), _is_date, _text_date),
    CellSpec("choice_alias", "visit-plan", 0.003, ("method",), _has_alias("visit_plan"), _alias("visit_plan")),
)


def stochastic_round(rng: random.Random, x: float) -> int:
    """floor(x) plus one with probability frac(x): the expected value is x."""
    return math.floor(x) + (rng.random() < x - math.floor(x))


def plan_counts(rng: random.Random, customers: list[int], rate: float) -> list[int]:
    """How many cells of one kind each file gets: ``rate`` × customers (stochastically
    rounded), and at least one in the whole set."""
    counts = [stochastic_round(rng, n * rate) for n in customers]
    if not any(counts):
        counts[rng.randrange(len(counts))] = 1
    return counts


def apply(rng: random.Random, f: FileModel, vocab: Vocabulary, counts: tuple[int, ...]) -> None:
    """Mess up ``counts[i]`` cells of kind ``SPECS[i]`` in one file (fewer if it lacks candidates)."""
    for spec, count in zip(SPECS, counts):
        if count:
            _apply(rng, f, vocab, spec, count)


def _apply(rng: random.Random, f: FileModel, vocab: Vocabulary, spec: CellSpec, count: int) -> int:
    """Mess up ``count`` clean cells of one file; returns how many were changed."""
    sheet = f.sheets[spec.form]
    columns = [(k, sheet.col(k)) for k in spec.fields if k in {c.key for c in sheet.columns}]
    candidates: list[tuple[Row, str, int]] = []
    for row in f.clean_rows(spec.form):
        usable = [(k, i) for k, i in columns if spec.applies(vocab, k, row[i])]
        if usable:
            candidates.append((row, *rng.choice(usable)))
    for row, key, i in rng.sample(candidates, min(count, len(candidates))):
        old = row[i]
        row[i], detail = spec.mutate(rng, vocab, key, old)
        f.add(Pending(sheet, row, key, spec.kind, row[i], detail))
    return min(count, len(candidates))
