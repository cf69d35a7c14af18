"""``export_master``: the master's rows for one role, filtered, masked, optionally encrypted,
and recorded in the 借阅/发放 ledger — or nothing at all when the role may not receive it."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.export.accounts_sheet import accounts_sheet, read_accounts
from workbook_tools.export.read import SheetRows, read_master
from workbook_tools.export.workbook import write_export
from workbook_tools.io.atomic import atomic_path, refuse_inputs
from workbook_tools.io.crypto import encrypt_bytes, is_encrypted, opened
from workbook_tools.privacy.ledger import ISSUE, Ledger, default_ledger_path
from workbook_tools.privacy.view import RoleView
from workbook_tools.schema.model import HIDDEN, MASKED, Schema

SHEET_TITLES = {"registration": "客户档案", "visit-record": "拜访记录", "visit-plan": "拜访计划",
                "complaint": "投诉记录", "trade": "交易记录"}
ACCOUNTS = "客户分类"   # the master's computed classes and 信用评估, as the role may see them
FILTER_KEYS = ("customer_id", "region", "owner")   # what --customer/--region/--owner read
CONFIDENTIAL = ("本文件按《客户信息管理权限分配表》发放，仅限接收人用于上述用途；不得转发、复制或外传。"
                "到期请删除全部副本，并告知管理员在发放登记中登记归还。")


@dataclass
class ExportRequest:
    role: str
    recipient: str
    approver: str
    purpose: str = ""
    return_by: dt.date | None = None
    customers: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()

    def filters_text(self) -> str:
        parts = [f"{name}：{'、'.join(values)}" for name, values in
                 (("客户编号", self.customers), ("所属区域", self.regions), ("负责业务员", self.owners)) if values]
        return "；".join(parts) or "全部客户"


@dataclass
class ExportResult:
    path: Path
    entry: int
    ledger: Path
    role: str
    customers: int
    sheets: dict[str, int] = field(default_factory=dict)
    masked: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    encrypted: bool = False
    sha256: str = ""


def export_master(master: str | Path, output: str | Path, request: ExportRequest, *, schema: Schema,
                  password: str | None = None, master_password: str | None = None,
                  ledger: str | Path | None = None, today: dt.date | None = None) -> ExportResult:
    """Write ``output`` for ``request.role`` and append its ledger entry (see module doc)."""
    view = RoleView(schema, request.role)
    view.require_export()
    for what, value in (("接收人（--to）", request.recipient), ("审批人（--approved-by）", request.approver)):
        if not value.strip():
            raise WorkbookToolsError(f"发放必须写明{what}；未写出任何文件")
    master, output = Path(master), Path(output)
    refuse_inputs(output, [master])
    today = today or dt.date.today()
    forms = {"registration", *view.role.forms}
    if master_password is None and is_encrypted(master):
        raise WorkbookToolsError(f"总表 {master} 已加密；请用 --master-password-file 提供总表的密码"
                                 "（--password-file 是给发放文件加密用的密码）。未写出任何文件")
    with opened(master, master_password) as plain:
        tables = read_master(plain, schema, forms,   # hidden columns are never converted
                             wanted=lambda key: key in FILTER_KEYS or not view.hidden(key))
        accounts = read_accounts(plain)
    sheets, count = _sheets(tables, view, request, accounts)
    ledger_path = Path(ledger) if ledger else default_ledger_path()
    masked, hidden = view.labels(MASKED), view.labels(HIDDEN)

    written: list[Path] = []

    def build(number: int) -> dict:
        notes = _notes(number, request, view, today, count, sheets, tables, master, password is not None,
                       ledger_path)
        digest = _write(output, [master], notes, sheets, schema, password, today)
        written.append(output)
        return {"kind": ISSUE, "recipient": request.recipient, "approver": request.approver,
                "purpose": request.purpose, "role": view.name, "filters": request.filters_text(),
                "customers": count, "masked": "、".join(masked), "hidden": "、".join(hidden),
                "output": output.name, "sha256": digest, "encrypted": int(password is not None),
                "return_by": request.return_by.isoformat() if request.return_by else ""}

    try:
        entry = Ledger(ledger_path).append(build)
    except BaseException:
        for path in written:  # written but not recorded: an unrecorded 发放 must not exist
            path.unlink(missing_ok=True)
        raise
    return ExportResult(path=output, entry=entry.number, ledger=ledger_path, role=view.name,
                        customers=count, sheets={name: len(rows) for name, _, rows in sheets},
                        masked=masked, hidden=hidden, encrypted=password is not None, sha256=entry.sha256)


def _keep(table: SheetRows, request: ExportRequest, ids: set[str] | None) -> list[list]:
    keys = table.keys
    checks = []
    if ids is not None and "customer_id" in keys:
        checks.append((keys.index("customer_id"), ids))
    for key, values in (("customer_id", request.customers), ("region", request.regions),
                        ("owner", request.owners)):
        if values and key in keys and ids is None:
            checks.append((keys.index(key), set(values)))
    if not checks:
        return table.rows
    return [row for row in table.rows if all(row[i] in wanted for i, wanted in checks)]


def _sheets(tables: dict[str, SheetRows], view: RoleView, request: ExportRequest, accounts=None
            ) -> tuple[list, int]:
    customers = tables["registration"]
    kept = _keep(customers, request, None)
    id_pos = customers.keys.index("customer_id") if "customer_id" in customers.keys else None
    ids = {row[id_pos] for row in kept} if id_pos is not None else set()
    out = [(SHEET_TITLES["registration"], *_project(customers, kept, view))]
    classes = accounts_sheet(accounts, ids, view, view.schema)
    if classes is not None:
        out.append((ACCOUNTS, *classes))
    for form_key in ("visit-record", "complaint", "visit-plan", "trade"):
        table = tables.get(form_key)
        if table is not None and view.receives(form_key):
            rows = _keep(table, request, ids)
            out.append((SHEET_TITLES[form_key], *_project(table, rows, view)))
    return out, len(kept)


def _project(table: SheetRows, rows: list[list], view: RoleView) -> tuple[list, list]:
    """Headers and rows as the role sees them: hidden columns dropped, masked ones masked."""
    columns = [(i, key) for i, key in enumerate(table.keys) if not view.hidden(key)]
    headers = [table.form.field(key).label for _, key in columns]
    masks = [(j, key) for j, (_, key) in enumerate(columns) if view.masked(key)]
    picks = [i for i, _ in columns]
    if not masks and picks == list(range(len(table.keys))):
        return headers, rows        # read with exactly the role's columns: nothing to change
    out = []
    for row in rows:
        values = [row[i] for i in picks]
        for j, key in masks:
            values[j] = view.show(key, values[j])
        out.append(values)
    return headers, out


def _notes(number, request, view, today, count, sheets, tables, master, encrypted, ledger_path) -> list:
    dropped = tables["registration"].other_columns
    return [
        ("发放编号", f"第 {number} 号（登记于 {ledger_path.name}）"),
        ("接收人", request.recipient),
        ("审批人", request.approver),
        ("用途", request.purpose or "（未填写）"),
        ("发放日期", today.isoformat()),
        ("归还期限", request.return_by.isoformat() if request.return_by else "（未规定）"),
        ("接收人角色", f"{view.name}：{view.role.description}" if view.role.description else view.name),
        ("客户数", f"{count} 位"),
        ("筛选条件", request.filters_text()),
        ("工作表", "、".join(f"{name} {len(rows)} 行" for name, _, rows in sheets)),
        ("脱敏字段", "、".join(view.labels(MASKED)) or "无"),
        ("不提供的字段", "、".join(view.labels(HIDDEN)) or "无"),
        ("其他不提供的列", "、".join(dropped) if dropped else "无"),
        ("来源", f"{master.name}（原始资料，只可查询，不外借）"),
        ("加密", "是（打开需要密码，密码另行告知）" if encrypted else "否"),
        ("保密要求", CONFIDENTIAL),
    ]


def _write(output: Path, inputs, notes, sheets, schema: Schema, password, today) -> str:
    widths = {f.label: f.width for form in schema.forms for f in form.fields}
    created = dt.datetime.combine(today, dt.time())
    with atomic_path(output, inputs) as tmp:
        write_export(tmp, notes, sheets, widths, created)
        if password is not None:
            tmp.write_bytes(encrypt_bytes(tmp.read_bytes(), password))
        digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
    return digest

