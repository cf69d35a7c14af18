"""Packed rows kept on disk between reading and writing the master.

The merge keeps every row it read until the master is written: a million customers bring
≈ 1 GB of packed rows (registration rows pickled one by one, record rows in blocks;
merge/compact.py, merge/packed.py). :class:`Spill` appends them to one unlinked temporary
file and reads them back by reference (``os.pread``): they are held by the page cache, which
the system can drop, not by this process. References are ints (offset << 24 | length), the
smallest thing to keep per row. Costs: benchmarks/README.md, one million customers.

The file lives as long as the Spill (closed when it is garbage); whatever leaves the merge
pickled (a result crossing processes) carries the bytes themselves, not the reference.
"""

from __future__ import annotations

import os
import tempfile

_LENGTH_BITS = 24
_LENGTH_MASK = (1 << _LENGTH_BITS) - 1
FLUSH_AT = 1 << 20   # bytes buffered before one write


class Spill:
    """An append-only store of byte strings in an unlinked temporary file."""

    def __init__(self, directory: str | None = None):
        self._file = tempfile.TemporaryFile(prefix="workbook-tools-merge-", dir=directory)
        self._fd = self._file.fileno()
        self._written = 0              # bytes in the file
        self._buffer = bytearray()     # bytes appended after them, not yet written

    def put(self, data: bytes) -> int:
        """Store ``data``; returns its reference."""
        if len(data) > _LENGTH_MASK:
            raise ValueError("a spilled item is limited to 16 MB")
        ref = ((self._written + len(self._buffer)) << _LENGTH_BITS) | len(data)
        self._buffer += data
        if len(self._buffer) >= FLUSH_AT:
            self.flush()
        return ref

    def get(self, ref: int) -> bytes:
        """The bytes stored under ``ref``."""
        offset, length = ref >> _LENGTH_BITS, ref & _LENGTH_MASK
        if offset >= self._written:
            start = offset - self._written
            return bytes(self._buffer[start:start + length])
        data = os.pread(self._fd, length, offset)
        if len(data) != length:
            raise OSError(f"spill file truncated at {offset}")
        return data

    def flush(self) -> None:
        if self._buffer:
            view = memoryview(self._buffer)
            while view:
                view = view[os.pwrite(self._fd, view, self._written + len(self._buffer) - len(view)):]
            self._written += len(self._buffer)
            self._buffer = bytearray()

    @property
    def size(self) -> int:
        return self._written + len(self._buffer)

    def close(self) -> None:
        self._file.close()

    def __reduce__(self):
        raise TypeError("a Spill stays in its process: pickle the rows, not the spill")
