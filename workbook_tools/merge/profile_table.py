"""The duplicate matcher's profiles of every company customer as columns: each text field
one string per CHUNK companies plus an array of where each company's text ends, the word
tuples and place sets as numbers into tables of the distinct ones. ≈ 0.12 KB a company
instead of ≈ 0.77 KB as :class:`~workbook_tools.merge.profiles.Profile` objects; a
Profile is made when a pair is judged (benchmarks/README.md, one million customers).

Companies are known by their number here (0, 1, … in master order); ``positions[k]`` is
the customer's position among all customers. Blocks of companies sharing a key are found
by hash (:func:`hash_groups`): the caller checks the keys (a group may hold two)."""

from __future__ import annotations

import itertools
from array import array
from typing import Any, Callable, Iterable, Iterator, Optional, Union

import numpy as np

from workbook_tools.merge.profiles import CHUNK, Profile, landline_parts

_TEXTS = ("core", "phone", "address", "email", "contact")
Part = Optional[Union[slice, Callable[[str], str]]]   # what of a text a key is (None: all of it)


class TextColumn:
    """Texts added a list at a time, kept joined CHUNK at a time."""

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.ends = array("I")          # where each text ends in its chunk's string
        self.pending: list[str] = []

    def extend(self, texts: Iterable[str]) -> None:
        self.pending.extend(texts)
        while len(self.pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            texts, self.pending = self.pending[:CHUNK], self.pending[CHUNK:]
            self.chunks.append("".join(texts))
            self.ends.extend(itertools.accumulate(map(len, texts)))

    def __getitem__(self, k: int) -> str:
        at = k % CHUNK
        ends = self.ends
        return self.chunks[k // CHUNK][ends[k - 1] if at else 0:ends[k]]

    def texts(self) -> Iterator[str]:
        """Every text in order."""
        ends = self.ends
        for n, chunk in enumerate(self.chunks):
            stops = ends[n * CHUNK:(n + 1) * CHUNK]
            yield from map(chunk.__getitem__, map(slice, itertools.chain((0,), stops), stops))


class _Shared:
    """Distinct objects (word tuples, place sets) by number."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self.numbers: dict[Any, int] = {}

    def number(self, item: Any) -> int:
        n = self.numbers.get(item)
        if n is None:
            n = self.numbers[item] = len(self.items)
            self.items.append(item)
        return n


class ProfileTable:
    """Rows of :func:`~workbook_tools.merge.profiles.profile_rows` with a name core."""

    def __init__(self) -> None:
        self.positions = array("q")
        self.columns = {name: TextColumn() for name in _TEXTS}
        self.plain: dict[int, str] = {}     # the name core before 繁简 folding, where it differs
        self.shared = _Shared()
        self.base_length = array("I")       # the base is the core's start (words stripped from its end)
        self.words, self.provinces, self.cities = array("i"), array("i"), array("i")

    def add(self, rows: Iterable[tuple]) -> None:
        rows = [row for row in rows if row[2]]
        if not rows:
            return
        positions, plain, core, words, provinces, cities, *texts = zip(*rows)
        n = len(self.positions)
        self.plain.update((n + i, p) for i, (p, c) in enumerate(zip(plain, core)) if p != c)
        self.positions.extend(positions)
        for column, values in zip(self.columns.values(), (core, *texts)):
            column.extend(values)
        self.base_length.extend(len(c) - sum(map(len, w)) for c, w in zip(core, words))
        number = self.shared.number
        for ids, items in ((self.words, words), (self.provinces, provinces), (self.cities, cities)):
            ids.extend(map(number, items))

    def close(self) -> "ProfileTable":
        for column in self.columns.values():
            column.flush()
        self.shared.numbers = {}
        return self

    def __len__(self) -> int:
        return len(self.positions)

    def core(self, k: int) -> str:
        return self.columns["core"][k]

    def cores(self) -> Iterator[str]:
        return self.columns["core"].texts()

    def word_tuple(self, k: int) -> tuple[str, ...]:
        return self.shared.items[self.words[k]]

    def base(self, k: int) -> str:
        return self.core(k)[:self.base_length[k]]

    def bases(self) -> Iterator[str]:
        return map(str.__getitem__, self.cores(), map(slice, self.base_length))

    def profile(self, k: int) -> Profile:
        n, at = divmod(k, CHUNK)
        core, phone, address, email, contact = [
            column.chunks[n][column.ends[k - 1] if at else 0:column.ends[k]] for column in self.columns.values()]
        area, tel = landline_parts(phone)
        items = self.shared.items
        return Profile(index=self.positions[k], plain=self.plain.get(k, core), core=core,
                       base=core[:self.base_length[k]], words=items[self.words[k]],
                       provinces=items[self.provinces[k]], cities=items[self.cities[k]],
                       area=area, tel=tel, phone=phone, address=address, email=email, contact=contact)

    def word_tuples(self) -> Iterator[tuple[str, ...]]:
        return map(self.shared.items.__getitem__, self.words)

    def lengths(self, column: str) -> np.ndarray:
        """The length of each company's ``column`` ("base": the core without its industry words)."""
        if column == "base":
            return np.frombuffer(self.base_length, dtype=np.uint32).astype(np.int64)
        ends = np.frombuffer(self.columns[column].ends, dtype=np.uint32).astype(np.int64)
        starts = np.concatenate(([0], ends[:-1]))
        starts[::CHUNK] = 0
        return ends - starts

    def hashes(self, column: str, part: Part = None) -> np.ndarray:
        """The hash of ``part`` of each company's ``column`` (a slice, a function or None: all)."""
        texts = self.bases() if column == "base" else self.columns[column].texts()
        if isinstance(part, slice):
            texts = map(str.__getitem__, texts, itertools.repeat(part))
        elif part is not None:
            texts = map(part, texts)
        return np.fromiter(map(hash, texts), dtype=np.int64, count=len(self))

    def key(self, column: str, part: Part = None, shortest: int = 1) -> Callable[[int], str]:
        """One company's ``part`` of its ``column``; "" when the column is shorter than ``shortest``."""
        text = self.base if column == "base" else self.columns[column].__getitem__

        def key(k: int) -> str:
            value = text(k)
            if len(value) < shortest:
                return ""
            return value if part is None else value[part] if isinstance(part, slice) else part(value)
        return key


def hash_groups(hashes: np.ndarray, present: np.ndarray | None = None) -> Iterator[np.ndarray]:
    """The numbers (ascending) of the companies (``present`` ones) that share a hash, by group of
    two or more; equal keys are in one group (a group may hold unequal keys: check them)."""
    numbers = np.arange(len(hashes)) if present is None else np.flatnonzero(present)
    if len(numbers) < 2:
        return
    h = hashes[numbers]
    order = np.argsort(h, kind="stable")
    h = h[order]
    starts = np.flatnonzero(np.concatenate(([True], h[1:] != h[:-1])))
    sizes = np.diff(np.append(starts, len(h)))
    del h
    for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist()):
        yield numbers[order[start:start + size]]


def exact_groups(group: np.ndarray, key: Callable[[int], Any]) -> Iterator[list[int]]:
    """A hash group split by the exact key (nearly always one group), members in order."""
    members = group.tolist()
    keys = [key(k) for k in members]
    first = keys[0]
    if all(k == first for k in keys):
        yield members
        return
    split: dict[Any, list[int]] = {}
    for k, value in zip(members, keys):
        split.setdefault(value, []).append(k)
    yield from (g for g in split.values() if len(g) > 1)
