"""The VBA project writer (generate.xlsm.vba*): MS-OVBA compression, the compound file, and a
source-only project holding xlwings' RunPython module plus our button macros."""

from __future__ import annotations

import io
import os
import random
import struct

import olefile
import pytest
from oletools.olevba import VBA_Parser, decompress_stream

from test_buttons_support import BUTTON_SUBS, RUN_PYTHON, document_modules, project_lines
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.generate.xlsm.vba import (
    VBA_PROJECT_STREAM, build_vba_project, decrypt, encrypt, sheet_codenames,
)
from workbook_tools.generate.xlsm.cfb import compound_file
from workbook_tools.generate.xlsm.compress import compress, decompress
from workbook_tools.generate.xlsm.vba_source import (
    base_project, dir_records, macro_modules, macros_folder, public_subs, xlwings_folder,
)


@pytest.fixture(scope="module")
def project():
    return build_vba_project(sheet_codenames(3))


def _ole(data: bytes) -> olefile.OleFileIO:
    return olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_UNSURE)


def _modules(data: bytes) -> dict[str, str]:
    parser = VBA_Parser("vbaProject.bin", data=data)
    try:
        return {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


@pytest.mark.parametrize("size", [0, 1, 3, 4095, 4096, 4097, 20_000])
def test_compression_round_trips_and_oletools_agrees(size):
    rng = random.Random(size)
    for data in (bytes(rng.choice(b"ab \r\n") for _ in range(size)), b"Sub X()\r\n" * (size // 9)):
        packed = compress(data)
        assert packed[0] == 0x01
        assert decompress(packed) == data
        assert bytes(decompress_stream(bytearray(packed))) == data


def test_incompressible_chunk_is_stored_raw():
    data = os.urandom(4096)
    packed = compress(data)
    assert len(packed) == 1 + 2 + 4096 and struct.unpack("<H", packed[1:3])[0] == 0x3FFF
    assert decompress(packed) == data


def test_compound_file_is_read_strictly_by_olefile():
    streams = {"PROJECT": b"p" * 600, "PROJECTwm": b"w" * 40, "VBA/dir": b"d" * 1300,
               "VBA/_VBA_PROJECT": VBA_PROJECT_STREAM, "VBA/Big": bytes(range(256)) * 40,
               "VBA/Sheet1": b"s" * 64}
    ole = _ole(compound_file(streams))
    for name, data in streams.items():
        assert ole.openstream(name).read() == data
    assert ole.get_type("VBA") == olefile.STGTY_STORAGE


def test_project_is_source_only(project):
    ole = _ole(project.data)
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("cc61ffff000000")
    records = dir_records(decompress(ole.openstream("VBA/dir").read()))
    offsets = [struct.unpack("<I", data)[0] for rid, data, _ in records if rid == 0x0031]
    cookies = [data for rid, data, _ in records if rid == 0x002C]
    assert offsets == [0] * 7 and cookies == [b"\xff\xff"] * 7
    for name in ("ThisWorkbook", "Sheet1", "xlwings", "WorkbookTools", "Dictionary"):
        stream = ole.openstream(f"VBA/{name}").read()  # the whole stream is compressed source
        assert decompress(stream).startswith(f'Attribute VB_Name = "{name}"'.encode())


def test_each_button_sub_runs_exactly_one_python_function(project):
    modules = _modules(project.data)
    ours = modules["WorkbookTools"]
    for sub, function in BUTTON_SUBS.items():
        body = ours.split(f"Public Sub {sub}()")[1].split("End Sub")[0]
        assert [line.strip() for line in body.strip().splitlines()] == [RUN_PYTHON.format(function)]
    assert list(project.macros) == list(BUTTON_SUBS)


def test_xlwings_module_defines_run_python(project):
    modules = _modules(project.data)
    assert "Public Function RunPython(" in modules["xlwings"]
    assert "BSD 3-clause" in modules["xlwings"]
    assert modules["Dictionary"].startswith('Attribute VB_Name = "Dictionary"')
    assert project.xlwings_version == "0.37.8"


def test_project_stream_lists_document_modules_and_is_unprotected(project):
    assert document_modules(project.data) == ["ThisWorkbook", "Sheet1", "Sheet2", "Sheet3"]
    lines = project_lines(project.data)
    assert "Module=xlwings" in lines and "Module=WorkbookTools" in lines and "Class=Dictionary" in lines
    values = dict(line.split("=", 1) for line in lines if line[:3] in ("CMG", "DPB", "GC="))
    assert decrypt(values["CMG"].strip('"')) == b"\x00\x00\x00\x00"
    assert decrypt(values["DPB"].strip('"')) == b"\x00"
    assert decrypt(values["GC"].strip('"')) == b"\xff"


def test_encryption_matches_a_project_written_by_excel():
    """xlwings' standalone workbook was saved by Excel: its CMG decrypts to 0, and with the same
    seed and project id our seed / version / key bytes equal Excel's (the rest follows from
    Excel's random filler bytes)."""
    excel = "8D8FA61394EA98EA98EA98EA98"
    assert decrypt(excel) == b"\x00\x00\x00\x00"
    ours = encrypt(b"\x00\x00\x00\x00", "{5CF9CDAB-B77B-4FE4-BD7E-D29900070E1B}")
    assert ours[:6] == excel[:6] and len(ours) == len(excel)
    for data in (b"", b"\x00", b"\xff", bytes(range(40))):
        assert decrypt(encrypt(data, "{00000000-0000-0000-0000-000000000000}", seed=0x47)) == data


def test_output_is_deterministic(project):
    assert build_vba_project(sheet_codenames(3)).data == project.data


def test_modules_come_from_the_installed_xlwings_package_and_macros_folder():
    assert (xlwings_folder() / "quickstart_standalone.xlsm").is_file()
    assert "pro" not in xlwings_folder().name
    base = base_project()
    assert [m.name for m in base.modules] == ["xlwings", "Dictionary"]
    assert base.codepage == "cp1252"
    names = [m.name for m in macro_modules()]
    assert names == ["WorkbookTools"] and (macros_folder() / "WorkbookTools.bas").is_file()


def test_macro_sources_are_ascii_one_run_python_line_per_sub():
    for module in macro_modules():
        assert module.source.isascii()
        code = [line.strip() for line in module.source.splitlines()
                if line.strip() and not line.strip().startswith(("'", "Attribute", "Option"))]
        subs = public_subs(module.source)
        assert code == [x for sub in subs for x in (f"Public Sub {sub}()", RUN_PYTHON.format(BUTTON_SUBS[sub]),
                                                     "End Sub")]


def test_bad_macro_file_is_refused(tmp_path):
    (tmp_path / "Bad.bas").write_text('Attribute VB_Name = "Bad"\n\' 校验\n', "utf-8")
    with pytest.raises(WorkbookToolsError, match="ASCII"):
        macro_modules(tmp_path)
    with pytest.raises(WorkbookToolsError, match="没有找到按钮宏"):
        macro_modules(tmp_path / "missing")


def test_duplicate_or_invalid_module_names_are_refused():
    with pytest.raises(ValueError):
        build_vba_project(["Sheet1", "sheet1"])
    with pytest.raises(ValueError):
        build_vba_project(["xlwings"])
