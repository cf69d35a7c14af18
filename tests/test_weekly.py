"""The weekly pipeline on messy sample files: outputs, re-run determinism, next week's
previous, archive.yaml checking."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from capped import capped
from workbook_tools.cli import cli
from workbook_tools.errors import SchemaError
from workbook_tools.sampledata import generate_samples
from workbook_tools.schema import load_schema
from workbook_tools.weekly import load_config, run_weekly
from workbook_tools.weekly.init import salespeople_from

AS_OF = dt.date(2026, 11, 22)
CONFIG = {
    "regions": ["华东", "华南"],
    "salespeople": {"华东": ["张三"], "华南": ["李四"]},
    "incoming": "incoming",
    "previous": None,
    "contact_cycles": {"重要客户": 7, "主要客户": 14, "普通客户": 30, "潜在客户": 60},
    "purchase_cycles": {"重要客户": 30, "主要客户": 60, "普通客户": 90, "潜在客户": 180},
}


def _archive(folder: Path, **extra) -> Path:
    """Sample files of two regions; archive.yaml lists every salesperson of the samples but
    one of 华东 (unlisted_of), and the others of CONFIG (张三/李四, who have no customers)."""
    samples = generate_samples(folder / "incoming", regions=["华东", "华南"], customers_per_region=30)
    schema = load_schema()
    lookup = schema.form("registration").field("region").choice_lookup()
    found, _, _ = salespeople_from(list(map(Path, samples.paths)), schema, lookup)
    people = {region: sorted(names) for region, names in found.items()}
    salespeople = {r: sorted({*CONFIG["salespeople"][r], *people[r]} - {unlisted_of(people)})
                   for r in ("华东", "华南")}
    config = {**CONFIG, "salespeople": salespeople, **extra}
    (folder / "archive.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return folder


def unlisted_of(people: dict) -> str:
    """The salesperson left out of archive.yaml."""
    return people["华东"][0]


def _cells(path: Path) -> dict:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    """One weekly run, in a child capped at 2 GB of address space (tests/capped.py)."""
    folder = _archive(tmp_path_factory.mktemp("archive"))
    return folder, capped(run_weekly, folder, as_of=AS_OF)


def test_outputs_in_dated_folder(week):
    folder, result = week
    out = folder / "output" / "2026-W47"
    assert result.out_dir == out and result.week == "2026-W47" and result.plan_week == "2026-W48"
    assert (out / "客户档案总表_2026-W47.xlsx").exists()
    assert (out / "客户档案汇总_2026-W47.xlsx").exists()
    assert result.plans.files and all(p.parent == out / "拜访计划" for p in result.plans.files)
    returned = sorted(p.name for p in (out / "退回修改").iterdir())
    assert returned == sorted(Path(p).name for p, r in result.reports.items() if r.findings)
    assert result.merge.result.reconciliation("客户档案").ok


def test_report_has_figures_offices_and_links(week):
    folder, result = week
    html = result.report.read_text(encoding="utf-8")
    counts = result.merge.result.counts()
    assert f"<th>客户总数</th><td class=\"num\">{counts['customers']}</td>" in html
    assert "✓ 核对一致" in html
    assert 'href="客户档案总表_2026-W47.xlsx"' in html
    assert 'href="退回修改/华东_客户档案_2026-W47.xlsx"' in html
    assert "名单之外的负责业务员" in html  # one salesperson of the samples is not listed


def test_plans_only_for_listed_salespeople(week):
    """README: plans are generated only for archive.yaml's salespeople (issue 17)."""
    folder, result = week
    unlisted = result.plans.unlisted
    assert len(unlisted) == 1 and unlisted[0] not in result.plans.plans
    assert result.plans.files and not any(unlisted[0] in p.name for p in result.plans.files)
    pending = result.plans.pending
    mine = pending[pending["salesperson"] == unlisted[0]]
    assert len(mine) and set(mine["reason"]) == {"负责业务员不在业务员名单（archive.yaml 的 salespeople）中"}


def test_rerun_same_week_gives_same_outputs(week, tmp_path):
    folder, result = week
    before = {p.relative_to(result.out_dir): _cells(p) for p in result.out_dir.rglob("*.xlsx")}
    html = result.report.read_text(encoding="utf-8")
    again = run_weekly(folder, as_of=AS_OF)
    after = {p.relative_to(again.out_dir): _cells(p) for p in again.out_dir.rglob("*.xlsx")}
    assert after.keys() == before.keys()
    for name in before:
        assert after[name] == before[name], name
    assert again.report.read_text(encoding="utf-8") == html


def test_next_week_uses_this_week_as_previous(week, tmp_path):
    folder, result = week
    copy = tmp_path / "archive"
    shutil.copytree(folder, copy)
    following = run_weekly(copy, as_of=AS_OF + dt.timedelta(days=7))
    assert following.previous == copy / "output" / "2026-W47" / "客户档案总表_2026-W47.xlsx"
    counts = following.merge.result.counts()
    assert counts["new"] == 0 and counts["absent"] == 0
    assert following.week == "2026-W48"


def test_config_unknown_key_names_file_and_line(tmp_path):
    text = yaml.safe_dump(CONFIG, allow_unicode=True) + "colour: red\n"
    (tmp_path / "archive.yaml").write_text(text, encoding="utf-8")
    line = text.splitlines().index("colour: red") + 1
    with pytest.raises(SchemaError, match=rf"archive.yaml:{line}: .*未知的键“colour”"):
        load_config(tmp_path)


def test_config_bad_region_and_cycle(tmp_path):
    bad = dict(CONFIG, regions=["华东", "火星"])
    (tmp_path / "archive.yaml").write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SchemaError, match="“火星”不是已知区域"):
        load_config(tmp_path)
    bad = dict(CONFIG, contact_cycles={"重要客户": 0})
    (tmp_path / "archive.yaml").write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SchemaError, match="天数应当是正整数"):
        load_config(tmp_path)


def test_config_cycles_override_schema(tmp_path):
    custom = dict(CONFIG, contact_cycles={"重要客户": 3})
    (tmp_path / "incoming").mkdir()
    (tmp_path / "archive.yaml").write_text(yaml.safe_dump(custom, allow_unicode=True), encoding="utf-8")
    cfg = load_config(tmp_path)
    assert cfg.schema.settings["contact_cycles"]["重要客户"] == 3
    assert cfg.schema.settings["contact_cycles"]["普通客户"] == 30


def test_weekly_cli_missing_config_is_one_chinese_line(tmp_path):
    from workbook_tools.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["weekly", str(tmp_path)])
    assert exc.value.code == 2


def test_weekly_cli_prints_outputs(week):
    folder, _ = week
    result = CliRunner().invoke(cli, ["weekly", str(folder), "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.output
    assert "2026-W47 周流程完成" in result.output and "周报：" in result.output


def test_week_is_recorded_in_the_history_store_beside_archive_yaml(week):
    from workbook_tools.history import HistoryStore

    folder, result = week
    counts = result.merge.result.counts()
    assert result.history == folder / "档案历史.sqlite"
    with HistoryStore(result.history) as store:
        assert store.weekly_totals() == [{
            "week": "2026-W47", "customers": counts["customers"], "new": counts["customers"],
            "changed": 0, "absent": 0, "overdue": result.summary.overdue,
            "quarantined": counts["quarantined"]}]
    assert result.summary.overdue > 0
    assert ("档案历史库", folder / "档案历史.sqlite") in result.outputs()


def test_config_history_key_names_another_store(tmp_path):
    (tmp_path / "incoming").mkdir()
    (tmp_path / "archive.yaml").write_text(yaml.safe_dump({**CONFIG, "history": "历史/总部.sqlite"},
                                                          allow_unicode=True), encoding="utf-8")
    assert load_config(tmp_path).history == tmp_path / "历史" / "总部.sqlite"
    from workbook_tools.history import store_of
    assert store_of(tmp_path) == tmp_path / "历史" / "总部.sqlite"
