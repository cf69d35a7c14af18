"""The `validate` command: exit codes, JSON equal to the library result, annotated copies,
inputs untouched."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from made_files import encrypted_workbook
from workbook_tools.cli import cli
from workbook_tools.generate import generate_template
from workbook_tools.validate.run import run_validation

AS_OF = "2026-11-22"


def _fill(path: Path, rows: list[dict]) -> Path:
    """Fill a generated registration template like a person would (by header label)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["客户档案登记表"]
    headers = {str(c.value).rstrip("*"): c.column for c in ws[1] if c.value}
    for i, row in enumerate(rows, start=2):
        for label, value in row.items():
            ws.cell(row=i, column=headers[label], value=value)
    wb.save(path)
    return path


GOOD = {"客户编号": "HD0001", "客户名称": "苏州恒泰精密机械有限公司", "客户类型": "公司", "所属区域": "华东",
        "客户类别": "重要客户", "负责业务员": "张伟", "建档日期": dt.date(2026, 3, 5),
        "手机": "13812345678", "统一社会信用代码": "91320500MA1MXXXX0X"}


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    from stdnum.cn import uscc

    base = "91320500MA1MXNQ88"
    good = dict(GOOD, 统一社会信用代码=base + uscc.calc_check_digit(base))
    ok = _fill(generate_template(None, "registration", tmp_path / "ok.xlsx"), [good])
    bad_row = dict(good, 客户编号="HD0002", 手机="1381234567", 信誉等级="VIP")
    bad = _fill(generate_template(None, "registration", tmp_path / "bad.xlsx"), [good, bad_row])
    return {"ok": ok, "bad": bad}


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_exit_code_zero_when_clean(files):
    result = _run("validate", str(files["ok"]), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "错误 0 个" in result.output


def test_exit_code_one_and_findings_listed(files):
    result = _run("validate", str(files["bad"]), "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "手机“******”不是有效的手机号" in result.output  # a mobile is never quoted in full
    assert "L3" in result.output  # 手机 is column L, the second data row is sheet row 3


def test_exit_code_two_when_a_file_is_unreadable(files, tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"")
    result = _run("validate", str(files["ok"]), str(broken), "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "broken.xlsx" in result.output and "空" in result.output
    assert "✓" in result.output  # the readable file was still validated


def test_json_equals_library_result(files):
    result = _run("validate", str(files["bad"]), str(files["ok"]), "--json", "--as-of", AS_OF)
    data = json.loads(result.output)
    expected = run_validation([files["bad"], files["ok"]], _schema(),
                              as_of=dt.date(2026, 11, 22)).report.to_dict()
    data.pop("outputs")
    assert data == json.loads(json.dumps(expected, ensure_ascii=False, default=str))
    bad = data["files"][0]
    assert bad["status"] == "invalid"
    codes = {(f["code"], f["cell"]) for f in bad["findings"]}
    assert ("mobile-invalid", "L3") in codes and ("choice-invalid", "H3") in codes
    assert data["totals"]["files"] == 2 and data["totals"]["ok"] == 1


def test_annotate_writes_copy_and_leaves_input_untouched(files, tmp_path):
    before = hashlib.sha256(files["bad"].read_bytes()).hexdigest()
    out = tmp_path / "退回"
    result = _run("validate", str(files["bad"]), "--annotate", str(out), "--as-of", AS_OF)
    assert result.exit_code == 1
    assert hashlib.sha256(files["bad"].read_bytes()).hexdigest() == before
    wb = openpyxl.load_workbook(out / "bad.xlsx")
    cell = wb["客户档案登记表"]["L3"]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "不是有效的手机号" in cell.comment.text
    assert "校验结果" in wb.sheetnames


def test_directory_input_skips_lock_files(files, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copy(files["ok"], folder / "华东.xlsx")
    (folder / "~$华东.xlsx").write_bytes(b"\x00" * 171)
    result = _run("validate", str(folder), "--json", "--as-of", AS_OF)
    data = json.loads(result.output)
    assert [Path(f["path"]).name for f in data["files"]] == ["华东.xlsx"]
    assert any("锁文件" in n for n in data["notes"])
    assert result.exit_code == 0


def test_encrypted_file_reports_one_chinese_line(tmp_path):
    src = encrypted_workbook(tmp_path / "加密.xlsx")
    result = _run("validate", str(src), "--json")
    data = json.loads(result.output)
    assert result.exit_code == 2
    assert data["files"][0]["status"] == "unreadable"
    assert "加密" in data["files"][0]["error"]


def _schema():
    from workbook_tools.schema import load_schema

    return load_schema()
