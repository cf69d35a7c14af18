"""The `merge` command: exit codes, --json equal to the library's counts, the Chinese summary."""

from __future__ import annotations

import json
import os
import socket
from datetime import date
from pathlib import Path

import pytest

from workbook_tools.cli import main
from workbook_tools.merge.files import merge_files
from workbook_tools.merge.lock import lock_path
from workbook_tools.sampledata import generate_samples

AS_OF = "2026-11-20"


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "incoming"
    generate_samples(folder, seed=5, regions=["华东", "华南"], customers_per_region=25)
    (folder / "说明.xls").write_text("不是工作簿\n", encoding="utf-8")
    return folder


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(["merge", *args])
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def test_exit_zero_and_chinese_summary(inbox, tmp_path, capsys):
    out = tmp_path / "总表.xlsx"
    code, stdout, stderr = run_cli(capsys, str(inbox), "-o", str(out), "--as-of", AS_OF)
    assert code == 0, stderr
    assert out.exists() and not lock_path(out).exists()
    lines = stdout.splitlines()
    assert lines[0] == f"已写出总表：{out}"
    assert lines[1] == "读取 2 个文件，跳过 2 个。"
    assert any(line.startswith("  已跳过 说明.xls：文件不是 Excel 工作簿") for line in lines)
    assert "核对（每一行都有去处）：" in lines
    customers = next(line for line in lines if line.startswith("  客户档案：读取 "))
    assert customers.endswith("（一致）")
    assert any(line.startswith("  拜访记录：读取 ") and line.endswith("（一致）") for line in lines)
    assert any(line.startswith("客户档案共 ") and "新增" in line for line in lines)
    assert any(line.startswith("待修正 ") and "疑似重复客户" in line for line in lines)
    assert "\x1b[" not in stdout + stderr  # no colours or progress bar when not a terminal


def test_json_equals_library_counts(inbox, tmp_path, capsys):
    out = tmp_path / "总表.xlsx"
    code, stdout, stderr = run_cli(capsys, str(inbox), "-o", str(out), "--as-of", AS_OF, "--json")
    assert code == 0, stderr
    data = json.loads(stdout)
    expected = merge_files([inbox], out, as_of=date(2026, 11, 20), run_date=date(2026, 11, 20),
                           force=True).counts()
    assert data == expected
    for key in ("files_read", "files_skipped_count", "rows_read", "customers", "duplicates_folded", "quarantined",
                "conflicts", "suspected_duplicates", "new", "changed", "absent"):
        assert isinstance(data[key], int), key
    assert [sorted(s) for s in data["files_skipped"]] == [["file", "reason"]] * 2
    assert {s["file"] for s in data["files_skipped"]} == {"说明.xls", "manifest.json"}
    assert all(s["reason"] for s in data["files_skipped"]) and data["files_skipped_count"] == 2
    assert "skipped" not in data  # the list moved to files_skipped


def test_second_week_with_previous(inbox, tmp_path, capsys):
    first, second = tmp_path / "W47.xlsx", tmp_path / "W48.xlsx"
    assert run_cli(capsys, str(inbox), "-o", str(first), "--as-of", AS_OF)[0] == 0
    code, stdout, _ = run_cli(capsys, str(inbox), "-o", str(second), "--previous", str(first),
                              "--as-of", AS_OF, "--json")
    assert code == 0
    data = json.loads(stdout)
    assert (data["new"], data["changed"], data["absent"]) == (0, 0, 0)
    assert data["customers"] == data["customers_this_week"]


def test_exit_two_when_nothing_usable(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("x")
    out = tmp_path / "总表.xlsx"
    code, stdout, stderr = run_cli(capsys, str(tmp_path / "a.txt"), "-o", str(out))
    assert code == 2 and not out.exists()
    assert "错误：没有可合并的数据" in stderr and "a.txt" in stderr
    code, stdout, stderr = run_cli(capsys, str(tmp_path / "a.txt"), "-o", str(out), "--json")
    assert code == 2
    data = json.loads(stdout)
    assert data["files_read"] == 0 and data["files_skipped_count"] == 1
    assert data["files_skipped"][0]["file"] == "a.txt" and "不是工作簿" in data["files_skipped"][0]["reason"]


def test_exit_two_for_wrong_invocations(inbox, tmp_path, capsys):
    code, _, stderr = run_cli(capsys, "-o", str(tmp_path / "总表.xlsx"))
    assert code == 2 and "请指定要合并的文件或文件夹" in stderr
    code, _, stderr = run_cli(capsys, str(inbox))
    assert code == 2 and "请用 -o 指定" in stderr
    victim = next(inbox.glob("华东*.xlsx"))
    before = victim.read_bytes()
    code, _, stderr = run_cli(capsys, str(inbox), "-o", str(victim))
    assert code == 2 and "拒绝覆盖输入文件" in stderr
    assert victim.read_bytes() == before


def test_exit_two_when_locked(inbox, tmp_path, capsys):
    out = tmp_path / "总表.xlsx"
    lock_path(out).write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "time": "t"}))
    code, stdout, stderr = run_cli(capsys, str(inbox), "-o", str(out), "--json")
    assert code == 2 and stdout == ""
    assert stderr.startswith("错误：另一个合并正在写入同一个总表")
