"""At the terminal: help pages measured in terminal cells with Chinese markers, a bare command
that prints its help once, Chinese form names on --form, .txt refused alike by every command,
findings readable at 80 columns, progress only on a terminal, and `excel setup` on Linux."""

from __future__ import annotations

import datetime as dt
import io
import shutil

import pytest
from rich.cells import cell_len
from rich.console import Console

from workbook_tools.cli import main
from workbook_tools.cli.help import join_lines, wrap
from workbook_tools.cli.progress import steps
from workbook_tools.cli.render import findings_list, print_findings
from workbook_tools.generate.xlsm.config import platform_note
from workbook_tools.sampledata import generate_samples
from workbook_tools.validate import validate_workbook


def _main(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        main([str(a) for a in args])
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def test_chinese_lines_join_without_spaces_and_wrap_by_cells():
    assert join_lines(["按联系策略为每位业务员生成", "下周的计划，每天不超过", "--max-per-day 个"]) == \
        "按联系策略为每位业务员生成下周的计划，每天不超过 --max-per-day 个"
    assert join_lines(["use the", "--week option"]) == "use the --week option"
    lines = wrap("校验各区域提交的工作簿：必填项、下拉选项、身份证号、统一社会信用代码、手机/电话、日期。", 30)
    assert all(cell_len(line) <= 30 for line in lines)
    assert "".join(lines) == "校验各区域提交的工作簿：必填项、下拉选项、身份证号、统一社会信用代码、手机/电话、日期。"
    assert not any(line[0] in "，。；：、）" for line in lines)
    assert wrap("a very-long-option-name here", 10)[0] == "a"   # ASCII words stay whole


@pytest.mark.parametrize("command", ["plan", "validate", "merge", "weekly", "template", "summary"])
def test_help_pages_fit_80_columns_and_speak_chinese(capsys, command):
    code, out, _ = _main(capsys, command, "--help")
    assert code == 0
    for line in out.splitlines():
        assert cell_len(line) <= 80, line
    assert "[required]" not in out and "[default:" not in out and "选项：" in out
    assert "KIND" not in out and "DIR" not in out and "FILE" not in out


def test_required_and_default_markers_are_chinese_and_aligned(capsys):
    _, out, _ = _main(capsys, "plan", "--help")
    assert "（必填）" in out and "（默认：6）" in out
    starts = {line.index(text) for line, text in
              [(ln, ln.split("  ")[-1].strip()) for ln in out.splitlines() if ln.startswith("  --")]
              if text and cell_len(line[:line.index(text)]) < 40}
    cells = {cell_len(ln[:ln.rindex("  ") + 2]) for ln in out.splitlines()
             if ln.startswith("  --") and "  " in ln.strip()}
    assert starts and len(cells) == 1        # every option's help starts in the same terminal column


def test_bare_command_prints_help_once_and_exits_zero(capsys):
    code, out, err = _main(capsys)
    assert code == 0 and err == ""
    assert out.count("用法：workbook-tools") == 1 and "命令：" in out and "错误" not in out


@pytest.fixture(scope="module")
def regional(tmp_path_factory):
    folder = tmp_path_factory.mktemp("terminal")
    generate_samples(folder, regions=["华东"], customers_per_region=20)
    return next(folder.glob("华东*.xlsx"))


def test_validate_form_takes_chinese_names(capsys, regional):
    by_key = _main(capsys, "validate", regional, "--form", "registration", "--json")
    by_name = _main(capsys, "validate", regional, "--form", "客户档案登记表", "--json")
    assert by_key[0] == by_name[0] and by_key[1] == by_name[1]
    code, _, err = _main(capsys, "validate", regional, "--form", "火星表")
    assert code == 2 and "未知的表格类型“火星表”" in err and "visit-plan（客户拜访计划）" in err


def test_txt_is_refused_alike_by_validate_and_merge(capsys, tmp_path, regional):
    text = tmp_path / "华东客户.txt"
    text.write_text("客户编号,客户名称\nHD0001,测试公司\n", encoding="utf-8")
    code, out, err = _main(capsys, "validate", text)
    assert code == 2 and "请把扩展名改为 .csv" in (out + err).replace("\n", "")
    code, out, err = _main(capsys, "merge", text, regional, "-o", tmp_path / "总表.xlsx")
    assert code == 0 and "已跳过 华东客户.txt：不是工作簿文件" in out


def test_findings_read_at_80_columns(regional):
    report = validate_workbook(regional, __import__("workbook_tools.schema", fromlist=["x"]).load_schema(),
                               as_of=dt.date(2026, 11, 20))
    assert report.findings
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, highlight=False, color_system=None)
    print_findings(console, report.findings[:10])
    lines = buffer.getvalue().splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    first = report.findings[0]
    joined = "".join(line.strip() for line in lines)
    assert first.message.replace(" ", "") in joined.replace(" ", "")   # each message whole, in order
    assert lines[0].startswith(("错误", "警告")) and lines[1].startswith("      ")
    wide = io.StringIO()
    print_findings(Console(file=wide, width=200, highlight=False, color_system=None), report.findings[:3])
    assert wide.getvalue().splitlines()[0].split() == ["级别", "工作表", "行", "单元格", "字段", "值", "问题说明"]
    assert len(findings_list(report.findings[:3])) >= 6


def test_progress_on_a_terminal_only():
    buffer = io.StringIO()
    terminal = Console(file=buffer, force_terminal=True, width=80)
    with steps("正在生成汇总表…", console=terminal) as step:
        step("正在写出周报…")
    assert "正在生成汇总表" in buffer.getvalue() or "正在写出周报" in buffer.getvalue()
    seen = []
    with steps("x", enabled=False) as step:     # --json, or not a terminal
        step("y")
        seen.append(step)
    assert seen


def test_weekly_tells_each_step(tmp_path):
    import yaml

    from workbook_tools.weekly import run_weekly

    generate_samples(tmp_path / "incoming", regions=["华东"], customers_per_region=15)
    (tmp_path / "archive.yaml").write_text(yaml.safe_dump({
        "regions": ["华东"], "salespeople": {"华东": ["张三"]}, "incoming": "incoming", "previous": None,
        "contact_cycles": {"重要客户": 7}, "purchase_cycles": {"重要客户": 30}}, allow_unicode=True),
        encoding="utf-8")
    told, files = [], []
    run_weekly(tmp_path, as_of=dt.date(2026, 11, 22), step=told.append,
               progress=lambda path, done, total: files.append((done, total)))
    assert told == ["正在校验并合并各区域文件…", "正在生成退回修改的标注副本…", "正在生成汇总表…",
                    "正在生成拜访计划…", "正在记录进档案历史库…", "正在写出周报…"]
    assert files[0][0] == 0 and files[-1][0] == files[-1][1]


def test_excel_setup_says_linux_cannot_run_excel(capsys, tmp_path, monkeypatch):
    assert platform_note("win32") is None and platform_note("darwin") is None
    assert "无法运行 Excel" in platform_note("linux")
    monkeypatch.setenv("HOME", str(tmp_path))
    if shutil.which("true") is None or __import__("sys").platform != "linux":
        pytest.skip("checks the message on Linux")
    code, out, err = _main(capsys, "excel", "setup", "--user")
    assert code == 0 and "无法运行 Excel" in err
