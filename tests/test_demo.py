"""`make demo` runs two weeks: the offices' edits between them show up in the second
master's 变更记录 and in the history store."""

from __future__ import annotations

import pytest

from workbook_tools.history import HistoryStore
from workbook_tools.weekly.demo import run_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("demo"), customers=12)


def test_demo_runs_two_weeks_recorded_in_the_history_store(demo):
    assert [w.week for w in demo.weeks] == ["2026-W47", "2026-W48"]
    assert demo.weekly is demo.weeks[1]
    assert demo.weeks[1].previous == demo.weeks[0].merge.output
    counts = demo.weekly.merge.result.counts()
    assert (counts["new"], counts["changed"], counts["absent"]) == (0, 2, 1)
    with HistoryStore(demo.folder / "档案历史.sqlite") as store:
        assert [t["week"] for t in store.weekly_totals()] == ["2026-W47", "2026-W48"]
        (east, _), (south, _), (north, _) = demo.edited
        fields = {c.field: c.new for c in store.changes_for(east)}
        assert fields["手机"] == "13912345678" and fields["联系人"] == "林晓峰" and "交易次数" in fields
        assert store.record_of(east)["mobile"] == "13912345678"
        assert {c.field for c in store.changes_for(south)} == {"地址", "最新修订日期"}
        assert [c.kind for c in store.changes_for(north)] == ["本周未出现"]



def test_demo_adopts_an_old_customer_list(demo):
    adopted = demo.adopted
    assert adopted.output == demo.folder / "旧台账" / "客户档案登记表_华东_迁移.xlsx"
    assert adopted.files[0].path.name == "旧客户名单.csv" and adopted.files[0].kind == "csv"
    assert adopted.rows_read == adopted.rows_written == 10
    assert adopted.rows.extra_headers == ["微信", "需求"]
    assert adopted.output.exists()


def test_demo_master_has_trades_and_computed_classes(demo):
    """The regional files carry 客户交易记录, so the master's 客户分类 shows computed figures."""
    from python_calamine import CalamineWorkbook

    result = demo.weekly.merge.result
    assert result.trades.rows and all(r.file for r in result.trades.rows)
    book = CalamineWorkbook.from_path(str(demo.weekly.merge.output))
    assert {"交易记录", "客户分类"} <= set(book.sheet_names)
    rows = book.get_sheet_by_name("客户分类").to_python()
    header = rows[1]
    table = [dict(zip(header, r)) for r in rows[2:] if r and r[0]]
    computed = [r for r in table if r["数据来源"] == "统计"]
    assert len(computed) > len(table) / 2
    cid = computed[0]["客户编号"]
    mine = [r.values for r in result.trades.rows if r.values["customer_id"] == cid]
    assert computed[0]["交易次数"] == len(mine)
    assert computed[0]["交易金额(元)"] == pytest.approx(sum(v["amount"] for v in mine), abs=0.01)
    assert len({r["信用评估"] for r in computed}) >= 2
    with HistoryStore(demo.folder / "档案历史.sqlite") as store:
        assert store.added_counts(cid)["交易"] == len(mine)


def test_demo_run_again_in_its_folder_starts_afresh(tmp_path):
    """A second `make demo` must not merge the first run's week-48 files with the new week-47 ones."""
    first = run_demo(tmp_path / "demo", customers=6)
    again = run_demo(tmp_path / "demo", customers=6)
    assert [w.merge.result.counts() for w in again.weeks] == [w.merge.result.counts() for w in first.weeks]
    assert sorted(p.name for p in (tmp_path / "demo" / "incoming").iterdir()) == sorted(p.name for p in first.samples)


def test_demo_refuses_a_folder_with_other_files(tmp_path):
    from workbook_tools.errors import WorkbookToolsError

    (tmp_path / "我的文件.xlsx").write_bytes(b"x")
    with pytest.raises(WorkbookToolsError, match="已有其他文件"):
        run_demo(tmp_path, customers=6)
    assert (tmp_path / "我的文件.xlsx").read_bytes() == b"x"
