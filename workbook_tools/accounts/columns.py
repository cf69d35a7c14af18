"""Python values → NumPy columns with the row-wise rules of accounts.trades (``as_day``,
``as_number``), in C where the column's types allow it and value by value otherwise; and the
trade rows (value tuples in a form's field order, or mappings) as the few columns the 客户分类
figures read, one slice of rows at a time, without a dict per row."""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass
from itertools import islice, repeat
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np

from workbook_tools.accounts.trades import as_day, as_number

NO_DAY = 0          # ordinal of "no date" (date.toordinal() is ≥ 1)
SLICE = 8192        # rows transposed at a time
TRADE_KEYS = ("customer_id", "date", "amount", "paid_amount", "due_date", "paid_date")
_NUMBER_TYPES = frozenset({int, float, type(None)})
_DAY_TYPES = frozenset({dt.date, dt.datetime, type(None)})
_UNSEEN = -2        # group_index: not in the memo yet


def numbers(values: Sequence[Any]) -> np.ndarray:
    """``as_number`` of every value as float64 (None, text, bool → 0.0)."""
    if set(map(type, values)) <= _NUMBER_TYPES:
        out = np.array(values, dtype="float64") if values else np.zeros(0)
        out[~given(values)] = 0.0
        return out
    return np.fromiter(map(as_number, values), "float64", len(values))


class _Ordinals(dict):
    """date / datetime / None → ordinal (NO_DAY for None), computed once per distinct value."""

    def __missing__(self, value: Any) -> int:
        out = self[value] = NO_DAY if value is None else value.toordinal()
        return out


def ordinals(values: Sequence[Any], cache: dict | None = None) -> np.ndarray:
    """``as_day(value).toordinal()`` of every value as int32, NO_DAY where not a date. ``cache``:
    a dict from :func:`ordinal_cache` shared between calls (a column holds few distinct days)."""
    if set(map(type, values)) <= _DAY_TYPES:
        cache = ordinal_cache() if cache is None else cache
        return np.fromiter(map(cache.__getitem__, values), "int32", len(values))
    return np.fromiter((d.toordinal() if d is not None else NO_DAY for d in map(as_day, values)),
                       "int32", len(values))


def ordinal_cache() -> dict:
    return _Ordinals()


def group_index(values: Sequence[Any], groups: Mapping[str, int], norm: Callable[[Any], str],
                memo: dict[Any, int]) -> np.ndarray:
    """The group of every 客户编号 value (``groups``: normalised 客户编号 → group; -1 when
    empty or unknown). ``memo``: raw value → group, filled as values are normalised (shared
    between calls); seed it with :func:`raw_groups` or :func:`normal_keys` so that most values
    need no ``norm`` call."""
    try:
        found = np.fromiter(map(memo.get, values, repeat(_UNSEEN)), "int32", len(values))
    except TypeError:   # an unhashable value among them: look each up below
        found = np.full(len(values), _UNSEEN, dtype="int32")
    for i in np.flatnonzero(found == _UNSEEN).tolist():
        value = values[i]
        try:
            group = memo.get(value)
        except TypeError:   # an unhashable value: normalise it every time
            group = groups.get(norm(value), -1)
        else:
            if group is None:
                group = memo[value] = groups.get(norm(value), -1)
        found[i] = group
    return found


def normal_keys(groups: Mapping[str, int], norm: Callable[[Any], str]) -> dict[Any, int]:
    """The keys of ``groups`` that ``norm`` leaves unchanged: as raw values they need no call."""
    return {key: g for key, g in groups.items() if norm(key) == key}


def raw_groups(ids: Sequence[Any], groups: np.ndarray) -> dict[Any, int]:
    """A memo for :func:`group_index` from raw 客户编号 values and the groups their
    normalisations have (trades usually quote an id exactly as the customer's row has it)."""
    return dict(zip(ids, groups.tolist()))


def given(values: Sequence[Any]) -> np.ndarray:
    """True where a value is not None."""
    return np.fromiter(map(operator.is_not, values, repeat(None)), bool, len(values))


@dataclass(slots=True)
class TradeColumns:
    """The trade rows of known customers, in row order: group, date, amount, paid amount,
    due date and paid date (ordinals, NO_DAY when blank)."""

    group: np.ndarray
    day: np.ndarray
    amount: np.ndarray
    paid: np.ndarray
    due: np.ndarray
    paid_day: np.ndarray


def trade_columns(trades: Any, groups: Mapping[str, int], norm: Callable[[Any], str],
                  memo: dict[Any, int] | None = None) -> TradeColumns:
    """``trades``: mappings by field key, or an object with ``keys`` (field keys) and
    ``value_tuples()`` (each row's values in that order, e.g. merge.packed.PackedRows).
    ``memo``: see :func:`group_index`."""
    memo, days = normal_keys(groups, norm) if memo is None else memo, ordinal_cache()
    parts: list[TradeColumns] = []
    for cid, day, amount, paid, due, paid_day in _slices(trades):
        group = group_index(cid, groups, norm, memo)
        keep = group >= 0
        columns = (group, ordinals(day, days), numbers(amount), numbers(paid), ordinals(due, days),
                   ordinals(paid_day, days))
        parts.append(TradeColumns(*(c[keep] for c in columns)))
    if not parts:
        empty = np.zeros(0, "int32")
        return TradeColumns(empty, empty, np.zeros(0), np.zeros(0), empty, empty)
    columns = [list(c) for c in zip(*((p.group, p.day, p.amount, p.paid, p.due, p.paid_day) for p in parts))]
    parts.clear()
    joined = []
    for i, pieces in enumerate(columns):   # one column at a time: its pieces freed as it is joined
        joined.append(np.concatenate(pieces))
        columns[i] = None
    return TradeColumns(*joined)


def _slices(trades: Any) -> Iterator[tuple[Sequence[Any], ...]]:
    """The TRADE_KEYS columns of ``trades``, SLICE rows (or a packed block) at a time."""
    if hasattr(trades, "value_tuples") and hasattr(trades, "keys"):
        keys = list(trades.keys)
        where = [keys.index(k) if k in keys else None for k in TRADE_KEYS]
        chunks = _tuple_chunks(trades, keys)
    else:
        where = list(range(len(TRADE_KEYS)))
        rows = (tuple(map(v.get, TRADE_KEYS)) for v in trades)
        chunks = iter(lambda: list(islice(rows, SLICE)), [])
    for chunk in chunks:
        if chunk:
            columns = list(zip(*chunk))
            yield tuple(columns[w] if w is not None else (None,) * len(chunk) for w in where)


def _tuple_chunks(rows: Any, keys: list[str]) -> Iterator[list[tuple]]:
    """Value tuples a packed block at a time (``blocks_with_items``), else SLICE at a time."""
    if not hasattr(rows, "blocks_with_items"):
        it = rows.value_tuples()
        yield from iter(lambda: list(islice(it, SLICE)), [])
        return
    for _, items in rows.blocks_with_items():
        yield [v if v.__class__ is tuple else tuple(map(v.get, keys)) for v, _, _ in items]


def id_counts(rows: Any, groups: Mapping[str, int], norm: Callable[[Any], str], n: int,
              memo: dict[Any, int] | None = None) -> np.ndarray:
    """Rows per group (e.g. 投诉条数), from mappings or value tuples as in :func:`trade_columns`."""
    if hasattr(rows, "value_tuples") and hasattr(rows, "keys"):
        keys = list(rows.keys)
        if "customer_id" not in keys:
            return np.zeros(n, "int64")
        at = keys.index("customer_id")
        values: Iterable[Any] = (t[at] for t in rows.value_tuples())
    else:
        values = (v.get("customer_id") for v in rows)
    memo = normal_keys(groups, norm) if memo is None else memo
    out = np.zeros(n, "int64")
    it = iter(values)
    while chunk := list(islice(it, SLICE)):
        group = group_index(chunk, groups, norm, memo)
        out += np.bincount(group[group >= 0], minlength=n)
    return out
