"""Build ``xl/vbaProject.bin`` for macro-enabled workbooks, on any platform.

The project holds xlwings' ``xlwings`` module and ``Dictionary`` class (read from the
installed package, see ``vba_source``), our ``macros/*.bas`` modules, and one document
module per sheet (``ThisWorkbook``, ``Sheet1``, …) whose names must equal the workbook's
``<workbookPr codeName>`` and each sheet's ``<sheetPr codeName>``.

It is written in the form MS-OVBA prescribes for writers: compressed source only, no
p-code (``_VBA_PROJECT`` is ``CC 61 FF FF 00 00 00``: version 0xFFFF, no performance
cache), every MODULEOFFSET 0, cookies 0xFFFF. Excel compiles the source when it opens the
file. Output is deterministic: the same modules and sheet names give the same bytes.
"""

from __future__ import annotations

import struct
import uuid
from dataclasses import dataclass
from typing import Sequence

from workbook_tools.generate.xlsm.cfb import compound_file
from workbook_tools.generate.xlsm.compress import compress
from workbook_tools.generate.xlsm.vba_source import (
    BaseProject, VbaModule, base_project, crlf, macro_modules, public_subs,
)

WORKBOOK_CODENAME = "ThisWorkbook"
VBA_PROJECT_STREAM = bytes.fromhex("CC61FFFF000000")
HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
VERSION_COMPATIBLE = "393222000"
_BASES = {"workbook": "0{00020819-0000-0000-C000-000000000046}",
          "worksheet": "0{00020820-0000-0000-C000-000000000046}"}
_DOCUMENT = """Attribute VB_Name = "{name}"
Attribute VB_Base = "{base}"
Attribute VB_GlobalNameSpace = False
Attribute VB_Creatable = False
Attribute VB_PredeclaredId = True
Attribute VB_Exposed = True
Attribute VB_TemplateDerived = False
Attribute VB_Customizable = True
"""
_ID_NAMESPACE = uuid.UUID("6f1c2a53-2f1e-4d8e-9a55-7c0e2b1d9a10")


@dataclass(frozen=True)
class VbaProject:
    data: bytes  # the vbaProject.bin bytes
    workbook_codename: str
    sheet_codenames: tuple[str, ...]
    macros: tuple[str, ...]  # Public Subs a button may call
    xlwings_version: str


def sheet_codenames(count: int) -> tuple[str, ...]:
    """Code names for ``count`` worksheets: Sheet1, Sheet2, …"""
    return tuple(f"Sheet{i}" for i in range(1, count + 1))


def build_vba_project(codenames: Sequence[str], base: BaseProject | None = None,
                      macros: Sequence[VbaModule] | None = None) -> VbaProject:
    """The VBA project for a workbook whose worksheets have code names ``codenames``."""
    base = base or base_project()
    macros = tuple(macros if macros is not None else macro_modules())
    documents = [_document(WORKBOOK_CODENAME, "workbook")]
    documents += [_document(name, "worksheet") for name in codenames]
    xlwings = [m for m in base.modules if m.kind == "module"]
    classes = [m for m in base.modules if m.kind == "class"]
    modules = [*documents, *xlwings, *macros, *classes]
    _check_names(modules)
    project_id = "{" + str(uuid.uuid5(_ID_NAMESPACE, "/".join(m.name for m in modules))).upper() + "}"
    streams = {
        "PROJECT": _project_stream(modules, base, project_id),
        "PROJECTwm": _name_map(modules, base.codepage),
        "VBA/_VBA_PROJECT": VBA_PROJECT_STREAM,
        "VBA/dir": compress(_dir_stream(modules, base)),
    }
    for module in modules:
        streams["VBA/" + module.name] = compress(module.source.encode(base.codepage))
    subs = tuple(name for m in macros for name in public_subs(m.source))
    return VbaProject(compound_file(streams), WORKBOOK_CODENAME, tuple(codenames), subs,
                      base.xlwings_version)


def _document(name: str, kind: str) -> VbaModule:
    return VbaModule(name, "document", crlf(_DOCUMENT.format(name=name, base=_BASES[kind])))


def _check_names(modules: Sequence[VbaModule]) -> None:
    seen: set[str] = set()
    for module in modules:
        key = module.name.lower()
        if key in seen or not module.name.isascii() or not module.name.isidentifier():
            raise ValueError(f"invalid or duplicate VBA module name: {module.name}")
        seen.add(key)


def _record(rid: int, data: bytes) -> bytes:
    return struct.pack("<HI", rid, len(data)) + data


def _dir_stream(modules: Sequence[VbaModule], base: BaseProject) -> bytes:
    """PROJECTINFORMATION and PROJECTREFERENCES of xlwings' project, then our modules."""
    out = bytearray(base.info_and_references)
    out += _record(0x000F, struct.pack("<H", len(modules)))  # PROJECTMODULES
    out += _record(0x0013, struct.pack("<H", 0xFFFF))  # PROJECTCOOKIE
    for module in modules:
        out += _module_record(module, base.codepage)
    out += _record(0x0010, b"")  # terminator
    return bytes(out)


def _module_record(module: VbaModule, codepage: str) -> bytes:
    name = module.name.encode(codepage)
    wide = module.name.encode("utf-16-le")
    doc = module.docstring
    return b"".join([
        _record(0x0019, name), _record(0x0047, wide),  # MODULENAME, MODULENAMEUNICODE
        _record(0x001A, name), _record(0x0032, wide),  # MODULESTREAMNAME
        _record(0x001C, doc.encode(codepage)), _record(0x0048, doc.encode("utf-16-le")),
        _record(0x0031, struct.pack("<I", 0)),  # MODULEOFFSET: source only
        _record(0x001E, struct.pack("<I", 0)),  # MODULEHELPCONTEXT
        _record(0x002C, struct.pack("<H", 0xFFFF)),  # MODULECOOKIE
        _record(0x0021 if module.kind == "module" else 0x0022, b""),  # MODULETYPE
        _record(0x002B, b""),  # terminator
    ])


def _project_stream(modules: Sequence[VbaModule], base: BaseProject, project_id: str) -> bytes:
    lines = [f'ID="{project_id}"']
    for module in modules:
        if module.kind == "document":
            lines.append(f"Document={module.name}/&H00000000")
        else:
            lines.append(f"{'Module' if module.kind == 'module' else 'Class'}={module.name}")
    protection = encrypt(struct.pack("<I", 0), project_id)  # not protected
    password = encrypt(bytes([0]), project_id)  # no password
    visibility = encrypt(bytes([0xFF]), project_id)  # visible
    lines += [f'Name="{base.name}"', 'HelpContextID="0"', f'VersionCompatible32="{VERSION_COMPATIBLE}"',
              f'CMG="{protection}"', f'DPB="{password}"', f'GC="{visibility}"',
              "", "[Host Extender Info]", HOST_EXTENDER, ""]
    return "".join(line + "\r\n" for line in lines).encode(base.codepage)


def _name_map(modules: Sequence[VbaModule], codepage: str) -> bytes:
    """PROJECTwm: each module name in MBCS and UTF-16, zero-terminated."""
    out = b"".join(m.name.encode(codepage) + b"\x00" + m.name.encode("utf-16-le") + b"\x00\x00"
                   for m in modules)
    return out + b"\x00\x00"


def encrypt(data: bytes, project_id: str, seed: int = 0x8D) -> str:
    """MS-OVBA 2.4.3.2 data encryption, as upper-case hex (deterministic seed)."""
    project_key = sum(project_id.encode("ascii")) & 0xFF
    version_enc, key_enc = seed ^ 2, seed ^ project_key
    out = [seed, version_enc, key_enc]
    plain, enc1, enc2 = project_key, key_enc, version_enc
    ignored = [0] * ((seed & 6) // 2)
    for byte in [*ignored, *struct.pack("<I", len(data)), *data]:
        byte_enc = byte ^ ((enc2 + plain) & 0xFF)
        out.append(byte_enc)
        enc2, enc1, plain = enc1, byte_enc, byte
    return bytes(out).hex().upper()


def decrypt(text: str) -> bytes:
    """Inverse of :func:`encrypt` (used by tests and to read projects)."""
    data = bytes.fromhex(text)
    seed, version_enc, key_enc = data[:3]
    plain, enc1, enc2 = seed ^ key_enc, key_enc, version_enc
    out = []
    for byte_enc in data[3:]:
        byte = byte_enc ^ ((enc2 + plain) & 0xFF)
        out.append(byte)
        enc2, enc1, plain = enc1, byte_enc, byte
    skip = (seed & 6) // 2
    length = struct.unpack("<I", bytes(out[skip:skip + 4]))[0]
    return bytes(out[skip + 4:skip + 4 + length])
