"""The master's 资料卡 sheet: formulas only. LibreOffice (a real spreadsheet engine) sets
B2 to a customer, recalculates, and every value equals the Python 客户资料卡's."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from office import convert, needs_soffice
from test_card import PREVIOUS, RUN, SCHEMA, rows
from workbook_tools.card import Selection, build_cards
from workbook_tools.merge import merge_rows, write_master
from workbook_tools.schema.model import SECTIONS

BLOCKS = (*SECTIONS, "其他")


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    path = tmp_path_factory.mktemp("lookup") / "客户档案总表.xlsx"
    write_master(merge_rows(rows(), SCHEMA, previous=PREVIOUS, run_date=RUN), SCHEMA, path)
    return path


def sheet_part(path: Path, name: str) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    index = book.sheetnames.index(name) + 1
    book.close()
    return f"xl/worksheets/sheet{index}.xml"


def with_b2(master: Path, value: str, target: Path) -> Path:
    """A copy of the master whose 资料卡!B2 holds ``value`` (what a person picks in the dropdown)."""
    part = sheet_part(master, "资料卡")
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(master) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                text, n = re.subn(r'<c r="B2"( s="\d+")?(/>|>.*?</c>)',
                                  lambda m: f'<c r="B2"{m[1] or ""} t="inlineStr"><is><t>{value}</t></is></c>',
                                  data.decode("utf-8"), count=1)
                assert n == 1
                data = text.encode("utf-8")
            zout.writestr(item, data)
    return target


def read_lookup(path: Path) -> tuple[dict[str, dict], list[list]]:
    """(section → {label: value}, visit lines) as the 资料卡 sheet shows them."""
    values = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("资料卡").to_python()
    blocks, visits, current, in_visits = {}, [], None, False
    for r in values[3:]:
        r = [None if v == "" else v for v in r[:6]]
        if r[0] in BLOCKS and r[1] is None:
            current, in_visits = blocks.setdefault(r[0], {}), False
        elif r[0] and str(r[0]).startswith("拜访记录"):
            current, in_visits = None, True
        elif in_visits and r[0] != "日期" and any(v is not None for v in r):
            visits.append(r)
        elif current is not None:
            for c in (0, 2):
                if r[c]:
                    current[r[c]] = r[c + 1]
    return blocks, visits


def python_card(master: Path, cid: str, tmp: Path):
    card = build_cards(master, tmp / f"{cid}.xlsx", schema=SCHEMA, as_of=RUN,
                       select=Selection(customers=(cid,))).cards[0]
    blocks = {b.title: {i.label: i.value for i in b.items} for b in card.blocks if b.title in BLOCKS}
    return blocks, card.listings[0].rows[:10]


def test_lookup_sheet_structure(master):
    book = openpyxl.load_workbook(master)
    assert book.sheetnames[:3] == ["客户档案", "资料卡", "拜访记录"]
    assert book.defined_names["查询客户编号"].attr_text == "资料卡!$B$2"
    ws = book["资料卡"]
    assert ws["B2"].value is None
    (dv,) = ws.data_validations.dataValidation
    assert (dv.type, dv.formula1, str(dv.sqref)) == ("list", "客户档案!$A$2:$A$4", "B2")
    assert ws.column_dimensions["H"].hidden
    formulas = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    arrays = [c.value.text for row in ws.iter_rows() for c in row if hasattr(c.value, "text")]
    assert len(formulas) > 40 and len(arrays) == 10
    text = " ".join(formulas + arrays).upper()
    assert "INDEX(" in text and "MATCH(" in text and "LARGE(IF(" in text
    for modern in ("XLOOKUP", "FILTER(", "TEXTJOIN", "SORT(", "UNIQUE(", "LET(", "_XLFN"):
        assert modern not in text
    for row in ws.iter_rows(min_row=4):        # every value cell is a formula; only labels are text
        for c in row[1:6:2]:
            assert c.value is None or isinstance(c.value, str) and (c.value.startswith("=") or c.font.b)


def test_lookup_blank_until_a_customer_is_chosen(master):
    blocks, visits = read_lookup(master)
    assert all(v is None for b in blocks.values() for v in b.values()) and visits == []


@needs_soffice
@pytest.mark.parametrize("typed, cid", [("hd0001", "HD0001"), ("HN0001", "HN0001")])
def test_libreoffice_lookup_equals_the_python_card(master, tmp_path, typed, cid):
    recalculated = convert(with_b2(master, typed, tmp_path / "in" / "总表.xlsx"), "xlsx", tmp_path / "out")
    blocks, visits = read_lookup(recalculated)
    expected_blocks, expected_visits = python_card(master, cid, tmp_path)
    assert blocks == expected_blocks
    assert visits == [[_cell(v) for v in row] for row in expected_visits]
    assert len(visits) == (3 if cid == "HD0001" else 10)


def _cell(value):
    return value if not isinstance(value, dt.datetime) else value.date()
