"""The conditional formats of a generated form as cells LibreOffice computes.

A red or yellow fill is the result of a formula; LibreOffice's CSV export cannot show fills,
so :func:`with_verdict_sheet` copies every conditional-format formula of the data sheet, as
written in the package, into a sheet of its own (one column per rule, filled down as a shared
formula over the rule's rows): the converted CSV then holds each cell's verdict, TRUE where
the cell is coloured."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, unescape

from workbook_tools.generate.checks.sheet import ERROR_FONT, WARNING_FONT
from workbook_tools.generate.template import generate_template
from workbook_tools.io.sheetxml import splice

VERDICT_SHEET = "判定"
_CF = re.compile(r'<conditionalFormatting sqref="([A-Z]+)(\d+):[A-Z]+(\d+)">(.*?)</conditionalFormatting>', re.S)
_RULE = re.compile(r'<cfRule[^>]*?dxfId="(\d+)"[^>]*>\s*<formula>(.*?)</formula>', re.S)


def cf_rules(path: Path) -> list[tuple[str, str, int, int, str]]:
    """(column letter, "error"/"warning", first row, last row, formula) of every formula rule."""
    with zipfile.ZipFile(path) as z:
        styles = z.read("xl/styles.xml").decode()
        sheets = [z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("xl/worksheets/sheet")]
    dxfs = re.findall(r"<dxf>(.*?)</dxf>", styles, re.S)
    severity = ["error" if ERROR_FONT[1:] in d else "warning" if WARNING_FONT[1:] in d else "?" for d in dxfs]
    rules = []
    for sheet in sheets:
        for col, first, last, body in _CF.findall(sheet):
            rules += [(col, severity[int(dxf)], int(first), int(last), unescape(formula))
                      for dxf, formula in _RULE.findall(body)]
    return rules


class _VerdictRows:
    large = False

    def __init__(self, rules):
        self.rules = rules
        self.first, self.last = rules[0][2], rules[0][3]
        self.last_cell = f"{_col(len(rules) - 1)}{self.last}"

    def chunks(self):
        cells = [f'<c r="{_col(i)}{self.first}"><f t="shared" ref="{_col(i)}{self.first}:{_col(i)}{self.last}" '
                 f'si="{i}">{escape(formula)}</f></c>' for i, (*_, formula) in enumerate(self.rules)]
        yield f'<row r="{self.first}">{"".join(cells)}</row>'.encode()
        for row in range(self.first + 1, self.last + 1):
            yield (f'<row r="{row}">' + "".join(f'<c r="{_col(i)}{row}"><f t="shared" si="{i}"/></c>'
                                                for i in range(len(self.rules))) + "</row>").encode()


def _col(i: int) -> str:
    from xlsxwriter.utility import xl_col_to_name
    return xl_col_to_name(i)


def with_verdict_sheet(schema, kind: str, path: Path, rows: int) -> tuple[Path, list]:
    """A checked template of ``rows`` rows with the 判定 sheet; returns it and its rules."""
    added = {}

    def extend(workbook, data, formats, info):
        ws = workbook.add_worksheet(VERDICT_SHEET)
        ws.write_string(0, 0, VERDICT_SHEET)
        added["part"] = f"xl/worksheets/sheet{workbook.worksheets().index(ws) + 1}.xml"

    generate_template(schema, kind, path, rows=rows, checks=True, extend=extend)
    rules = cf_rules(path)
    assert len({(r[2], r[3]) for r in rules}) == 1, "every rule covers the data rows"
    splice(path, {added["part"]: _VerdictRows(rules)})
    return path, rules
