"""Workbooks the tests make themselves (or ship in tests/fixtures/) instead of third-party files:
an .xlsm carrying the VBA project our own writer builds, a password-encrypted .xlsx made with
msoffcrypto-tool, and the committed legacy .xls written by tests/fixtures/make_fixtures.py."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

import msoffcrypto.format.ooxml
import xlsxwriter

from workbook_tools.generate.xlsm.vba import build_vba_project, sheet_codenames

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The third-party corpus beside a development checkout. Only the corpus-wide sweeps read it
# (test_corpus, test_validate_corpus, test_annotate_xml's sweep); they skip with CORPUS_ABSENT.
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
CORPUS_ABSENT = (f"corpus-wide sweep skipped: the third-party corpus {CORPUS} is absent "
                 "(a clone without ../shared); the behaviours are tested on files the tests make")
LEGACY_XLS = FIXTURES / "legacy_register.xls"  # 客户档案登记表 (title merged A1:D1, header row 2) + 说明


def macro_workbook(path: Path, sheets: dict[str, Sequence[Iterable]]) -> Path:
    """An .xlsm with one worksheet per ``sheets`` item (rows from A1) and the project's VBA project."""
    project = build_vba_project(sheet_codenames(len(sheets)))
    vba = path.with_name(path.stem + ".vbaProject.bin")
    vba.write_bytes(project.data)
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            ws.write_row(r, 0, list(row))
    wb.add_vba_project(str(vba))
    wb.close()
    vba.unlink()
    return path


def encrypted_copy(src: Path, out: Path, password: str = "123456") -> Path:
    """``src`` (.xlsx/.xlsm) encrypted with an open password, as Excel's 用密码进行加密 does (agile)."""
    with open(src, "rb") as plain, open(out, "wb") as target:
        msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt(password, target)
    return out


def encrypted_workbook(out: Path, password: str = "123456") -> Path:
    """A small registration-like workbook with an open password."""
    plain = out.with_name(out.stem + ".plain.xlsx")
    wb = xlsxwriter.Workbook(str(plain))
    wb.add_worksheet("客户档案登记表").write_row(0, 0, ["客户编号", "客户名称", "手机"])
    wb.close()
    encrypted_copy(plain, out, password)
    plain.unlink()
    return out
