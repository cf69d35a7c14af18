"""Cards → one print-ready workbook: 目录 (one hyperlinked row per customer), then one
sheet per customer. A4 portrait, one page wide, gridlines off, footer with 打印日期 and
page numbers; the 拜访记录 header row repeats when a card runs onto a second page."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any, Iterable

import xlsxwriter
from xlsxwriter.exceptions import DuplicateWorksheetName, XlsxWriterException

from workbook_tools import __version__
from workbook_tools.card.cards import DIRECTORY
from workbook_tools.card.model import Block, Card, Listing
from workbook_tools.errors import OutputError
from workbook_tools.io.atomic import atomic_path
from workbook_tools.io.pagesetup import page_header

WIDTHS = (17, 28, 17, 28, 10, 13)          # A–F; blocks use A–D as label/value/label/value
# (label columns fit the longest label in bold: 统一社会信用代码)
DIRECTORY_HEADERS = ("客户编号", "客户名称", "所属区域", "负责业务员", "客户类别")
DIRECTORY_WIDTHS = (12, 34, 10, 12, 10)
FOOTER = "&L打印日期：&D&R第 &P 页，共 &N 页"
MAX_LINKS = 65000                          # Excel's limit on hyperlinks per sheet is 65,530
OPTIONS = {"in_memory": True,            # no temporary file per sheet (10,000 sheets → 10,000 files)
           "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
           "nan_inf_to_errors": True}
TITLE = "客户资料卡"
ROW_HEIGHT = 15


def write_cards(cards: Iterable[Card], path: str | Path, *, created: dt.datetime, title: str = TITLE,
                inputs: Iterable[str | Path] = ()) -> Path:
    """Write the card workbook atomically (never over one of ``inputs``)."""
    cards = list(cards)
    target = Path(path)
    with card_workbook(target, {"title": title, "created": created}, inputs) as wb:
        styles = _Styles(wb)
        _directory(wb.add_worksheet(DIRECTORY), cards, styles)
        for card in cards:
            _card(wb.add_worksheet(card.sheet), card, styles)
    return target


@contextlib.contextmanager
def card_workbook(target: Path, properties: dict, inputs: Iterable[str | Path] = ()):
    """A card workbook written atomically to ``target`` (never over one of ``inputs``); a
    failure to write is one Chinese line."""
    with atomic_path(target, inputs=[str(i) for i in inputs]) as tmp:
        wb = _Workbook(str(tmp), OPTIONS)
        try:
            wb.set_properties({**properties, "comments": f"由 workbook-tools {__version__} 生成"})
            yield wb
        finally:
            try:
                wb.close()
            except (XlsxWriterException, OSError) as exc:
                raise OutputError(f"无法写入 {target}：{exc}") from None


class _Workbook(xlsxwriter.Workbook):
    """XlsxWriter compares each new sheet name with every existing one (quadratic: ~20 s of
    the 10,000-card workbook); here the names are checked against a set instead."""

    def _check_sheetname(self, sheetname, is_chartsheet=False):
        seen = self.__dict__.setdefault("_names_seen", set())
        key = (sheetname or "").lower()
        if key and key in seen:
            raise DuplicateWorksheetName(f"Sheetname '{sheetname}', with case ignored, is already in use.")
        sheets, self.worksheets_objs = self.worksheets_objs, []   # the rest of XlsxWriter's checks
        try:
            name = super()._check_sheetname(sheetname, is_chartsheet)
        finally:
            self.worksheets_objs = sheets
        seen.add(name.lower())
        return name


class _Styles:
    def __init__(self, wb: xlsxwriter.Workbook):
        add = wb.add_format
        self.title = add({"bold": True, "font_size": 16, "font_color": "#1F4E78"})
        self.subtitle = add({"font_color": "#595959"})
        self.section = add({"bold": True, "font_size": 12, "font_color": "#FFFFFF", "bg_color": "#1F4E78"})
        self.label = add({"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "top"})
        self.header = add({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        self.link = add({"font_color": "#0563C1", "underline": 1})
        base = {"border": 1, "valign": "top", "text_wrap": True, "align": "left"}
        self.value = {"text": add(base), "code": add({**base, "num_format": "@"}),
                      "date": add({**base, "num_format": "yyyy-mm-dd"}),
                      "number": add({**base, "num_format": "General"}),
                      "money": add({**base, "num_format": "#,##0.00"})}
        self.empty = add({"italic": True, "font_color": "#7F7F7F"})
        self.wide = add({"valign": "top"})

    def of(self, value: Any, kind: str):
        """The value cell's format: its kind's, but a date always shows as a date."""
        return self.value["date"] if isinstance(value, dt.date) else self.value.get(kind, self.value["text"])


def _page(ws, header: str, landscape: bool = False) -> None:
    ws.set_paper(9)
    ws.set_header(page_header(TITLE, header))
    ws.set_landscape() if landscape else ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.hide_gridlines(2)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    ws.set_footer(FOOTER)


def _directory(ws, cards: list[Card], styles: _Styles) -> None:
    _page(ws, f"{DIRECTORY}（{len(cards)} 位客户）")
    for c, (header, width) in enumerate(zip(DIRECTORY_HEADERS, DIRECTORY_WIDTHS)):
        ws.set_column(c, c, width)
        ws.write_string(0, c, header, styles.header)
    for r, card in enumerate(cards, start=1):
        if r <= MAX_LINKS:
            ws.write_url(r, 0, f"internal:'{card.sheet}'!A1", styles.link, card.customer_id,
                         f"打开 {card.customer_id} 的资料卡")
        else:
            ws.write_string(r, 0, card.customer_id)
        for c, value in enumerate(card.directory[1:], start=1):
            _write(ws, r, c, value, None)
    ws.freeze_panes(1, 0)
    ws.repeat_rows(0)
    ws.autofilter(0, 0, max(len(cards), 1), len(DIRECTORY_HEADERS) - 1)


def _card(ws, card: Card, styles: _Styles) -> None:
    _page(ws, f"{card.customer_id} {card.name}")
    for c, width in enumerate(WIDTHS):
        ws.set_column(c, c, width)
    ws.write_string(0, 0, f"{TITLE}　{card.name}", styles.title)
    ws.write_url(0, 5, f"internal:'{DIRECTORY}'!A1", styles.link, "返回目录")
    ws.write_string(1, 0, card.subtitle, styles.subtitle)
    r = 3
    for block in card.blocks:
        r = _section_line(ws, r, block.title, styles)
        r = _wide_block(ws, r, block, styles) if block.wide else _pairs(ws, r, block, styles)
    for listing in card.listings:
        r = _listing(ws, r, listing, styles) + 1
    ws.print_area(0, 0, r - 1, len(WIDTHS) - 1)


def _pairs(ws, r: int, block: Block, styles: _Styles) -> int:
    """Label/value pairs, two to a row (A–B and C–D); rows with long values made taller."""
    items = block.items
    for start in range(0, len(items), 2):
        pair = items[start:start + 2]
        for offset, item in enumerate(pair):
            ws.write_string(r, 2 * offset, item.label, styles.label)
            _write(ws, r, 2 * offset + 1, item.value, styles.of(item.value, item.kind))
        if len(pair) == 1:
            ws.write_blank(r, 2, None, styles.label)
            ws.write_blank(r, 3, None, styles.value["text"])
        lines = max(_lines(item.value, WIDTHS[1]) for item in pair)
        if lines > 1:
            ws.set_row(r, ROW_HEIGHT * lines)
        r += 1
    return r + 1


def _wide_block(ws, r: int, block: Block, styles: _Styles) -> int:
    """One item a row: the value (a sentence) runs on across the empty cells to its right."""
    for item in block.items:
        ws.write_string(r, 0, item.label, styles.label)
        _write(ws, r, 1, item.value, styles.wide)
        r += 1
    return r + 1


def _lines(value: Any, width: float) -> int:
    """Lines a wrapped text needs in a column ``width`` characters wide (CJK counts double)."""
    if not isinstance(value, str) or len(value) * 2 <= width:
        return 1
    units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in value)
    return min(int(units // (width - 1)) + 1, 6)


def _section_line(ws, r: int, title: str, styles: _Styles) -> int:
    for c in range(len(WIDTHS)):
        ws.write_blank(r, c, None, styles.section)
    ws.write_string(r, 0, title, styles.section)
    return r + 1


def _listing(ws, r: int, listing: Listing, styles: _Styles) -> int:
    r = _section_line(ws, r, listing.title, styles)
    if not listing.rows:
        ws.write_string(r, 0, listing.empty, styles.empty)
        return r + 1
    for c, header in enumerate(listing.headers):
        ws.write_string(r, c, header, styles.header)
    if listing.title.startswith("拜访记录"):
        ws.repeat_rows(r)          # a long visit list continues on page 2 under its header row
    for values in listing.rows:
        r += 1
        for c, (value, kind) in enumerate(zip(values, listing.kinds)):
            _write(ws, r, c, value, styles.of(value, kind))
        lines = max(_lines(v, w) for v, w in zip(values, WIDTHS))
        if lines > 1:
            ws.set_row(r, ROW_HEIGHT * lines)
    return r + 1


def _write(ws, r: int, c: int, value: Any, fmt) -> None:
    if value is None or (isinstance(value, str) and not value):
        if fmt is not None:
            ws.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(r, c, "是" if value else "否", fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value, fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(r, c, value, fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), fmt)
    else:
        ws.write_string(r, c, str(value), fmt)
