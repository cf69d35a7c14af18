"""The blank 客户资料卡 for filling by hand: the registration form's fields laid out like the
filled card (the schema's four sections 基础资料 / 客户特征 / 业务状况 / 交易现状, label and
bordered empty value cells), choices printed as "□ A　□ B" hints, one card per A4 portrait
page. ``copies`` cards: one sheet each (each prints on exactly one page).

    write_blank_cards(schema, "客户资料卡_空白.xlsx", copies=3)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from workbook_tools.card.writer import TITLE, WIDTHS, _lines, _page, _section_line, _Styles, card_workbook
from workbook_tools.errors import OutputError, WorkbookToolsError
from workbook_tools.generate import resolve_form
from workbook_tools.schema.loader import load_schema
from workbook_tools.schema.model import SECTIONS, Field, Schema

MAX_COPIES = 500
FIXED_CREATED = dt.datetime(2000, 1, 1)      # same inputs → byte-identical workbook
WRITE_HEIGHT = 30                            # points: room for handwriting
WIDE_LABELS = ("地址", "备注")                # free text that needs a whole line
NOTE = "请用正楷填写；带 * 的为必填项；有选项的请在 □ 内打 √。"
PAIR_WIDTH = WIDTHS[1] - 2                    # a hint longer than this takes a whole row


def hint(f: Field) -> str:
    """What the empty value cell shows: the choices as boxes, a date's 年 月 日, else nothing."""
    if f.choices:
        return "　".join(f"□ {c.value}" for c in f.choices)
    if f.type == "date":
        return "　　　　年　　月　　日"
    return ""


def _units(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _is_wide(f: Field) -> bool:
    return f.label in WIDE_LABELS or _units(hint(f)) > PAIR_WIDTH


def write_blank_cards(schema: Schema | str | Path | None, path: str | Path, *, copies: int = 1,
                      kind: str = "registration", created: dt.datetime | None = None) -> Path:
    """Write ``copies`` blank 客户资料卡 (one sheet, one printed page each) to ``path`` atomically.
    ``kind`` names the form (key, title or alias); only the registration form has a card."""
    if not isinstance(schema, Schema):
        schema = load_schema(schema)
    if resolve_form(schema, kind).key != "registration":
        raise WorkbookToolsError("只有客户档案登记表（registration）可以生成空白客户资料卡")
    if isinstance(copies, bool) or not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
        raise WorkbookToolsError(f"份数应为 1 到 {MAX_COPIES} 之间的整数，收到：{copies}")
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise OutputError(f"输出文件 {target} 的扩展名应为 .xlsx")
    fields = schema.form("registration").fields
    properties = {"title": f"{TITLE}（空白）", "subject": schema.stamp, "created": created or FIXED_CREATED}
    with card_workbook(target, properties) as wb:
        styles = _BlankStyles(wb)
        for n in range(1, copies + 1):
            name = TITLE if copies == 1 else f"{TITLE}{n}"
            _blank_card(wb.add_worksheet(name), fields, styles)
    return target


class _BlankStyles(_Styles):
    def __init__(self, wb):
        super().__init__(wb)
        base = {"border": 1, "valign": "vcenter", "text_wrap": True, "font_size": 9, "font_color": "#595959"}
        self.blank = wb.add_format(base)
        self.blank_label = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                          "valign": "vcenter", "text_wrap": True})


def _blank_card(ws, fields, styles: _BlankStyles) -> None:
    _page(ws, "空白卡（手工填写）")
    ws.fit_to_pages(1, 1)                    # one card, one sheet of paper
    ws.set_footer("&L客户资料卡（空白）&C第 &P 页，共 &N 页&R填表日期：　　　　年　　月　　日")
    for c, width in enumerate(WIDTHS):
        ws.set_column(c, c, width)
    ws.write_string(0, 0, TITLE, styles.title)
    ws.write_string(1, 0, NOTE, styles.subtitle)
    r = 3
    for section in SECTIONS:
        chosen = [f for f in fields if f.section == section]
        if chosen:
            r = _section_line(ws, r, section, styles)
            r = _fields(ws, r, chosen, styles) + 1
    ws.print_area(0, 0, r - 2, len(WIDTHS) - 1)


def _fields(ws, r: int, fields: list[Field], styles: _BlankStyles) -> int:
    """Short fields two to a row (A–B, C–D, like the filled card); wide ones on a row of their own."""
    pending: list[Field] = []
    for f in fields:
        if _is_wide(f):
            r = _wide(ws, r, f, styles)
        else:
            pending.append(f)
            if len(pending) == 2:
                r = _pair(ws, r, pending, styles)
                pending = []
    return _pair(ws, r, pending, styles) if pending else r


def _label(f: Field) -> str:
    return f"{f.label} *" if f.required else f.label


def _pair(ws, r: int, pair: list[Field], styles: _BlankStyles) -> int:
    """A–B the first field, C and D–F the second (its value box runs on to the card's edge)."""
    last = len(WIDTHS) - 1
    for offset in range(2):
        f = pair[offset] if offset < len(pair) else None
        if f is None:
            ws.write_blank(r, 2, None, styles.blank_label)
        else:
            ws.write_string(r, 2 * offset, _label(f), styles.blank_label)
        text = hint(f) if f is not None else ""
        if offset == 0:
            ws.write_string(r, 1, text, styles.blank) if text else ws.write_blank(r, 1, None, styles.blank)
        else:
            ws.merge_range(r, 3, r, last, text, styles.blank)
    ws.set_row(r, WRITE_HEIGHT)
    return r + 1


def _wide(ws, r: int, f: Field, styles: _BlankStyles) -> int:
    text = hint(f)
    ws.write_string(r, 0, _label(f), styles.blank_label)
    ws.merge_range(r, 1, r, len(WIDTHS) - 1, text, styles.blank)
    lines = _lines(text, sum(WIDTHS[1:]) * 0.9) if text else 1
    extra = 2 if f.label in WIDE_LABELS else 0
    ws.set_row(r, max(WRITE_HEIGHT, 13 * lines + 6) + 12 * extra)
    return r + 1
