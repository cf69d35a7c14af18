"""Inputs the reader must refuse with one clear Chinese reason — never a traceback, a
hang, a crash of the process or a memory blow-up — and near-misses it must still read."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from made_files import encrypted_copy, encrypted_workbook, macro_workbook
from workbook_tools.errors import UnreadableWorkbook
from workbook_tools.io import read_version_stamp, read_workbook
from workbook_tools.io.zipcheck import prolog_is_dangerous


def small_xlsx(path: Path, far_cell: str | None = None) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("客户档案登记表")
    ws.write_row("A1", ["客户编号", "客户名称", "所属区域"])
    ws.write_row("A2", ["HD0001", "上海一号", "华东"])
    if far_cell:
        ws.write(far_cell, "x")
    wb.close()
    return path


def rewrite_zip(src: Path, dst: Path, replace: dict[str, bytes] | None = None,
                extra: dict[str, bytes] | None = None) -> Path:
    """Copy a zip, replacing or adding entries."""
    replace, extra = replace or {}, extra or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, data in extra.items():
            zout.writestr(name, data)
    return dst


def refused(path, schema, *keywords) -> UnreadableWorkbook:
    with pytest.raises(UnreadableWorkbook) as info:
        read_workbook(path, schema)
    err = info.value
    assert any(k in err.reason for k in keywords), err.reason
    assert err.advice and str(path) in str(err)
    return err


def test_missing_file_and_directory(tmp_path, schema):
    refused(tmp_path / "nope.xlsx", schema, "找不到")
    refused(tmp_path, schema, "文件夹")


def test_zero_bytes(tmp_path, schema):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    refused(path, schema, "空")


def test_office_lock_file(tmp_path, schema):
    name = "张三".encode("gbk")
    body = bytes([len(name)]) + name + b" " * (54 - len(name)) + b"\x02\x00" + "张三".encode("utf-16-le")
    body += b"\x00" * (165 - len(body))
    path = tmp_path / "~$客户.xlsx"
    path.write_bytes(body)
    refused(path, schema, "锁定", "临时")
    renamed = tmp_path / "客户副本.xlsx"  # same bytes under an ordinary name
    renamed.write_bytes(body)
    refused(renamed, schema, "锁定", "临时")


@pytest.mark.parametrize("content, word", [
    (b"Attachment f:\\x.xls not found!\r\n", "纯文本"),
    ("<html><body><table><tr><td>客户编号</td></tr></table></body></html>".encode(), "网页"),
    (b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>', "2003 XML"),
    (bytes(range(256)) * 4, "无法识别"),
])
def test_not_a_workbook(tmp_path, schema, content, word):
    path = tmp_path / "export.xls"
    path.write_bytes(content)
    err = refused(path, schema, "不是")
    assert word in err.reason


def test_other_zip_packages(tmp_path, schema):
    docx = tmp_path / "a.xlsx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert "Word" in refused(docx, schema, "不是").reason
    plain = tmp_path / "b.xlsx"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("readme.txt", "hello")
    refused(plain, schema, "不是")
    xlsb = tmp_path / "c.xlsb"
    with zipfile.ZipFile(xlsb, "w") as zf:
        zf.writestr("xl/workbook.bin", b"\x00")
    refused(xlsb, schema, "xlsb")


def test_truncated_xlsx(tmp_path, schema):
    good = small_xlsx(tmp_path / "good.xlsx")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    refused(cut, schema, "损坏")


def test_broken_sheet_xml_is_corrupt(tmp_path, schema):
    good = small_xlsx(tmp_path / "good.xlsx")
    bad = rewrite_zip(good, tmp_path / "bad.xlsx", {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"})
    refused(bad, schema, "损坏")


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>"""


def test_entity_bomb_refused_before_parsing(tmp_path, schema):
    good = small_xlsx(tmp_path / "good.xlsx")
    bomb = rewrite_zip(good, tmp_path / "bomb.xlsx", {"xl/sharedStrings.xml": BOMB})
    err = refused(bomb, schema, "危险", "实体")
    assert "xl/sharedStrings.xml" in err.reason
    assert read_version_stamp(bomb) == {}


def test_prolog_scan():
    assert prolog_is_dangerous(BOMB)
    assert prolog_is_dangerous(BOMB.decode().encode("utf-16"))  # UTF-16 with BOM
    assert prolog_is_dangerous(b"<?xml version='1.0'?><!-- " + b"x" * 70_000)  # endless prolog
    assert not prolog_is_dangerous(b'<?xml version="1.0"?><sst><si><t>&lt;!DOCTYPE</t></si></sst>')


def test_zip_bomb_ratio(tmp_path, schema):
    good = small_xlsx(tmp_path / "good.xlsx")
    bomb = rewrite_zip(good, tmp_path / "zipbomb.xlsx", extra={"xl/media/blob.bin": b"\0" * (40 * 1024 * 1024)})
    assert bomb.stat().st_size < 1024 * 1024
    refused(bomb, schema, "压缩炸弹", "体积异常")


def test_far_away_cell_is_refused_not_crashing(tmp_path, schema):
    """calamine would allocate 17 billion cells and abort the whole process."""
    path = small_xlsx(tmp_path / "far.xlsx", far_cell="XFD1048576")
    err = refused(path, schema, "范围过大")
    assert "客户档案登记表" in err.reason and "XFD1048576" in err.reason


@pytest.mark.parametrize("separator", [b" ", b"\n"])
def test_lying_dimension_is_not_trusted(tmp_path, schema, separator):
    path = small_xlsx(tmp_path / "far.xlsx", far_cell="XFD1048576")
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").replace(b'ref="A1:XFD1048576"', b'ref="A1:C2"')
    sheet = sheet.replace(b'<c r="XFD1048576"', b"<c" + separator + b'r="XFD1048576"')
    liar = rewrite_zip(path, tmp_path / "liar.xlsx", {"xl/worksheets/sheet1.xml": sheet})
    refused(liar, schema, "范围过大")


def test_huge_claimed_dimension_with_empty_cells_reads(tmp_path, schema):
    """Like the Gnumeric file: claims A1:XFD1048576, styled empty cells far away."""
    path = small_xlsx(tmp_path / "g.xlsx")
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    sheet = sheet.replace(b'<dimension ref="A1:C2"/>', b'<dimension ref="A1:XFD1048576"/>')
    sheet = sheet.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>')
    wide = rewrite_zip(path, tmp_path / "wide.xlsx", {"xl/worksheets/sheet1.xml": sheet})
    table = read_workbook(wide, schema).sheets[0]
    assert [r.row for r in table.records] == [2]


def test_ods_repeat_bomb(tmp_path, schema):
    """One row repeated a million times with 16,384 repeated value cells."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        '<office:body><office:spreadsheet><table:table table:name="炸弹">'
        '<table:table-row table:number-rows-repeated="1048576"><table:table-cell '
        'table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>")
    path = tmp_path / "bomb.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
    err = refused(path, schema, "范围过大", "重复")
    assert "炸弹" in err.reason


def test_password_encrypted_xlsx_and_xlsm(tmp_path, schema):
    """Encrypted with msoffcrypto-tool as Excel does it (agile); DRM-wrapped files are in the corpus sweep."""
    err = refused(encrypted_workbook(tmp_path / "加密.xlsx"), schema, "加密")
    assert "取消密码" in err.advice
    xlsm = macro_workbook(tmp_path / "宏.xlsm", {"客户档案登记表": [["客户编号", "客户名称"]]})
    refused(encrypted_copy(xlsm, tmp_path / "加密的宏表.xlsm"), schema, "加密")


def test_ole_magic_without_structure_is_corrupt(tmp_path, schema):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600)
    refused(path, schema, "损坏")


def test_binary_file_named_csv(tmp_path, schema):
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\n" + bytes(range(32)) * 20)
    refused(path, schema, "不是")
