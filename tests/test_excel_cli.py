"""`workbook-tools excel enable | setup | headoffice` and `template KIND --buttons`."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from test_buttons_support import buttons, codenames, document_modules, fill, good_row, vba_bin
from workbook_tools.cli import main
from workbook_tools.generate import generate_template
from workbook_tools.generate.xlsm.config import (
    interpreter_key, setup_xlwings, user_config_path, write_xlwings_conf,
)


class Result:
    def __init__(self, code: int, out: str, err: str):
        self.exit_code, self.output, self.stderr = code, out + err, err


@pytest.fixture()
def run(capsys):
    """Run the real entry point (library errors → one Chinese line, exit code 2)."""
    def invoke(*args: str) -> Result:
        with pytest.raises(SystemExit) as exit_info:
            main(list(args))
        captured = capsys.readouterr()
        return Result(exit_info.value.code or 0, captured.out, captured.err)
    return invoke


def test_excel_is_listed_with_chinese_help(run):
    result = run("-h")
    assert "excel" in result.output
    result = run("excel", "-h")
    assert result.exit_code == 0
    for name in ("enable", "setup", "headoffice"):
        assert name in result.output
    assert "WPS" in result.output


def test_template_with_buttons(run, tmp_path):
    out = tmp_path / "华东客户档案.xlsm"
    result = run("template", "registration", "--buttons", "-o", str(out), "--region", "华东")
    assert result.exit_code == 0, result.output
    assert "带“校验”按钮" in result.output
    assert buttons(out) == [("校验", "ValidateButton")]
    book, sheets = codenames(out)
    assert document_modules(vba_bin(out)) == [book, *sheets.values()]


def test_template_with_buttons_needs_xlsm(run, tmp_path):
    result = run("template", "registration", "--buttons", "-o", str(tmp_path / "a.xlsx"))
    assert result.exit_code == 2 and ".xlsm" in result.output


def test_enable_defaults_to_the_same_name_and_never_overwrites(run, tmp_path):
    src = fill(generate_template(None, "registration", tmp_path / "华东.xlsx"), [good_row()], keep_vba=False)
    result = run("excel", "enable", str(src))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "华东.xlsm").is_file() and "客户档案登记表" in result.output
    assert "excel setup" in result.output
    again = run("excel", "enable", str(src))
    assert again.exit_code == 2 and "已存在" in again.output
    forced = run("excel", "enable", str(src), "-o", str(tmp_path / "华东.xlsm"), "--force")
    assert forced.exit_code == 0


def test_enable_errors_are_one_chinese_line(run, tmp_path):
    missing = run("excel", "enable")
    assert missing.exit_code == 2 and "缺少要添加按钮的工作簿" in missing.output
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"")
    result = run("excel", "enable", str(bad))
    assert result.exit_code == 2 and result.output.startswith("错误：") and len(result.output.splitlines()) == 1


def test_headoffice(run, tmp_path):
    out = tmp_path / "总部工具.xlsm"
    result = run("excel", "headoffice", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert [caption for caption, _ in buttons(out)] == ["合并", "汇总", "生成拜访计划"]
    assert run("excel", "headoffice").exit_code == 2
    assert run("excel", "headoffice", "-o", str(tmp_path / "x.xlsx")).exit_code == 2


def test_setup_writes_beside_the_workbook_and_keeps_other_keys(run, tmp_path):
    book = tmp_path / "总部工具.xlsm"
    book.write_bytes(b"")
    conf = tmp_path / "xlwings.conf"
    conf.write_text('"SHOW CONSOLE","True"\n"INTERPRETER_WIN","C:\\old\\python.exe"\n', "utf-8")
    result = run("excel", "setup", str(book))
    assert result.exit_code == 0, result.output
    key = interpreter_key()
    assert f"已写入 {conf}" in result.output and f"{key} = {sys.executable}" in result.output
    lines = conf.read_text("mbcs" if sys.platform == "win32" else "utf-8").splitlines()
    assert lines[0] == '"SHOW CONSOLE","True"' and f'"{key}","{sys.executable}"' in lines
    assert sum(line.startswith('"INTERPRETER_WIN"') for line in lines) == 1


def test_setup_pythonpath_only_for_a_source_checkout(tmp_path):
    written = setup_xlwings(tmp_path, platform="darwin", interpreter="/opt/py/bin/python3")[0]
    assert written.settings["INTERPRETER_MAC"] == "/opt/py/bin/python3"
    checkout = str(Path(__file__).resolve().parents[1])
    import workbook_tools

    in_site = "site-packages" in workbook_tools.__file__
    assert written.settings.get("PYTHONPATH") == (None if in_site else checkout)


def test_setup_user_file_locations(tmp_path):
    assert user_config_path("win32", tmp_path) == tmp_path / ".xlwings" / "xlwings.conf"
    assert user_config_path("darwin", tmp_path) == (
        tmp_path / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "xlwings.conf")
    written = setup_xlwings(user=True, platform="linux", home=tmp_path, interpreter="/usr/bin/python3")
    assert written[0].path == tmp_path / ".xlwings" / "xlwings.conf" and written[0].path.is_file()


def test_setup_needs_a_target_and_refuses_quotes(run, tmp_path):
    result = run("excel", "setup")
    assert result.exit_code == 2 and "--user" in result.output
    with pytest.raises(Exception, match="引号"):
        write_xlwings_conf(tmp_path / "xlwings.conf", {"INTERPRETER_WIN": 'C:\\a"b\\python.exe'})
