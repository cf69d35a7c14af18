"""Clean record rows (拜访记录, 拜访计划, 投诉记录, 交易记录) kept compactly between reading and
writing the master.

A SourceRow with its values dict costs ≈ 1.1 KB for a 12-field 交易记录 row; a million
customers bring ≈ 4 million such rows. :class:`PackedRows` keeps the rows of one form as
pickled blocks of (values, extras, row) items — values a tuple in the form's field order, so
the pickle holds no keys and shares repeated objects within a block — ≈ 135 bytes a 交易记录
row. The merge's passes read the blocks one at a time (:meth:`PackedRows.items`); iterating
or indexing gives SourceRows, as a list of them would. Costs: benchmarks/README.md.
"""

from __future__ import annotations

import pickle
from bisect import bisect_right
from dataclasses import dataclass
from array import array
from itertools import accumulate, repeat
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np

from workbook_tools.merge.compact import RowValues
from workbook_tools.merge.rows import SourceRow
from workbook_tools.merge.spill import Spill

BLOCK = 2000   # rows per block; tests lower it so that the block boundaries are exercised

# One packed row: values (a tuple in the form's field order, or a dict when the row has keys
# that are not fields of the form), extras (a dict, or None when empty), sheet row number.
Item = tuple[Any, Any, int]


@dataclass(slots=True)
class Block:
    """``count`` rows of one sheet from ``first_row`` on, pickled: the bytes themselves, or
    their reference in ``spill`` (merge/spill.py)."""
    file: str
    sheet: str
    first_row: int
    count: int
    stored: bytes | int
    spill: Spill | None = None

    @property
    def data(self) -> bytes:
        return self.stored if self.spill is None else self.spill.get(self.stored)

    def kept_in(self, spill: Spill | None) -> "Block":
        """This block with its bytes in ``spill`` (None: in memory)."""
        if spill is self.spill:
            return self
        data = self.data
        return Block(self.file, self.sheet, self.first_row, self.count,
                     data if spill is None else spill.put(data), spill)

    def __getstate__(self):
        """Pickled with its bytes (a spill stays in its process)."""
        return (self.file, self.sheet, self.first_row, self.count, self.data, None)

    def __setstate__(self, state):
        self.file, self.sheet, self.first_row, self.count, self.stored, self.spill = state


class PackedRows(Sequence[SourceRow]):
    """The clean rows of one form in source order (file, sheet, row — the order they are
    added in; ``sort`` restores it after rows from another table were added)."""

    def __init__(self, form: str, keys: Sequence[str], spill: Spill | None = None):
        self.form, self.keys, self.spill = form, tuple(keys), spill
        self._keyset = frozenset(self.keys)
        self.blocks: list[Block] = []
        self._open: list[Item] = []
        self._where: tuple[str, str] | None = None
        self._len = 0

    # --- adding ---------------------------------------------------------------------------

    def add(self, values: dict[str, Any], extras: dict[str, Any] | None, file: str, sheet: str,
            row: int) -> None:
        if self._where != (file, sheet) or len(self._open) >= BLOCK:
            self._flush()
            self._where = (file, sheet)
        self._open.append((self._packed(values), extras or None, row))
        self._len += 1

    def add_row(self, row: SourceRow) -> None:
        self.add(row.values, row.extras, row.file, row.sheet, row.row)

    def add_items(self, file: str, sheet: str, items: Iterable[Item]) -> None:
        """Items already packed (values in this form's field order), e.g. a block filtered."""
        for item in items:
            if self._where != (file, sheet) or len(self._open) >= BLOCK:
                self._flush()
                self._where = (file, sheet)
            self._open.append(item)
            self._len += 1

    def _packed(self, values: dict[str, Any]) -> Any:
        """A tuple in field order (a missing key and None are the same: SourceRow's
        contract); a dict only when the row has keys that are not fields of the form."""
        if values.keys() <= self._keyset:
            return tuple(map(values.get, self.keys))
        return dict(values)

    def _flush(self) -> None:
        if self._open:
            file, sheet = self._where
            data = pickle.dumps(self._open, protocol=pickle.HIGHEST_PROTOCOL)
            self.blocks.append(Block(file, sheet, self._open[0][2], len(self._open),
                                     data if self.spill is None else self.spill.put(data), self.spill))
            self._open = []

    def close(self) -> "PackedRows":
        """Pack the rows still open (call before reading)."""
        self._flush()
        self._where = None
        return self

    def extend(self, other: "PackedRows") -> None:
        """Add the blocks of ``other`` (the same form) after these."""
        self.close()
        other.close()
        self.blocks += [b.kept_in(self.spill) for b in other.blocks]
        self._len += other._len

    def like(self) -> "PackedRows":
        """An empty PackedRows of the same form, keeping its blocks where this one does."""
        return PackedRows(self.form, self.keys, self.spill)

    def __getstate__(self):
        self.close()
        return {**self.__dict__, "spill": None}

    # --- reading --------------------------------------------------------------------------

    def blocks_with_items(self) -> Iterator[tuple[Block, list[Item]]]:
        self.close()
        for block in self.blocks:
            yield block, pickle.loads(block.data)

    def items(self) -> Iterator[tuple[Block, Item]]:
        """(block, item) of every row, one block decoded at a time."""
        for block, items in self.blocks_with_items():
            yield from zip(repeat(block), items)

    def value_tuples(self) -> Iterator[tuple]:
        """Each row's values in field order."""
        keys = self.keys
        for _, items in self.blocks_with_items():
            for values, _, _ in items:
                yield values if values.__class__ is tuple else tuple(map(values.get, keys))

    def value_dicts(self) -> Iterator[dict[str, Any]]:
        for _, items in self.blocks_with_items():
            yield from map(self.as_dict, (values for values, _, _ in items))

    def as_dict(self, values: Any) -> dict[str, Any]:
        return dict(zip(self.keys, values)) if values.__class__ is tuple else dict(values)

    def source_row(self, block: Block, item: Item) -> SourceRow:
        values = self.as_dict(item[0])
        return SourceRow(self.form, values, values, dict(item[1] or {}), block.file, block.sheet, item[2])

    def __iter__(self) -> Iterator[SourceRow]:
        for block, item in self.items():
            yield self.source_row(block, item)

    def __len__(self) -> int:
        return self._len

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._len))]
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError("row index out of range")
        self.close()
        for block in self.blocks:
            if index < block.count:
                return self.source_row(block, pickle.loads(block.data)[index])
            index -= block.count
        raise IndexError("row index out of range")

    def __bool__(self) -> bool:
        return self._len > 0

    def counts_by_sheet(self) -> dict[tuple[str, str], int]:
        out: dict[tuple[str, str], int] = {}
        self.close()
        for b in self.blocks:
            out[(b.file, b.sheet)] = out.get((b.file, b.sheet), 0) + b.count
        return out

    # --- rewriting ------------------------------------------------------------------------

    def sort(self) -> None:
        """Blocks in source order (each block holds one sheet's rows in row order)."""
        self.close()
        self.blocks.sort(key=lambda b: (b.file, b.sheet, b.first_row))

    def drop_files(self, names: set[str]) -> None:
        self.close()
        self.blocks = [b for b in self.blocks if b.file not in names]
        self._len = sum(b.count for b in self.blocks)

    def remove(self, positions: set[int]) -> None:
        """Drop the rows at these positions (0-based, in table order)."""
        self.rewrite(lambda block, pos, item: None if pos in positions else item, self.blocks_of(positions))

    def blocks_of(self, positions: Iterable[int]) -> set[int]:
        """The block indices holding these row positions."""
        self.close()
        ends = list(accumulate(b.count for b in self.blocks))
        return {bisect_right(ends, p) for p in positions}

    def rewrite(self, change: Callable[[Block, int, Item], Item | None], blocks: set[int]) -> None:
        """Rewrite the blocks at the given positions: ``change(block, position in the table,
        item)`` returns the item to keep (None drops it). Other blocks are kept as they are."""
        self.close()
        out, start = self.like(), 0
        for i, block in enumerate(self.blocks):
            if i not in blocks:
                out.close()
                out.blocks.append(block)
                out._len += block.count
            else:
                items = pickle.loads(block.data)
                kept = (change(block, start + n, item) for n, item in enumerate(items))
                out.add_items(block.file, block.sheet, (k for k in kept if k is not None))
            start += block.count
        out.close()
        self.blocks, self._len = out.blocks, out._len


def repeated_hashes(hashes: array) -> set[int]:
    """The values that occur more than once in an array('q') of hashes: rows sharing a hash
    are the only candidates for a duplicate, checked exactly afterwards."""
    if len(hashes) < 2:
        return set()
    values, counts = np.unique(np.frombuffer(hashes, dtype=np.int64), return_counts=True)
    return set(values[counts > 1].tolist())


def pack_rows(form: str, keys: Sequence[str], rows: Iterable[SourceRow]) -> PackedRows:
    """Clean SourceRows of one form (any order) → PackedRows in source order."""
    out = PackedRows(form, keys)
    for row in sorted(rows, key=lambda r: (r.file, r.sheet, r.row)):
        out.add_row(row)
    return out.close()


RECORD_FORMS = ("visit-record", "visit-plan", "complaint", "trade")


class ReadRows:
    """This week's rows as read: ``loose`` SourceRows (registration rows, rows with errors,
    forms the merge does not know) and ``packed`` clean record rows by form. Iterating gives
    every row (loose first); ``merge_rows`` accepts it in place of a list of SourceRows."""

    def __init__(self, schema: Any, spill: bool = True):
        self.loose: list[SourceRow] = []
        self.shared: dict[str, str] = {}   # repeated free text, one object per value (collect.share_text)
        self.spill = Spill() if spill else None   # where packed rows are kept (merge/spill.py)
        self.packed = {k: PackedRows(k, schema.form(k).keys, self.spill)
                       for k in RECORD_FORMS if k in schema.form_keys}

    @classmethod
    def from_rows(cls, rows: Iterable[SourceRow], schema: Any) -> "ReadRows":
        out = cls(schema)
        for row in sorted(rows, key=lambda r: (r.file, r.sheet, r.row)):
            out.add(row)
        return out.close()

    def add(self, row: SourceRow) -> None:
        packed = self.packed.get(row.form)
        if packed is None or row.errors:
            self.loose.append(row)
        else:
            packed.add(row.values, row.extras, row.file, row.sheet, row.row)

    def absorb(self, other: "ReadRows") -> None:
        """Add the rows of ``other`` (one file's, read in a worker: merge/workers.py) after these."""
        if self.spill is not None:
            for row in other.loose:
                if row.raw is row.values and row.values.__class__ is RowValues:
                    row.values = row.raw = row.values.kept_in(self.spill)
        self.loose += other.loose
        for form, packed in other.packed.items():
            self.packed[form].extend(packed)

    def close(self) -> "ReadRows":
        """Blocks in source order (files are read in the order offered, not by name)."""
        for packed in self.packed.values():
            packed.sort()
        return self

    def drop_files(self, names: set[str]) -> None:
        self.loose = [r for r in self.loose if r.file not in names]
        for packed in self.packed.values():
            packed.drop_files(names)

    def of_file(self, name: str) -> Iterator[SourceRow]:
        """Every row of one file (loose rows first, then each form's packed rows)."""
        yield from (r for r in self.loose if r.file == name)
        for packed in self.packed.values():
            for block, items in packed.blocks_with_items():
                if block.file == name:
                    yield from (packed.source_row(block, item) for item in items)

    def counts(self) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
        """Rows by form and by (file, sheet)."""
        forms: dict[str, int] = {}
        sheets: dict[tuple[str, str], int] = {}
        for r in self.loose:
            forms[r.form] = forms.get(r.form, 0) + 1
            sheets[(r.file, r.sheet)] = sheets.get((r.file, r.sheet), 0) + 1
        for form, packed in self.packed.items():
            forms[form] = forms.get(form, 0) + len(packed)
            for where, n in packed.counts_by_sheet().items():
                sheets[where] = sheets.get(where, 0) + n
        return forms, sheets

    def __iter__(self) -> Iterator[SourceRow]:
        yield from self.loose
        for packed in self.packed.values():
            yield from packed

    def __len__(self) -> int:
        return len(self.loose) + sum(map(len, self.packed.values()))
