"""validate_table over fake SheetTables: header, required, cross-field, unique, duplicate
rows, parsed values, sorting; reports and their JSON; files and directories."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from test_validate_support import AS_OF, SCHEMA, make_table, run, valid_registration

from workbook_tools.errors import UnreadableWorkbook
from workbook_tools.validate import files
from workbook_tools.validate import (
    FINDING_FIELDS, FileReport, Finding, ValidationReport, validate_paths, validate_table, validate_workbook,
)


def _flat(result, *fields):
    return [tuple(getattr(f, n) for n in fields) for f in result.findings]


# --- header -----------------------------------------------------------------------------------------
def test_header_problems():
    headers = ["客户编号", "客户名称", "客户类型", "所属区域", "客户类别", "手机", "手机号码", "微信号", "建档日期"]
    row = ["HD0001", "甲公司", "公司", "华东", "普通客户", "13812345678", "13912345678", "wx123",
           dt.date(2024, 1, 1)]
    result = validate_table(make_table(headers, [row]), SCHEMA, as_of=AS_OF)
    header = [(f.severity, f.code, f.cell, f.message) for f in result.findings if f.row == 1]
    assert header == [
        ("error", "column-missing", None, "缺少必填列“负责业务员”；请在表头（第 1 行）添加“负责业务员”列并填写"),
        ("error", "column-duplicate", "G1",
         "“手机”出现了 2 列（F、G 列）；只检查 F 列，请合并或删除多余的列"),
        ("warning", "column-unknown", "H1",
         "表头“微信号”不是“客户档案登记表”的字段，该列会原样保留但不做检查；如果它就是某个字段，请改成标准列名"),
    ]
    # the duplicate column is not checked; the first one is
    assert result.parsed[0]["mobile"] == "13812345678"


def test_missing_any_required_columns_and_conditional_column():
    headers = ["客户编号", "客户名称", "客户类型", "所属区域", "客户类别", "负责业务员", "建档日期"]
    rows = [["HD0001", "张三", "个人", "华东", "普通客户", "李明", dt.date(2024, 1, 1)],
            ["HD0002", "李四", "自然人", "华东", "普通客户", "李明", dt.date(2024, 1, 1)]]
    result = validate_table(make_table(headers, rows), SCHEMA, as_of=AS_OF)
    assert _flat(result, "code", "message") == [
        ("column-missing-conditional",
         "缺少“身份证号”列，但有 2 行客户类型为“个人”（如第 2 行），这些行必须填写身份证号；请添加“身份证号”列并填写"),
        ("column-missing-any", "缺少手机、电话列（手机和电话至少填写一项）；请至少添加其中一列并填写"),
    ]


# --- required ------------------------------------------------------------------------------------
def test_required_field_empty():
    result = run(valid_registration(负责业务员="  "))
    assert _flat(result, "severity", "code", "cell", "message") == [
        ("error", "required-missing", "S2", "“负责业务员”是必填项，本行为空；请填写负责业务员"),
    ]


def test_required_if_person_without_id_card():
    result = run(valid_registration(客户类型="个人客户", 统一社会信用代码=None, 身份证号=None))
    assert _flat(result, "code", "field", "message") == [
        ("required-if-missing", "身份证号", "客户类型为“个人”时必须填写身份证号，本行为空；请填写身份证号"),
    ]


def test_required_if_is_satisfied_and_other_branch_not_triggered():
    from test_validate_support import id_card
    assert run(valid_registration(客户类型="个人", 统一社会信用代码=None,
                                  身份证号=id_card("44030519850505123"))).findings == []


def test_required_if_company_without_uscc():
    result = run(valid_registration(统一社会信用代码=""))
    assert _flat(result, "code", "field") == [("required-if-missing", "统一社会信用代码")]


# --- form rules ------------------------------------------------------------------------------------
def test_any_required_phone_rule():
    result = run(valid_registration(手机=None, 电话=""))
    assert _flat(result, "code", "cell", "message") == [
        ("rule-any-required", "I2",
         "手机和电话至少填写一项；本行手机、电话都为空，请至少填写其中一项"),
    ]
    assert run(valid_registration(手机=None)).findings == []


def test_compare_rule():
    result = run(valid_registration(最近交易日期=dt.date(2023, 1, 1)))
    assert _flat(result, "code", "field", "message") == [
        ("rule-compare", "最近交易日期",
         "最近交易日期不能早于首次交易日期；本行最近交易日期为 2023-01-01，首次交易日期为 2024-03-01，请核对后改正"),
    ]


def test_compare_skips_values_that_did_not_parse():
    result = run(valid_registration(最近交易日期="待定"))
    assert [f.code for f in result.findings] == ["date-invalid"]
    # 不详 is a placeholder (settings.empty_placeholders): an empty optional date, no finding
    assert run(valid_registration(最近交易日期="不详")).findings == []


def test_compare_uses_text_dates_once_read():
    result = run(valid_registration(最近交易日期="2023.01.01"))
    assert sorted(f.code for f in result.findings) == ["date-text", "rule-compare"]


def test_implies_rule():
    result = run(valid_registration(首次交易日期=None, 最近交易日期=None))
    assert _flat(result, "code", "cell", "message") == [
        ("rule-implies", "Q2",
         "交易次数大于0时必须填写首次交易日期；本行交易次数为 3，但首次交易日期为空，请补填首次交易日期"),
    ]
    assert run(valid_registration(交易次数=0.0, **{"交易金额(元)": 0.0}, 首次交易日期=None, 最近交易日期=None)).findings == []


def test_zero_count_with_an_amount_and_the_reverse():
    result = run(valid_registration(交易次数=0.0, 首次交易日期=None, 最近交易日期=None))
    assert _flat(result, "code", "message") == [
        ("rule-implies-value", "交易次数为0时交易金额应为0；本行交易次数为 0，但交易金额(元)为 125000.5，请核对后更正其中一项")]
    result = run(valid_registration(**{"交易金额(元)": 0.0}))
    assert _flat(result, "code", "message") == [
        ("rule-implies-value", "交易金额为0时交易次数应为0；本行交易金额(元)为 0，但交易次数为 3，请核对后更正其中一项")]


# --- uniqueness and duplicates ---------------------------------------------------------------------
def test_duplicate_customer_id_names_the_first_row():
    rows = [valid_registration(), valid_registration(客户名称="乙公司"),
            valid_registration(客户编号="HD0002"), valid_registration(客户编号="hd0001", 客户名称="丙公司")]
    result = run(*rows)
    dupes = [(f.row, f.cell, f.message) for f in result.findings if f.code == "unique-duplicate"]
    assert dupes == [
        (3, "A3", "客户编号“HD0001”与第 2 行重复；客户编号必须唯一，请核对后改用未被使用的编号"),
        (5, "A5", "客户编号“hd0001”与第 2 行重复；客户编号必须唯一，请核对后改用未被使用的编号"),
    ]


def test_exact_duplicate_row_is_a_warning():
    result = run(valid_registration(), valid_registration())
    assert _flat(result, "severity", "code", "row", "message") == [
        ("error", "unique-duplicate", 3, "客户编号“HD0001”与第 2 行重复；客户编号必须唯一，请核对后改用未被使用的编号"),
        ("warning", "row-duplicate", 3, "本行与第 2 行内容完全相同；如果是重复录入，请删除其中一行"),
    ]


# --- results -----------------------------------------------------------------------------------------
def test_parsed_values_are_canonical_and_aligned_with_records():
    result = run(valid_registration(客户类别="A类客户", 手机="+86 138 1234 5678"),
                 valid_registration(客户编号="HD0002", 所属区域="华南大区", 电话=None))
    assert [p["category"] for p in result.parsed] == ["重要客户", "重要客户"]
    assert [p["region"] for p in result.parsed] == ["华东", "华南"]
    assert result.parsed[0]["mobile"] == "13812345678"
    assert result.parsed[1]["phone"] is None
    assert "id_card" not in result.parsed[0]    # no column, no key


def test_findings_are_sorted_errors_first_then_row_and_column():
    rows = [valid_registration(邮编=10000.0, 手机="123"), valid_registration(客户编号="HD0002", 所属区域="火星")]
    result = run(*rows)
    assert _flat(result, "severity", "cell") == [
        ("error", "I2"), ("error", "D3"), ("warning", "L2"),
    ]


def test_messages_by_row_for_merge():
    rows = [valid_registration(手机="123"), valid_registration(客户编号="HD0002")]
    result = run(*rows)
    assert result.messages_by_row() == {2: [result.findings[0].message]}


def test_a_column_mixing_true_and_1_checks_each_as_typed():
    """1, 1.0 and True are equal as dict keys; the column cache must not conflate them."""
    result = run(valid_registration(员工人数=1.0), valid_registration(客户编号="HD0002", 员工人数=True),
                 valid_registration(客户编号="HD0003", 员工人数=1))
    assert _flat(result, "code", "cell") == [("number-invalid", "N3")]
    assert [p["employees"] for p in result.parsed] == [1, None, 1]


def test_repeated_values_are_reported_on_every_row():
    rows = [valid_registration(客户编号=f"HD000{i}", 手机="1381234567") for i in range(1, 4)]
    rows.insert(1, valid_registration(客户编号="HD0009", 手机="   "))
    result = run(*rows)
    assert _flat(result, "code", "cell") == [("mobile-invalid", f"I{r}") for r in (2, 4, 5)]
    assert result.parsed[1]["mobile"] is None and "mobile" in result.parsed[1]


def test_short_records_are_padded():
    table = make_table(["客户编号", "客户名称"], [["HD0001"]])
    result = validate_table(table, SCHEMA, as_of=AS_OF)
    assert ("required-missing", "B2") in _flat(result, "code", "cell")


def test_other_forms_validate_too():
    headers = ["计划编号", "业务员", "计划日期", "客户编号", "拜访方式", "状态", "实际日期", "下次跟进日期"]
    rows = [["P1", "李明", dt.date(2026, 7, 1), "HN0003", "电话", "已完成", None, dt.date(2026, 6, 1)]]
    result = validate_table(make_table(headers, rows, form="visit-plan"), SCHEMA, as_of=AS_OF)
    assert _flat(result, "code", "message") == [
        ("required-if-missing", "状态为“已完成”时必须填写实际日期，本行为空；请填写实际日期"),
    ]
    assert result.parsed[0]["method"] == "电话回访"


# --- reports --------------------------------------------------------------------------------------
def test_report_json_flatten_and_totals():
    result = run(valid_registration(手机="123"), valid_registration(客户编号="HD0002", 邮编=10000.0))
    report = ValidationReport(files=[
        FileReport(path="a.xlsx", form="registration", rows=2, findings=result.findings),
        FileReport.unreadable("b.xlsx", "无法读取文件 b.xlsx：文件是空的"),
    ])
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert data["totals"] == {"files": 2, "ok": 0, "invalid": 1, "unreadable": 1, "rows": 2,
                              "errors": 1, "warnings": 1}
    first = data["files"][0]
    assert (first["path"], first["status"], first["error"], first["form"], first["rows"]) == \
        ("a.xlsx", "invalid", None, "registration", 2)
    assert tuple(first["findings"][0]) == FINDING_FIELDS
    assert FINDING_FIELDS == ("severity", "code", "sheet", "cell", "row", "field", "value", "message")
    assert data["files"][1]["status"] == "unreadable"
    assert report.flatten(["path", "row", "code"]) == [
        ("a.xlsx", 2, "mobile-invalid"), ("a.xlsx", 3, "postal-code-leading-zero-lost"),
    ]
    assert not report.valid


def test_flatten_rejects_unknown_fields():
    with pytest.raises(ValueError):
        FileReport(path="a.xlsx").flatten(["nope"])


# --- files -------------------------------------------------------------------------------------------
def _fake_reader(monkeypatch, tables=None, error=None, other_sheets=()):
    """Replace read_workbook with one returning fake tables (the WorkbookData contract)."""
    def read_workbook(path, schema, form=None):
        if error:
            raise UnreadableWorkbook(path, error, "请用 Excel 打开后另存为 .xlsx")
        return SimpleNamespace(path=path, kind="xlsx", stamp={}, sheets=tables or [],
                               other_sheets=list(other_sheets), date1904=False)

    def read_workbooks(paths, schema, form=None):
        for path in paths:
            try:
                yield Path(path), read_workbook(path, schema, form)
            except UnreadableWorkbook as exc:
                yield Path(path), exc

    monkeypatch.setattr(files, "read_workbook", read_workbook)
    monkeypatch.setattr(files, "read_workbooks", read_workbooks)


def test_validate_workbook_with_the_reader_contract(monkeypatch):
    from test_validate_support import table_of
    _fake_reader(monkeypatch, tables=[table_of(valid_registration(), valid_registration(客户编号="HD0002"))])
    report = validate_workbook("华东.xlsx", SCHEMA, as_of=AS_OF)
    assert (report.status, report.form, report.rows, report.findings) == ("ok", "registration", 2, [])
    assert len(report.tables[0].parsed) == 2


def test_unreadable_workbook_becomes_a_status(monkeypatch):
    _fake_reader(monkeypatch, error="文件已加密")
    report = validate_workbook("x.xlsx", SCHEMA)
    assert report.status == "unreadable"
    assert report.error == "无法读取文件 x.xlsx：文件已加密。请用 Excel 打开后另存为 .xlsx"


def test_workbook_without_a_form_header(monkeypatch):
    _fake_reader(monkeypatch, other_sheets=["Sheet1", "说明"])
    report = validate_workbook("x.xlsx", SCHEMA, form="registration")
    assert [(f.code, f.message) for f in report.findings] == [(
        "form-not-found",
        "文件中没有找到可识别的表头（已查看的工作表：Sheet1、说明）；请使用模板生成的表格，"
        "或把表头改成模板中的列名，如“客户编号”“客户名称”“客户类型”",
    )]
    assert report.status == "invalid"


def test_validate_paths_expands_directories_and_skips_lock_files(monkeypatch, tmp_path):
    _fake_reader(monkeypatch)
    (tmp_path / "sub").mkdir()
    for name in ("b.xlsx", "sub/a.xlsm", "~$b.xlsx", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    report = validate_paths([tmp_path, tmp_path / "missing.xlsx"], SCHEMA)
    assert [f.path for f in report.files] == [
        str(tmp_path / "b.xlsx"), str(tmp_path / "sub" / "a.xlsm"), str(tmp_path / "missing.xlsx")]
    assert report.files[2].status == "unreadable"
    assert "文件不存在" in report.files[2].error
    assert report.notes == [f"已跳过 {tmp_path / '~$b.xlsx'}：这是 Excel 打开工作簿时生成的临时锁文件，不含数据，可以忽略"]


def test_finding_is_a_plain_record():
    finding = Finding("error", "required-missing", "S", "A2", 2, "客户编号", "", "m")
    assert finding.to_dict()["cell"] == "A2"


def test_duplicate_columns_listed_only_by_the_reader():
    table = make_table(["客户编号", "客户名称", "手机", "手机号码"], [["HD0001", "甲", "13812345678", "1"]])
    table.columns[3].field = None                # a reader that leaves extras unmapped
    table.duplicate_fields = {"mobile": [table.columns[3]]}
    result = validate_table(table, SCHEMA, as_of=AS_OF)
    assert ("column-duplicate", "D1") in _flat(result, "code", "cell")
