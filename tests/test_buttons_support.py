"""Helpers shared by the Excel-button tests (test_vba*, test_buttons*, test_excel_cli): read a
macro-enabled workbook the way Excel would see it, with oletools / olefile / the XML parts.
This module holds no tests of its own."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import olefile
import openpyxl
from defusedxml import ElementTree

RUN_PYTHON = 'RunPython "import workbook_tools.buttons as b; b.{}()"'
BUTTON_SUBS = {"ValidateButton": "validate", "MergeButton": "merge", "SummaryButton": "summary",
               "PlanButton": "plan"}
SHEET = "客户档案登记表"


def vba_bin(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/vbaProject.bin")


def vba_modules(path: Path) -> dict[str, str]:
    """Module name → source, extracted with oletools (as a virus scanner or Excel would read it)."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        return {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def project_lines(data: bytes) -> list[str]:
    ole = olefile.OleFileIO(io.BytesIO(data))
    try:
        return ole.openstream("PROJECT").read().decode("cp1252").splitlines()
    finally:
        ole.close()


def document_modules(data: bytes) -> list[str]:
    """Names on the PROJECT stream's ``Document=`` lines."""
    return [line.split("=", 1)[1].split("/")[0] for line in project_lines(data) if line.startswith("Document=")]


def release(wb) -> None:
    """Close the in-memory archive openpyxl keeps for keep_vba (else its garbage collection
    later reports an 'I/O operation on closed file' from ZipFile.__del__)."""
    if getattr(wb, "vba_archive", None) is not None:
        wb.vba_archive.close()


def codenames(path: Path) -> tuple[str | None, dict[str, str | None]]:
    """(workbook codeName, {sheet name: sheet codeName}) from the workbook XML."""
    wb = openpyxl.load_workbook(path, keep_vba=True)
    release(wb)
    return wb.code_name, {ws.title: ws.sheet_properties.codeName for ws in wb.worksheets}


def vml_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".vml")}


def buttons(path: Path) -> list[tuple[str, str]]:
    """(caption, macro) of every form-control button in the workbook's VML drawings (any prefixes)."""
    v, x = "{urn:schemas-microsoft-com:vml}", "{urn:schemas-microsoft-com:office:excel}"
    out = []
    for vml in vml_parts(path).values():
        for shape in ElementTree.fromstring(vml).iter(f"{v}shape"):
            data = shape.find(f"{x}ClientData")
            if data is not None and data.get("ObjectType") == "Button":
                caption = "".join(shape.find(f"{v}textbox").itertext())
                out.append((caption, data.findtext(f"{x}FmlaMacro").removeprefix("[0]!")))
    return out


def good_row() -> dict:
    from stdnum.cn import uscc

    base = "91320500MA1MXNQ88"
    return {"客户编号": "HD0001", "客户名称": "苏州恒泰精密机械有限公司", "客户类型": "公司", "所属区域": "华东",
            "客户类别": "重要客户", "负责业务员": "张伟", "建档日期": dt.date(2026, 3, 5), "手机": "13812345678",
            "统一社会信用代码": base + uscc.calc_check_digit(base)}


def fill(path: Path, rows: list[dict], keep_vba: bool = True) -> Path:
    """Fill the registration sheet by header label, like a person (openpyxl, VBA kept)."""
    wb = openpyxl.load_workbook(path, keep_vba=keep_vba)
    ws = wb[SHEET]
    headers = {str(c.value).rstrip("*"): c.column for c in ws[1] if c.value}
    for i, row in enumerate(rows, start=2):
        for label, value in row.items():
            ws.cell(row=i, column=headers[label], value=value)
    wb.save(path)
    release(wb)
    return path
