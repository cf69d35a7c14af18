"""Registration rows' values kept compactly: a tuple in the form's field order behind a
read-only mapping, one key index shared by every row of the form.

A validated 客户档案 row as a dict of 40 keys costs ≈ 0.83 KB before its values; as a
:class:`RowValues` ≈ 0.4 KB (the tuple and a small object). A million customers' rows live
from reading until the master is written (benchmarks/README.md, one million customers).
RowValues reads like the dict it replaces (``get``, ``[key]``, ``in``, iteration, ``items``,
``==`` with a dict); a key of the form the row did not have reads as None (SourceRow's
contract: missing keys count as empty). It cannot be changed: build a dict to change one.
"""

from __future__ import annotations

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
    """Field key → value of one row, stored as a tuple in the form's field order."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: tuple):
        self._index, self._values = index, values

    @classmethod
    def of(cls, values: Mapping[str, Any], keys: Sequence[str]) -> "Mapping[str, Any]":
        """``values`` compacted on ``keys``; a row with a key outside them stays as it was."""
        index = key_index(keys)
        if values.__class__ is cls and values._index is index:
            return values
        if not values.keys() <= index.keys():
            return values
        return cls(index, tuple(map(values.get, index)))

    def get(self, key: str, default: Any = None) -> Any:
        i = self._index.get(key)
        return default if i is None else self._values[i]

    def __getitem__(self, key: str) -> Any:
        return self._values[self._index[key]]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is RowValues and other._index is self._index:
            return self._values == other._values
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as a dict: not hashable

    def __repr__(self) -> str:
        return f"RowValues({dict(self.items())!r})"

    def __reduce__(self):
        """Unpickled rows share the key index again (a weekly run's result crosses processes)."""
        return _restore, (tuple(self._index), self._values)


def _restore(keys: tuple[str, ...], values: tuple) -> RowValues:
    return RowValues(key_index(keys), values)


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
