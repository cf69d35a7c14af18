"""The reader on workbooks built here: header detection, column mapping, coordinates,
raw values, footers, blank rows, form detection, CSV encodings, ODS, version stamps."""

from __future__ import annotations

import datetime as dt
import threading
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from made_files import LEGACY_XLS
from workbook_tools.errors import UnreadableWorkbook, WorkbookToolsError
from workbook_tools.io import read_version_stamp, read_workbook, reader
from workbook_tools.io.reader import read_workbooks

REG_HEADERS = ["客户编号", "客户\n名称", "客户 类型", "  所属区域 ", "客户类别", "手机号码", "微信号",
               "身份证号", "负责业务员", "建档日期"]


def build_xlsx(path: Path, sheets: dict, **options) -> Path:
    """``sheets``: sheet name → function(workbook, worksheet) writing its cells."""
    wb = xlsxwriter.Workbook(str(path), options)
    for name, write in sheets.items():
        write(wb, wb.add_worksheet(name))
    wb.close()
    return path


def registration_sheet(wb, ws):
    """Title merged over C1:L1, blank row, a preamble line, header in row 4 from column C."""
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.merge_range("C1:L1", "华东区客户档案", wb.add_format({"bold": True}))
    ws.write("C3", "填表日期：2024-03-01")
    ws.write_row("C4", REG_HEADERS)
    ws.write_row("C5", ["HD0001", "上海申江贸易有限公司", "公司", "华东", "重要客户", "13812345678", "wx_001"])
    ws.write("K5", "张三")
    ws.write_datetime("L5", dt.datetime(2024, 1, 5), date_fmt)
    # row 6 left blank
    ws.write_row("C7", ["HD0002", "李四", "个人", "华东", "普通客户", 13900001111, ""])
    ws.write_number("J7", 110101199003071234)  # an ID card Excel stored as a number
    ws.write("K7", "王五")
    ws.write_string("L7", "2024/02/03")  # a date typed as text
    ws.write_row("C8", ["HD0003", "杭州西湖茶业", "公司", "华东区", "主要客户", "", "", "", "张三"])
    ws.write_row("C9", ["", "   ", ""])  # whitespace only: blank
    ws.write("C10", "填表人：张三")
    ws.write("H10", "审核人：")
    ws.write_row("C11", ["HD9999", "表尾之后", "公司"])


def visit_sheet(wb, ws):
    ws.write_row("A1", ["记录编号", "客户编号", "公司名称", "拜访日期", "业务员", "方式", "拜访内容"])
    ws.write_row("A2", ["VR001", "HD0001", "上海申江贸易有限公司"])
    ws.write_datetime("D2", dt.datetime(2024, 3, 2), wb.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write_row("E2", ["张三", "上门拜访", "介绍新产品"])
    ws.write_row("A3", ["VR002", "HD0002", "李四", "2024-03-05", "王五", "电话"])


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, schema):
    path = build_xlsx(tmp_path_factory.mktemp("mixed") / "华东.xlsx",
                      {"华东客户": registration_sheet, "拜访": visit_sheet})
    return read_workbook(path, schema)


@pytest.fixture(scope="module")
def reg(mixed):
    return mixed.sheets[0]


def test_forms_detected_per_sheet(mixed):
    assert mixed.kind == "xlsx"
    assert [(t.sheet, t.form.key) for t in mixed.sheets] == [("华东客户", "registration"), ("拜访", "visit-record")]
    assert mixed.other_sheets == []
    assert mixed.stamp == {} and mixed.date1904 is False


def test_header_below_title_and_blank_rows(reg):
    assert reg.header_row == 4
    assert reg.title_matched  # "华东区客户档案" names the form (alias 客户档案)


def test_column_mapping_from_column_c(reg):
    got = [(c.index, c.letter, c.field, c.matched) for c in reg.columns]
    assert got == [
        (2, "C", "customer_id", "label"), (3, "D", "customer_name", "label"),
        (4, "E", "customer_type", "label"), (5, "F", "region", "label"),
        (6, "G", "category", "label"), (7, "H", "mobile", "alias"), (8, "I", None, None),
        (9, "J", "id_card", "label"), (10, "K", "owner", "label"), (11, "L", "created", "label"),
    ]
    assert reg.columns[1].header == "客户\n名称"  # original text kept
    assert [(c.letter, c.header) for c in reg.unknown_columns] == [("I", "微信号")]
    assert reg.missing_required == [] and reg.duplicate_fields == {}


def test_records_skip_blank_rows_and_read_on_past_a_footer_with_data_below(reg):
    """填表人 in row 10 has a customer row below it: it ends nothing (issue 17) — it is read
    (and reported by validation), and so is row 11."""
    assert [r.row for r in reg.records] == [5, 7, 8, 10, 11]
    assert reg.footer_row is None and reg.inner_footers == [10]
    assert all(len(r.values) == len(reg.columns) for r in reg.records)


def test_raw_values_and_coordinates(reg):
    first, second, third = reg.records[:3]
    assert reg.value(first, "customer_id") == "HD0001"
    assert reg.value(first, "created") in (dt.date(2024, 1, 5), dt.datetime(2024, 1, 5))
    assert reg.value(first, "id_card") is None  # blank cell
    assert first.values[6] == "wx_001"  # unknown column value kept
    id_card = reg.value(second, "id_card")
    assert isinstance(id_card, float)  # stored as a number: 15 digits kept, the rest lost
    assert id_card == 1.101011990030712e17
    assert reg.cell(second, "id_card") == "J7"
    assert reg.cell(second, "customer_id") == "C7"
    assert reg.value(second, "mobile") == 13900001111.0
    assert reg.value(second, "created") == "2024/02/03"  # text stays text
    assert reg.value(third, "region") == "华东区"  # aliases of choices are the validator's job
    assert reg.value(third, "email") is None and reg.cell(third, "email") is None  # no such column
    assert reg.cell_at(third, 0) == "C8"


def test_visit_record_sheet_next_to_registration(mixed):
    visits = mixed.sheets[1]
    assert visits.header_row == 1
    assert [(c.letter, c.field, c.matched) for c in visits.columns] == [
        ("A", "record_id", "label"), ("B", "customer_id", "label"), ("C", "customer_name", "alias"),
        ("D", "date", "alias"), ("E", "salesperson", "label"), ("F", "method", "label"),
        ("G", "content", "alias"),
    ]
    assert [r.row for r in visits.records] == [2, 3]
    assert visits.value(visits.records[1], "date") == "2024-03-05"
    assert visits.value(visits.records[1], "content") is None
    assert visits.missing_required == []


def test_explicit_form_restricts_detection(tmp_path, schema):
    def customers(wb, ws):
        ws.write_row("A1", ["客户编号", "客户名称", "所属区域", "客户类别"])
        ws.write_row("A2", ["HD0001", "上海一号", "华东", "重要客户"])

    path = build_xlsx(tmp_path / "b.xlsx", {"客户": customers, "拜访": visit_sheet})
    assert [t.form.key for t in read_workbook(path, schema).sheets] == ["registration", "visit-record"]
    data = read_workbook(path, schema, form="visit-record")
    assert [(t.sheet, t.form.key) for t in data.sheets] == [("拜访", "visit-record")]
    assert data.other_sheets == ["客户"]  # only 2 visit-record fields there
    data = read_workbook(path, schema, form=schema.form("registration"))
    assert data.sheets[0].sheet == "客户"
    with pytest.raises(WorkbookToolsError, match="未知的表格类型"):
        read_workbook(path, schema, form="no-such-form")


def test_duplicate_fields_and_missing_required(tmp_path, schema):
    def sheet(wb, ws):
        ws.write_row("A2", ["客户编号*", "客户名称", "公司名称", "联系人", "电话", "备注（选填）"])
        ws.write_row("A3", ["HN0001", "广州一号", "广州一号有限公司", "陈", "020-1234567", "x"])
        ws.write_row("A4", ["合计", "", "", "", "", ""])
        ws.write_row("A5", ["HN0002", "不读"])

    # no column describes the customer itself (类型, 区域 …): only the sheet name makes it a register
    table = read_workbook(build_xlsx(tmp_path / "d.xlsx", {"客户档案": sheet}), schema).sheets[0]
    assert table.header_row == 2 and table.form.key == "registration"
    assert [(c.letter, c.field, c.matched) for c in table.columns] == [
        ("A", "customer_id", "label"), ("B", "customer_name", "label"), ("C", "customer_name", "alias"),
        ("D", "contact", "label"), ("E", "phone", "label"), ("F", "remarks", "label")]
    duplicates = {k: [c.letter for c in cols] for k, cols in table.duplicate_fields.items()}
    assert duplicates == {"customer_name": ["B", "C"]}
    assert table.missing_required == ["customer_type", "region", "category", "owner", "created"]
    assert table.value(table.records[0], "customer_name") == "广州一号"  # the first column wins
    assert [r.row for r in table.records] == [3, 4, 5] and table.footer_row is None
    assert table.inner_footers == [4]  # 合计 with a customer below it: read on


def test_rows_with_only_a_serial_number_are_blank(tmp_path, schema):
    def sheet(wb, ws):
        ws.write_row("A1", ["序号", "客户编号", "客户名称", "所属区域"])
        ws.write_row("A2", [1, "HB0001", "北京一号", "华北"])
        for row in range(3, 8):
            ws.write_number(row - 1, 0, row - 1)  # pre-numbered, otherwise empty

    table = read_workbook(build_xlsx(tmp_path / "s.xlsx", {"登记": sheet}), schema).sheets[0]
    assert table.form.key == "registration"  # 所属区域 tells; 序号 would also suit visit records
    assert [r.row for r in table.records] == [2]
    assert table.unknown_columns[0].header == "序号"


def test_sheets_without_header_and_helper_sheets(tmp_path, schema):
    def data(wb, ws):  # 2 fields only, but the sheet name is the form title
        ws.write_row("A1", ["客户编号", "客户名称"])
        ws.write_row("A2", ["XN0001", "成都一号"])

    def notes(wb, ws):  # looks like a header, but it is the instructions sheet
        ws.write_row("A1", ["客户编号", "客户名称", "客户类型", "所属区域"])

    def lists(wb, ws):
        ws.write_row("A1", ["客户编号", "客户名称", "客户类型", "所属区域"])
        ws.hide()

    def chatter(wb, ws):
        ws.write_row("A1", ["客户编号", "客户名称"])  # two fields, no title: not enough

    path = build_xlsx(tmp_path / "h.xlsx", {"客户档案登记表": data, "填表说明": notes,
                                            "_lists": lists, "Sheet4": chatter})
    book = read_workbook(path, schema)
    assert [t.sheet for t in book.sheets] == ["客户档案登记表"]
    assert book.sheets[0].missing_required == ["customer_type", "region", "category", "owner", "created"]
    assert book.other_sheets == ["填表说明", "_lists", "Sheet4"]


def test_formula_cached_values_and_1904_dates(tmp_path, schema):
    def sheet(wb, ws):
        ws.write_row("A1", ["客户编号", "客户名称", "所属区域", "建档日期"])
        ws.write_formula("A2", '="HD"&"0007"', None, "HD0007")
        ws.write_row("B2", ["南京一号", "华东"])
        ws.write_datetime("D2", dt.datetime(2023, 6, 30), wb.add_format({"num_format": "yyyy-mm-dd"}))

    book = read_workbook(build_xlsx(tmp_path / "f.xlsx", {"Sheet1": sheet}, date_1904=True), schema)
    table = book.sheets[0]
    assert book.date1904 is True
    assert table.value(table.records[0], "customer_id") == "HD0007"
    assert table.value(table.records[0], "created") in (dt.date(2023, 6, 30), dt.datetime(2023, 6, 30))


def test_version_stamp(tmp_path, schema):
    def sheet(wb, ws):
        ws.write_row("A1", ["客户编号", "客户名称", "所属区域"])
        for key, value in {"schema_name": "客户档案", "schema_version": "1.0", "form": "registration",
                           "generator": "workbook-tools 0.1.0"}.items():
            wb.set_custom_property(key, value)

    path = build_xlsx(tmp_path / "stamp.xlsx", {"客户档案登记表": sheet})
    expected = {"schema_name": "客户档案", "schema_version": "1.0", "form": "registration",
                "generator": "workbook-tools 0.1.0"}
    assert read_version_stamp(path) == expected
    assert read_workbook(path, schema).stamp == expected
    plain = build_xlsx(tmp_path / "plain.xlsx", {"Sheet1": lambda wb, ws: None})
    assert read_version_stamp(plain) == {}
    assert read_version_stamp(tmp_path / "missing.xlsx") == {}


def test_xlsx_with_wrong_extension_is_read_by_content(tmp_path, schema):
    path = build_xlsx(tmp_path / "real.xlsx", {"华东客户": registration_sheet})
    renamed = path.with_name("客户.xls")
    path.rename(renamed)
    book = read_workbook(renamed, schema)
    assert book.kind == "xlsx" and book.sheets[0].header_row == 4


CSV_TEXT = ("客户编号,客户名称,手机号码,所属区域,微信号\r\nHD0001,上海一号,13812345678,华东,wx1\r\n"
            ",,,,\r\nHD0002,南京二号,,华东,\r\n填表人：张三,,,,\r\n")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "utf-8"])
def test_csv_encodings(tmp_path, schema, encoding):
    path = tmp_path / "客户.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    book = read_workbook(path, schema)
    assert book.kind == "csv" and book.stamp == {}
    table = book.sheets[0]
    assert table.sheet == "客户" and table.header_row == 1
    assert [(c.letter, c.field) for c in table.columns] == [
        ("A", "customer_id"), ("B", "customer_name"), ("C", "mobile"), ("D", "region"), ("E", None)]
    assert [r.row for r in table.records] == [2, 4] and table.footer_row == 5
    assert table.value(table.records[0], "mobile") == "13812345678"  # CSV values stay text
    assert table.value(table.records[1], "mobile") is None
    assert table.cell(table.records[1], "customer_name") == "B4"


def write_ods(path: Path, sheet: str, rows: list[list]) -> Path:
    """A minimal OpenDocument spreadsheet (mimetype, manifest, content)."""
    def cell(v):
        if v is None:
            return "<table:table-cell/>"
        kind = "float" if isinstance(v, (int, float)) else "string"
        value = f' office:value="{v}"' if kind == "float" else ""
        return f'<table:table-cell office:value-type="{kind}"{value}><text:p>{v}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{sheet}">{body}'
        '<table:table-row table:number-rows-repeated="1048000">'
        '<table:table-cell table:number-columns-repeated="1024"/>'  # LibreOffice's trailing padding
        "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml", manifest)
    return path


def test_ods(tmp_path, schema):
    path = write_ods(tmp_path / "客户.ods", "客户档案登记表", [
        [None, "客户档案登记表"], [], [None, "客户编号", "客户名称", "所属区域", "员工人数"],
        [None, "DB0001", "沈阳一号", "东北", 120]])
    book = read_workbook(path, schema)
    assert book.kind == "ods"
    table = book.sheets[0]
    assert table.header_row == 3 and table.columns[0].letter == "B"
    assert [r.row for r in table.records] == [4]
    assert table.value(table.records[0], "employees") == 120.0
    assert table.cell(table.records[0], "employees") == "E4"


def test_legacy_xls(schema):
    book = read_workbook(LEGACY_XLS, schema)  # Excel 97-2003 (BIFF8), written by tests/fixtures/make_fixtures.py
    assert book.kind == "xls" and book.other_sheets == ["说明"]
    table = book.sheets[0]
    assert (table.sheet, table.form.key, table.header_row) == ("客户档案登记表", "registration", 2)
    assert [r.row for r in table.records] == [3, 4, 5, 6]
    record = table.records[2]
    assert table.value(record, "customer_name") == "王芳" and table.cell(record, "customer_name") == "B5"
    assert table.value(table.records[0], "created") == dt.date(2024, 3, 5)


def test_generated_template_helper_sheets_are_not_data(tmp_path, schema):
    generate = pytest.importorskip("workbook_tools.generate")
    path = generate.generate_template(schema, "visit-plan", tmp_path / "计划.xlsx")
    book = read_workbook(path, schema)
    assert [(t.sheet, t.form.key, t.header_row) for t in book.sheets] == [("客户拜访计划", "visit-plan", 1)]
    assert set(book.other_sheets) == {generate.INSTRUCTIONS_SHEET, generate.LISTS_SHEET}
    assert book.stamp["form"] == "visit-plan" and book.stamp["schema_version"] == schema.version
    assert book.sheets[0].missing_required == [] and book.sheets[0].unknown_columns == []


# --- several files: read_workbooks reads the next file while the caller works ---------------


def test_read_workbooks_gives_every_file_in_order_with_errors_in_place(mixed, tmp_path, schema):
    mixed = Path(mixed.path)
    broken = tmp_path / "坏文件.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    second = tmp_path / "副本.xlsx"
    second.write_bytes(mixed.read_bytes())
    got = list(read_workbooks([mixed, broken, second], schema))
    assert [p for p, _ in got] == [mixed, broken, second]
    first, error, copy = (result for _, result in got)
    assert isinstance(error, UnreadableWorkbook) and "坏文件.xlsx" in str(error)
    expected = read_workbook(mixed, schema)
    for book in (first, copy):
        assert [t.sheet for t in book.sheets] == [t.sheet for t in expected.sheets]
        assert [[r.values for r in t.records] for t in book.sheets] == \
               [[r.values for r in t.records] for t in expected.sheets]
    assert list(read_workbooks([], schema)) == []


def test_read_workbooks_reads_the_next_file_before_the_caller_asks(monkeypatch, schema):
    """Where reads cannot run in a child process (Windows): file 2 is read on the read-ahead
    thread while the caller still holds file 1."""
    started = {name: threading.Event() for name in ("a", "b", "c")}
    threads = []

    def fake_read(path, forms, **options):
        threads.append(threading.current_thread().name)
        started[Path(path).name].set()
        return Path(path).name

    monkeypatch.setattr(reader.isolate, "available", lambda: False)
    monkeypatch.setattr(reader, "read_here", fake_read)
    books = read_workbooks(["a", "b", "c"], schema)
    assert next(books) == (Path("a"), "a")
    assert started["b"].wait(10)  # the consumer has not asked for "b" yet
    assert not started["c"].is_set()  # only one file ahead
    assert list(books) == [(Path("b"), "b"), (Path("c"), "c")]
    assert threads and all(name.startswith("read-ahead") for name in threads)


@pytest.mark.parametrize("isolated", [True, False])
def test_read_workbooks_raises_what_is_not_an_unreadable_workbook(monkeypatch, schema, isolated):
    def fake_read(path, forms, **options):
        raise KeyError(str(path))  # a bug, not bad input: it must not be swallowed

    if not isolated:
        monkeypatch.setattr(reader.isolate, "available", lambda: False)
    monkeypatch.setattr(reader, "read_here", fake_read)
    with pytest.raises(KeyError):
        list(read_workbooks(["a"], schema))
