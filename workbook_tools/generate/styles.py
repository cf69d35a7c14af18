"""Cell formats of generated templates: one place for colours, borders and number formats."""

from __future__ import annotations

from workbook_tools.schema.model import DATE_TYPES, Field

HEADER_FILL = "#DDEBF7"      # optional column: light blue
REQUIRED_FILL = "#FCE4D6"    # required column (header text ends with *): light orange
RESULT_FILL = "#E2EFDA"      # the 检查结果 column (formulas): light green
BORDER_COLOR = "#A6A6A6"
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
# Number formats by field type; a type not listed keeps Excel's "General".
NUMBER_FORMATS = {"integer": "0", "money": "#,##0.00"}

_BORDER = {"border": 1, "border_color": BORDER_COLOR}


def number_format(field: Field) -> str | None:
    """The number format a data cell of ``field`` gets (None: General)."""
    if field.is_text:
        return TEXT_FORMAT
    if field.type in DATE_TYPES:
        return DATE_FORMAT
    return NUMBER_FORMATS.get(field.type)


def header_text(field: Field) -> str:
    """The header cell text: the label, with ``*`` when the field is required."""
    return f"{field.label}*" if field.required else field.label


WEEKDAY_DATE = "[$-804]yyyy-mm-dd aaaa"


class Formats:
    """XlsxWriter formats of one workbook, created on first use and reused."""

    def __init__(self, workbook):
        self._workbook = workbook
        self._cache: dict[tuple, object] = {}

    def _get(self, key: tuple, props: dict):
        if key not in self._cache:
            self._cache[key] = self._workbook.add_format(props)
        return self._cache[key]

    def header(self, required: bool):
        """Header cell: bold, filled, wrapped, bordered, locked."""
        return self._get(("header", required), {
            "bold": True, "text_wrap": True, "align": "center", "valign": "vcenter",
            "bg_color": REQUIRED_FILL if required else HEADER_FILL, "locked": True, **_BORDER,
        })

    def cell(self, field: Field):
        """Data cell of ``field``: unlocked, bordered, with the column's number format."""
        num = number_format(field)
        props = {"locked": False, "valign": "top", **_BORDER}
        if num:
            props["num_format"] = num
        return self._get(("cell", num), props)

    def weekday_date(self):
        """A data cell showing the date with its weekday: 2026-11-30 星期一 (Excel, WPS, LibreOffice)."""
        return self._get(("cell", WEEKDAY_DATE), {"locked": False, "valign": "top", **_BORDER,
                                                  "num_format": WEEKDAY_DATE})

    def result(self):
        """检查结果 cells: formulas, locked, wrapped."""
        return self._get(("result",), {"locked": True, "text_wrap": True, "valign": "top", **_BORDER})

    def result_header(self):
        return self._get(("result_header",), {
            "bold": True, "text_wrap": True, "align": "center", "valign": "vcenter",
            "bg_color": RESULT_FILL, "locked": True, **_BORDER,
        })

    def title(self):
        return self._get(("title",), {"bold": True, "font_size": 16})

    def section(self):
        return self._get(("section",), {"bold": True, "font_size": 12})

    def note(self):
        return self._get(("note",), {"text_wrap": True, "valign": "top"})

    def table_header(self):
        return self._get(("table_header",), {
            "bold": True, "bg_color": HEADER_FILL, "valign": "vcenter", **_BORDER,
        })

    def table_cell(self, highlight: bool = False):
        props = {"text_wrap": True, "valign": "top", **_BORDER}
        if highlight:
            props["bg_color"] = REQUIRED_FILL
        return self._get(("table_cell", highlight), props)

    def list_header(self):
        return self._get(("list_header",), {"bold": True, "bg_color": HEADER_FILL})

    def text(self):
        return self._get(("text",), {"num_format": TEXT_FORMAT})
