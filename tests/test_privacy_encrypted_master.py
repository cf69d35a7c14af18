"""The 原始资料 at rest: `weekly --password-file` writes the master and the summary encrypted,
next week's run opens last week's master with the same file, and read commands without
the password say so in one Chinese line."""

from __future__ import annotations

import io

import msoffcrypto
import pytest
import yaml
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from workbook_tools.cli import cli
from workbook_tools.cli import main as entry
from workbook_tools.io.crypto import is_encrypted
from workbook_tools.sampledata import generate_samples

from test_privacy_outputs import CONFIG

PASSWORD = "总部 master-2026"


def decrypted_sheets(path, password=PASSWORD) -> list[str]:
    office = msoffcrypto.OfficeFile(io.BytesIO(path.read_bytes()))
    office.load_key(password=password, verify_password=True)
    out = io.BytesIO()
    office.decrypt(out)
    return CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue())).sheet_names


@pytest.fixture(scope="module")
def weeks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("encrypted")
    generate_samples(folder / "incoming", regions=["华东", "华南"], customers_per_region=20)
    (folder / "archive.yaml").write_text(yaml.safe_dump(CONFIG, allow_unicode=True), encoding="utf-8")
    (folder / "pw.txt").write_text(PASSWORD + "\n", encoding="utf-8")
    runner = CliRunner()
    runs = [runner.invoke(cli, ["weekly", str(folder), "--as-of", day, "--password-file", str(folder / "pw.txt")])
            for day in ("2026-11-22", "2026-11-29")]
    return folder, runs


def test_master_and_summary_are_written_encrypted(weeks):
    folder, runs = weeks
    assert runs[0].exit_code == 0, runs[0].output
    out = folder / "output" / "2026-W47"
    master, summary = out / "客户档案总表_2026-W47.xlsx", out / "客户档案汇总_2026-W47.xlsx"
    assert is_encrypted(master) and is_encrypted(summary)
    assert decrypted_sheets(master)[:3] == ["客户档案", "资料卡", "拜访记录"]
    assert "客户归类汇总" in decrypted_sheets(summary)
    assert PASSWORD not in runs[0].output
    with pytest.raises(Exception):
        decrypted_sheets(master, "wrong")


def test_next_week_reads_the_encrypted_previous(weeks):
    folder, runs = weeks
    assert runs[1].exit_code == 0, runs[1].output
    assert "上期总表：" + str(folder / "output" / "2026-W47" / "客户档案总表_2026-W47.xlsx") in runs[1].output
    assert "新增 0，" in runs[1].output


def main(args, capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exc:
        entry(args)
    captured = capsys.readouterr()
    return exc.value.code, captured.out + captured.err


def test_read_commands_without_or_with_a_wrong_password(weeks, tmp_path, capsys, monkeypatch):
    folder, _ = weeks
    master = folder / "output" / "2026-W47" / "客户档案总表_2026-W47.xlsx"
    code, text = main(["summary", str(master), "-o", str(tmp_path / "s.xlsx")], capsys)
    assert code == 2 and text.count("\n") == 1
    assert f"错误：无法读取文件 {master}：文件已加密（设置了打开密码），无法读取内容。如果知道密码，" \
           "请用 --password-file 密码文件（文件中只写密码）或 --password-env 环境变量名 提供密码后再运行" in text
    (tmp_path / "bad.txt").write_text("nope", encoding="utf-8")
    code, text = main(["plan", str(master), "--week", "2026-W48", "-o", str(tmp_path / "p.xlsx"),
                       "--password-file", str(tmp_path / "bad.txt")], capsys)
    assert code == 2 and text == f"错误：无法打开加密文件 {master}：密码不正确\n"
    code, text = main(["export", str(master), "-o", str(tmp_path / "e.xlsx"), "--role", "业务员", "--to", "李四",
                       "--approved-by", "王经理", "--ledger", str(tmp_path / "l.db")], capsys)
    assert code == 2 and "请用 --master-password-file 提供总表的密码" in text
    (tmp_path / "pw.txt").write_text(PASSWORD, encoding="utf-8")
    code, text = main(["export", str(master), "-o", str(tmp_path / "e.xlsx"), "--role", "业务员", "--to", "李四",
                       "--approved-by", "王经理", "--ledger", str(tmp_path / "l.db"),
                       "--master-password-file", str(tmp_path / "pw.txt")], capsys)
    assert code == 0 and not is_encrypted(tmp_path / "e.xlsx"), text
    monkeypatch.setenv("WBT_PW", PASSWORD)
    code, text = main(["summary", str(master), "-o", str(tmp_path / "s.xlsx"), "--password-env", "WBT_PW"], capsys)
    assert code == 0, text
    assert is_encrypted(tmp_path / "s.xlsx") and not (tmp_path / "p.xlsx").exists()
