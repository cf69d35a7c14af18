"""The wrong file in the wrong place: our own outputs offered as submissions or as --previous,
copies of a submission, macOS zip residue, overwriting without --force, a misspelt folder in
archive.yaml, files resent unchanged and regions that sent nothing. Each case: exit 2 or a
listed skip, nothing merged from the wrong file, the master unchanged."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import xlsxwriter
import yaml

from workbook_tools.cli import main
from workbook_tools.errors import SchemaError
from workbook_tools.io.stamp import output_kind
from workbook_tools.merge.files import merge_files
from workbook_tools.merge.submissions import SAME_BYTES, SUBSET, previous_inputs
from workbook_tools.sampledata import generate_samples
from workbook_tools.summary.build import build_summary
from workbook_tools.weekly import load_config, run_weekly

_CAPTURE = None
AS_OF = "2026-11-20"
DAY = dt.date(2026, 11, 20)


def _run(*args, capsys=None):
    """The console entry point (library errors become one Chinese line and exit 2)."""
    with pytest.raises(SystemExit) as exc:
        main([str(a) for a in args])
    out = _CAPTURE.readouterr()
    return exc.value.code, out.out + out.err


@pytest.fixture(autouse=True)
def _capture(capsys):
    global _CAPTURE
    _CAPTURE = capsys


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    """Two regions' submissions, their master and the summary of that master."""
    root = tmp_path_factory.mktemp("mixups")
    generate_samples(root / "incoming", regions=["华东", "华南"], customers_per_region=25)
    for extra in (root / "incoming").glob("*.json"):
        extra.unlink()
    master = root / "客户档案总表_2026-W47.xlsx"
    run = merge_files([root / "incoming"], master, as_of=DAY, run_date=DAY)
    summary = build_summary(master, root / "客户档案汇总_2026-W47.xlsx", as_of=DAY).path
    return root, master, summary, run


def _inbox(tmp_path: Path, root: Path) -> Path:
    inbox = tmp_path / "incoming"
    shutil.copytree(root / "incoming", inbox)
    return inbox


def test_outputs_know_what_they_are(week):
    root, master, summary, _ = week
    assert output_kind(master) == "master"
    assert output_kind(summary) == "summary"
    assert output_kind(next((root / "incoming").glob("*.xlsx"))) is None


def test_summary_as_previous_is_refused(week, tmp_path):
    root, master, summary, _ = week
    code, out = _run("merge", root / "incoming", "-o", tmp_path / "new.xlsx", "--previous", summary,
                     "--as-of", AS_OF)
    assert code == 2
    assert "客户档案汇总_2026-W47.xlsx 是客户档案汇总表" in out and "--previous 只接受" in out
    assert not (tmp_path / "new.xlsx").exists()


def test_regional_file_as_previous_is_refused(week, tmp_path):
    root, *_ = week
    regional = sorted((root / "incoming").glob("*.xlsx"))[0]
    code, out = _run("merge", root / "incoming", "-o", tmp_path / "new.xlsx", "--previous", regional,
                     "--as-of", AS_OF)
    assert code == 2
    assert "不是本工具合并生成的总表" in out or "区域提交的表格" in out
    assert not (tmp_path / "new.xlsx").exists()


def test_master_as_previous_is_accepted(week, tmp_path):
    root, master, _, run = week
    code, out = _run("merge", root / "incoming", "-o", tmp_path / "new.xlsx", "--previous", master,
                     "--as-of", AS_OF)
    assert code == 0, out


def test_our_outputs_in_incoming_are_not_submissions(week, tmp_path):
    root, master, summary, run = week
    inbox = _inbox(tmp_path, root)
    shutil.copy(summary, inbox / summary.name)
    shutil.copy(master, inbox / master.name)
    again = merge_files([inbox], tmp_path / "总表.xlsx", as_of=DAY, run_date=DAY)
    reasons = {Path(i.path).name: i.skipped_reason for i in again.skipped}
    assert reasons[summary.name] == "本工具生成的文件（客户档案汇总表），未作为提交处理"
    assert "合并生成的总表" in reasons[master.name]
    assert again.counts()["customers"] == run.counts()["customers"]
    assert again.counts()["quarantined"] == run.counts()["quarantined"]


def test_unstamped_summary_is_recognised_by_its_sheets(tmp_path):
    old = tmp_path / "旧汇总.xlsx"
    book = xlsxwriter.Workbook(str(old))
    for name in ("客户归类汇总", "客户构成分析", "跟进提醒"):
        book.add_worksheet(name).write_row(0, 0, ["客户编号", "客户名称", "负责业务员"])
    book.close()
    assert output_kind(old) == "summary"


def test_identical_copy_is_counted_once(week, tmp_path):
    root, _, _, run = week
    inbox = _inbox(tmp_path, root)
    original = sorted(inbox.glob("华东*.xlsx"))[0]
    copy = inbox / f"{original.stem} - 副本.xlsx"
    shutil.copy(original, copy)
    again = merge_files([inbox], tmp_path / "总表.xlsx", as_of=DAY, run_date=DAY)
    reasons = {Path(i.path).name: i.skipped_reason for i in again.skipped}
    assert reasons[copy.name] == SAME_BYTES.format(other=original.name)
    assert again.counts()["customers"] == run.counts()["customers"]
    assert again.counts()["duplicates_folded"] == run.counts()["duplicates_folded"]
    assert again.result.reconciliation("客户档案").ok


def test_file_whose_rows_all_stand_in_another_is_counted_once(week, tmp_path):
    """A resaved partial copy (same rows, other bytes) is a probable duplicate submission."""
    from openpyxl import load_workbook

    root, _, _, run = week
    inbox = _inbox(tmp_path, root)
    original = sorted(inbox.glob("华南*.xlsx"))[0]
    wb = load_workbook(original)
    ws = wb["客户档案登记表"]
    last = ws.max_row
    ws.delete_rows(last - 4, 5)          # the copy lacks the last five rows
    for other in [s for s in wb.sheetnames if s != "客户档案登记表" and s != "填表说明"]:
        del wb[other]
    partial = inbox / "华南_部分重发.xlsx"
    wb.save(partial)
    again = merge_files([inbox], tmp_path / "总表.xlsx", as_of=DAY, run_date=DAY)
    reasons = {Path(i.path).name: i.skipped_reason for i in again.skipped}
    assert reasons[partial.name].startswith("疑似重复提交：全部 ") and original.name in reasons[partial.name]
    assert reasons[partial.name] == SUBSET.format(rows=reasons[partial.name].split("全部 ")[1].split(" 行")[0],
                                                  other=original.name)
    assert again.counts()["customers"] == run.counts()["customers"]
    assert again.result.reconciliation("客户档案").ok


def test_existing_master_needs_force(week, tmp_path):
    root, *_ = week
    out = tmp_path / "总表.xlsx"
    assert _run("merge", root / "incoming", "-o", out, "--as-of", AS_OF)[0] == 0
    before = out.read_bytes()
    code, text = _run("merge", root / "incoming", "-o", out, "--as-of", AS_OF)
    assert code == 2 and "已存在" in text and "--force" in text
    assert out.read_bytes() == before
    assert _run("merge", root / "incoming", "-o", out, "--as-of", AS_OF, "--force")[0] == 0


@pytest.mark.parametrize("command", ["summary", "plan"])
def test_summary_and_plan_do_not_overwrite_without_force(week, tmp_path, command):
    _, master, _, _ = week
    out = tmp_path / "已有.xlsx"
    out.write_bytes(b"keep me")
    extra = ["--week", "2026-W48"] if command == "plan" else ["--as-of", AS_OF]
    code, text = _run(command, master, "-o", out, *extra)
    assert code == 2 and "已存在" in text and "--force" in text
    assert out.read_bytes() == b"keep me"
    assert _run(command, master, "-o", out, *extra, "--force")[0] == 0


def test_macos_residue_is_ignored_not_an_error(week, tmp_path):
    root, _, _, run = week
    inbox = _inbox(tmp_path, root)
    residue = inbox / "__MACOSX" / "._华东_客户档案.xlsx"
    residue.parent.mkdir()
    residue.write_bytes(b"\x00\x05\x16\x07" + b"\x00" * 200)   # AppleDouble header
    (inbox / "._华南.xlsx").write_bytes(b"\x00\x05\x16\x07" + b"\x00" * 200)
    again = merge_files([inbox], tmp_path / "总表.xlsx", as_of=DAY, run_date=DAY)
    reasons = {Path(i.path).name: i.skipped_reason for i in again.skipped}
    assert "macOS" in reasons[residue.name] and "macOS" in reasons["._华南.xlsx"]
    assert again.counts()["customers"] == run.counts()["customers"]
    code, text = _run("validate", inbox, "--as-of", AS_OF)
    assert "macOS" in text and "无法读取 0" in text
    assert code != 2


def _archive(folder: Path, root: Path, **extra) -> Path:
    shutil.copytree(root / "incoming", folder / "incoming")
    config = {"regions": ["华东", "华南", "西南"], "salespeople": {"华东": ["张三"]}, "incoming": "incoming",
              "previous": None, "contact_cycles": {"重要客户": 7}, "purchase_cycles": {"重要客户": 30}, **extra}
    (folder / "archive.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return folder


def test_misspelt_incoming_folder_names_the_line(week, tmp_path):
    root, *_ = week
    folder = _archive(tmp_path, root, incoming="incomming")
    with pytest.raises(SchemaError) as err:
        load_config(folder)
    text = str(err.value)
    line = next(i for i, t in enumerate((folder / "archive.yaml").read_text(encoding="utf-8").splitlines(), 1)
                if t.startswith("incoming:"))
    assert f"archive.yaml:{line}:" in text and "incomming" in text and "不存在" in text
    code, out = _run("weekly", folder)
    assert code == 2 and "不存在" in out and "唯一的文件无法使用" not in out


def test_resent_file_and_silent_region_are_said_in_the_console(week, tmp_path):
    root, *_ = week
    folder = _archive(tmp_path, root)
    first = run_weekly(folder, as_of=dt.date(2026, 11, 15))
    assert first.notices == ["本周未收到以下区域的文件：西南"]
    assert previous_inputs(first.merge.output)   # 合并说明 lists the merged files' sha256
    code, out = _run("weekly", folder, "--as-of", "2026-11-22")
    assert code == 0
    resent = sorted(p.name for p in (folder / "incoming").glob("*.xlsx"))
    for name in resent:
        assert f"注意：{name} 与上期已合并的 {name} 内容完全相同" in out
    assert "注意：本周未收到以下区域的文件：西南" in out
    report = next((folder / "output" / "2026-W47").glob("周报_*.html")).read_text(encoding="utf-8")
    assert "可能是重复发送的旧文件" in report and "西南" in report
