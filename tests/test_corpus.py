"""The reader on every file of the shared third-party corpus (../shared/corpus, see its
MANIFEST.md): each file either reads, with specific expectations, or is refused with
UnreadableWorkbook and a Chinese reason naming the problem. Nothing else may escape,
and every read is quick (the style-bloated files would take ~20 s with openpyxl)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from made_files import CORPUS, CORPUS_ABSENT
from workbook_tools.errors import UnreadableWorkbook
from workbook_tools.io import read_version_stamp, read_workbook
from workbook_tools.schema.model import Field, Form, Schema

if not CORPUS.is_dir():
    pytest.skip(CORPUS_ABSENT, allow_module_level=True)

TIME_LIMIT = 120.0  # a hang detector, not a speed target (those live in benchmarks/): generous for a loaded box


def error(*keywords):
    """Expect UnreadableWorkbook whose reason contains one of ``keywords``."""
    return ("error", keywords)


def ok(sheets=(), other=None, kind="xlsx", check=None):
    """Expect a read: ``sheets`` = [(sheet, form key, header row)] in order; ``other`` =
    other_sheets exactly (None: don't care); ``check(data)`` for anything more."""
    return ("ok", (list(sheets), other, kind, check))


def _register_2016(data):
    table = data.sheet("客户备案表")
    assert table.title_matched and table.footer_row == 24  # "注：1、…" ends the table
    name = table.column("customer_name")
    assert (name.letter, name.header, name.matched) == ("I", "客户名称", "label")
    assert table.column("customer_id").header == "客户\n代号"
    assert table.column("created").header == "初次登\n记日期"
    assert table.records == []  # rows hold only a pre-printed 序号
    assert table.column("owner").header == "业务\n负责人"  # alias added for this real register
    assert table.missing_required == ["customer_type"]
    assert table.column("first_trade_date").header == "初次订货日期"  # alias added for real registers
    # 项目备案表 has 客户名称/区域/联系人 columns, but its rows are projects, not customers
    assert data.other_reasons["项目备案表"] == "工作表名“项目备案表”说明这是“项目”类表格，不是客户档案登记表"


def _receivables(data):
    # 回款 and 总账 list payments and balances per customer (客户代号, 客户名称, 结算方式):
    # their rows must not merge as customers
    assert "“回款”类表格" in data.other_reasons["回款"]
    assert "“总账”类表格" in data.other_reasons["总账"]


def _quotes(data):
    assert "“报价”类表格" in data.other_reasons["2020年报价明细汇总表"]


def _valve(data):
    assert len(data.other_sheets) == 22 and data.sheets == []


def _date1904(data):
    assert data.date1904 is True


EXPECTED = {
    "cn_2007_text_dates_40k.xlsx": ok(other=["工作表1", "工作表2", "Sheet1"]),
    "cn_3row_merged_header.xlsx": ok(other=["第一个sheet", "第二个sheet", "第三个sheet"]),
    "cn_attendance_backslash_paths.xlsx": ok(other=["出勤分类组织汇总表"]),
    "cn_bank_stmt_text_dates.xlsx": ok(other=["Sheet1", "Sheet2"]),
    "cn_capacity_multirow_header.xlsx": ok(other=["Sheet1"]),
    "cn_contract_exec_26k_formulas.xlsx": ok([("样机", "registration", 2), ("哈瓦特备库", "trade", 2)],
                                             other=["合同文员", "退换货合同"]),  # 哈瓦特备库: an order ledger
    "cn_cost_stats_443cols.xlsx": ok([("4月", "registration", 3)], other=[]),
    "cn_customer_directory.xlsx": ok([("新客户名录", "registration", 3), ("历年客户名录", "registration", 3)],
                                     other=["业绩明细表"]),
    "cn_customer_register_2016.xlsx": ok([("客户备案表", "registration", 3), ("信息备案", "registration", 3)],
                                         other=["项目备案表"], check=_register_2016),
    "cn_date_text_formats.xlsx": ok(other=["Sheet1", "Sheet2", "Sheet3"]),
    "cn_delivery_form.xlsx": ok(other=["发货"]),
    "cn_drm_wrapped_1662.xlsx": error("权限", "保护"),
    "cn_form_placeholders_merged.xlsx": ok(other=["Sheet1"]),
    "cn_formula_cached.xlsx": ok(other=["Sheet1", "Sheet2"]),
    "cn_owner_lockfile_tilde.xlsx": error("锁定", "临时"),
    "cn_poi_16384cols.xlsx": ok(other=["重算文件"]),
    "cn_product_upload_dv.xlsx": ok(other=["Sheet1"]),
    "cn_quote_form.xlsx": ok(other=["报价", "询价", "原询价", "Sheet4"]),
    "cn_quote_workflow_9sheets.xlsx": ok([("2020年新增询价客户备案名录", "registration", 2)], check=_quotes),
    "cn_receivables_hidden_dv.xlsx": ok(other=["Sheet1", "回款", "总账", "客户明细账"], check=_receivables),
    "cn_supplier_list_2row_header.xlsx": ok(other=["1-5"]),
    "cn_tax_hidden63cols.xlsx": ok(other=["Sheet1", "各单位纳税汇总", "纳税情况统计"]),
    "cn_tencent_docs_vmerge.xlsx": ok(other=["工作表1"]),
    "cn_title_row_codes_as_text.xlsx": ok(other=["测试配方1027"]),
    "cn_utf8_bom_office.csv": ok(other=["cn_utf8_bom_office"], kind="csv"),
    "cn_utf8_nobom.csv": ok(other=["cn_utf8_nobom"], kind="csv"),
    "cn_valve_codes_22sheets.xls": ok(kind="xls", check=_valve),
    "cn_wps_links_comments.xlsx": ok(other=["Sheet1", "Sheet2", "Sheet3"]),
    "cn_wps_numbers_as_text.xlsx": ok(other=["Sheet1", "Sheet2", "Sheet3"]),
    "corrupted_libreoffice.xlsx": ok(other=["Sheet1", "Sheet2"]),  # via the openpyxl fallback
    "data_validations_52.xlsx": ok(other=["Sheet1"]),
    "date_1904_libreoffice.xlsx": ok(other=["Sheet1"], check=_date1904),
    "empty_zero_bytes.xlsx": error("空"),
    "encrypted_agile.xlsx": error("加密"),
    "encrypted_biff8.xls": error("加密"),
    "encrypted_standard.xlsx": error("加密"),
    "errors_cached.xlsx": ok(other=["Feuil1", "Feuil2", "Feuil3"]),
    "gnumeric_inline_16384cols.xlsx": ok(other=["Sheet1"]),
    "google_sheets_66365.xlsx": ok(other=["Sheet1"]),
    "google_sheets_export.xlsx": ok(other=["Feuille 1"]),
    "header_location_varies.xlsx": ok(other=["Sheet1", "Sheet2", "Sheet3"]),
    "hidden_748cols.xlsx": ok(other=["Sheet1", "Sheet2", "Sheet3"]),
    "hidden_rows_cols_titled.xlsx": ok(other=["Avgtxfull", "Avgtxmod", "Avgselemp"]),
    "hidden_veryhidden_sheets.xlsx": ok(other=["Visible", "Hidden", "VeryHidden", "Chart"]),
    "inline_strings.xlsx": ok(other=["Requirements"]),
    "mac_1904_5sheets.xlsx": ok(other=[f"Sheet{i}" for i in range(1, 6)], check=_date1904),
    "macro_heavy_57181.xlsm": ok(kind="xlsm", other=["CCSInfo", "General", "Detailed_report", "Summary_report",
                                                     "Detailed_graph", "Summary_graph", "Tabelle1", "Tabelle2",
                                                     "Tabelle3"]),
    "merges_50000.xlsx": ok(other=["Sheet1"]),
    "mixed_types_140k_rows.xlsx": ok(other=["Sheet1"]),
    "no_row_numbers.xlsx": ok(other=["Features"]),
    "not_really_xls.xls": error("不是"),
    "out_of_range_dates.xlsx": ok(other=["future_date", "future_datetime"]),
    "report_preamble_skip_rows.xlsx": ok(other=["Sheet1"]),
    "table_in_middle.xlsx": ok(other=["Sheet1"]),
    "table_offset_excel_online.xlsx": ok(other=["without-table", "with-table"]),
    "vba_macros.xlsm": ok(kind="xlsm", other=["Sheet1", "Sheet2", "Sheet3"]),
    "weird_merged_str.xlsx": ok(other=["Sheet1", "Sheet2", "Sheet3"]),
    "x000D_escapes.xlsx": ok(other=["Sheet1"]),
    "xml_bomb.xlsx": error("危险", "实体"),
    "yyyymmdd_int_dates.xlsx": ok(other=["MVA"]),
}

CORPUS_FILES = sorted(p.name for p in CORPUS.iterdir() if p.name not in ("MANIFEST.md", "SHA256SUMS"))


def timed_read(path, schema, form=None):
    start = time.monotonic()
    try:
        return read_workbook(path, schema, form)
    finally:
        elapsed = time.monotonic() - start
        assert elapsed < TIME_LIMIT, f"{path.name}: {elapsed:.1f} s"


def test_every_corpus_file_has_an_expectation():
    assert sorted(EXPECTED) == CORPUS_FILES


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_file(name, schema):
    outcome, detail = EXPECTED[name]
    path = CORPUS / name
    if outcome == "error":
        with pytest.raises(UnreadableWorkbook) as info:
            timed_read(path, schema)
        err = info.value
        assert any(k in err.reason for k in detail), err.reason
        assert err.advice and err.path == str(path)
        assert read_version_stamp(path) == {}
        return
    sheets, other, kind, check = detail
    data = timed_read(path, schema)  # any exception other than the expected fails here
    assert data.kind == kind
    assert [(t.sheet, t.form.key, t.header_row) for t in data.sheets] == sheets
    if other is not None:
        assert data.other_sheets == other
    for table in data.sheets:
        assert all(len(r.values) == len(table.columns) for r in table.records)
        assert table.records == sorted(table.records, key=lambda r: r.row)
        if table.footer_row and table.records:
            assert table.records[-1].row < table.footer_row
    if check:
        check(data)


# --- header detection on real layouts, with small schemas matching their headers --------

def schema_of(title, labels, aliases=()):
    fields = tuple(Field(f"f{i}", label, "text") for i, label in enumerate(labels))
    return Schema("test", "1", (Form("t", title, fields, aliases=tuple(aliases)),))


def test_header_location_varies_per_sheet():
    schema = schema_of("Years Sheet", ["Month", "Year"], aliases=["Sheet3"])
    data = timed_read(CORPUS / "header_location_varies.xlsx", schema)
    assert [(t.sheet, t.header_row) for t in data.sheets] == [("Sheet1", 2), ("Sheet3", 12)]
    assert data.other_sheets == ["Sheet2"]  # numbers only, no header
    sheet1, sheet3 = data.sheets
    assert [r.values for r in sheet1.records] == [[1.0, 2019.0], [2.0, 2020.0]]
    assert [r.row for r in sheet3.records] == [13, 14]
    assert sheet3.cell(sheet3.records[0], "f1") == "B13"


def test_table_in_middle():
    data = timed_read(CORPUS / "table_in_middle.xlsx", schema_of("Temperature", ["label", "value"], ["Sheet1"]))
    table = data.sheets[0]
    assert table.header_row == 4 and [c.letter for c in table.columns] == ["B", "C"]
    assert [(r.row, r.values) for r in table.records] == [(5, ["celsius", 22.2222]), (6, ["fahrenheit", 72.0])]
    assert table.cell(table.records[0], "f1") == "C5"


def test_table_offset_with_gap_column():
    schema = schema_of("x", ["Column at H10", "Column at I10", "Column at K10"])
    table = timed_read(CORPUS / "table_offset_excel_online.xlsx", schema).sheet("without-table")
    assert table.header_row == 10
    assert [(c.letter, c.field) for c in table.columns] == [("H", "f0"), ("I", "f1"), ("J", None), ("K", "f2")]
    assert table.unknown_columns == []  # a blank header is not an unknown column
    assert [r.row for r in table.records] == [11, 12, 13]
    assert table.cell(table.records[0], "f2") == "K11" and table.value(table.records[0], "f2") == 7.0


def test_report_preamble_above_header():
    schema = schema_of("x", ["User", "Day", "Program Name", "Email Id"])
    table = timed_read(CORPUS / "report_preamble_skip_rows.xlsx", schema).sheets[0]
    assert table.header_row == 11 and table.columns[0].letter == "B"
    assert [r.row for r in table.records] == [12, 13]
    assert table.value(table.records[0], "f1") == dt.date(2024, 1, 19)


def test_attendance_export_header_in_column_c():
    schema = schema_of("出勤分类组织汇总表", ["领域", "平台", "小微", "总人数"])
    table = timed_read(CORPUS / "cn_attendance_backslash_paths.xlsx", schema).sheets[0]
    assert table.header_row == 4 and table.columns[0].letter == "C"
    assert [r.row for r in table.records] == [5]
    assert table.value(table.records[0], "f3") == "9"  # a count stored as text stays text
    assert table.cell(table.records[0], "f3") == "H5"


def test_csv_with_bom_and_without():
    schema = schema_of("x", ["姓名", "年纪"], aliases=["cn_utf8_bom_office", "cn_utf8_nobom"])
    for name in ("cn_utf8_bom_office.csv", "cn_utf8_nobom.csv"):
        table = timed_read(CORPUS / name, schema).sheets[0]
        assert table.columns[0].header == "姓名"  # the BOM is not part of the header
        assert len(table.records) == 10 and table.records[0].values == ["姓名0", "20"]


def test_corrupted_package_read_through_fallback():
    schema = schema_of("x", ["test", "DOCTYPE", "XXE"], aliases=["Sheet1"])
    table = timed_read(CORPUS / "corrupted_libreoffice.xlsx", schema).sheet("Sheet1")
    assert table.header_row == 1 and [r.row for r in table.records] == [2, 3]
    assert table.records[0].values[:3] == ["second", "row", "data"]
