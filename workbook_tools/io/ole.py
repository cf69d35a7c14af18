"""OLE compound files (magic D0CF11E0A1B11AE1): legacy .xls, or a wrapper around one.

An OLE "xlsx" is either password-encrypted (EncryptionInfo + EncryptedPackage) or
wrapped by rights-management software; a real .xls holds a Workbook (or Book) stream,
which is walked record by record for the encryption flag (FILEPASS), the 1904 flag
(DATEMODE) and each sheet's real cell extent.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import olefile

from workbook_tools.io import limits
from workbook_tools.io.problems import extent_error, unreadable

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_DRM_MARKERS = {"envelope", "contents", "\x06dataspaces", "drmcontent", "\x09drmcontent",
                "\x05drmcontent", "drmencrypteddataspace", "encryptedpackage"}
_BOF, _EOF, _FILEPASS, _DATEMODE, _BOUNDSHEET = 0x0809, 0x000A, 0x002F, 0x0022, 0x0085
_CELLS = {0x0006, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x00D6}
_MULRK = 0x00BD
_HEAD = struct.Struct("<HH")


@dataclass
class XlsInfo:
    date1904: bool = False


def inspect_ole(path: Path) -> XlsInfo:
    """Classify an OLE file; return facts about a readable .xls or raise UnreadableWorkbook."""
    try:
        ole = olefile.OleFileIO(str(path))
    except Exception:
        raise unreadable(path, "corrupt", what="OLE 复合文档结构损坏") from None
    try:
        top = {entry[0] for entry in ole.listdir(streams=True, storages=True)}
        lower = {name.lower() for name in top}
        if "encryptioninfo" in lower and "encryptedpackage" in lower:
            raise unreadable(path, "encrypted")
        for name in ("Workbook", "Book", "WORKBOOK", "BOOK"):
            if name in top:
                return _read_workbook_stream(path, ole, name)
        if lower & _DRM_MARKERS:
            raise unreadable(path, "drm")
        if "worddocument" in lower:
            raise unreadable(path, "not_workbook", what="这是 Word 97-2003 文档")
        if "powerpoint document" in lower:
            raise unreadable(path, "not_workbook", what="这是 PowerPoint 97-2003 演示文稿")
        raise unreadable(path, "not_workbook", what="OLE 复合文档中没有工作簿")
    finally:
        ole.close()


def _read_workbook_stream(path: Path, ole, name: str) -> XlsInfo:
    try:
        data = ole.openstream(name).read()
    except Exception:
        raise unreadable(path, "corrupt", what="Workbook 数据流无法读取") from None
    return walk_biff(path, data)


def walk_biff(path: Path, data: bytes) -> XlsInfo:
    """Walk the BIFF records: refuse FILEPASS (encrypted) and absurd sheet extents."""
    info = XlsInfo()
    names: dict[int, str] = {}
    pos, end = 0, len(data)
    biff8 = len(data) >= 6 and struct.unpack_from("<H", data, 4)[0] == 0x0600
    while pos + 4 <= end:  # workbook globals, up to the first EOF
        rtype, size = _HEAD.unpack_from(data, pos)
        body = data[pos + 4: pos + 4 + size]
        pos += 4 + size
        if rtype == _FILEPASS:
            raise unreadable(path, "encrypted")
        if rtype == _DATEMODE and len(body) >= 2:
            info.date1904 = body[0] == 1
        elif rtype == _BOUNDSHEET and len(body) >= 8:
            names[struct.unpack_from("<I", body)[0]] = _sheet_name(body, biff8)
        elif rtype == _EOF:
            break
    if end <= limits.BIFF_WALK_MAX_BYTES:
        _check_sheet_extents(path, data, pos, names)
    return info


def _sheet_name(body: bytes, biff8: bool) -> str:
    cch = body[6]
    if not biff8:  # BIFF5: 8-bit text in the workbook's code page, no flags byte
        return body[7: 7 + cch].decode("gbk", "replace")
    if body[7] & 1:
        return body[8: 8 + 2 * cch].decode("utf-16-le", "replace")
    return body[8: 8 + cch].decode("latin-1")


def _check_sheet_extents(path: Path, data: bytes, pos: int, names: dict[int, str]) -> None:
    end, sheet, rows, cols = len(data), "?", 0, 0
    unpack = _HEAD.unpack_from
    while pos + 4 <= end:
        rtype, size = unpack(data, pos)
        body = pos + 4
        if rtype == _BOF:
            _check(path, sheet, rows, cols)
            sheet, rows, cols = names.get(pos, "?"), 0, 0
        elif (rtype in _CELLS or rtype == _MULRK) and size >= 4 and body + size <= end:
            row, col = unpack(data, body)
            if rtype == _MULRK and size >= 6:
                col = struct.unpack_from("<H", data, body + size - 2)[0]
            rows, cols = max(rows, row + 1), max(cols, col + 1)
        pos = body + size
    _check(path, sheet, rows, cols)


def _check(path: Path, sheet: str, rows: int, cols: int) -> None:
    if rows * cols > limits.MAX_CELLS:
        raise extent_error(path, sheet, rows, cols)
