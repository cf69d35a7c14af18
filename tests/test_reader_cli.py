"""`workbook-tools inspect`: what the reader sees, printed in Chinese; errors as one line."""

from __future__ import annotations

import pytest
import xlsxwriter

from workbook_tools.cli import main
from workbook_tools.io.describe import describe_workbook


def run(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


@pytest.fixture
def workbook(tmp_path):
    path = tmp_path / "华东.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("华东客户")
    ws.merge_range("C1:L1", "华东区客户档案")
    ws.write_row("C4", ["客户编号", "客户\n名称", "客户类型", "所属区域", "客户类别", "手机号码", "微信号",
                        "身份证号", "负责业务员", "建档日期"])
    for row in (5, 7, 8):
        ws.write_row(f"C{row}", [f"HD000{row}", "上海一号", "公司", "华东", "重要客户"])
    ws.write("C10", "填表人：张三")
    visits = wb.add_worksheet("拜访")
    visits.write_row("A1", ["记录编号", "客户编号", "公司名称", "拜访日期", "业务员", "方式", "拜访内容"])
    visits.write_row("A2", ["VR001", "HD0001", "上海一号", "2024-03-02", "张三"])
    wb.close()
    return path


def test_describe_workbook_structure(workbook, schema):
    info = describe_workbook(workbook, schema)
    assert info["kind"] == "xlsx" and info["other_sheets"] == []
    reg = info["sheets"][0]
    assert (reg["sheet"], reg["form"], reg["header_row"], reg["record_count"], reg["footer_row"]) == \
        ("华东客户", "registration", 4, 3, 10)
    assert {"letter": "H", "header": "手机号码", "field": "mobile", "label": "手机", "matched": "alias"} \
        in reg["columns"]
    assert reg["unknown_columns"] == [{"letter": "I", "header": "微信号"}]
    assert (reg["first_row"], reg["last_row"]) == (5, 8)


def test_inspect_prints_mapping(workbook, capsys):
    code, out, err = run(["inspect", str(workbook)], capsys)
    assert code == 0, err
    assert "工作表“华东客户”：客户档案登记表（registration）" in out
    assert "表头：第 4 行" in out
    assert "H 列 手机号码 → 手机（按别名识别）" in out
    assert "D 列 客户名称 → 客户名称" in out  # the line break inside the header is dropped
    assert "未知列：I 列 微信号" in out
    assert "缺少必填列：无" in out
    assert "数据行：3 行（第 5–8 行）" in out
    assert "表尾：第 10 行" in out
    assert "工作表“拜访”：客户拜访记录（visit-record）" in out


def test_inspect_with_form(workbook, capsys):
    code, out, _ = run(["inspect", str(workbook), "--form", "registration"], capsys)
    assert code == 0 and "visit-record" not in out


def test_inspect_errors_are_one_chinese_line(tmp_path, capsys):
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    code, out, err = run(["inspect", str(empty)], capsys)
    assert code == 2 and out == ""
    assert err.startswith("错误：无法读取文件") and "空" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(["inspect", str(empty), "--form", "nope"], capsys)
    assert code == 2 and "未知的表格类型" in err
    code, _, err = run(["inspect"], capsys)
    assert code == 2 and "缺少要查看的文件" in err
