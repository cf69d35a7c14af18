"""Writes a form's checks: the hidden 检查 sheet, the 检查结果 column of the data sheet, the
red/yellow conditional formats and the data validation of codes whose length is certain."""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.utility import xl_col_to_name

from workbook_tools.generate.checks.plan import (
    CHECK_COLUMN, CHECK_SHEET, ERRORS, TEXT_SHEET, WARNINGS, CheckPlan, build_plan,
)

ERROR_FILL, ERROR_FONT = "#FFC7CE", "#9C0006"      # Excel's "light red fill with dark red text"
WARNING_FILL, WARNING_FONT = "#FFEB9C", "#9C5700"  # and "yellow fill with dark yellow text"
RESULT_WIDTH = 60


def _row(template: str, row: int) -> str:
    return template.replace("§", str(row))


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass
class HelperRows:
    """The 检查 sheet's formula rows as shared formulas (one master per column, as Excel
    writes a filled-down column): spliced into the package XlsxWriter wrote."""

    plan: CheckPlan
    part: str
    large: bool = False

    @property
    def last_cell(self) -> str:
        return f"{xl_col_to_name(len(self.plan.helpers) + 2)}{self.plan.last_row}"

    def templates(self) -> list[str]:
        plan = self.plan
        errors = "&".join(f"{letter}§" for letter in plan.error_parts) or '""'
        warnings = "&".join(f"{letter}§" for letter in plan.warning_parts) or '""'
        return [plan.in_use, errors, warnings, *(h.template for h in plan.helpers)]

    def chunks(self):
        first, last = self.plan.first_row, self.plan.last_row
        letters = [xl_col_to_name(i) for i in range(len(self.templates()))]
        cells = []
        for si, (letter, template) in enumerate(zip(letters, self.templates())):
            ref = f' ref="{letter}{first}:{letter}{last}"' if last > first else ""
            t = ' t="shared"' + ref + f' si="{si}"' if last > first else ""
            cells.append(f'<c r="{letter}{first}"><f{t}>{_xml(_row(template, first))}</f></c>')
        yield f'<row r="{first}">{"".join(cells)}</row>'.encode()
        for row in range(first + 1, last + 1):
            yield (f'<row r="{row}">' + "".join(f'<c r="{letter}{row}"><f t="shared" si="{si}"/></c>'
                                                for si, letter in enumerate(letters)) + "</row>").encode()


def write_checks(workbook, data, info, formats) -> HelperRows:
    """Add the 检查 sheet and the 检查结果 column (after the form's last column) to ``data``;
    the returned rows go into the closed package with ``io.sheetxml.splice``."""
    form = info.form
    first, last = info.first_data_row + 1, info.last_data_row + 1     # 1-based sheet rows
    plan = build_plan(form, form.title, first, last, info.schema.settings)
    helper = workbook.add_worksheet(CHECK_SHEET)
    helper.hide()
    texts = workbook.add_worksheet(TEXT_SHEET)
    texts.hide()
    for text, row in plan.texts.items.items():
        texts.write_string(row - 1, 0, text)
    texts.protect("")
    for col, text in enumerate(["本行在用", "错误", "警告"] + [h.header for h in plan.helpers]):
        helper.write_string(0, col, text)
    helper.protect("")
    _write_result_column(data, plan, formats)
    _conditional_formats(workbook, data, plan)
    index = workbook.worksheets().index(helper) + 1
    return HelperRows(plan, f"xl/worksheets/sheet{index}.xml")


def result_formula(row: int) -> str:
    sheet = f"'{CHECK_SHEET}'!"
    return f"=MID({sheet}{ERRORS}{row}&{sheet}{WARNINGS}{row},2,32767)"


def _write_result_column(ws, plan: CheckPlan, formats) -> None:
    col = len(plan.form.fields)
    ws.set_column(col, col, RESULT_WIDTH, formats.result())
    ws.write_string(0, col, CHECK_COLUMN, formats.result_header())
    for row in range(plan.first_row, plan.last_row + 1):
        ws.write_formula(row - 1, col, result_formula(row), formats.result(), "")


def _conditional_formats(workbook, ws, plan: CheckPlan) -> None:
    red = workbook.add_format({"bg_color": ERROR_FILL, "font_color": ERROR_FONT})
    yellow = workbook.add_format({"bg_color": WARNING_FILL, "font_color": WARNING_FONT})
    first, last = plan.first_row - 1, plan.last_row - 1
    sheet = f"'{CHECK_SHEET}'!"
    targets = [(col, plan.cell_errors.get(col), plan.cell_warnings.get(col))
               for col in range(len(plan.form.fields))]
    targets.append((len(plan.form.fields), ERRORS, WARNINGS))
    for col, err, warn in targets:
        for letter, fmt, severity in ((err, red, "错误"), (warn, yellow, "警告")):
            test = plan.verdicts.get((col, severity))      # a field sharing a cell: its own test
            if letter or test:
                test = test.replace("§", str(plan.first_row)) if test else f"LEN({sheet}{letter}{plan.first_row})>0"
                ws.conditional_format(first, col, last, col, {"type": "formula", "criteria": "=" + test,
                                                              "format": fmt})
