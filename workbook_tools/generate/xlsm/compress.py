"""The MS-OVBA compression (section 2.4.1) used for VBA module source and the dir stream.

A CompressedContainer is the signature byte 0x01 followed by chunks; each chunk holds up
to 4096 decompressed bytes as a 2-byte header and either token sequences (flag bit set)
or the 4096 raw bytes. Tokens are literals or copy tokens (offset, length) whose bit
split depends on how far into the chunk the copy starts. As the specification says, a
chunk that does not compress below 4096 bytes is stored raw and padded to 4096 bytes with
0x00 (never the case for VBA source text).
"""

from __future__ import annotations

import struct

CHUNK = 4096
SIGNATURE = 0x01
_HEADER = struct.Struct("<H")
_MAX_CANDIDATES = 64  # positions tried per match: plenty for source text


class CompressionError(ValueError):
    """The bytes are not a valid MS-OVBA CompressedContainer."""


def _bit_count(difference: int) -> int:
    """Offset bits of a copy token starting ``difference`` bytes into the chunk (>= 4)."""
    count = 4
    while (1 << count) < difference:
        count += 1
    return count


def compress(data: bytes) -> bytes:
    """``data`` as a CompressedContainer."""
    out = bytearray([SIGNATURE])
    for start in range(0, len(data), CHUNK):
        out += _compress_chunk(data[start:start + CHUNK])
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    body = bytearray()
    heads: dict[bytes, list[int]] = {}
    pos = 0
    while pos < len(chunk):
        flag_at = len(body)
        body.append(0)
        for bit in range(8):
            if pos >= len(chunk):
                break
            offset, length = _longest_match(chunk, pos, heads)
            if length >= 3:
                bits = _bit_count(pos)
                body += _HEADER.pack(((offset - 1) << (16 - bits)) | (length - 3))
                body[flag_at] |= 1 << bit
            else:
                length = 1
                body.append(chunk[pos])
            for i in range(pos, pos + length):
                heads.setdefault(chunk[i:i + 3], []).append(i)
            pos += length
    if len(body) > CHUNK:  # incompressible: a raw chunk of exactly 4096 bytes
        return _HEADER.pack(0x3000 | (CHUNK - 1)) + chunk.ljust(CHUNK, b"\x00")
    return _HEADER.pack(0xB000 | (len(body) + 2 - 3)) + bytes(body)


def _longest_match(chunk: bytes, pos: int, heads: dict[bytes, list[int]]) -> tuple[int, int]:
    """(offset, length) of the longest earlier match at ``pos``; length 0 when none."""
    candidates = heads.get(chunk[pos:pos + 3])
    if not candidates:
        return 0, 0
    max_length = min((0xFFFF >> _bit_count(pos)) + 3, len(chunk) - pos)
    best_offset = best_length = 0
    for start in reversed(candidates[-_MAX_CANDIDATES:]):
        length = 0
        while length < max_length and chunk[start + length] == chunk[pos + length]:
            length += 1
        if length > best_length:
            best_offset, best_length = pos - start, length
            if length == max_length:
                break
    return best_offset, best_length


def decompress(data: bytes) -> bytes:
    """The bytes held by the CompressedContainer ``data``."""
    if not data or data[0] != SIGNATURE:
        raise CompressionError("not a compressed container (signature byte is not 0x01)")
    out = bytearray()
    pos = 1
    while pos < len(data):
        if pos + 2 > len(data):
            raise CompressionError("truncated chunk header")
        (header,) = _HEADER.unpack_from(data, pos)
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != 0b011:
            raise CompressionError(f"bad chunk signature at byte {pos}")
        end = min(pos + size, len(data))
        if header & 0x8000:
            out += _decompress_chunk(data[pos + 2:end])
        else:
            out += data[pos + 2:pos + 2 + CHUNK]
        pos = end
    return bytes(out)


def _decompress_chunk(body: bytes) -> bytes:
    out = bytearray()
    pos = 0
    while pos < len(body):
        flags = body[pos]
        pos += 1
        for bit in range(8):
            if pos >= len(body):
                break
            if not flags & (1 << bit):
                out.append(body[pos])
                pos += 1
                continue
            if pos + 2 > len(body):
                raise CompressionError("truncated copy token")
            (token,) = _HEADER.unpack_from(body, pos)
            pos += 2
            bits = _bit_count(len(out))
            offset = (token >> (16 - bits)) + 1
            length = (token & (0xFFFF >> bits)) + 3
            if offset > len(out):
                raise CompressionError("copy token points before the chunk start")
            for _ in range(length):
                out.append(out[-offset])
    return bytes(out)
