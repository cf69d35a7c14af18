"""The 校验结果 sheet as worksheet XML (helper of ``annotate.package``): the same rows, widths,
styles, frozen header, filter and links as annotate.sheet writes with openpyxl."""

from __future__ import annotations

import html
from typing import Any

from openpyxl.utils.cell import get_column_letter

from workbook_tools.validate.annotate import parts as px
from workbook_tools.validate.annotate.parts import text_cell
from workbook_tools.validate.annotate.sheet import (
    ERROR_RGB, HEADER_BORDER_RGB, HEADER_ROW, HEADER_RGB, HEADERS, LINK_RGB, WARNING_RGB, finding_kind,
    RESULT_SHEET, is_error, level_label, quote_sheet, result_widths,
)

_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
         f'xmlns:r="{px.REL_NS}">')
_MARGINS = '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
# as sheet.list_sheet's page setup: A4 landscape, one page wide, name in the header, page n of m
_SHEET_PR = '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
_PAGE = ('<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
         f'<headerFooter><oddHeader>&amp;L{RESULT_SHEET}</oddHeader>'
         '<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>')


class _Formats:
    """The cell formats of 校验结果, appended to the workbook's styles."""

    def __init__(self, styles: px.Styles):
        put = styles.append
        bold12, bold = put("fonts", '<font><b/><sz val="12"/></font>'), put("fonts", "<font><b/></font>")
        link = put("fonts", f'<font><u/><color rgb="{LINK_RGB}"/></font>')
        header_fill = put("fills", px.solid_fill(HEADER_RGB))
        bottom = f'<bottom style="thin"><color rgb="{HEADER_BORDER_RGB}"/></bottom>'
        border = put("borders", f"<border><left/><right/><top/>{bottom}<diagonal/></border>")
        base = 'numFmtId="0" xfId="0"'
        self.summary = put("cellXfs", f'<xf {base} fontId="{bold12}" fillId="0" borderId="0" applyFont="1"/>')
        self.header = put("cellXfs", f'<xf {base} fontId="{bold}" fillId="{header_fill}" borderId="{border}" '
                                     'applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">'
                                     '<alignment horizontal="center" vertical="center"/></xf>')
        self.level = {flag: put("cellXfs", f'<xf {base} fontId="0" fillId="{put("fills", px.solid_fill(rgb))}" '
                                           'borderId="0" applyFill="1"/>')
                      for flag, rgb in ((True, ERROR_RGB), (False, WARNING_RGB))}
        self.link = put("cellXfs", f'<xf {base} fontId="{link}" fillId="0" borderId="0" applyFont="1"/>')
        self.wrap = put("cellXfs", f'<xf {base} fontId="0" fillId="0" borderId="0" applyAlignment="1">'
                                   '<alignment vertical="top" wrapText="1"/></xf>')


def results_sheet(rows: list[tuple[Any, str | None, str | None, Any]], summary: str, styles: px.Styles,
                  *, selected: bool) -> str:
    """``rows``: (finding, marked sheet, marked cell, row number) in listing order."""
    fmt = _Formats(styles)
    last = get_column_letter(len(HEADERS))
    title = text_cell("A1", f' s="{fmt.summary}"', summary)
    header = "".join(text_cell(f"{get_column_letter(c)}{HEADER_ROW}", f' s="{fmt.header}"', h)
                     for c, h in enumerate(HEADERS, start=1))
    body = [f'<row r="1">{title}</row>', f'<row r="{HEADER_ROW}">{header}</row>']
    links = []
    for number, (f, sheet, coord, row) in enumerate(rows, start=1):
        r = HEADER_ROW + number
        body.append(_row(r, number, f, sheet, coord, row, fmt))
        if sheet and coord:
            location = html.escape(f"{quote_sheet(sheet)}!{coord}", quote=True)
            links.append(f'<hyperlink ref="D{r}" location="{location}" display="{coord}"/>')
    end = HEADER_ROW + max(len(rows), 1)
    tab = ' tabSelected="1"' if selected else ""
    view = (f'<sheetViews><sheetView workbookViewId="0"{tab}><pane ySplit="{HEADER_ROW}" '
            f'topLeftCell="A{HEADER_ROW + 1}" activePane="bottomLeft" state="frozen"/>'
            f'<selection pane="bottomLeft" activeCell="A{HEADER_ROW + 1}" sqref="A{HEADER_ROW + 1}"/>'
            "</sheetView></sheetViews>")
    widths = result_widths((f, coord, row) for f, _, coord, row in rows)
    cols = "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>' for c, w in enumerate(widths, 1))
    return (f'{_HEAD}{_SHEET_PR}<dimension ref="A1:{last}{max(end, HEADER_ROW)}"/>{view}'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
            f'<sheetData>{"".join(body)}</sheetData><autoFilter ref="A{HEADER_ROW}:{last}{end}"/>'
            + (f"<hyperlinks>{''.join(links)}</hyperlinks>" if links else "") + f"{_MARGINS}{_PAGE}</worksheet>")


def _row(r: int, number: int, f: Any, sheet: str | None, coord: str | None, row: Any, fmt: _Formats) -> str:
    cells = [f'<c r="A{r}"><v>{number}</v></c>',
             text_cell(f"B{r}", f' s="{fmt.level[is_error(f)]}"', level_label(f))]
    values = (getattr(f, "sheet", None), coord or getattr(f, "cell", None), row, getattr(f, "field", None),
              getattr(f, "value", None), str(getattr(f, "message", "") or ""), *finding_kind(f))
    for letter, value in zip("CDEFGHIJ", values):
        style = ""
        if letter == "D" and sheet and coord:
            style = f' s="{fmt.link}"'
        elif letter in "GH":
            style = f' s="{fmt.wrap}"'
        cells.append(_value(f"{letter}{r}", style, value))
    return f'<row r="{r}">{"".join(c for c in cells if c)}</row>'


def _value(ref: str, style: str, value: Any) -> str:
    if value is None or value == "":  # as openpyxl stores them: no value
        return f'<c r="{ref}"{style}/>' if style else ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return text_cell(ref, style, str(value))
    return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
