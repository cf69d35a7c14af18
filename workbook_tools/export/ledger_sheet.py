"""The ledger as the seeds' 《客户资料借阅表》: one printable sheet, one row per 发放."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from workbook_tools.io.atomic import atomic_path
from workbook_tools.io.pagesetup import FOOTER, page_header
from workbook_tools.privacy.ledger import Ledger

TITLE = "客户资料借阅表"
COLUMNS = [("编号", 6), ("发放时间", 19), ("经办人", 10), ("接收人", 10), ("审批人", 10), ("用途", 18),
           ("角色", 9), ("筛选条件", 18), ("客户数", 8), ("脱敏字段", 16), ("不提供的字段", 24),
           ("文件", 26), ("加密", 6), ("归还期限", 11), ("归还日期", 11), ("状态", 8), ("文件 sha256", 20)]


def write_ledger_sheet(ledger: Ledger, output: str | Path, today: dt.date | None = None) -> int:
    """Write the 借阅表 to ``output``; returns the number of 发放 rows."""
    today = today or dt.date.today()
    entries = ledger.issues()
    with atomic_path(output, [ledger.path]) as tmp:
        book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        book.set_properties({"title": TITLE, "author": "", "created": dt.datetime.combine(today, dt.time())})
        head = book.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True})
        cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
        title = book.add_format({"bold": True, "font_size": 14})
        sheet = book.add_worksheet(TITLE)
        sheet.write_string(0, 0, f"{TITLE}（发放登记 {ledger.path.name}，打印日期 {today.isoformat()}）", title)
        for col, (name, width) in enumerate(COLUMNS):
            sheet.set_column(col, col, width)
            sheet.write_string(1, col, name, head)
        for r, e in enumerate(entries, start=2):
            state = "已归还" if e.returned else ("逾期未还" if e.overdue(today) else "借出中")
            values = [e.number, e.time.replace("T", " "), e.operator, e.recipient, e.approver, e.purpose, e.role,
                      e.filters, e.customers, e.masked, e.hidden, e.output, "是" if e.encrypted else "否",
                      e.return_by, e.returned, state, e.sha256]
            for c, value in enumerate(values):
                if isinstance(value, int):
                    sheet.write_number(r, c, value, cell)
                else:
                    sheet.write_string(r, c, value, cell)
        sheet.freeze_panes(2, 0)
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(1)
        sheet.set_header(page_header(TITLE, f"打印日期 {today.isoformat()}"))
        sheet.set_footer(FOOTER)
        book.close()
    return len(entries)
