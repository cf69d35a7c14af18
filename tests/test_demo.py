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
