"""What a file really is, decided from its bytes, and every refusal that can be made
before a parser touches it: missing, empty, Office lock file, text or HTML named
.xls, encrypted, DRM-wrapped, zip bomb, XML entity bomb, absurd sheet extents.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

from workbook_tools.io import extent, limits, ods_extent
from workbook_tools.io.ole import OLE_MAGIC, inspect_ole
from workbook_tools.io.problems import human_size, unreadable
from workbook_tools.io.stamp import stamp_from_package
from workbook_tools.io.xlsx_meta import date1904
from workbook_tools.io.zipcheck import open_package

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# Only .csv is read as a text table (as merge and weekly, which take the workbook suffixes only):
# a .txt is more often a note than a table, and says so instead of being guessed at.
TEXT_SUFFIXES = {".csv"}


@dataclass
class Sniffed:
    """A file that passed every pre-parse check."""

    path: Path
    kind: str  # xlsx, xlsm, ods, xls, csv
    date1904: bool = False
    stamp: dict = field(default_factory=dict)
    # The checks bounded everything the parser will build (xlsx in the usual form, CSV):
    # it may run in this process; otherwise it runs in a memory-capped child (io/isolate.py).
    bounded: bool = False


def sniff(path: str | Path) -> Sniffed:
    """Classify ``path`` and run the pre-parse checks; raise UnreadableWorkbook."""
    path = Path(path)
    size = _size(path)
    head = _head(path)
    if head.startswith(ZIP_MAGICS):
        return _sniff_zip(path)
    if head.startswith(OLE_MAGIC):
        info = inspect_ole(path)
        return Sniffed(path, "xls", date1904=info.date1904)
    if looks_like_lock_file(path.name, head, size):
        raise unreadable(path, "lock_file")
    if path.suffix.lower() in TEXT_SUFFIXES and _is_text(head):
        return Sniffed(path, "csv", bounded=True)  # parsed in Python: a MemoryError is caught
    raise unreadable(path, "not_workbook", what=describe_bytes(head, path.suffix))


def _size(path: Path) -> int:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise unreadable(path, "missing") from None
    except OSError:
        raise unreadable(path, "no_access") from None
    if path.is_dir():
        raise unreadable(path, "directory")
    if st.st_size == 0:
        if path.name.startswith("~$"):
            raise unreadable(path, "lock_file")
        raise unreadable(path, "empty")
    if st.st_size > limits.MAX_FILE_BYTES:
        raise unreadable(path, "too_large", size=human_size(st.st_size),
                         limit=human_size(limits.MAX_FILE_BYTES))
    return st.st_size


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(4096)
    except PermissionError:
        raise unreadable(path, "no_access") from None
    except OSError:
        raise unreadable(path, "corrupt", what="读取文件时出错") from None


def _sniff_zip(path: Path) -> Sniffed:
    pkg = open_package(path)
    try:
        if pkg.kind == "ods":
            ods_extent.check_ods(pkg)
            return Sniffed(path, "ods")
        bounded = extent.check_xlsx(pkg) is True
        return Sniffed(path, pkg.kind, date1904=date1904(pkg), stamp=stamp_from_package(pkg),
                       bounded=bounded)
    finally:
        pkg.close()


def looks_like_lock_file(name: str, head: bytes, size: int) -> bool:
    """Office owner files ("~$name.xlsx", ~165 bytes): a length byte and the user name
    in the ANSI code page padded with spaces to 54 bytes, then a 16-bit length and the
    name again in UTF-16 (itself padded)."""
    if name.startswith("~$") and size <= 4096:
        return True
    if not 57 <= size <= 1024 or len(head) < 57:
        return False
    n = head[0]
    if not (0 < n <= 54 and set(head[1 + n:55]) <= {0x20}):
        return False
    m = int.from_bytes(head[55:57], "little")
    return 0 < m <= 54 and len(head) >= 57 + 2 * m


def describe_bytes(head: bytes, suffix: str) -> str:
    """A short Chinese description of a file that is neither zip nor OLE."""
    probe = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    ext = suffix or "（无扩展名）"
    if b"urn:schemas-microsoft-com:office:spreadsheet" in head.lower():
        return f"这是 Excel 2003 XML 表格，只是扩展名为 {ext}"
    if probe.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or b"<html" in probe:
        return f"这是网页（HTML）文件，只是扩展名为 {ext}"
    if probe.startswith(b"%pdf"):
        return f"这是 PDF 文件，只是扩展名为 {ext}"
    if _is_text(head):
        if suffix.lower() in (".txt", ".tsv"):
            return f"这是纯文本文件（扩展名为 {ext}）；如果它是逗号分隔的表格（CSV），请把扩展名改为 .csv"
        return f"这是纯文本文件，只是扩展名为 {ext}"
    return "文件格式无法识别"


def _is_text(head: bytes) -> bool:
    """Whether the start of a file reads as text (UTF-8, GB18030, or UTF-16 with a BOM)."""
    encodings = ("utf-16",) if head.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8", "gb18030")
    for encoding in encodings:
        try:  # incremental: a character cut at the end of ``head`` is not an error
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t\ufeff" for ch in text)
        return printable >= 0.95 * max(len(text), 1)
    return False
