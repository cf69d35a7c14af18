"""The 借阅/发放 ledger: entries, return and overdue, the hash chain and its tamper test,
two exports at the same time, and the printable 客户资料借阅表."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from workbook_tools.export.ledger_sheet import write_ledger_sheet
from workbook_tools.privacy.ledger import Ledger, LedgerError

ROOT = Path(__file__).resolve().parents[1]


def cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "workbook_tools", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True)


def issue(ledger: Ledger, recipient: str, return_by: str = "", **extra) -> int:
    return ledger.append(lambda n: {"kind": "发放", "recipient": recipient, "approver": "王经理",
                                    "role": "业务员", "customers": 3, "output": f"{recipient}.xlsx",
                                    "return_by": return_by, **extra}).number


@pytest.fixture
def book(tmp_path):
    ledger = Ledger(tmp_path / "发放登记.db")
    issue(ledger, "李四", "2026-12-31")
    issue(ledger, "赵六", "2026-11-01")
    issue(ledger, "孙七")
    return ledger


def test_entries_return_and_overdue(book, tmp_path):
    today = dt.date(2026, 11, 22)
    assert [e.number for e in book.issues()] == [1, 2, 3]
    assert [e.recipient for e in book.issues(overdue_on=today)] == ["赵六"]
    back = book.give_back(2, note="已删除副本", time="2026-11-23T09:00:00")
    assert (back.number, back.kind, back.returns) == (4, "归还", 2)
    assert [e.number for e in book.issues(open_only=True)] == [1, 3]
    assert book.issues()[1].returned == "2026-11-23" and book.issues(overdue_on=today) == []
    with pytest.raises(LedgerError, match="第 2 号发放记录已于 2026-11-23 归还"):
        book.give_back(2)
    with pytest.raises(LedgerError, match="发放登记中没有第 9 号发放记录"):
        book.give_back(9)
    run = cli("ledger", "list", "--open", "--json", "--as-of", "2026-12-31", cwd=tmp_path)
    assert [(e["number"], e["recipient"], e["overdue"]) for e in json.loads(run.stdout)] == \
        [(1, "李四", False), (3, "孙七", False)]
    run = cli("ledger", "list", "--overdue", "--as-of", "2027-01-05", cwd=tmp_path)
    assert run.stdout.splitlines()[-1] == "共 1 条。" and "接收人 李四" in run.stdout and "逾期未还" in run.stdout
    run = cli("ledger", "return", "3", cwd=tmp_path)
    assert run.stdout.strip() == "已登记归还：第 3 号发放（接收人 孙七，孙七.xlsx），归还记录为第 5 号。"


def test_updates_and_deletes_are_refused_by_the_database(book):
    with sqlite3.connect(book.path) as conn, pytest.raises(sqlite3.DatabaseError, match="只能追加"):
        conn.execute("UPDATE entries SET recipient = '王五' WHERE number = 2")


@pytest.mark.parametrize("tamper, bad, reason", [
    ("UPDATE entries SET recipient = '王五' WHERE number = 2", 2, "内容与登记时的校验值不符（被修改）"),
    ("DELETE FROM entries WHERE number = 2", 2, "缺少第 2 号记录（被删除）"),
])
def test_verify_names_the_first_altered_entry(book, tmp_path, tamper, bad, reason):
    assert cli("ledger", "verify", cwd=tmp_path).returncode == 0
    with sqlite3.connect(book.path) as conn:  # what someone with sqlite3 could do
        conn.execute("DROP TRIGGER entries_no_update")
        conn.execute("DROP TRIGGER entries_no_delete")
        conn.execute(tamper)
    run = cli("ledger", "verify", "--ledger", book.path, cwd=ROOT)
    assert run.returncode == 1
    assert run.stderr.strip() == f"发放登记被改动：第 {bad} 号记录{reason}；从这一条起的记录不可信，请从备份核对。"


def test_two_processes_appending_at_once_get_distinct_numbers(tmp_path):
    script = ("import sys, time; from workbook_tools.privacy.ledger import Ledger\n"
              "def build(n):\n    time.sleep(0.3)\n    return {'kind': '发放', 'recipient': sys.argv[2]}\n"
              "print(Ledger(sys.argv[1]).append(build).number)")
    path = tmp_path / "l.db"
    Ledger(path).verify()
    procs = [subprocess.Popen([sys.executable, "-c", script, str(path), name], stdout=subprocess.PIPE, text=True)
             for name in ("甲", "乙")]
    numbers = sorted(int(p.communicate()[0]) for p in procs)
    assert numbers == [1, 2]
    ledger = Ledger(path)
    assert sorted(e.recipient for e in ledger.issues()) == ["乙", "甲"] and ledger.verify().ok


def test_ledger_export_is_the_printable_loan_sheet(book, tmp_path):
    book.give_back(1, time="2026-11-30T10:00:00")
    out = tmp_path / "客户资料借阅表.xlsx"
    assert write_ledger_sheet(book, out, today=dt.date(2026, 12, 2)) == 3
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("客户资料借阅表").to_python()
    assert rows[0][0] == "客户资料借阅表（发放登记 发放登记.db，打印日期 2026-12-02）"
    assert rows[1][:6] == ["编号", "发放时间", "经办人", "接收人", "审批人", "用途"]
    states = {r[3]: (r[13], r[14], r[15]) for r in rows[2:]}
    assert states == {"李四": ("2026-12-31", "2026-11-30", "已归还"), "赵六": ("2026-11-01", "", "逾期未还"),
                      "孙七": ("", "", "借出中")}
    run = cli("ledger", "export", "-o", "表.xlsx", cwd=tmp_path)
    assert run.returncode == 0 and run.stdout.strip() == "已导出客户资料借阅表：表.xlsx（发放记录 3 条）"


def test_overdue_loans_appear_in_the_weekly_report(tmp_path):
    import yaml

    from test_privacy_outputs import CONFIG
    from workbook_tools.sampledata import generate_samples
    from workbook_tools.weekly import run_weekly

    generate_samples(tmp_path / "incoming", regions=["华东", "华南"], customers_per_region=8)
    (tmp_path / "archive.yaml").write_text(yaml.safe_dump(CONFIG, allow_unicode=True), encoding="utf-8")
    ledger = Ledger(tmp_path / "发放登记.db")
    issue(ledger, "赵六", "2026-11-01")
    issue(ledger, "李四", "2026-12-31")
    issue(ledger, "孙七", "2026-11-02")
    ledger.give_back(3)
    html = run_weekly(tmp_path, as_of=dt.date(2026, 11, 22)).report.read_text(encoding="utf-8")
    section = html.split("<h2>逾期未归还的发放资料</h2>")[1].split("</table>")[0]
    assert "<td>赵六</td>" in section and "2026-11-01" in section
    assert "李四" not in section and "孙七" not in section
