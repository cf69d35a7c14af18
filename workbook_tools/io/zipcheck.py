"""Checks on zip containers (xlsx/xlsm/ods) made before any XML parser sees them.

- zip-bomb limits: number of entries, compression ratio of every big entry, and a declared
  total that past MAX_ZIP_TOTAL must be backed by compressed bytes (allowed_total);
- every XML part's prolog is scanned for <!DOCTYPE / <!ENTITY (entity-expansion
  "billion laughs" bombs) — a workbook never needs either;
- what the package is: xlsx, xlsm, ods, or something else (xlsb, Word, …).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from workbook_tools.io import limits
from workbook_tools.io.problems import human_size, unreadable

_XML_SUFFIXES = (".xml", ".rels", ".vml")
_DANGER = (b"<!DOCTYPE", b"<!ENTITY")
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def normalize_name(name: str) -> str:
    """Zip entry name with forward slashes (some exporters write xl\\workbook.xml)."""
    return name.replace("\\", "/").lstrip("/")


@dataclass
class ZipPackage:
    """An opened, checked zip workbook: its kind and its entries by normalised name."""

    path: Path
    kind: str
    zf: zipfile.ZipFile
    entries: dict[str, zipfile.ZipInfo] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.entries

    def read_head(self, name: str, size: int) -> bytes:
        with self.zf.open(self.entries[name]) as fh:
            return fh.read(size)

    def open(self, name: str):
        return self.zf.open(self.entries[name])

    def close(self) -> None:
        self.zf.close()


def open_package(path: Path) -> ZipPackage:
    """Open ``path`` as a zip workbook and run every pre-parse check; raise UnreadableWorkbook."""
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except zipfile.BadZipFile:
        raise unreadable(path, "corrupt", what="压缩包结构不完整，可能下载或复制时被截断") from None
    except Exception:  # struct.error, NotImplementedError, OSError … from a mangled archive
        raise unreadable(path, "corrupt", what="压缩包结构无法识别") from None
    pkg = ZipPackage(path, "", zf, {normalize_name(i.filename): i for i in infos if not i.is_dir()})
    try:
        check_bomb(path, infos)
        pkg.kind = package_kind(pkg)
        check_prologs(pkg)
    except BaseException:
        zf.close()
        raise
    return pkg


def check_bomb(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > limits.MAX_ZIP_ENTRIES:
        raise unreadable(path, "zip_bomb", what=f"压缩包内有 {len(infos)} 个条目")
    total = sum(i.file_size for i in infos)
    if total > limits.MAX_ZIP_TOTAL:
        packed = compressed_bytes(path, infos)
        if total > allowed_total(packed):
            raise unreadable(path, "zip_bomb",
                             what=f"解压后共 {human_size(total)}，压缩数据只有 {human_size(packed)}")
    for info in infos:
        if info.file_size >= limits.ZIP_RATIO_MIN_SIZE:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.MAX_ZIP_RATIO:
                raise unreadable(path, "zip_bomb",
                                 what=f"{normalize_name(info.filename)} 压缩比 {ratio:.0f}:1")


def compressed_bytes(path: Path, infos: list[zipfile.ZipInfo]) -> int:
    """The compressed data the entries can really hold: their declared compressed sizes,
    but no more than the file itself (overlapping entries share one compressed kernel)."""
    declared = sum(i.compress_size for i in infos)
    try:
        return min(declared, path.stat().st_size)
    except OSError:
        return declared


def allowed_total(packed: int) -> int:
    """The declared uncompressed total a package with ``packed`` compressed bytes may have:
    MAX_ZIP_TOTAL for any package, plus MAX_ZIP_TOTAL_RATIO per compressed byte, at most
    MAX_ZIP_TOTAL_HARD (docs/architecture.md, pre-parse guards)."""
    return min(limits.MAX_ZIP_TOTAL_HARD, limits.MAX_ZIP_TOTAL + limits.MAX_ZIP_TOTAL_RATIO * packed)


def package_kind(pkg: ZipPackage) -> str:
    """"xlsx", "xlsm" or "ods"; anything else raises UnreadableWorkbook."""
    names = pkg.entries
    if "mimetype" in names:
        mime = _safe_head(pkg, "mimetype", 200).strip()
        if mime.startswith(_ODS_MIME):
            return "ods"
        if mime.startswith(b"application/vnd.oasis.opendocument"):
            raise unreadable(pkg.path, "not_workbook", what="这是 OpenDocument 文本或演示文稿，不是电子表格")
    if "xl/workbook.xml" in names:
        macro = "xl/vbaProject.bin" in names or pkg.path.suffix.lower() == ".xlsm"
        return "xlsm" if macro else "xlsx"
    if "xl/workbook.bin" in names:
        raise unreadable(pkg.path, "xlsb")
    if "word/document.xml" in names:
        raise unreadable(pkg.path, "not_workbook", what="这是 Word 文档")
    if "ppt/presentation.xml" in names:
        raise unreadable(pkg.path, "not_workbook", what="这是 PowerPoint 演示文稿")
    raise unreadable(pkg.path, "not_workbook", what="这是一个普通压缩包，里面没有工作簿")


def _safe_head(pkg: ZipPackage, name: str, size: int) -> bytes:
    try:
        return pkg.read_head(name, size)
    except RuntimeError:  # zip-level password
        raise unreadable(pkg.path, "encrypted") from None
    except Exception:
        raise unreadable(pkg.path, "corrupt", what=f"{name} 无法解压") from None


def _is_xml_part(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    if base == "mimetype":
        return False
    return base.lower().endswith(_XML_SUFFIXES) or "." not in base


def check_prologs(pkg: ZipPackage) -> None:
    """Refuse the package if any XML part declares a DOCTYPE or entities."""
    for name in pkg.entries:
        if not _is_xml_part(name):
            continue
        head = _safe_head(pkg, name, limits.XML_PROLOG_BYTES)
        if prolog_is_dangerous(head):
            raise unreadable(pkg.path, "xml_entity", part=name)


def prolog_is_dangerous(head: bytes) -> bool:
    """True if the start of an XML document declares a DOCTYPE/ENTITY, or if its
    prolog is so long that the root element does not start within ``head``."""
    if b"\x00" in head[:512]:  # UTF-16/32: the markup is ASCII with NULs between
        head = head.replace(b"\x00", b"")
    upper = head.upper()
    if any(marker in upper for marker in _DANGER):
        return True
    return len(head) >= limits.XML_PROLOG_BYTES and not _ROOT_START.search(head)
