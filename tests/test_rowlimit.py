"""Tables past a worksheet's row limit (io/continuation.py): with the limit lowered to 50
rows, merge writes 客户档案(2), 拜访记录(2) …, and every reader of the project (summary,
plan, card, merge --previous, validate, export, history rebuild) reads them back as one
table; a continuation sheet with another header is reported, never joined."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from workbook_tools.card import Selection, build_cards
from workbook_tools.card.issue import make_cards
from workbook_tools.export import ExportRequest, export_master
from workbook_tools.history import HistoryStore, customer_life, record_run
from workbook_tools.io import limits
from workbook_tools.io.continuation import chunked, continued_sheets, sheet_counts, split_name
from workbook_tools.merge.files import merge_files
from workbook_tools.merge.recording import record_from_master, run_record
from workbook_tools.plan import build_plans
from workbook_tools.sampledata.generator import generate_samples
from workbook_tools.schema import load_schema
from workbook_tools.summary.build import build_summary
from workbook_tools.summary.load import load_master
from workbook_tools.validate.files import validate_paths

from office import convert_sheets, needs_soffice

LIMIT = 50
DAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def schema():
    return load_schema()


@pytest.fixture(scope="module")
def low_limit():
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(limits, "SHEET_MAX_ROWS", LIMIT)
        yield LIMIT


@pytest.fixture(scope="module")
def merged(tmp_path_factory, schema, low_limit):
    folder = tmp_path_factory.mktemp("rowlimit")
    generate_samples(folder / "in", customers_per_region=60, regions=["华东", "华南"],
                     manifest=folder / "manifest.json")
    run = merge_files([folder / "in"], folder / "总表.xlsx", schema=schema, run_date=DAY, as_of=DAY)
    return folder, run


def sheets_of(path: Path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    try:
        return {n: book.get_sheet_by_name(n).to_python() for n in book.sheet_names}
    finally:
        book.close()


def test_pieces_arithmetic(low_limit):
    assert sheet_counts(0, 1) == [0]
    assert sheet_counts(49, 1) == [49]
    assert sheet_counts(50, 1) == [49, 1]
    assert sheet_counts(100, 2) == [48, 48, 4]
    assert split_name("拜访记录(12)") == ("拜访记录", 12)
    assert split_name("拜访记录(1)") == ("拜访记录(1)", 1)
    assert split_name("客户档案") == ("客户档案", 1)
    assert continued_sheets(["客户档案", "客户档案(2)", "客户档案(4)"], "客户档案") == ["客户档案", "客户档案(2)"]
    first, second = chunked(range(5), [3, 2])
    with pytest.raises(RuntimeError):
        list(second)   # out of order: refused, never mixed up
    assert list(first) == [0, 1, 2]


def test_master_continues_on_numbered_sheets_with_the_same_header(merged):
    folder, run = merged
    sheets = sheets_of(run.output)
    names = list(sheets)
    n_customers, n_visits = len(run.result.customers), len(run.result.visits.rows)
    assert n_customers == 118 and n_visits == 92
    assert names[:3] == ["客户档案", "客户档案(2)", "客户档案(3)"]
    assert names[names.index("拜访记录"):names.index("拜访记录") + 2] == ["拜访记录", "拜访记录(2)"]
    assert "拜访记录(3)" not in names
    for base in ("客户档案", "拜访记录"):
        parts = continued_sheets(names, base)
        assert all(len(sheets[p]) <= LIMIT for p in parts)
        assert all(sheets[p][0] == sheets[base][0] for p in parts)   # the same header
    assert sum(len(sheets[p]) - 1 for p in continued_sheets(names, "客户档案")) == n_customers
    assert sum(len(sheets[p]) - 1 for p in continued_sheets(names, "拜访记录")) == n_visits
    ids = [r[0] for p in continued_sheets(names, "客户档案") for r in sheets[p][1:]]
    assert ids == [c.id for c in run.result.customers]          # in order, none lost, none twice
    notes = {r[0]: r for r in sheets["合并说明"] if r and r[0]}
    assert notes["客户档案"][1:3] == [118, "客户档案（第 1–49 条）、客户档案(2)（第 50–98 条）、客户档案(3)（第 99–118 条）"]
    assert notes["拜访记录"][1:3] == [92, "拜访记录（第 1–49 条）、拜访记录(2)（第 50–92 条）"]
    assert any(str(r[0]).startswith("续表（一个工作表最多 50 行") for r in sheets["合并说明"])
    reconcile = [r[1] for r in sheets["合并说明"] if r and r[0] == "客户档案" and "读取" in str(r[1])]
    assert reconcile == ["读取 123 行 = 客户档案中本周客户 118 + 合并进这些客户的重复行 1 + 待修正 4（一致）"]


def test_continuation_sheets_keep_formats_panes_and_filter(merged):
    _, run = merged
    book = openpyxl.load_workbook(run.output, read_only=False)
    first, second = book["拜访记录"], book["拜访记录(2)"]
    assert second.freeze_panes == first.freeze_panes == "A2"
    assert first.auto_filter.ref == "A1:L50" and second.auto_filter.ref == "A1:L44"
    assert [second.column_dimensions[c].width for c in "ABC"] == [first.column_dimensions[c].width for c in "ABC"]
    assert second["B2"].number_format == "@"


def test_readers_join_the_continuations(merged, schema, low_limit):
    folder, run = merged
    data = load_master(run.output, schema)
    assert len(data.customers) == 118 and len(data.visits) == 92 and data.problems == ()
    assert list(data.customers["customer_id"]) == [c.id for c in run.result.customers]
    summary = build_summary(run.output, folder / "汇总.xlsx", schema=schema, as_of=DAY)
    assert (summary.customers, summary.visits, summary.problems) == (118, 92, ())
    plans = build_plans(run.output, schema=schema, week="2026-W48", out=folder / "计划.xlsx")
    assert plans.customers == 118 and plans.due >= 1
    last = run.result.customers[-1].id        # on 客户档案(3)
    cards = build_cards(run.output, folder / "卡.xlsx", schema=schema, as_of=DAY)
    assert len(cards.cards) == 118 and cards.notices == []
    assert last in {c.customer_id for c in cards.cards}
    later = run.result.visits.rows[-1].values["customer_id"]        # its visit is on 拜访记录(2)
    n = sum(1 for r in run.result.visits.rows if r.values["customer_id"] == later)
    card = next(c for c in cards.cards if c.customer_id == later)
    assert [x.title for x in card.listings if x.title.startswith("拜访记录")] == [f"拜访记录（共 {n} 次）"]


def test_previous_validate_export_and_history_read_all_sheets(merged, schema, low_limit, tmp_path):
    folder, run = merged
    again = merge_files([folder / "in"], tmp_path / "第二周.xlsx", previous=run.output, schema=schema,
                        run_date=DAY + dt.timedelta(days=7), as_of=DAY)
    counts = again.result.counts()
    assert again.result.previous_count == 118 and counts["new"] == 0 and counts["absent"] == 0
    report = validate_paths([run.output], schema, as_of=DAY)
    assert report.files[0].rows == 118 + 92 + 30 + len(run.result.trades.rows)
    assert not [f for f in report.files[0].findings if f.code == "continuation-header"]
    request = ExportRequest(role="客户服务", recipient="李四", approver="王经理", purpose="回访")
    out = export_master(run.output, tmp_path / "发放.xlsx", request, schema=schema, ledger=tmp_path / "登记.db",
                        today=DAY)
    assert out.customers == 118
    assert [n for n in sheets_of(out.path) if n.startswith("客户档案")] == ["客户档案", "客户档案(2)", "客户档案(3)"]
    live, kept = tmp_path / "live.sqlite", tmp_path / "kept.sqlite"
    record_run(live, run_record(run.result, schema, run.output))
    record_run(kept, record_from_master(run.output, schema))
    with HistoryStore(live) as a, HistoryStore(kept) as b:
        assert a.dump() == b.dump()
        assert len(b.dump()["added"]) == 92 + len(run.result.trades.rows)


def test_summary_list_sheets_continue(schema, low_limit, tmp_path):
    import pandas as pd
    from workbook_tools.summary.tables import SummarySheet, Table
    from workbook_tools.summary.writer import write_summary

    frame = pd.DataFrame({"客户编号": [f"HD{i:04d}" for i in range(120)], "逾期天数": range(120)})
    short = pd.DataFrame({"客户编号": ["HN0001"], "剩余天数": [3]})
    sheet = SummarySheet("跟进提醒", "跟进提醒", [[Table("overdue", "逾期", frame, {"逾期天数": "int"})],
                                               [Table("soon", "到期", short, {"剩余天数": "int"})]],
                         freeze_header=True)
    path = write_summary([sheet], tmp_path / "s.xlsx")
    got = sheets_of(path)
    assert list(got) == ["跟进提醒", "跟进提醒(2)", "跟进提醒(3)"]
    assert [len(rows) for rows in got.values()] == [50, 50, 29]        # title, caption, header + data
    assert got["跟进提醒(2)"][2][:2] == ["客户编号", "逾期天数"] and got["跟进提醒(2)"][3][0] == "HD0047"
    assert got["跟进提醒"][2][3:5] == ["客户编号", "剩余天数"]          # the short list only on the first


@pytest.fixture
def tampered(merged, tmp_path):
    """The master with 拜访记录(2)'s header changed (as a person editing it might)."""
    _, run = merged
    book = openpyxl.load_workbook(run.output)
    book["拜访记录(2)"]["C1"] = "名称"
    book["客户档案(2)"]["B1"] = "名称"
    path = tmp_path / "改过的总表.xlsx"
    book.save(path)
    return path


def test_a_continuation_with_another_header_is_reported_not_joined(tampered, schema, tmp_path):
    data = load_master(tampered, schema)
    message = "工作表“拜访记录(2)”的表头与“拜访记录”不同，没有作为“拜访记录”的续表读取；续表的表头必须与“拜访记录”完全相同，请检查该工作表"
    assert len(data.visits) == 49 and message in data.problems
    assert len(data.customers) == 118 - 49
    report = validate_paths([tampered], schema, as_of=DAY)
    found = {(f.sheet, f.message) for f in report.files[0].findings if f.code == "continuation-header"}
    assert ("拜访记录(2)", "工作表“拜访记录(2)”的表头与“拜访记录”不同，没有作为“拜访记录”的续表读取；"
            "请把表头改回与“拜访记录”完全相同") in found
    with pytest.raises(Exception, match="上期总表（--previous）无法使用：工作表“客户档案\\(2\\)”的表头"):
        merge_files([tampered.parent], tmp_path / "x.xlsx", previous=tampered, schema=schema, run_date=DAY)
    cards = build_cards(tampered, tmp_path / "卡.xlsx", schema=schema, as_of=DAY)
    assert message in cards.notices


def test_validate_checks_uniqueness_across_continuation_sheets(merged, schema, low_limit, tmp_path):
    """A 客户编号 on 客户档案(3) repeating one on 客户档案, and a visit row on 拜访记录(2) repeating
    one on 拜访记录, are duplicates of one table: reported on the later sheet's own cell."""
    _, run = merged
    clean = validate_paths([run.output], schema, as_of=DAY).files[0].findings
    assert not [f for f in clean if f.code in ("unique-duplicate", "row-duplicate")]
    book = openpyxl.load_workbook(run.output)
    first_id = book["客户档案"]["A2"].value
    book["客户档案(3)"]["A5"] = first_id
    book["客户档案(3)"]["A7"] = first_id                     # twice on the same later sheet
    for col in range(1, book["拜访记录"].max_column + 1):
        book["拜访记录(2)"].cell(3, col).value = book["拜访记录"].cell(10, col).value
    path = tmp_path / "重复的总表.xlsx"
    book.save(path)
    report = validate_paths([path], schema, as_of=DAY).files[0]
    found = [(f.severity, f.sheet, f.cell, f.row, f.message) for f in report.findings
             if f.code in ("unique-duplicate", "row-duplicate")]
    assert ("error", "客户档案(3)", "A5", 5, f"客户编号“{first_id}”与工作表“客户档案”第 2 行重复；"
            "客户编号必须唯一，请核对后改用未被使用的编号") in found
    assert ("error", "客户档案(3)", "A7", 7, f"客户编号“{first_id}”与第 5 行重复；"
            "客户编号必须唯一，请核对后改用未被使用的编号") in found
    assert ("warning", "拜访记录(2)", None, 3, "本行与工作表“拜访记录”第 10 行内容完全相同；"
            "如果是重复录入，请删除其中一行") in found
    visit_id = book["拜访记录"].cell(10, 1).value           # 记录编号 is unique too
    assert book["拜访记录"]["A1"].value == "记录编号"
    assert ("error", "拜访记录(2)", "A3", 3, f"记录编号“{visit_id}”与工作表“拜访记录”第 10 行重复；"
            "记录编号必须唯一，请核对后改用未被使用的编号") in found
    assert len(found) == 4
    sheet3 = next(t for t in report.tables if t.table.sheet == "客户档案(3)")
    assert 5 in sheet3.messages_by_row("error")     # where fix/annotate/merge look per table


@needs_soffice
def test_libreoffice_opens_the_continuation_sheets(merged, tmp_path):
    _, run = merged
    csv = convert_sheets(run.output, tmp_path)
    assert {"客户档案", "客户档案(2)", "客户档案(3)", "拜访记录", "拜访记录(2)"} <= set(csv)
    lines = csv["客户档案(3)"].read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + 20 and lines[0].startswith("客户编号,客户名称")
    assert lines[-1].startswith(run.result.customers[-1].id + ",")


# --- visit_history_weeks: older visits leave the master for the history store -------------

WEEKLY_AS_OF = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def horizon(tmp_path_factory):
    import yaml
    from workbook_tools.weekly import run_weekly

    folder = tmp_path_factory.mktemp("horizon")
    generate_samples(folder / "incoming", regions=["华东", "华南"], customers_per_region=30,
                     manifest=folder / "manifest.json")
    config = {"regions": ["华东", "华南"], "salespeople": {"华东": ["张三"], "华南": ["李四"]},
              "incoming": "incoming", "previous": None, "visit_history_weeks": 4,
              "contact_cycles": {"重要客户": 7, "主要客户": 14, "普通客户": 30, "潜在客户": 60},
              "purchase_cycles": {"重要客户": 30, "主要客户": 60, "普通客户": 90, "潜在客户": 180}}
    (folder / "archive.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return folder, run_weekly(folder, as_of=WEEKLY_AS_OF)


def test_visit_horizon_moves_older_visits_to_the_store(horizon, schema, tmp_path):
    from workbook_tools.merge.recording import rebuild_history

    folder, week = horizon
    cutoff = WEEKLY_AS_OF - dt.timedelta(weeks=4)
    result = week.merge.result
    moved, kept = result.visit_archive.moved, len(result.visits.rows)
    assert moved > 0 and kept > 0 and result.visit_archive.cutoff == cutoff == dt.date(2026, 10, 25)
    sheets = sheets_of(week.merge.output)
    visits = sheets["拜访记录"]
    date_col = visits[0].index("日期")
    assert len(visits) - 1 == kept and all(r[date_col] >= cutoff for r in visits[1:] if r[date_col])
    notes = {r[0]: r[1] for r in sheets["合并说明"] if r and r[0]}
    assert notes["移出条数"] == moved
    assert notes["移到哪里"] == (f"{moved} 条日期早于 2026-10-25 的拜访记录已移入档案历史库 档案历史.sqlite"
                              "（表 archived_visits）；客户资料卡和汇总表从历史库读取它们")
    recon = result.reconciliation("拜访记录")
    assert recon.ok and recon.text.endswith(f"+ 移入档案历史库 {moved}（一致）")
    assert any(r[1] == recon.text for r in sheets["合并说明"] if r and r[0] == "拜访记录")
    with HistoryStore(week.history) as store:
        archived = store.archived_visits()
        assert len(archived) == moved and all(v["date"] < "2026-10-25" for v in archived)
    assert week.summary.visits == kept + moved            # the summary sees every visit
    someone = archived[0]["customer_id"]
    n = sum(1 for v in archived if v["customer_id"] == someone) + sum(
        1 for r in result.visits.rows if r.values["customer_id"] == someone)
    cards = make_cards(week.merge.output, tmp_path / "卡.xlsx", schema=schema, as_of=WEEKLY_AS_OF,
                       history=week.history, select=Selection(customers=(someone,))).cards
    assert [x.title for x in cards.cards[0].listings if x.title.startswith("拜访记录")] == [f"拜访记录（共 {n} 次）"]
    with HistoryStore(week.history) as store:                    # `history 客户编号` counts them too
        assert customer_life(store, someone).visits == n
    rebuild_history(folder / "output", week.history, schema)     # the kept masters lack them: carried over
    with HistoryStore(week.history) as store:
        assert store.archived_count() == moved


def test_visit_horizon_config_is_checked(tmp_path):
    from workbook_tools.errors import SchemaError
    from workbook_tools.weekly import load_config
    from workbook_tools.weekly.config import KEYS

    assert not KEYS["visit_history_weeks"][0] and "拜访记录在总表中保留的周数" in KEYS["visit_history_weeks"][1]
    (tmp_path / "incoming").mkdir()
    text = ("regions: [华东]\nsalespeople: {华东: [张三]}\nincoming: incoming\nprevious: null\n"
            "contact_cycles: {重要客户: 7}\npurchase_cycles: {重要客户: 30}\nvisit_history_weeks: {weeks}\n")
    (tmp_path / "archive.yaml").write_text(text.replace("{weeks}", "0"), encoding="utf-8")
    with pytest.raises(SchemaError, match="visit_history_weeks.*正整数"):
        load_config(tmp_path)
    (tmp_path / "archive.yaml").write_text(text.replace("{weeks}", "26"), encoding="utf-8")
    assert load_config(tmp_path).visit_history_weeks == 26


def test_a_wider_horizon_takes_visits_back_from_the_store(horizon, schema, tmp_path):
    """A visit is in the master or in the store, never in both (nothing counted twice)."""
    folder, week = horizon
    store = tmp_path / "历史.sqlite"
    shutil.copy(week.history, store)
    total = len(week.merge.result.visits.rows) + week.merge.result.visit_archive.moved
    wider = merge_files([folder / "incoming"], tmp_path / "总表.xlsx", schema=schema, run_date=WEEKLY_AS_OF,
                        as_of=WEEKLY_AS_OF, visit_history_weeks=8, visit_store=store)
    kept, moved = len(wider.result.visits.rows), wider.result.visit_archive.moved
    assert moved < week.merge.result.visit_archive.moved and kept + moved == total
    with HistoryStore(store) as history:
        assert history.archived_count() == moved
    summary = build_summary(wider.output, tmp_path / "汇总.xlsx", schema=schema, as_of=WEEKLY_AS_OF, history=store)
    assert summary.visits == total


def test_weekly_console_says_where_the_visits_went(horizon, capsys):
    from workbook_tools.cli.weekly import print_weekly

    _, week = horizon
    print_weekly(week)
    moved = week.merge.result.visit_archive.moved
    assert f"  拜访记录只保留最近 4 周：{moved} 条日期早于 2026-10-25 的已移入档案历史库 档案历史.sqlite\n" \
        in capsys.readouterr().out


def test_plan_pending_list_continues(merged, schema, low_limit, tmp_path):
    _, run = merged
    plans = build_plans(run.output, schema=schema, week="2026-W48", max_per_day=1, out=tmp_path / "计划.xlsx")
    sheets = sheets_of(tmp_path / "计划.xlsx")
    pending = continued_sheets(list(sheets), "待安排")
    assert len(plans.pending) > 49 and len(pending) == len(sheet_counts(len(plans.pending), 1)) >= 2
    assert all(sheets[p][0] == sheets["待安排"][0] for p in pending)
    assert sum(len(sheets[p]) - 1 for p in pending) == len(plans.pending)
    report = validate_paths([tmp_path / "计划.xlsx"], schema, as_of=DAY)   # a returned plan: 待安排(2) is ours
    assert report.files[0].rows == plans.planned
    assert not [f for f in report.files[0].findings if "待安排" in f.sheet]


def test_previous_in_chunks_reads_the_continuation_sheets(merged, schema, low_limit, monkeypatch):
    from workbook_tools.merge import collect

    _, run = merged
    chunked = collect.load_previous(run.output, schema)
    monkeypatch.setattr(collect, "_previous_streamed", lambda path, schema: None)
    whole = collect.load_previous(run.output, schema)
    assert chunked[0].values._spill is not None and len(chunked) == 118
    assert {r.sheet for r in chunked} == {"客户档案", "客户档案(2)", "客户档案(3)"}
    assert [(dict(r.values), dict(r.extras), r.sheet, r.row) for r in chunked] == \
           [(dict(r.values), dict(r.extras), r.sheet, r.row) for r in whole]
