"""The master's 资料卡 sheet: a customer lookup made only of formulas, for anyone who opens
the master in Excel 2010+, WPS or LibreOffice — no Python, no macros.

B2 (defined name 查询客户编号) has a dropdown of every 客户编号; a hidden helper cell finds
the customer's row with MATCH, every value cell is INDEX into 客户档案 (blank stays blank),
and the latest visits come from 拜访记录 through one CSE array formula per line:
LARGE(IF(客户编号=B2, INT(日期)*2^20+ROW())) orders them newest first (same day: the later
row first) and MOD(…, 2^20) gives the row. Nothing scans 拜访记录 while B2 is blank or unknown
(IF on the helper cell first), so opening a large master costs no recalculation time. Only INDEX, MATCH, IF, IFERROR, LARGE, INT, MOD,
ROW, TRIM and COUNTIF are used (no XLOOKUP, FILTER, TEXTJOIN or dynamic arrays)."""

from __future__ import annotations

from dataclasses import dataclass, field

from xlsxwriter.utility import quote_sheetname, xl_col_to_name

LOOKUP_SHEET = "资料卡"
LOOKUP_NAME = "查询客户编号"
ID_CELL = "$B$2"
ROW_HELPER = "$H$2"
HELPER_COLUMN = 7                  # H: hidden helper cells
ROW_KEY = 1048576                  # 2^20 > Excel's row count: INT(date)*2^20 + row is unique
VISIT_LINES = 10
WIDTHS = (17, 28, 17, 28, 10, 13)  # label columns fit the longest label in bold: 统一社会信用代码


@dataclass(frozen=True, slots=True)
class LookupField:
    section: str
    label: str
    column: int                    # 0-based column of the field in the customer sheet
    kind: str = "text"             # text | code | date | number


@dataclass(frozen=True, slots=True)
class LookupTable:
    sheet: str
    rows: int                      # data rows (the header is row 1, data from row 2)
    columns: dict[str, int]        # field key → 0-based column


@dataclass(frozen=True, slots=True)
class LookupCard:
    """What the 资料卡 sheet looks up: the customer sheet (id in ``id_key``'s column), its
    fields by section, and the visit sheet with (label, key, kind) columns."""

    customers: LookupTable
    fields: tuple[LookupField, ...]
    sections: tuple[str, ...]
    visits: LookupTable | None = None
    visit_columns: tuple[tuple[str, str, str], ...] = ()
    id_key: str = "customer_id"
    visit_lines: int = VISIT_LINES
    name: str = field(default=LOOKUP_SHEET)


def _range(table: LookupTable, column: int, first: int = 2) -> str:
    col = xl_col_to_name(column)
    return f"{quote_sheetname(table.sheet)}!${col}${first}:${col}${max(table.rows + 1, 2)}"


def _value(source: str, index: str) -> str:
    """INDEX(source, index), with a blank cell (and no match) shown blank instead of 0."""
    return f'=IF({index}=0,"",IF(INDEX({source},{index})="","",INDEX({source},{index})))'


class _Formats:
    def __init__(self, wb):
        add = wb.add_format
        base = {"border": 1, "valign": "top", "text_wrap": True, "align": "left"}
        self.title = add({"bold": True, "font_size": 16, "font_color": "#1F4E78"})
        self.note = add({"font_color": "#595959"})
        self.input = add({"bold": True, "border": 2, "bg_color": "#FFF2CC", "num_format": "@"})
        self.section = add({"bold": True, "font_size": 12, "font_color": "#FFFFFF", "bg_color": "#1F4E78"})
        self.label = add({"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "top"})
        self.header = add({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.value = {"text": add(base), "code": add({**base, "num_format": "@"}),
                      "date": add({**base, "num_format": "yyyy-mm-dd"}),
                      "number": add({**base, "num_format": "General"}),
                      "money": add({**base, "num_format": "#,##0.00"})}


def write_lookup_card(wb, ws, card: LookupCard) -> None:
    """Fill ``ws`` (an XlsxWriter worksheet, possibly in constant_memory mode: rows are
    written top to bottom) and define the name 查询客户编号 in ``wb``."""
    f = _Formats(wb)
    for c, width in enumerate(WIDTHS):
        ws.set_column(c, c, width)
    ws.set_column(HELPER_COLUMN, HELPER_COLUMN, 8, None, {"hidden": True})
    ws.hide_gridlines(2)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ids = _range(card.customers, card.customers.columns[card.id_key])
    ws.write_string(0, 0, "客户资料卡（查询）", f.title)
    ws.write_string(1, 0, "客户编号", f.label)
    ws.write_blank(1, 1, None, f.input)
    ws.write_string(1, 2, "← 在此选择或输入客户编号，下面各项由公式自动显示（无需宏）", f.note)
    ws.write_formula(1, HELPER_COLUMN, f"=IFERROR(MATCH(TRIM({LOOKUP_NAME}),{ids},0),0)", None, 0)
    ws.data_validation(1, 1, 1, 1, {
        "validate": "list", "source": f"={ids}", "input_title": "客户编号", "input_message": "请选择或输入客户编号",
        "error_title": "客户编号", "error_message": "客户档案中没有这个客户编号", "error_type": "warning"})
    wb.define_name(LOOKUP_NAME, f"={quote_sheetname(card.name)}!{ID_CELL}")
    r = 3
    for section in card.sections:
        items = [x for x in card.fields if x.section == section]
        if items:
            r = _block(ws, r, section, items, card.customers, f)
    if card.visits is not None:
        _visits(ws, r, card, f)


def _block(ws, r: int, title: str, items: list[LookupField], table: LookupTable, f: _Formats) -> int:
    _section_line(ws, r, title, f)
    r += 1
    for start in range(0, len(items), 2):
        for offset, item in enumerate(items[start:start + 2]):
            ws.write_string(r, 2 * offset, item.label, f.label)
            ws.write_formula(r, 2 * offset + 1, _value(_range(table, item.column), ROW_HELPER),
                             f.value.get(item.kind, f.value["text"]), "")
        r += 1
    return r + 1


def _section_line(ws, r: int, title: str, f: _Formats) -> None:
    for c in range(len(WIDTHS)):
        ws.write_blank(r, c, None, f.section)
    ws.write_string(r, 0, title, f.section)


def _visits(ws, r: int, card: LookupCard, f: _Formats) -> None:
    visits = card.visits
    ids = _range(visits, visits.columns["customer_id"])
    dates = _range(visits, visits.columns["date"])
    _section_line(ws, r, f"拜访记录（最近 {card.visit_lines} 次）", f)
    ws.write_formula(r, 3, f'="共 "&COUNTIF({ids},TRIM({LOOKUP_NAME}))&" 次"', f.section, "")
    r += 1
    for c, (label, _, _) in enumerate(card.visit_columns):
        ws.write_string(r, c, label, f.header)
    key_row = f"IF({ids}=TRIM({LOOKUP_NAME}),INT({dates})*{ROW_KEY}+ROW({dates}))"
    for k in range(1, card.visit_lines + 1):
        r += 1
        helper = f"${xl_col_to_name(HELPER_COLUMN)}${r + 1}"
        for c, (_, key, kind) in enumerate(card.visit_columns):
            source = _range(visits, visits.columns[key], first=1)
            ws.write_formula(r, c, _value(source, f"MOD({helper},{ROW_KEY})"),
                             f.value.get(kind, f.value["text"]), "")
        ws.write_array_formula(r, HELPER_COLUMN, r, HELPER_COLUMN,
                               f"{{=IF({ROW_HELPER}=0,0,IFERROR(LARGE({key_row},{k}),0))}}", None, 0)
