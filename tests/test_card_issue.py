"""Cards from the history store and cards handed out under a role: 修改记录 from the store, every
field as the role allows (no raw sensitive value anywhere in the package), an entry in the
发放 ledger, and nothing at all for a role that may not receive customer data."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from workbook_tools.card import CardIssue, Selection, make_cards
from workbook_tools.cli import main
from workbook_tools.history import HistoryStore
from workbook_tools.privacy.ledger import Ledger
from workbook_tools.privacy.view import RoleView
from workbook_tools.schema import load_schema
from workbook_tools.weekly.demo import SECOND_AS_OF, run_demo

SCHEMA = load_schema()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The two-week demo, small: HD0001's 手机 and 联系人 changed in the second week."""
    result = run_demo(tmp_path_factory.mktemp("demo"), customers=20)
    edited = dict(result.edited)
    customer = next(cid for cid in edited if cid.startswith("HD"))
    return result, customer


def _cells(path: Path, sheet: str) -> list[list]:
    ws = load_workbook(path)[sheet]
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_change_record_comes_from_the_history_store(demo, tmp_path):
    result, customer = demo
    master, store = result.weekly.merge.output, result.weekly.history
    done = make_cards(master, tmp_path / "卡.xlsx", schema=SCHEMA, as_of=SECOND_AS_OF, history=store,
                      select=Selection((customer,)))
    with HistoryStore(store) as history:
        expected = [c.text for c in history.changes_for(customer) if c.field]
    texts = [str(v) for row in _cells(done.cards.path, customer) for v in row if v]
    assert expected and all(any(text in t for t in texts) for text in expected)
    assert done.entry is None                          # head office's own cards are not a 发放


def _withheld_values(master: Path, customer: str, role: str) -> list[str]:
    """The customer's distinctive values (6 characters or more: numbers, addresses, accounts — a
    hidden choice such as 公司 occurs in any company name) the role may not see as they are."""
    view = RoleView(SCHEMA, role)
    rows = _cells(master, "客户档案")
    header = [str(h) for h in rows[0]]
    row = next(r for r in rows[1:] if r[0] == customer)
    out = []
    for f in SCHEMA.form("registration").fields:
        value = row[header.index(f.label)] if f.label in header else None
        if len(str(value or "")) >= 6 and (view.hidden(f.key) or view.show(f.key, value) != value):
            out.append(str(value))
    return out


def test_cards_given_out_under_a_role_hold_no_raw_sensitive_value(demo, tmp_path):
    result, customer = demo
    master = result.weekly.merge.output
    raw = _withheld_values(master, customer, "业务员")
    assert len(raw) >= 2                                # 手机, 身份证号 or 地址 … at least
    issue = CardIssue("业务员", recipient="朱月", approver="王经理", purpose="拜访")
    done = make_cards(master, tmp_path / "业务员.xlsx", schema=SCHEMA, as_of=SECOND_AS_OF,
                      history=result.weekly.history, select=Selection((customer,)), issue=issue,
                      ledger=tmp_path / "发放登记.db")
    with zipfile.ZipFile(done.cards.path) as package:
        parts = {name: package.read(name).decode("utf-8", "replace") for name in package.namelist()}
    assert [(v, name) for v in raw for name, text in parts.items() if v in text] == []
    entry = next(e for e in Ledger(tmp_path / "发放登记.db").entries() if e.number == done.entry)
    assert (entry.role, entry.recipient, entry.approver, entry.customers) == ("业务员", "朱月", "王经理", 1)
    assert entry.sha256 == hashlib.sha256(done.cards.path.read_bytes()).hexdigest()


def test_a_role_that_may_not_receive_gets_nothing(demo, tmp_path, capsys):
    result, _ = demo
    out, ledger = tmp_path / "外部.xlsx", tmp_path / "发放登记.db"
    with pytest.raises(SystemExit) as exc:
        main(["card", str(result.weekly.merge.output), "-o", str(out), "--role", "外部", "--to", "某公司",
              "--approved-by", "王经理", "--ledger", str(ledger)])
    assert exc.value.code == 2 and "不能接收客户资料" in capsys.readouterr().err
    assert not out.exists() and (not ledger.exists() or not Ledger(ledger).entries())
