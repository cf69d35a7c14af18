"""Where the VBA code of macro-enabled workbooks comes from, read at build time.

* The ``xlwings`` module (it defines ``RunPython``) and its ``Dictionary`` helper class are
  read from the installed xlwings package's ``quickstart_standalone.xlsm`` (BSD-3 / MIT;
  never anything under ``xlwings/pro``), together with that project's references and
  project information records. Nothing of it is copied into this repository.
* Our own modules are the ``macros/*.bas`` files of this project: ``macros/`` in a source
  checkout, else ``<prefix>/share/workbook_tools/macros`` of the installation.

The xlwings package is located without being imported (only ``workbook_tools.buttons``
imports xlwings).
"""

from __future__ import annotations

import importlib.util
import io
import re
import struct
import sys
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import olefile

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.generate.xlsm.compress import CompressionError, decompress

STANDALONE = "quickstart_standalone.xlsm"
XLWINGS_MODULES = ("xlwings", "Dictionary")
INSTALL_HINT = '请先安装 Excel 按钮所需的组件：pip install "workbook-tools[excel]"'
PROJECT_MODULES, TERMINATOR = 0x000F, 0x002B
_RECORD = struct.Struct("<HI")
_VB_NAME = re.compile(r'^Attribute VB_Name = "([A-Za-z][A-Za-z0-9_]{0,30})"', re.M)
_PUBLIC_SUB = re.compile(r"^Public Sub ([A-Za-z][A-Za-z0-9_]*)\(\)", re.M)


@dataclass(frozen=True)
class VbaModule:
    name: str
    kind: str  # "document" | "module" | "class"
    source: str  # lines end with CRLF
    docstring: str = ""


@dataclass(frozen=True)
class BaseProject:
    """What is taken from xlwings' standalone project."""

    info_and_references: bytes  # dir stream records before PROJECTMODULES, verbatim
    codepage: str
    name: str  # the project name (PROJECTNAME)
    modules: tuple[VbaModule, ...]  # xlwings, Dictionary
    xlwings_version: str


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def public_subs(source: str) -> list[str]:
    """Names of the argument-less ``Public Sub`` procedures of a module (the button macros)."""
    return _PUBLIC_SUB.findall(source)


def xlwings_folder() -> Path:
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        raise WorkbookToolsError(f"没有找到 xlwings。{INSTALL_HINT}")
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=4)
def base_project(folder: Path | None = None) -> BaseProject:
    """Read the xlwings standalone workbook's VBA project (cached per folder)."""
    folder = folder or xlwings_folder()
    path = folder / STANDALONE
    if not path.is_file():
        raise WorkbookToolsError(f"xlwings 安装不完整，缺少 {path.name}。{INSTALL_HINT}")
    try:
        with zipfile.ZipFile(path) as archive:
            ole = olefile.OleFileIO(io.BytesIO(archive.read("xl/vbaProject.bin")))
        with ole:
            return _read_project(ole, _version(folder))
    except (OSError, KeyError, zipfile.BadZipFile, CompressionError, ValueError) as exc:
        raise WorkbookToolsError(f"无法读取 xlwings 自带的 {path.name}（{exc}）。{INSTALL_HINT}") from None


def _version(folder: Path) -> str:
    match = re.search(r'^__version__ = "([^"]+)"', (folder / "__init__.py").read_text("utf-8"), re.M)
    return match[1] if match else "?"


def _read_project(ole: olefile.OleFileIO, version: str) -> BaseProject:
    records = dir_records(decompress(ole.openstream("VBA/dir").read()))
    first = next(i for i, (rid, _, _) in enumerate(records) if rid == PROJECT_MODULES)
    info = b"".join(raw for _, _, raw in records[:first])
    codepage = "cp" + str(struct.unpack("<H", _find(records[:first], 0x0003))[0])
    name = _find(records[:first], 0x0004).decode(codepage)
    kinds = _project_kinds(ole.openstream("PROJECT").read().decode(codepage))
    modules = []
    for module in _module_groups(records[first:]):
        mname = module[0x0019].decode(codepage)
        if mname not in XLWINGS_MODULES:
            continue
        stream = ole.openstream("VBA/" + module[0x001A].decode(codepage)).read()
        offset = struct.unpack("<I", module[0x0031])[0]
        source = decompress(stream[offset:]).decode(codepage)
        modules.append(VbaModule(mname, kinds[mname], crlf(source),
                                 module.get(0x001C, b"").decode(codepage)))
    if sorted(m.name for m in modules) != sorted(XLWINGS_MODULES):
        raise ValueError("xlwings modules not found")
    return BaseProject(info, codepage, name, tuple(modules), version)


def dir_records(data: bytes) -> list[tuple[int, bytes, bytes]]:
    """(id, data, raw bytes) of each record of a decompressed dir stream."""
    out, pos = [], 0
    while pos + _RECORD.size <= len(data):
        rid, size = _RECORD.unpack_from(data, pos)
        if rid == 0x0009:  # PROJECTVERSION: Reserved (=4), then 6 bytes of version
            size = 6
        end = pos + _RECORD.size + size
        if end > len(data):
            raise ValueError(f"dir record 0x{rid:04X} runs past the end")
        out.append((rid, data[pos + _RECORD.size:end], data[pos:end]))
        pos = end
    return out


def _find(records, rid: int) -> bytes:
    for found, data, _ in records:
        if found == rid:
            return data
    raise ValueError(f"dir record 0x{rid:04X} missing")


def _module_groups(records) -> list[dict[int, bytes]]:
    groups, current = [], None
    for rid, data, _ in records:
        if rid == 0x0019:
            current = {}
        if current is not None:
            current.setdefault(rid, data)
            if rid == TERMINATOR:
                groups.append(current)
                current = None
    return groups


def _project_kinds(text: str) -> dict[str, str]:
    kinds = {"Document": "document", "Module": "module", "Class": "class"}
    out = {}
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key in kinds:
            out[value.split("/")[0]] = kinds[key]
    return out


def macros_folder() -> Path:
    """``macros/`` of a source checkout, else the installed data folder."""
    checkout = Path(__file__).resolve().parents[3] / "macros"
    if checkout.is_dir():
        return checkout
    return Path(sys.prefix) / "share" / "workbook_tools" / "macros"


def macro_modules(folder: Path | None = None) -> tuple[VbaModule, ...]:
    """Our standard modules, one per ``.bas`` file, named by their ``VB_Name`` attribute."""
    folder = folder or macros_folder()
    files = sorted(folder.glob("*.bas")) if folder.is_dir() else []
    if not files:
        raise WorkbookToolsError(f"没有找到按钮宏的源文件（{folder}/*.bas），安装可能不完整，请重新安装 workbook-tools")
    modules = []
    for path in files:
        text = path.read_text("utf-8-sig")
        match = _VB_NAME.match(text)
        if not match or not text.isascii():
            raise WorkbookToolsError(f"宏源文件 {path} 格式不对：须以 Attribute VB_Name = \"名称\" 开头且只含 ASCII 字符")
        modules.append(VbaModule(match[1], "module", crlf(text)))
    return tuple(modules)
