"""A minimal writer of Compound File Binary files (MS-CFB version 3), enough for a VBA project.

``compound_file({"PROJECT": b"…", "VBA/dir": b"…"})`` returns the bytes of a compound file
holding those streams (storages are implied by the paths). Layout: header, FAT sectors,
directory, mini FAT, mini stream, then the large streams. Streams shorter than 4096 bytes
live in the mini stream, as the specification requires. Every directory node is black,
which the specification explicitly allows; siblings form a balanced binary search tree in
CFB name order. Output is deterministic (no timestamps, no random CLSIDs).
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from typing import Mapping

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
MAX_NAME = 31
HEADER_DIFAT = 109
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
STORAGE, STREAM, ROOT = 1, 2, 5
BLACK = 1
_ENTRY = struct.Struct("<64sHBBIII16sIQQIQ")
_HEADER = struct.Struct("<8s16sHHHHH6sIIIIIIIII")


@dataclass
class _Node:
    name: str
    kind: int
    data: bytes = b""
    children: list["_Node"] = field(default_factory=list)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    start: int = ENDOFCHAIN


def compound_file(streams: Mapping[str, bytes]) -> bytes:
    """A CFB v3 file holding ``streams`` (``"storage/stream"`` paths → bytes)."""
    root = _tree(streams)
    nodes = _number(root)
    small = [n for n in nodes if n.kind == STREAM and 0 < len(n.data) < MINI_CUTOFF]
    large = [n for n in nodes if n.kind == STREAM and len(n.data) >= MINI_CUTOFF]
    mini_stream, mini_fat = _mini(small)
    dir_sectors = _sectors(len(nodes) * _ENTRY.size)
    minifat_sectors = _sectors(len(mini_fat) * 4)
    mini_sectors = _sectors(len(mini_stream))
    content = dir_sectors + minifat_sectors + mini_sectors + sum(_sectors(len(n.data)) for n in large)
    fat_count = 1
    while fat_count * (SECTOR // 4) < fat_count + content:
        fat_count += 1
    if fat_count > HEADER_DIFAT:
        raise ValueError("VBA project too large for a header-only DIFAT")
    fat = [FATSECT] * fat_count
    dir_start = _chain(fat, dir_sectors)
    minifat_start = _chain(fat, minifat_sectors) if minifat_sectors else ENDOFCHAIN
    root.start = _chain(fat, mini_sectors) if mini_sectors else ENDOFCHAIN
    root.data = mini_stream
    for node in large:
        node.start = _chain(fat, _sectors(len(node.data)))
    fat += [FREESECT] * (fat_count * (SECTOR // 4) - len(fat))
    body = [_pad(struct.pack(f"<{len(fat)}I", *fat)), _directory(nodes),
            _pad(struct.pack(f"<{len(mini_fat)}I", *mini_fat)), _pad(mini_stream),
            *(_pad(n.data) for n in large)]
    header = _header(fat_count, dir_start, minifat_start, minifat_sectors)
    return header + b"".join(body)


def _tree(streams: Mapping[str, bytes]) -> _Node:
    root = _Node("Root Entry", ROOT)
    for path, data in streams.items():
        parts = path.split("/")
        node = root
        for name in parts[:-1]:
            node = _child(node, name, STORAGE)
        leaf = _child(node, parts[-1], STREAM)
        leaf.data = bytes(data)
    return root


def _child(parent: _Node, name: str, kind: int) -> _Node:
    if not name or len(name) > MAX_NAME or any(c in name for c in "/\\:!"):
        raise ValueError(f"invalid compound file entry name: {name!r}")
    for node in parent.children:
        if node.name.upper() == name.upper():
            if node.kind != kind:
                raise ValueError(f"{name!r} is both a storage and a stream")
            return node
    node = _Node(name, kind)
    parent.children.append(node)
    return node


def _number(root: _Node) -> list[_Node]:
    """Give every node its directory id (root first, depth first) and link the sibling trees."""
    nodes = [root]
    pending = [root]
    while pending:
        parent = pending.pop(0)
        ordered = sorted(parent.children, key=lambda n: (len(n.name), n.name.upper()))
        for node in ordered:
            node.sid = len(nodes)
            nodes.append(node)
        parent.child = _balance(ordered)
        pending.extend(n for n in ordered if n.kind == STORAGE)
    return nodes


def _balance(ordered: list[_Node]) -> int:
    """Link ``ordered`` siblings as a balanced search tree; return the id of its root."""
    if not ordered:
        return NOSTREAM
    mid = len(ordered) // 2
    node = ordered[mid]
    node.left = _balance(ordered[:mid])
    node.right = _balance(ordered[mid + 1:])
    return node.sid


def _mini(small: list[_Node]) -> tuple[bytes, list[int]]:
    stream, fat = bytearray(), []
    for node in small:
        count = math.ceil(len(node.data) / MINI_SECTOR)
        node.start = len(fat)
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [ENDOFCHAIN]
        stream += node.data.ljust(count * MINI_SECTOR, b"\x00")
    if fat:
        fat += [FREESECT] * (-len(fat) % (SECTOR // 4))
    return bytes(stream), fat


def _sectors(size: int) -> int:
    return math.ceil(size / SECTOR)


def _chain(fat: list[int], count: int) -> int:
    """Append a chain of ``count`` sectors to ``fat``; return its first sector."""
    start = len(fat)
    fat += [start + i + 1 for i in range(count - 1)] + [ENDOFCHAIN]
    return start


def _pad(data: bytes) -> bytes:
    return data + b"\x00" * (-len(data) % SECTOR)


def _directory(nodes: list[_Node]) -> bytes:
    """All entries, then free entries (zeros, with NOSTREAM links) up to the sector end."""
    free = -len(nodes) % (SECTOR // _ENTRY.size)
    empty = _ENTRY.pack(b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"\x00" * 16, 0, 0, 0, 0, 0)
    return b"".join(_entry(n) for n in nodes) + empty * free


def _entry(node: _Node) -> bytes:
    name = (node.name + "\x00").encode("utf-16-le")
    size = len(node.data) if node.kind != STORAGE else 0
    start = node.start if size else (0 if node.kind == STORAGE else ENDOFCHAIN)
    return _ENTRY.pack(name, len(name), node.kind, BLACK, node.left, node.right, node.child,
                       b"\x00" * 16, 0, 0, 0, start, size)


def _header(fat_count: int, dir_start: int, minifat_start: int, minifat_count: int) -> bytes:
    head = _HEADER.pack(SIGNATURE, b"\x00" * 16, 0x003E, 0x0003, 0xFFFE, 9, 6, b"\x00" * 6,
                        0, fat_count, dir_start, 0, MINI_CUTOFF, minifat_start, minifat_count,
                        ENDOFCHAIN, 0)
    difat = list(range(fat_count)) + [FREESECT] * (HEADER_DIFAT - fat_count)
    return head + struct.pack(f"<{HEADER_DIFAT}I", *difat)
