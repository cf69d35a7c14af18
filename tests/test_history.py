"""The history store: what a run records, a second week's real changes, rerun idempotence,
crash safety (a killed writer), readers while a run writes, rebuild from the kept masters,
and the `history` command's Chinese, masked output."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from workbook_tools.cli import cli
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.history import HistoryStore, record_run
from workbook_tools.history.mask import _shown
from workbook_tools.io.reader import read_workbook
from workbook_tools.merge.files import merge_files
from workbook_tools.merge.recording import rebuild_history, record_from_master
from workbook_tools.sampledata import generate_samples
from workbook_tools.schema import load_schema

W47, W48 = dt.date(2026, 11, 22), dt.date(2026, 11, 29)
NEW_MOBILE = "13912345678"


def _edit(path: Path, customer_id: str, changes: dict[str, object] | None) -> None:
    """Change cells of a customer's row as a person would (None: delete the row)."""
    schema = load_schema()
    table = read_workbook(path, schema, form="registration").sheets[0]
    id_pos = table.position("customer_id")
    record = next(r for r in table.records if r.values[id_pos] == customer_id)
    book = openpyxl.load_workbook(path)
    ws = book[table.sheet]
    if changes is None:
        ws.delete_rows(record.row)
    for key, value in (changes or {}).items():
        ws.cell(record.row, table.columns[table.position(key)].index + 1).value = value
    book.save(path)


def _merge(root: Path, week: str, day: dt.date, store: Path, previous: Path | None = None):
    return merge_files([root / "incoming"], root / "output" / week / f"客户档案总表_{week}.xlsx",
                       previous=previous, run_date=day, as_of=day, history=store, force=True)


def _clean_customer(result, region: str, skip: set[str] = frozenset()):
    return next(c for c in result.customers if c.values.get("region") == region and c.n_sources == 1
                and not c.quarantined and c.values.get("mobile") and c.id not in skip)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """Two weeks merged with --history: in the second, one customer's 手机 and 联系人
    changed, another customer's row was deleted (本周未出现)."""
    root = tmp_path_factory.mktemp("history")
    generate_samples(root / "incoming", regions=["华东", "华南"], customers_per_region=25)
    store = root / "档案历史.sqlite"
    first = _merge(root, "2026-W47", W47, store)
    week1 = root / "after-W47.sqlite"
    shutil.copy(store, week1)
    changed = _clean_customer(first.result, "华东")
    absent = _clean_customer(first.result, "华南")
    _edit(root / "incoming" / changed.provenance.file, changed.id, {"mobile": NEW_MOBILE, "contact": "林晓峰"})
    _edit(root / "incoming" / absent.provenance.file, absent.id, None)
    second = _merge(root, "2026-W48", W48, store, previous=first.output)
    return {"root": root, "store": store, "week1": week1, "first": first, "second": second,
            "changed": changed, "absent": absent}


def _dump(path: Path) -> dict:
    with HistoryStore(path) as store:
        return store.dump()


def test_first_run_records_every_customer_in_full(archive):
    first, changed = archive["first"].result, archive["changed"]
    with HistoryStore(archive["week1"]) as store:
        assert store.weeks() == ["2026-W47"]
        (run,) = store.runs()
        assert run["customers"] == run["new"] == len(first.customers)
        assert run["inputs"] == [{"file": i.name, "sha256": i.sha256} for i in first.inputs]
        record = store.record_of(changed.id)
        assert record["customer_id"] == changed.id and record["mobile"] == changed.values["mobile"]
        assert record["customer_name"] == changed.values["customer_name"]
        assert record["created"] == changed.values["created"].isoformat()
        assert store.changes_for(changed.id) == []  # a first merge has no 变更记录
        assert store.record_of("NOSUCH") is None


def test_second_week_field_change_and_absence(archive):
    changed, absent = archive["changed"], archive["absent"]
    with HistoryStore(archive["store"]) as store:
        entries = store.changes_for(changed.id)
        assert [(e.week, e.date, e.kind, e.field) for e in entries] == [
            ("2026-W48", W48, "修改", "联系人"), ("2026-W48", W48, "修改", "手机")]
        mobile = entries[1]
        assert (mobile.old, mobile.new) == (changed.values["mobile"], NEW_MOBILE)
        assert mobile.file == changed.provenance.file
        assert mobile.text == f"将 手机 由 {changed.values['mobile']} 修改为 {NEW_MOBILE}"
        assert store.record_of(changed.id, "2026-W47")["mobile"] == changed.values["mobile"]
        assert store.record_of(changed.id)["mobile"] == NEW_MOBILE
        assert store.record_of(changed.id)["contact"] == "林晓峰"
        assert [e.kind for e in store.changes_for(absent.id)] == ["本周未出现"]
        totals = store.weekly_totals()
        assert [t["week"] for t in totals] == ["2026-W47", "2026-W48"]
        assert totals[1] | {"week": None} == {"week": None, "customers": totals[0]["customers"], "new": 0,
                                              "changed": 1, "absent": 1, "overdue": 0,
                                              "quarantined": len(archive["second"].result.quarantined)}
        assert store.weekly_totals(last=1) == totals[1:]


def test_an_unchanged_customer_is_stored_once(archive):
    con = sqlite3.connect(archive["store"])
    customers = len(archive["second"].result.customers)
    versions = con.execute("SELECT count(*) FROM versions").fetchone()[0]
    con.close()
    assert versions == customers + 1          # week 1 for everyone, week 2 only the changed one


def test_changed_since_lists_changes_across_customers(archive):
    with HistoryStore(archive["store"]) as store:
        assert [c.field for c in store.changed_since(dt.date(2026, 11, 1))] == ["联系人", "手机"]
        assert [c.new for c in store.changed_since(dt.date(2026, 11, 1), "手机")] == [NEW_MOBILE]
        assert store.changed_since(dt.date(2026, 12, 1)) == []
        assert store.count_changed_since(dt.date(2026, 11, 1)) == (2, 1)


def test_rerun_of_a_week_replaces_it(archive, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(archive["root"], root)
    store = root / "档案历史.sqlite"
    before = _dump(store)
    previous = root / "output" / "2026-W47" / "客户档案总表_2026-W47.xlsx"
    _merge(root, "2026-W48", W48, store, previous=previous)
    assert _dump(store) == before
    # the office corrects the number again and the week is rerun: only the new value remains
    changed = archive["changed"]
    _edit(root / "incoming" / changed.provenance.file, changed.id, {"mobile": "13800001111"})
    _merge(root, "2026-W48", W48, store, previous=previous)
    with HistoryStore(store) as history:
        mobiles = [(e.old, e.new) for e in history.changes_for(changed.id) if e.field == "手机"]
        assert mobiles == [(changed.values["mobile"], "13800001111")]
        assert history.record_of(changed.id)["mobile"] == "13800001111"
        assert len(history.runs()) == 2
    con = sqlite3.connect(store)
    assert con.execute("SELECT count(*) FROM bodies WHERE hash NOT IN (SELECT hash FROM versions)"
                       ).fetchone()[0] == 0
    con.close()
    # an earlier week recorded again: the user is told to rebuild
    (notice,) = record_run(store, record_from_master(previous, load_schema()))
    assert "已有更晚的周（2026-W48），本次重新记录了较早的 2026-W47" in notice
    assert "history rebuild" in notice
    assert record_run(store, record_from_master(previous.parent.parent / "2026-W48" / "客户档案总表_2026-W48.xlsx",
                                                load_schema())) == []


def test_rebuild_from_kept_masters_equals_incremental_store(archive, tmp_path):
    rebuilt = tmp_path / "重建.sqlite"
    runs = rebuild_history(archive["root"] / "output", rebuilt, load_schema())
    assert [r.week for r in runs] == ["2026-W47", "2026-W48"]
    assert _dump(rebuilt) == _dump(archive["store"])
    result = CliRunner().invoke(cli, ["history", "rebuild", str(archive["root"] / "output"),
                                      "--store", str(tmp_path / "cli.sqlite")])
    assert result.exit_code == 0, result.output
    assert "已从 2 份总表重建档案历史库" in result.output
    assert "2026-W48（2026-11-29）客户档案总表_2026-W48.xlsx" in result.output
    assert _dump(tmp_path / "cli.sqlite") == _dump(archive["store"])


def test_rebuild_replaces_a_store_that_readers_have_open(archive, tmp_path):
    store = tmp_path / "档案历史.sqlite"
    shutil.copy(archive["week1"], store)
    reader = HistoryStore(store)
    assert reader.weeks() == ["2026-W47"]
    rebuild_history(archive["root"] / "output", store, load_schema())
    assert reader.weeks() == ["2026-W47", "2026-W48"]       # the open reader sees the new store
    reader.close()
    assert _dump(store) == _dump(archive["store"])
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~")]   # no temporary left
    other = tmp_path / "别的.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t(x)")
    con.close()
    with pytest.raises(WorkbookToolsError, match="不是档案历史库"):
        rebuild_history(archive["root"] / "output", other, load_schema())


CHILD = """
import os, signal, sys, time
from pathlib import Path
from workbook_tools.history import record_run
from workbook_tools.merge.recording import record_from_master
from workbook_tools.schema import load_schema
store, master, mode, flag = sys.argv[1:5]
run = record_from_master(master, load_schema())

def step(name):
    if name != "changes":
        return
    if mode == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    Path(flag + ".paused").touch()
    while not Path(flag + ".go").exists():
        time.sleep(0.05)

record_run(store, run, on_step=step)
"""


def _child(store: Path, master: Path, mode: str, flag: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    return subprocess.Popen([sys.executable, "-c", CHILD, str(store), str(master), mode, str(flag)], env=env)


def _wait_for(path: Path, proc: subprocess.Popen) -> None:
    for _ in range(1200):                     # a safety net, not a timing assertion
        if path.exists() or proc.poll() is not None:
            break
        time.sleep(0.05)
    assert path.exists(), f"the writer never reached its pause (exit code {proc.poll()})"


def test_killed_writer_leaves_the_store_as_before(archive, tmp_path):
    store = tmp_path / "档案历史.sqlite"
    shutil.copy(archive["week1"], store)
    before = _dump(store)
    master = archive["second"].output
    proc = _child(store, master, "kill", tmp_path / "flag")
    assert proc.wait(timeout=300) == -9       # SIGKILL half-way through the transaction
    assert _dump(store) == before
    con = sqlite3.connect(store)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()
    record_run(store, record_from_master(master, load_schema()))  # the next run works
    assert _dump(store) == _dump(archive["store"])


def test_readers_see_the_last_run_while_a_run_writes(archive, tmp_path):
    store, flag = tmp_path / "档案历史.sqlite", tmp_path / "flag"
    shutil.copy(archive["week1"], store)
    changed = archive["changed"]
    early = HistoryStore(store)                # opened before the writer starts
    proc = _child(store, archive["second"].output, "pause", flag)
    try:
        _wait_for(Path(f"{flag}.paused"), proc)
        with HistoryStore(store) as reader:    # opened while the writer holds its transaction
            assert reader.weeks() == ["2026-W47"]
            assert reader.record_of(changed.id)["mobile"] == changed.values["mobile"]
            assert reader.changes_for(changed.id) == []
        assert early.weeks() == ["2026-W47"]
    finally:
        Path(f"{flag}.go").touch()
        assert proc.wait(timeout=300) == 0
    assert early.weeks() == ["2026-W47", "2026-W48"]
    early.close()
    with HistoryStore(store) as reader:
        assert reader.record_of(changed.id)["mobile"] == NEW_MOBILE


def test_history_command_prints_the_life_masked(archive, monkeypatch):
    changed, store = archive["changed"], str(archive["store"])
    old = changed.values["mobile"]
    result = CliRunner().invoke(cli, ["history", changed.id.lower(), "--store", store])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"客户 {changed.id} {changed.values['customer_name']}"
    assert lines[1] == (f"  进入档案：2026-W47（2026-11-22，建立档案历史时已在总表中；"
                        f"来源 {changed.provenance.file}）")
    assert f"    2026-W48  2026-11-29  手机：{old[:3]}****{old[-4:]} → 139****5678" \
           f"（来源 {changed.provenance.file}）" in lines
    assert "  本周未出现的周：无" in lines
    assert old not in result.output and NEW_MOBILE not in result.output
    data = json.loads(CliRunner().invoke(cli, ["history", changed.id, "--store", store, "--json"]).output)
    assert [c["new"] for c in data["changes"]] == ["林晓峰", "139****5678"]
    assert NEW_MOBILE not in json.dumps(data, ensure_ascii=False)
    absent = CliRunner().invoke(cli, ["history", archive["absent"].id, "--store", store])
    assert "  本周未出现的周：2026-W48（共 1 周）" in absent.output.splitlines()
    # without --store: the store of archive.yaml in the current folder
    monkeypatch.chdir(archive["root"])
    (archive["root"] / "archive.yaml").write_text(yaml.safe_dump({"history": "档案历史.sqlite"}), "utf-8")
    try:
        assert CliRunner().invoke(cli, ["history", changed.id]).output == result.output
    finally:
        (archive["root"] / "archive.yaml").unlink()


def test_history_changed_since_command(archive):
    store = str(archive["store"])
    result = CliRunner().invoke(cli, ["history", "--changed-since", "2026-11-01", "--field", "手机",
                                      "--store", store])
    assert result.exit_code == 0, result.output
    changed = archive["changed"]
    old = changed.values["mobile"]
    assert result.output.splitlines() == [
        "2026-11-01 以来“手机”的修改：1 条，涉及 1 位客户",
        f"  2026-11-29  2026-W48  {changed.id} {changed.values['customer_name']}  手机：{old[:3]}****"
        f"{old[-4:]} → 139****5678（来源 {changed.provenance.file}）"]
    limited = CliRunner().invoke(cli, ["history", "--changed-since", "2026-11-01", "--limit", "1",
                                       "--store", store])
    assert "（仅列出前 1 条；用 --limit 0 列出全部，或 --json 导出）" in limited.output
    unknown = CliRunner().invoke(cli, ["history", "--changed-since", "2026-11-01", "--field", "鞋码",
                                       "--store", store])
    assert unknown.exit_code == 2 and "档案历史中没有字段“鞋码”" in unknown.output


def test_history_command_errors_are_one_chinese_line(archive, tmp_path, monkeypatch):
    from workbook_tools.cli import main

    def run(*args):
        with pytest.raises(SystemExit) as exit_:
            main(list(args))
        return exit_.value.code

    monkeypatch.chdir(tmp_path)
    assert run("history", "HD0001") == 2                       # no archive.yaml, no --store
    assert run("history", "HD0001", "--store", str(tmp_path / "无.sqlite")) == 2
    (tmp_path / "x.sqlite").write_bytes(b"not a database at all" * 10)
    assert run("history", "HD0001", "--store", str(tmp_path / "x.sqlite")) == 2
    assert run("history", "NOSUCH", "--store", str(archive["store"])) == 2
    assert run("history", "--field", "手机", "--store", str(archive["store"])) == 2
    with pytest.raises(WorkbookToolsError, match="不是档案历史库"):
        HistoryStore(tmp_path / "x.sqlite")


def test_merge_refuses_a_file_that_is_not_a_store(archive, tmp_path):
    other = tmp_path / "别的.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t(x)")
    con.close()
    with pytest.raises(WorkbookToolsError, match="不是档案历史库"):
        merge_files([archive["root"] / "incoming"], tmp_path / "总表.xlsx", run_date=W47, as_of=W47,
                    history=other)
    assert not (tmp_path / "总表.xlsx").exists()    # refused before merging


def test_sensitive_values_are_masked():
    """The history output uses the same masks as every other output (privacy.masks)."""
    assert _shown("mobile", "13912345678") == "139****5678"
    assert _shown("id_card", "110101199003074514") == "110101********4514"
    assert _shown("bank_account", "6222020200112233445") == "*" * 15 + "3445"   # privacy.masks: only the last 4 kept, the length shown
    assert _shown("text", "13912345678") == "13912345678"
    assert _shown("mobile", None) is None


def test_history_lists_the_customers_trades(archive):
    """交易记录 rows are recorded like visits: `history ID` lists the customer's deals, each once
    although both weeks' masters carry them."""
    trades = archive["first"].result.trades.rows
    cid = max({str(r.values["customer_id"]) for r in trades},
              key=lambda c: (sum(str(r.values["customer_id"]) == c for r in trades), c))
    mine = sorted((r.values for r in trades if r.values["customer_id"] == cid),
                  key=lambda v: (v["date"], v["trade_id"]))
    assert len(mine) >= 2
    with HistoryStore(archive["store"]) as store:
        assert store.added_counts(cid)["交易"] == len(mine)
    result = CliRunner().invoke(cli, ["history", cid, "--store", str(archive["store"])])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    total = sum(v["amount"] for v in mine)
    assert f"  交易记录 {len(mine)} 笔，金额合计 {total:,.2f} 元，" in "\n".join(lines)
    last = mine[-1]
    back = (f"回款 {last['paid_date'].isoformat()} {last['paid_amount']:,.2f} 元" if last.get("paid_date")
            else "未回款")
    assert (f"    {last['date'].isoformat()}  {last['trade_id']}  {last['product']}  {last['amount']:,.2f} 元  "
            f"{back}") in lines
    data = json.loads(CliRunner().invoke(cli, ["history", cid, "--store", str(archive["store"]), "--json"]).output)
    assert [t["trade_id"] for t in data["trades"]] == [v["trade_id"] for v in mine]
    assert data["trades"][0]["amount"] == pytest.approx(mine[0]["amount"])
