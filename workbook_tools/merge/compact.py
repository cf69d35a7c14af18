"""Registration rows' values kept compactly: a tuple in the form's field order behind a
read-only mapping, one key index shared by every row of the form — or that tuple pickled
(:meth:`RowValues.packed`), decoded when read.

A validated 客户档案 row as a dict of 40 keys costs ≈ 0.83 KB before its values; as a
:class:`RowValues` ≈ 0.4 KB (the tuple and a small object). A million customers' rows live
from reading until the master is written (benchmarks/README.md, one million customers).
RowValues reads like the dict it replaces (``get``, ``[key]``, ``in``, iteration, ``items``,
``==`` with a dict); a key of the form the row did not have reads as None (SourceRow's
contract: missing keys count as empty). It cannot be changed: build a dict to change one.

Packed rows (the merge's registration rows and last week's master) hold one ``bytes`` of
≈ 0.5 KB instead of the tuple and its ≈ 12 distinct strings (≈ 1.1 KB), or only its
reference when the bytes are spilled to disk (merge/spill.py): a million customers ≈ 1 GB
less. A read decodes the row (≈ 4 µs) unless it is one of the two rows read last
(:func:`_unpacked`): a pass reads a row's fields one after the other, a comparison two
rows; the first field (客户编号, read by every pass that groups rows) needs no decoding.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from typing import Any, Iterator, Sequence

NO_ERRORS: tuple[str, ...] = ()                    # shared empty errors of a clean row

_INDEXES: dict[tuple[str, ...], dict[str, int]] = {}


def key_index(keys: Sequence[str]) -> dict[str, int]:
    """The one position index of these keys (shared by every row built on them)."""
    keys = tuple(keys)
    index = _INDEXES.get(keys)
    if index is None:
        index = _INDEXES.setdefault(keys, {k: i for i, k in enumerate(keys)})
    return index


class RowValues(Mapping):
    """Field key → value of one row, stored as a tuple in the form's field order, or that
    tuple pickled (``bytes``), or the reference of those bytes in a spill file
    (merge/spill.py). A packed row keeps its first field (the 客户编号 of a 客户档案 row)
    readable without decoding."""

    __slots__ = ("_index", "_data", "_first", "_spill")

    def __init__(self, index: dict[str, int], values: tuple | bytes | int, first: Any = None,
                 spill: Any = None):
        self._index, self._data, self._first, self._spill = index, values, first, spill

    @classmethod
    def of(cls, values: Mapping[str, Any], keys: Sequence[str]) -> "Mapping[str, Any]":
        """``values`` compacted on ``keys``; a row with a key outside them stays as it was."""
        index = key_index(keys)
        if values.__class__ is cls and values._index is index:
            return values
        if not values.keys() <= index.keys():
            return values
        return cls(index, tuple(map(values.get, index)))

    @classmethod
    def packed(cls, values: Mapping[str, Any], keys: Sequence[str], spill: Any = None) -> "Mapping[str, Any]":
        """As :meth:`of`, the tuple pickled — kept in ``spill`` when given (a row with a key
        outside ``keys`` stays as it was)."""
        row = cls.of(values, keys)
        if row.__class__ is not cls:
            return row
        if row._data.__class__ is tuple:
            data = row._data
            row = cls(row._index, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL), data[0] if data else None)
        return row.kept_in(spill)

    def kept_in(self, spill: Any) -> "RowValues":
        """This packed row with its bytes in ``spill`` (None: in memory)."""
        if self._data.__class__ is tuple or spill is self._spill:
            return self
        data = self._data if self._spill is None else self._spill.get(self._data)
        return RowValues(self._index, data if spill is None else spill.put(data), self._first, spill)

    @property
    def _values(self) -> tuple:
        """The values in field order (decoded when packed)."""
        data = self._data
        return data if data.__class__ is tuple else _unpacked(self)

    def get(self, key: str, default: Any = None) -> Any:
        i = self._index.get(key)
        if i is None:
            return default
        data = self._data
        if data.__class__ is tuple:
            return data[i]
        return self._first if i == 0 else _unpacked(self)[i]

    def __getitem__(self, key: str) -> Any:
        i = self._index[key]
        data = self._data
        if data.__class__ is tuple:
            return data[i]
        return self._first if i == 0 else _unpacked(self)[i]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is RowValues and other._index is self._index:
            if self._data == other._data and self._spill is other._spill:
                return True
            return self._values == other._values
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as a dict: not hashable

    def __repr__(self) -> str:
        return f"RowValues({dict(self.items())!r})"

    def __reduce__(self):
        """Unpickled rows share the key index again (a weekly run's result crosses
        processes); a spilled row travels with its bytes."""
        data = self._data if self._spill is None else self._spill.get(self._data)
        return _restore, (tuple(self._index), data, self._first)


def _restore(keys: tuple[str, ...], values: tuple | bytes, first: Any = None) -> RowValues:
    return RowValues(key_index(keys), values, first)


_last: list[tuple[Any, tuple]] = [(None, ()), (None, ())]   # the two rows decoded last


def _unpacked(row: RowValues) -> tuple:
    """A packed row's tuple: one of the two decoded last, else decoded now (replacing the
    older of the two; each slot is one tuple, replaced whole, so threads see a whole pair)."""
    first, second = _last
    if first[0] is row:
        return first[1]
    if second[0] is row:
        return second[1]
    data = row._data if row._spill is None else row._spill.get(row._data)
    values = pickle.loads(data)
    _last[1], _last[0] = first, (row, values)
    return values


class _Empty(Mapping):
    """The one read-only empty mapping: the extras of a row without unknown columns."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "EMPTY"

    def __reduce__(self) -> str:
        return "EMPTY"


EMPTY: Mapping[str, Any] = _Empty()   # shared empty extras of a clean row


def in_order(values: Mapping[str, Any], keys: Sequence[str], index: dict[str, int] | None = None
             ) -> list[Any]:
    """``[values.get(k) for k in keys]``; a RowValues on ``keys`` (``index``: their
    :func:`key_index`, computed once by a caller that loops) gives its tuple as it is."""
    if values.__class__ is RowValues and values._index is (index or key_index(keys)):
        return list(values._values)
    return [values.get(k) for k in keys]

