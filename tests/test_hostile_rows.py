"""Issue 17: rows and columns that were lost while the reconciliation said 一致, values that
stopped validation, outputs that failed with a traceback-like message, and the console
lines a file name could forge. Every command runs in a 2 GB-capped child (tests/capped.py)."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

import hostile_files as hf
from capped import capped, cli
from workbook_tools.io import read_workbook

AS_OF = "2026-11-20"


def findings(path: Path) -> tuple[int, list[dict]]:
    code, out, err = cli("validate", str(path), "--json", "--as-of", AS_OF)
    return code, json.loads(out)["files"][0]["findings"]


def sheet_rows(path: Path, sheet: str, first_header: str) -> list[dict]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    header = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
    return [dict(zip(rows[header], r)) for r in rows[header + 1:]]


# --- rows lost while the count said 一致 ------------------------------------------------------


def test_subtotal_in_the_middle_is_reported_and_reading_goes_on(tmp_path, schema):
    path = hf.subtotal_in_the_middle(tmp_path)
    table = capped(read_workbook, path, schema).sheets[0]
    assert [r.row for r in table.records] == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert table.inner_footers == [5] and table.footer_row == 12  # 填表人 with nothing below
    code, found = findings(path)
    inner = [f for f in found if f["code"] == "footer-inside-table"]
    assert code == 1 and len(inner) == 1 and inner[0]["cell"] == "A5"
    assert inner[0]["message"].startswith("“合计”像是合计或落款行，但它下面还有数据（如第 6 行）")
    code, out, _ = cli("inspect", str(path))
    assert code == 0 and "数据行：9 行（第 2–10 行）" in out
    assert "数据中间的合计/落款行：第 5 行（下面还有数据，已按数据行读取）" in out


def test_merged_header_keeps_its_second_column(tmp_path, schema):
    path = hf.merged_header(tmp_path)
    table = capped(read_workbook, path, schema).sheets[0]
    assert [(c.letter, c.header) for c in table.unnamed_columns] == [("K", "备注（K列）")]
    assert [r.values[-2:] for r in table.records] == [["老客户1", "K列内容1"], ["老客户2", "K列内容2"],
                                                      ["老客户3", "K列内容3"]]
    _, found = findings(path)
    assert [(f["code"], f["cell"]) for f in found] == [("column-unnamed", "K1")]


def test_merge_keeps_every_row_and_the_unnamed_column(tmp_path):
    inputs = [hf.subtotal_in_the_middle(tmp_path), hf.merged_header(tmp_path)]
    master = tmp_path / "out" / "总表.xlsx"
    code, out, err = cli("merge", *map(str, inputs), "-o", str(master), "--as-of", AS_OF)
    assert code == 0, err
    assert "客户档案：读取 12 行 = 客户档案中本周客户 11 + 合并进这些客户的重复行 0 + 待修正 1（一致）" in out
    customers = sheet_rows(master, "客户档案", "客户编号")
    assert sorted(r["客户编号"] for r in customers) == [*(f"HD{n:04d}" for n in range(1, 9)),
                                                      "HN0101", "HN0102", "HN0103"]
    assert [r["备注（K列）"] for r in customers if r["客户编号"].startswith("HN")] == [
        "K列内容1", "K列内容2", "K列内容3"]


# --- values that stopped validation, outputs that failed -------------------------------------


def test_nan_and_infinity_in_a_date_cell_are_findings(tmp_path):
    code, found = findings(hf.nan_dates(tmp_path))
    assert code == 1
    assert [(f["code"], f["cell"], f["value"]) for f in found] == [
        ("date-invalid", "I2", "#NUM!"), ("date-invalid", "I3", "#NUM!")]


def test_cell_longer_than_excel_allows_is_a_finding(tmp_path):
    code, found = findings(hf.long_cell(tmp_path))
    assert [(f["code"], f["cell"]) for f in found] == [("cell-too-long", "B2")]
    assert "40,000 个字符" in found[0]["message"] and len(found[0]["value"]) == 21


def _as_nobody():
    """Root ignores folder permissions: the capped child drops to nobody first."""
    if os.geteuid() == 0:
        os.setgid(65534)
        os.setuid(65534)


def _cli_unprivileged(warm_up: list[str], args: list[str]):
    """Run the command once as root into a writable folder (every module it needs is then
    imported: nobody cannot read the Python installation), then as nobody."""
    from capped import _run_cli

    _run_cli(warm_up)
    _as_nobody()
    from workbook_tools.resources import template_path
    if not os.access(template_path("archive_schema.yaml"), os.R_OK):
        return None   # the project itself is not readable by nobody here (a private checkout)
    return _run_cli(args)


@pytest.fixture(scope="module")
def shared_dir():
    """A folder nobody can read, with a read-only subfolder and a master to work from."""
    base = Path(tempfile.mkdtemp(prefix="wbt-readonly-"))
    try:
        os.chmod(base, 0o755)
        good = hf.good_xlsx(base / "good.xlsx")
        master = base / "总表.xlsx"
        assert cli("merge", str(good), "-o", str(master), "--as-of", AS_OF)[0] == 0
        (base / "ro").mkdir(mode=0o555)
        os.chmod(base / "ro", 0o555)
        for p in base.iterdir():
            if p.is_file():
                os.chmod(p, 0o644)
        yield base
    finally:
        os.chmod(base / "ro", 0o755)
        shutil.rmtree(base)


@pytest.mark.parametrize("args", [
    ("template", "registration", "-o", "{ro}/模板.xlsx"),
    ("summary", "{base}/总表.xlsx", "-o", "{ro}/汇总.xlsx", "--as-of", AS_OF),
    ("plan", "{base}/总表.xlsx", "--week", "2026-W48", "-o", "{ro}/计划.xlsx"),
    ("validate", "{base}/good.xlsx", "--fix", "{ro}", "--as-of", AS_OF),
])
def test_read_only_output_folder_is_one_chinese_line(shared_dir, args):
    rw = Path(tempfile.mkdtemp(prefix="wbt-rw-"))
    warm_up = [a.format(base=shared_dir, ro=rw) for a in args]
    args = [a.format(base=shared_dir, ro=shared_dir / "ro") for a in args]
    try:
        done = capped(_cli_unprivileged, warm_up, args)
    finally:
        shutil.rmtree(rw)
    if done is None:
        pytest.skip("the checkout is not readable by the unprivileged user nobody (a private folder); "
                    "this check runs a command as nobody to meet a read-only folder")
    code, out, err = done
    assert code == 2 and "内部错误" not in out + err, (code, out, err)
    line = (err.splitlines() or [""])[-1] if args[0] != "validate" else \
        next(x for x in out.splitlines() if "无法写入" in x)
    assert "无法写入" in line and "只读" in line and ".~tmp" not in out + err
    assert list((shared_dir / "ro").iterdir()) == []


# --- temporary files, file names, symlinks ----------------------------------------------------


def test_stale_temp_files_of_a_killed_run_are_removed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".~tmp-999999999-abc.xlsx"   # no such process, an hour old
    stale.write_bytes(b"half a workbook")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    alive = out / f".~tmp-{os.getpid()}-def.xlsx"  # a run still writing (this process)
    alive.write_bytes(b"being written")
    os.utime(alive, (hour_ago, hour_ago))
    fresh = out / ".~tmp-999999999-ghi.xlsx"   # just written: maybe another machine's run
    fresh.write_bytes(b"new")
    code, _, err = cli("merge", str(hf.good_xlsx(tmp_path / "good.xlsx")), "-o", str(out / "总表.xlsx"))
    assert code == 0, err
    assert not stale.exists() and alive.exists() and fresh.exists()


def test_a_folder_is_swept_once_a_minute_not_for_every_file_written(tmp_path, monkeypatch):
    from workbook_tools.io import atomic

    listed = []
    real_scandir = os.scandir
    monkeypatch.setattr(atomic.os, "scandir", lambda p: listed.append(p) or real_scandir(p))
    for i in range(50):
        with atomic.atomic_path(tmp_path / f"计划{i}.xlsx") as tmp:
            tmp.write_bytes(b"x")
    assert len(listed) == 1
    stale = tmp_path / ".~tmp-999999999-abc.xlsx"
    stale.write_bytes(b"half a workbook")
    os.utime(stale, (time.time() - 3600,) * 2)
    with atomic.atomic_path(tmp_path / "again.xlsx") as tmp:
        tmp.write_bytes(b"x")
    assert stale.exists() and len(listed) == 1        # swept less than a minute ago
    monkeypatch.setitem(atomic._SWEPT, os.fspath(tmp_path), time.time() - atomic.SWEEP_EVERY - 1)
    with atomic.atomic_path(tmp_path / "later.xlsx") as tmp:
        tmp.write_bytes(b"x")
    assert not stale.exists() and len(listed) == 2
    assert len([p for p in os.listdir(tmp_path) if p.startswith("计划")]) == 50


def test_file_names_cannot_forge_console_lines(tmp_path):
    evil = tmp_path / "a\n✓ 全部通过\x1b[2K.csv"
    evil.write_bytes(bytes(range(256)) * 4)
    code, out, err = cli("validate", str(evil))
    assert code == 2 and "\x1b" not in out + err and "\n✓ 全部通过" not in out
    assert "a\\n✓ 全部通过\\x1b[2K.csv" in out
    code, out, err = cli("inspect", str(evil))
    assert code == 2 and len(err.splitlines()) == 1 and "\\x1b" in err


def test_dangling_symlink_is_listed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    hf.good_xlsx(folder / "good.xlsx")
    (folder / "华南.xlsx").symlink_to(tmp_path / "gone.xlsx")
    code, out, err = cli("merge", str(folder), "-o", str(tmp_path / "总表.xlsx"))
    assert code == 0 and "已跳过 华南.xlsx：这是一个失效的快捷方式（符号链接）" in out, (out, err)
    code, out, err = cli("validate", str(folder), "--as-of", AS_OF)
    assert "华南.xlsx：这是一个失效的快捷方式（符号链接），它指向的文件不存在" in out


def test_binary_csv_is_one_line(tmp_path):
    path = hf.binary_csv(tmp_path)
    code, out, err = cli("merge", str(path), "-o", str(tmp_path / "总表.xlsx"))
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and "binary.csv" in err


# --- everything at once -----------------------------------------------------------------------


HOSTILE = {  # builder → what the skip reason says
    hf.quoted_ref: "范围过大", hf.cells_without_r: "范围过大", hf.lying_big_part: "范围过大",
    hf.shared_strings_bomb: "文字内容展开后过多", hf.wide_csv: "列，超过 Excel 的上限",
    hf.repeated_ods: "重复了 1,000,000 次", hf.binary_csv: "不是 Excel 工作簿",
}
GOOD = (hf.subtotal_in_the_middle, hf.merged_header, hf.nan_dates, hf.long_cell, hf.good_ods)


def test_merge_of_every_hostile_file_and_good_files_skips_exactly_the_hostile(tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    hostile = {build(folder).name: reason for build, reason in HOSTILE.items()}
    (folder / "失效.xlsx").symlink_to(tmp_path / "gone.xlsx")
    hostile["失效.xlsx"] = "失效的快捷方式"
    good = [build(folder).name for build in GOOD] + [hf.good_xlsx(folder / "good.xlsx", prefix="HB").name]
    master = tmp_path / "总表.xlsx"
    code, out, err = cli("merge", str(folder), "-o", str(master), "--as-of", AS_OF)
    assert code == 0, (out, err)
    skipped = dict(re.findall(r"^  已跳过 (\S+)：(.*)$", out, re.M))
    assert set(skipped) == set(hostile), out
    assert all(hostile[name] in reason for name, reason in skipped.items()), skipped
    assert f"读取 {len(good)} 个文件，跳过 {len(hostile)} 个。" in out
    # 9 (合计 row included) + 3 + 3 + 3 + 3 (.ods: one row stored three times) + 3
    assert re.search(r"客户档案：读取 24 行 = .*（一致）", out), out
    assert "注意：核对结果不一致" not in out
