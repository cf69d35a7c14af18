"""workbook-tools card: the 客户资料卡 workbook read back cell by cell (sections, visits,
修改记录, links, print settings), the view and history hooks, the CLI, and LibreOffice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import openpyxl
import pytest

from office import convert, needs_soffice, pdf_pages
from workbook_tools.card import NoCustomers, Selection, build_cards
from workbook_tools.card import pdf as card_pdf
from workbook_tools.cli import main
from workbook_tools.merge import SourceRow, merge_rows, write_master
from workbook_tools.schema import load_schema

SCHEMA = load_schema()
RUN = date(2026, 11, 22)


def reg(cid, region="华东", owner="张伟", **values) -> dict:
    v = {"customer_id": cid, "customer_name": f"客户{cid}有限公司", "customer_type": "公司", "region": region,
         "category": "主要客户", "owner": owner, "created": date(2026, 1, 5), "revised": date(2026, 11, 1),
         "mobile": "13800000001", "contact": "陈宁", "industry": "制造业", "credit": "A",
         "trade_amount": 5000.0, "first_trade_date": date(2026, 2, 1), "last_trade_date": date(2026, 11, 10),
         "trade_count": 4, "employees": 120}
    v.update(values)
    return v


def row(form, values, extras=None, file="华东.xlsx", n=2) -> SourceRow:
    return SourceRow(form, values, dict(values), dict(extras or {}), file, "表", n)


def visit(rid, cid, day, content="回访", **more) -> SourceRow:
    v = {"record_id": rid, "customer_id": cid, "date": day, "salesperson": "张伟", "method": "上门拜访",
         "content": content, "result": "满意", **more}
    return row("visit-record", v)


def rows() -> list[SourceRow]:
    out = [row("registration", reg("HD0001", mobile="13900000002", address="杭州市西湖区文三路1号",
                                   id_card=None, remarks="老客户"), {"微信号": "wx_hd1"}),
           row("registration", reg("HD0002", trade_amount=100.0, revised=date(2026, 8, 1)), n=3),
           row("registration", reg("HN0001", region="华南", owner="李娜", category="重要客户"), n=4),
           visit("V1", "HD0001", date(2026, 11, 2), "送样品", next_date=date(2026, 11, 20)),
           visit("V2", "HD0001", date(2026, 11, 18), "签合同"),
           visit("V3", "HD0001", date(2026, 11, 2), "同日第二次"),
           row("complaint", {"complaint_id": "T1", "date": date(2026, 11, 3), "customer_id": "HD0001",
                             "content": "发货延迟", "status": "已解决", "handler": "王五", "resolution": "补发"})]
    start = date(2026, 1, 1)
    out += [visit(f"W{i:02d}", "HN0001", start + timedelta(days=7 * i), f"第{i}次") for i in range(25)]
    return out


PREVIOUS = [reg("HD0001", mobile="13800000001"), reg("HD0002", trade_amount=100.0, revised=date(2026, 8, 1)),
            reg("HN0001", region="华南", owner="李娜", category="重要客户")]


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    path = tmp_path_factory.mktemp("card") / "客户档案总表.xlsx"
    write_master(merge_rows(rows(), SCHEMA, previous=PREVIOUS, run_date=RUN), SCHEMA, path)
    return path


@pytest.fixture(scope="module")
def cards(master, tmp_path_factory):
    out = tmp_path_factory.mktemp("cards") / "客户资料卡.xlsx"
    return build_cards(master, out, schema=SCHEMA, as_of=RUN)


@pytest.fixture(scope="module")
def book(cards):
    return openpyxl.load_workbook(cards.path)


def blocks(ws) -> dict[str, dict[str, Any]]:
    """Section title → {label: value} read from the label/value pairs (columns A–D)."""
    out, current = {}, None
    for r in range(4, ws.max_row + 1):
        a = ws.cell(r, 1)
        if a.fill.fgColor.rgb == "FF1F4E78":
            if ws.cell(r + 1, 1).font.b and ws.cell(r + 1, 1).fill.fgColor.rgb == "FFDDEBF7" \
                    and ws.cell(r + 1, 2).font.b is not True:
                current = out.setdefault(a.value, {})
            else:
                current = None
            continue
        if current is None or ws.cell(r, 1).font.b is not True:
            continue
        for c in (1, 3):
            label = ws.cell(r, c).value
            if label:
                value = ws.cell(r, c + 1).value
                current[label] = value.date() if hasattr(value, "date") else value
    return out


def listing(ws, title_prefix: str) -> list[list[Any]]:
    """The rows under the section line starting with ``title_prefix`` (header row included)."""
    rows_, inside = [], False
    for r in range(1, ws.max_row + 1):
        a = ws.cell(r, 1).value
        if ws.cell(r, 1).fill.fgColor.rgb == "FF1F4E78":
            inside = str(a).startswith(title_prefix)
            if inside:
                rows_.append([a])
            continue
        values = [v.date() if hasattr(v, "date") else v for v in (ws.cell(r, c).value for c in range(1, 7))]
        if inside and any(v is not None for v in values):
            rows_.append(values)
    return rows_


def test_directory_lists_every_customer_with_working_links(book, cards):
    assert book.sheetnames == ["目录", "HD0001", "HD0002", "HN0001"]
    ws = book["目录"]
    assert [c.value for c in ws[1]] == ["客户编号", "客户名称", "所属区域", "负责业务员", "客户类别"]
    assert [c.value for c in ws[2]] == ["HD0001", "客户HD0001有限公司", "华东", "张伟", "主要客户"]
    for r, sheet in ((2, "HD0001"), (4, "HN0001")):
        link = ws.cell(r, 1).hyperlink
        assert link.location == f"'{sheet}'!A1" and sheet in book.sheetnames
    back = book["HD0002"]["F1"]
    assert back.value == "返回目录" and back.hyperlink.location == "'目录'!A1"
    assert cards.customers == ["HD0001", "HD0002", "HN0001"]


def test_card_sections_cell_by_cell(book):
    ws = book["HD0001"]
    assert ws["A1"].value == "客户资料卡　客户HD0001有限公司"
    assert ws["A2"].value == "客户编号：HD0001　　所属区域：华东　　负责业务员：张伟"
    b = blocks(ws)
    assert list(b) == ["基础资料", "客户特征", "业务状况", "交易现状", "其他", "档案评估"]
    assert (ws["A4"].value, ws["A5"].value, ws["B5"].value, ws["C5"].value, ws["D5"].value) == (
        "基础资料", "客户编号", "HD0001", "客户名称", "客户HD0001有限公司")
    assert b["基础资料"]["手机"] == "13900000002" and b["基础资料"]["地址"] == "杭州市西湖区文三路1号"
    assert b["基础资料"]["身份证号"] is None and b["基础资料"]["备注"] == "老客户"
    assert b["基础资料"]["建档日期"] == date(2026, 1, 5)
    assert b["客户特征"] == {"所属行业": "制造业", "企业性质": None, "客户来源": None, "注册资金(万元)": None,
                         "员工人数": 120}
    assert b["业务状况"] == {"客户类别": "主要客户", "负责业务员": "张伟", "联系周期(天)": None}
    assert b["交易现状"]["信誉等级"] == "A" and b["交易现状"]["交易金额(元)"] == 5000
    assert b["交易现状"]["最近交易日期"] == date(2026, 11, 10)
    assert b["其他"] == {"微信号": "wx_hd1"}
    assert b["档案评估"] == {
        "价值分类": "主力客户", "跟进状态": "下次应跟进日期 2026-12-02（最近联系 2026-11-18）",
        "业务下滑": "否：12 天前有交易（购买周期 60 天）",
        "档案完整度": "100%",
        "距上次修订": "21 天（最新修订 2026-11-01）"}


def test_stale_revision_and_value_class(book):
    b = blocks(book["HD0002"])["档案评估"]
    assert b["距上次修订"] == "113 天（最新修订 2026-08-01），超过 60 天未修订，请复核"
    assert b["价值分类"] == "零散客户"
    assert b["档案完整度"] == "90%（缺：地址）"      # of the schema's important fields


def test_visits_newest_first_and_complaints(book):
    visits = listing(book["HD0001"], "拜访记录")
    assert visits[0] == ["拜访记录（共 3 次）"]
    assert visits[1] == ["日期", "内容", "方式", "结果", "业务员", "下次跟进日期"]
    assert visits[2] == [date(2026, 11, 18), "签合同", "上门拜访", "满意", "张伟", None]
    assert [v[1] for v in visits[3:5]] == ["同日第二次", "送样品"]   # same day: the later row first
    assert visits[4][5] == date(2026, 11, 20)
    complaints = listing(book["HD0001"], "投诉记录")
    assert complaints[:3] == [["投诉记录（共 1 条）"], ["投诉日期", "投诉内容", "状态", "处理结果", "处理人员", "投诉编号"],
                              [date(2026, 11, 3), "发货延迟", "已解决", "补发", "王五", "T1"]]


def test_long_visit_list_is_capped_and_its_header_repeats_in_print(book):
    ws = book["HN0001"]
    visits = listing(ws, "拜访记录")
    assert visits[0] == ["拜访记录（最近 20 次，共 25 次）"]
    assert [v[1] for v in visits[2:4]] == ["第24次", "第23次"] and len(visits) == 2 + 20
    header_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "日期")
    assert ws.print_title_rows == f"${header_row}:${header_row}"


def test_change_log_from_the_masters_change_sheet(book):
    changes = listing(book["HD0001"], "修改记录")
    assert changes[0] == ["修改记录（共 4 条）"]
    assert changes[1][:5] == ["日期", "修改内容", "类型", "来源文件", "周次"]
    assert changes[2][:5] == [RUN, "将 手机 由 13800000001 修改为 13900000002", "修改", "华东.xlsx", "2026-W47"]
    assert [c[1] for c in changes[3:]] == ["将 地址 由 （空） 修改为 杭州市西湖区文三路1号",
                                          "将 备注 由 （空） 修改为 老客户", "将 微信号 由 （空） 修改为 wx_hd1"]
    assert listing(book["HD0002"], "修改记录")[1][0] == "暂无修改记录"


def test_print_settings(book):
    for name in ("目录", "HD0001"):
        ws = book[name]
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0)   # 1 is the default
        assert ws.sheet_view.showGridLines is False and not ws.print_options.gridLines
        assert ws.oddFooter.left.text == "打印日期：&D" and ws.oddFooter.right.text == "第 &P 页，共 &N 页"
    assert book["HD0001"]["A1"].font.b and book["HD0001"]["A1"].font.sz == 16
    assert book["目录"].print_title_rows == "$1:$1"


@dataclass
class Change:           # the history store's change objects, duck-typed
    week: str
    date: date
    kind: str
    customer_id: str
    customer_name: str
    text: str
    file: str
    field: str = ""
    old: Any = None
    new: Any = None


class MaskView:
    def hidden(self, key):
        return key in ("id_card", "bank_account", "trade_amount", "微信号")

    def show(self, key, value):
        return value[:3] + "****" + value[-4:] if key == "mobile" and value else value


def test_view_hides_and_masks_and_history_feeds_the_change_log(master, tmp_path):
    history = {"HD0001": [
        Change("2026-W40", date(2026, 10, 1), "修改", "HD0001", "客户HD0001有限公司",
               "将 手机 由 13700000000 修改为 13800000001", "华东_W40.xlsx", "手机", "13700000000", "13800000001"),
        Change("2026-W41", date(2026, 10, 8), "修改", "HD0001", "客户HD0001有限公司",
               "将 交易金额(元) 由 1 修改为 2", "华东_W41.xlsx", "交易金额(元)", 1.0, 2.0),
        Change("2026-W30", date(2026, 7, 20), "新增客户", "HD0001", "客户HD0001有限公司", "新增客户", "华东_W30.xlsx")]}
    result = build_cards(master, tmp_path / "masked.xlsx", schema=SCHEMA, as_of=RUN, view=MaskView(),
                         changes_for=lambda cid: history.get(cid, []), select=Selection(customers=("hd0001",)))
    ws = openpyxl.load_workbook(result.path)["HD0001"]
    b = blocks(ws)
    assert b["基础资料"]["手机"] == "139****0002" and "身份证号" not in b["基础资料"]
    assert "交易金额(元)" not in b["交易现状"] and "银行账号" not in b["交易现状"]
    assert "其他" not in b and "价值分类" not in b["档案评估"]
    changes = listing(ws, "修改记录")
    assert changes[0] == ["修改记录（共 2 条）"]
    assert changes[2][:5] == [date(2026, 10, 1), "将 手机 由 137****0000 修改为 138****0001", "修改",
                              "华东_W40.xlsx", "2026-W40"]
    assert changes[3][:3] == [date(2026, 7, 20), "新增客户", "新增客户"]


def test_selection_by_region_owner_category_and_unknown_ids(master, tmp_path):
    pick = lambda **kw: build_cards(master, tmp_path / "s.xlsx", schema=SCHEMA, as_of=RUN,  # noqa: E731
                                    select=Selection(**kw))
    assert pick(region="华南区").customers == ["HN0001"]
    assert pick(owner="张伟", category="主要客户").customers == ["HD0001", "HD0002"]
    r = pick(customers=("HD0002", "XB9999"))
    assert r.customers == ["HD0002"] and r.notices == ["总表中没有客户编号 XB9999，已跳过"]
    with pytest.raises(NoCustomers, match="没有符合条件的客户"):
        pick(category="潜在客户")


def test_cli_writes_cards_and_says_when_no_pdf_can_be_made(master, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(card_pdf, "soffice", lambda: None)
    out = tmp_path / "卡.xlsx"
    with pytest.raises(SystemExit) as exit_:
        main(["card", str(master), "-o", str(out), "--customer", "HD0001", "--as-of", "2026-11-22", "--pdf"])
    assert exit_.value.code == 0 and out.exists() and not out.with_suffix(".pdf").exists()
    assert capsys.readouterr().out.splitlines() == [
        f"已生成客户资料卡：{out}（1 位客户，统计日期 2026-11-22）", f"注意：{card_pdf.NO_SOFFICE}"]
    with pytest.raises(SystemExit) as exit_:
        main(["card", str(tmp_path / "无.xlsx"), "-o", str(out)])
    assert exit_.value.code == 2 and capsys.readouterr().err.startswith("错误：无法读取文件")


@needs_soffice
def test_cards_open_clean_in_libreoffice_one_page_each(master, tmp_path):
    result = build_cards(master, tmp_path / "打印.xlsx", schema=SCHEMA, as_of=RUN, pdf=True,
                         select=Selection(customers=("HD0001", "HD0002")))
    assert pdf_pages(result.pdf) == 1 + 2          # 目录 + one page per card
    whole = convert(build_cards(master, tmp_path / "全部.xlsx", schema=SCHEMA, as_of=RUN).path, "pdf", tmp_path)
    assert pdf_pages(whole) == 1 + 3               # HN0001 with its 20 latest visits still fits one page


@needs_soffice
def test_demo_writes_cards_that_print_one_page_per_customer(tmp_path):
    from workbook_tools.weekly.demo import run_demo

    result = run_demo(tmp_path / "demo", customers=3)
    cards = result.cards
    assert cards.path == result.weekly.out_dir / "客户资料卡_2026-W48.xlsx" and cards.path.exists()
    assert len(cards.cards) == len(result.weekly.merge.result.customers) >= 10
    pdf = convert(cards.path, "pdf", tmp_path)
    assert pdf_pages(pdf) == 1 + len(cards.cards)     # 目录 + one page per customer
    assert tmp_path / "demo" / "模板" / "客户资料卡_空白.xlsx" in result.templates   # the blank card to print
    assert result.templates[-1].exists()


def test_same_master_same_bytes(master, tmp_path):
    a = build_cards(master, tmp_path / "a.xlsx", schema=SCHEMA, as_of=RUN).path.read_bytes()
    assert build_cards(master, tmp_path / "b.xlsx", schema=SCHEMA, as_of=RUN).path.read_bytes() == a
