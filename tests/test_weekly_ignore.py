"""The demo's inputs are clean (its manifest sits beside incoming/, not in it), and archive.yaml's
`ignore:` patterns keep non-submissions out of the weekly report — only those: by default a
misnamed file from an office is still listed under 未能使用的文件."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook_tools.merge.files import discover, is_ignored
from workbook_tools.weekly import run_weekly
from workbook_tools.weekly.demo import DEMO_AS_OF, run_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("demo") / "demo", customers=12)


def test_demo_inputs_are_clean(demo):
    folder = demo.folder
    assert demo.manifest == folder / "manifest.json" and demo.manifest.is_file()
    assert sorted(p.name for p in (folder / "incoming").iterdir()) == sorted(p.name for p in demo.samples)
    counts = demo.weekly.merge.result.counts()
    assert (counts["files_read"], counts["files_skipped_count"], counts["files_skipped"]) == (4, 0, [])
    html = demo.weekly.report.read_text(encoding="utf-8")
    assert "未能使用的文件" not in html and "manifest.json" not in html
    assert "# 必需。各区域的业务员" in (folder / "archive.yaml").read_text(encoding="utf-8")  # written by init


def test_ignore_patterns_hide_only_what_they_match(demo):
    folder = demo.folder
    incoming = folder / "incoming"
    (incoming / "manifest.json").write_text("{}", encoding="utf-8")
    (incoming / "说明").mkdir()
    (incoming / "说明" / "填表说明.txt").write_text("本周数据说明", encoding="utf-8")
    (incoming / "华南_客户档案.txt").write_text("办事处把文件存成了文本", encoding="utf-8")
    config = folder / "archive.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "ignore: []", 'ignore: ["*.JSON", "说明/*"]'), encoding="utf-8")
    result = run_weekly(folder, as_of=DEMO_AS_OF)
    skipped = result.merge.result.counts()["files_skipped"]
    assert [s["file"] for s in skipped] == ["华南_客户档案.txt"]
    assert "不是工作簿文件（扩展名为“.txt”）" in skipped[0]["reason"]
    html = result.report.read_text(encoding="utf-8")
    assert "华南_客户档案.txt" in html and "manifest.json" not in html and "填表说明.txt" not in html


def test_discover_lists_everything_unless_ignored(tmp_path):
    for name in ("华东.xlsx", "manifest.json", "说明/填表说明.txt", "说明/华北.xlsx", "~$华东.xlsx", ".DS_Store"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    lock = tmp_path / "总表.xlsx.lock"

    def names(ignore=()):
        return [(p.relative_to(tmp_path).as_posix(), reason is None) for p, reason in
                discover([tmp_path], None, lock, ignore)]

    assert names() == [("manifest.json", False), ("~$华东.xlsx", False), ("华东.xlsx", True),
                       ("说明/华北.xlsx", True), ("说明/填表说明.txt", False)]
    assert names(["*.json", "~$*", "说明/*.txt"]) == [("华东.xlsx", True), ("说明/华北.xlsx", True)]
    assert names(["说明/*"]) == [("manifest.json", False), ("~$华东.xlsx", False), ("华东.xlsx", True)]
    # a file named on the command line is never ignored; patterns match names or relative paths
    assert [p.name for p, _ in discover([tmp_path / "manifest.json"], None, lock, ["*.json"])] == ["manifest.json"]
    assert is_ignored(Path("a/B.TXT"), ["*.txt"]) and not is_ignored(Path("a/b.txt"), ["b.*x"])
