"""The duplicate matcher's profiles of every company customer as columns: each text field
one string per CHUNK companies plus an array of where each company's text ends, the word
tuples and place sets as numbers into tables of the distinct ones. ≈ 0.12 KB a company
instead of ≈ 0.77 KB as :class:`~workbook_tools.merge.profiles.Profile` objects; a
Profile is made when a pair is judged (benchmarks/README.md, one million customers).

Companies are known by their number here (0, 1, … in master order); ``position(k)`` is
the customer's position among all customers."""

from __future__ import annotations

from array import array
from itertools import accumulate
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from workbook_tools.merge.profiles import ADDRESS_KEY, CHUNK, Profile, landline_parts

_TEXTS = ("core", "phone", "address", "email", "contact")


class TextColumn:
    """Texts appended one by one, kept joined CHUNK at a time."""

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.ends = array("I")          # where each text ends in its chunk's string
        self.pending: list[str] = []

    def append(self, text: str) -> None:
        self.pending.append(text)
        if len(self.pending) == CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.chunks.append("".join(self.pending))
            self.ends.extend(accumulate(map(len, self.pending)))
            self.pending = []

    def __getitem__(self, k: int) -> str:
        chunk, at = divmod(k, CHUNK)
        ends = self.ends
        return self.chunks[chunk][ends[k - 1] if at else 0:ends[k]]

    def texts(self) -> Iterator[str]:
        """Every text in order."""
        ends = self.ends
        for n, chunk in enumerate(self.chunks):
            start = 0
            for k in range(n * CHUNK, min(len(ends), (n + 1) * CHUNK)):
                end = ends[k]
                yield chunk[start:end]
                start = end


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
        self.words, self.provinces, self.cities = array("i"), array("i"), array("i")

    def add(self, row: tuple) -> None:
        position, plain, core, words, provinces, cities, phone, address, email, contact = row
        if not core:
            return
        if plain != core:
            self.plain[len(self.positions)] = plain
        self.positions.append(position)
        for column, text in zip(self.columns.values(), (core, phone, address, email, contact)):
            column.append(text)
        number = self.shared.number
        self.words.append(number(words))
        self.provinces.append(number(provinces))
        self.cities.append(number(cities))

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

    def base(self, k: int, core: str | None = None) -> str:
        """The core without its industry words (they were stripped from its end)."""
        core = self.core(k) if core is None else core
        return core[:len(core) - sum(map(len, self.word_tuple(k)))]

    def profile(self, k: int) -> Profile:
        core, phone, address, email, contact = (column[k] for column in self.columns.values())
        area, tel = landline_parts(phone)
        items = self.shared.items
        return Profile(index=self.positions[k], plain=self.plain.get(k, core), core=core,
                       base=self.base(k, core), words=items[self.words[k]],
                       provinces=items[self.provinces[k]], cities=items[self.cities[k]],
                       area=area, tel=tel, phone=phone, address=address, email=email, contact=contact)

    def keys(self, column: str, part: Callable[[str], str] = str) -> Iterator[str]:
        """``part`` of each company's ``column`` ("base": the core without its industry words)."""
        return map(part, self.bases() if column == "base" else self.columns[column].texts())

    def key(self, column: str, part: Callable[[str], str] = str) -> Callable[[int], str]:
        """One company's :meth:`keys`."""
        if column == "base":
            return lambda k: part(self.base(k))
        texts = self.columns[column]
        return lambda k: part(texts[k])

    def bases(self) -> Iterator[str]:
        items, words = self.shared.items, self.words
        for k, core in enumerate(self.cores()):
            yield core[:len(core) - sum(map(len, items[words[k]]))]


def address_key(address: str) -> str:
    """As :attr:`Profile.address_key`."""
    return address[:ADDRESS_KEY] if len(address) >= 6 else ""


def hash_groups(keys: Iterable[str]) -> Iterator[np.ndarray]:
    """The numbers (ascending) of the companies whose non-empty keys share a hash, by group of
    two or more; equal keys are in one group (a group may hold unequal keys: check them)."""
    numbers, hashes = array("q"), array("q")
    for k, key in enumerate(keys):
        if key:
            numbers.append(k)
            hashes.append(hash(key))
    if len(hashes) < 2:
        return
    h = np.frombuffer(hashes, dtype=np.int64)
    order = np.argsort(h, kind="stable")
    h = h[order]
    starts = np.flatnonzero(np.concatenate(([True], h[1:] != h[:-1])))
    sizes = np.diff(np.append(starts, len(h)))
    at = np.frombuffer(numbers, dtype=np.int64)
    del hashes, h
    for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist()):
        yield at[order[start:start + size]]


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
