"""Cards handed to a person (发放): built with that role's view of every field (权限分配表) and
recorded in the 借阅/发放 ledger like an export; and cards whose 修改记录 comes from the history
store. ``card_command_run`` is the one library call behind `workbook-tools card`."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from workbook_tools.card.build import CardResult, Selection, build_cards
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.history import HistoryStore
from workbook_tools.privacy.ledger import ISSUE, Ledger, default_ledger_path
from workbook_tools.privacy.view import RoleView
from workbook_tools.schema.model import HIDDEN, MASKED, Schema


@dataclass
class CardIssue:
    """Who receives the cards: as `export`'s request (a role needs a recipient and an approver)."""

    role: str
    recipient: str
    approver: str
    purpose: str = ""
    return_by: dt.date | None = None


@dataclass
class IssuedCards:
    cards: CardResult
    entry: int | None = None          # the ledger entry (cards given out with a role)
    ledger: Path | None = None
    role: str | None = None


def make_cards(master: str | Path, output: str | Path, *, schema: Schema, as_of: dt.date | None = None,
               select: Selection = Selection(), pdf: bool = False, history: str | Path | None = None,
               issue: CardIssue | None = None, ledger: str | Path | None = None) -> IssuedCards:
    """The cards of ``master``: with ``history`` their 修改记录 from that store; with ``issue``
    masked and hidden as the role allows, and recorded in the ledger (nothing is written when the
    role may not receive customer data)."""
    with _store(history) as store:
        changes_for = store.changes_for if store is not None else None
        archived = store.archived_visits() if store is not None else []
        if issue is None:
            return IssuedCards(build_cards(master, output, schema=schema, as_of=as_of, select=select,
                                           changes_for=changes_for, pdf=pdf, archived_visits=archived))
        return _issue(master, Path(output), issue, schema, as_of, select, pdf, changes_for, ledger, archived)


@contextlib.contextmanager
def _store(history: str | Path | None):
    """The history store (修改记录 and the archived visits of visit_history_weeks), or None."""
    if history is None:
        yield None
        return
    with HistoryStore(history) as store:
        yield store


def _issue(master, output: Path, issue: CardIssue, schema: Schema, as_of, select, pdf, changes_for,
           ledger, archived=()) -> IssuedCards:
    view = RoleView(schema, issue.role)
    view.require_export()
    for what, value in (("接收人（--to）", issue.recipient), ("审批人（--approved-by）", issue.approver)):
        if not value.strip():
            raise WorkbookToolsError(f"发放资料卡必须写明{what}；未写出任何文件")
    ledger_path = Path(ledger) if ledger else default_ledger_path()
    built: list[CardResult] = []

    def build(number: int) -> dict:
        result = build_cards(master, output, schema=schema, as_of=as_of, select=select, view=view,
                             changes_for=changes_for, pdf=pdf, archived_visits=archived)
        built.append(result)
        return {"kind": ISSUE, "recipient": issue.recipient, "approver": issue.approver,
                "purpose": issue.purpose or "客户资料卡", "role": view.name, "filters": _filters(select),
                "customers": len(result.cards), "masked": "、".join(view.labels(MASKED)),
                "hidden": "、".join(view.labels(HIDDEN)), "output": output.name,
                "sha256": hashlib.sha256(output.read_bytes()).hexdigest(), "encrypted": 0,
                "return_by": issue.return_by.isoformat() if issue.return_by else ""}

    try:
        entry = Ledger(ledger_path).append(build)
    except BaseException:
        if built:   # written but not recorded: an unrecorded 发放 must not exist
            output.unlink(missing_ok=True)
        raise
    return IssuedCards(built[0], entry.number, ledger_path, view.name)


def _filters(select: Selection) -> str:
    parts = [f"{name}：{'、'.join(values) if isinstance(values, tuple) else values}"
             for name, values in (("客户编号", select.customers), ("所属区域", select.region),
                                  ("负责业务员", select.owner), ("客户类别", select.category)) if values]
    return "；".join(parts) or "全部客户"
