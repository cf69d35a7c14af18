"""End to end with the real reader: a small .xlsx written with XlsxWriter, numbers stored
the way Excel stores them (an ID as a float, a postcode as a number), read by calamine."""

from __future__ import annotations

import datetime as dt

import xlsxwriter
from test_validate_support import AS_OF, id_card, uscc_code

from workbook_tools.validate import validate_paths, validate_workbook

HEADER = ["客户编号", "客户名称", "客户类型", "所属区域", "客户类别", "手机", "邮编", "身份证号",
          "统一社会信用代码", "负责业务员", "建档日期"]


def _write(path, rows):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("客户档案登记表")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, HEADER)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
            elif isinstance(value, float):
                sheet.write_number(r, c, value)
            elif value is not None:
                sheet.write_string(r, c, value)
    book.close()


def test_workbook_with_excel_damage(schema, tmp_path):
    path = tmp_path / "华东.xlsx"
    _write(path, [
        ["HD0001", "张三", "个人", "华东", "普通客户", 13812345678.0, "200000",
         id_card("11010519900101002"), None, "李明", dt.date(2024, 1, 15)],
        ["HD0002", "李四", "个人", "华东", "普通客户", "13912345678", 10000.0,
         110105199001011000.0, None, "李明", "2024.01.16"],
        ["HD0003", "甲公司", "公司", "华东", "重要客户", "13712345678", "518000",
         None, uscc_code("91440300715267260"), "李明", dt.date(2024, 1, 17)],
    ])
    report = validate_workbook(path, schema, as_of=AS_OF)
    assert (report.status, report.form, report.rows) == ("invalid", "registration", 3)
    assert report.flatten(["severity", "code", "cell"]) == [
        ("error", "id-card-stored-as-number", "H3"),
        ("warning", "postal-code-leading-zero-lost", "G3"),
        ("warning", "date-text", "K3"),
    ]
    assert report.findings[0].message == (
        "该身份证号被 Excel 存成了数字（显示为 1.10105E+17），后几位已丢失；请把该列设置为“文本”格式后重新输入完整号码"
    )
    parsed = report.tables[0].parsed
    assert [p["mobile"] for p in parsed] == ["13812345678", "13912345678", "13712345678"]
    assert parsed[1]["created"] == dt.date(2024, 1, 16)


def test_unreadable_and_lock_files(schema, tmp_path):
    (tmp_path / "空.xlsx").write_bytes(b"")
    (tmp_path / "~$华东.xlsx").write_bytes(b"\x00" * 165)
    report = validate_paths([tmp_path], schema, as_of=AS_OF)
    assert [(f.path.split("/")[-1], f.status) for f in report.files] == [("空.xlsx", "unreadable")]
    assert report.files[0].error.startswith(f"无法读取文件 {tmp_path / '空.xlsx'}：")
    assert len(report.notes) == 1 and "~$华东.xlsx" in report.notes[0]
