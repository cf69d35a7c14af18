"""`template registration --printable`: blank 客户资料卡 to print and fill by hand, one A4
portrait page per copy, the schema's four sections, every registration field with a bordered
box to write in and its choices as □ boxes."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from office import convert, needs_soffice, pdf_pages
from workbook_tools.card.blank import write_blank_cards
from workbook_tools.cli import main
from workbook_tools.schema import load_schema
from workbook_tools.schema.model import SECTIONS

COPIES = 3


@pytest.fixture(scope="module")
def cards(tmp_path_factory):
    out = tmp_path_factory.mktemp("blank") / "客户资料卡_空白.xlsx"
    with pytest.raises(SystemExit) as exit_:
        main(["template", "registration", "--printable", "-o", str(out), "--copies", str(COPIES)])
    assert exit_.value.code == 0
    return out


def _cells(ws) -> dict[str, str]:
    """Text → coordinate of every non-empty cell."""
    return {str(c.value): c.coordinate for row in ws.iter_rows() for c in row if c.value not in (None, "")}


def test_every_section_and_field_with_a_box_to_write_in(cards):
    wb = load_workbook(cards)
    assert wb.sheetnames == [f"客户资料卡{n}" for n in range(1, COPIES + 1)]
    ws = wb["客户资料卡2"]
    cells = _cells(ws)
    assert all(section in cells for section in SECTIONS)
    section_rows = [int(cells[s][1:]) for s in SECTIONS]
    assert section_rows == sorted(section_rows)           # 基础资料 first, 交易现状 last
    reg = load_schema().form("registration")
    merged = {str(m).split(":")[0]: str(m) for m in ws.merged_cells.ranges}
    for f in reg.fields:
        label = f"{f.label} *" if f.required else f.label
        assert label in cells, label
        coord = cells[label]
        value = ws.cell(row=ws[coord].row, column=ws[coord].column + 1)
        assert value.border.left.style == "thin" and value.border.bottom.style == "thin", label
        assert not value.value or value.value.startswith("□") or "年" in value.value, (label, value.value)
        # the box lies in the field's own section: below its section title, above the next one
        before = [s for s, r in zip(SECTIONS, section_rows) if r < ws[coord].row]
        assert before[-1] == f.section, label
    region = ws.cell(row=ws[cells["所属区域 *"]].row, column=2).value
    assert region == "□ 华东　□ 华南　□ 华北　□ 华中　□ 西南　□ 西北　□ 东北"
    industry = ws.cell(row=ws[cells["所属行业"]].row, column=2)
    assert f"B{industry.row}:F{industry.row}" == merged[f"B{industry.row}"]     # full width, wrapped
    assert industry.value.count("□") == len(reg.field("industry").choices)


def test_print_settings_a4_portrait_one_page_each(cards):
    for ws in load_workbook(cards).worksheets:
        setup = ws.page_setup
        assert setup.paperSize == 9 and setup.orientation == "portrait"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        # absent attributes mean 1 (ECMA-376 defaults; XlsxWriter writes only non-defaults)
        assert (setup.fitToWidth or 1) == 1 and (setup.fitToHeight or 1) == 1
        assert ws.print_area


@needs_soffice
def test_libreoffice_prints_one_page_per_copy(cards, tmp_path):
    assert pdf_pages(convert(cards, "pdf", tmp_path)) == COPIES


def test_refusals_are_one_chinese_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["template", "visit-plan", "--printable", "-o", str(tmp_path / "a.xlsx")])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.strip() == "错误：只有客户档案登记表（registration）可以生成空白客户资料卡"
    with pytest.raises(SystemExit) as exit_:
        main(["template", "客户档案登记表", "--printable", "-o", str(tmp_path / "a.xlsx"), "--copies", "0"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.strip() == "错误：份数应为 1 到 500 之间的整数，收到：0"
    assert not (tmp_path / "a.xlsx").exists()


def test_same_inputs_same_bytes(tmp_path):
    a = write_blank_cards(None, tmp_path / "a.xlsx")
    b = write_blank_cards(None, tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()
    assert load_workbook(a).sheetnames == ["客户资料卡"]
