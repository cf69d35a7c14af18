"""`workbook-tools template`: CLI wiring, Chinese help and errors, exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from workbook_tools.cli import cli, main
from workbook_tools.schema import DEFAULT_SCHEMA



def props(path: Path) -> dict:
    return {p.name: p.value for p in openpyxl.load_workbook(path).custom_doc_props.props}


def run_main(argv: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def test_template_command_writes_the_file(tmp_path):
    out = tmp_path / "华东客户档案.xlsx"
    result = CliRunner().invoke(cli, ["template", "registration", "-o", str(out), "--region", "华东",
                                      "--owner", "张三", "--rows", "20"])
    assert result.exit_code == 0, result.output
    assert result.output == f"已生成表格模板：{out}（registration，预留 20 行，带“检查结果”公式列）\n"
    assert props(out)["region"] == "华东" and props(out)["owner"] == "张三"
    ws = openpyxl.load_workbook(out)["客户档案登记表"]
    assert ws.max_row == 21


def test_chinese_kind_and_custom_schema(tmp_path):
    schema = tmp_path / "my_schema.yaml"
    schema.write_text(DEFAULT_SCHEMA.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "2.3"'),
                      encoding="utf-8")
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(cli, ["template", "客户拜访计划", "-o", str(out), "--schema", str(schema)])
    assert result.exit_code == 0, result.output
    assert (props(out)["form"], props(out)["schema_version"]) == ("visit-plan", "2.3")


def test_help_is_chinese():
    result = CliRunner().invoke(cli, ["template", "--help"], prog_name="workbook-tools")
    assert result.exit_code == 0
    text = result.output
    assert text.startswith("用法：workbook-tools template [选项] 表格类型")
    for phrase in ("表格类型：", "registration   客户档案登记表", "visit-plan     客户拜访计划",
                   "complaint      客户投诉记录", "输出文件", "显示本帮助并退出", "--region 区域"):
        assert phrase in text
    assert "Show this message" not in text and "Usage:" not in text
    group_help = CliRunner().invoke(cli, ["--help"]).output
    assert "template  生成空白表格模板" in group_help


def test_invalid_kind_subprocess(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "workbook_tools", "template", "nosuch", "-o", "x.xlsx"],
                          cwd=tmp_path, capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 2
    assert proc.stderr.startswith("错误：未知的表格类型“nosuch”，可用的类型：registration（客户档案登记表）")
    assert proc.stdout == ""
    assert not (tmp_path / "x.xlsx").exists()


def test_missing_output_is_a_chinese_usage_error(capsys):
    code, out, err = run_main(["template", "registration"], capsys)
    assert code == 2
    assert "用法：workbook-tools template [选项] 表格类型" in err
    assert "错误：请用 -o 指定输出文件" in err


def test_missing_kind(capsys):
    code, _, err = run_main(["template"], capsys)
    assert code == 2 and "错误：缺少表格类型（" in err


@pytest.mark.parametrize("argv, message", [
    (["--region", "火星"], "错误：未知的区域“火星”"),
    (["--rows", "0"], "错误：预留行数应为 1 到 10000 之间的整数"),
    (["--schema", "nosuch.yaml"], "错误：无法读取 schema 文件 nosuch.yaml"),
])
def test_bad_options_are_chinese_errors(tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_main(["template", "registration", "-o", "out.xlsx", *argv], capsys)
    assert code == 2
    assert err.startswith(message)
    assert list(tmp_path.iterdir()) == []


def test_existing_file_needs_force(tmp_path, capsys):
    out = tmp_path / "已填写.xlsx"
    out.write_bytes(b"filled data")
    code, _, err = run_main(["template", "complaint", "-o", str(out)], capsys)
    assert code == 2
    assert err == f"错误：输出文件 {out} 已存在，未覆盖；如确需覆盖请加 --force\n"
    assert out.read_bytes() == b"filled data"
    code, stdout, _ = run_main(["template", "complaint", "-o", str(out), "--force"], capsys)
    assert code == 0 and stdout.startswith("已生成表格模板：")
    assert props(out)["form"] == "complaint"
