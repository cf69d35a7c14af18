"""Form-control buttons as VML (the legacy drawing Excel uses for buttons and notes).

The shapes are written the way XlsxWriter writes its ``insert_button`` output (which Excel
opens): a ``_x0000_t201`` shape type, one ``v:shape`` per button with an ``x:ClientData``
of ObjectType Button, its ``x:Anchor`` (cells and pixel offsets), ``x:PrintObject`` False
(never printed) and ``x:FmlaMacro`` naming the VBA Sub. Positions are computed from the
sheet's own column widths and row heights so that the buttons sit to the right of the
last used column, beside the first row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

MAX_DIGIT_PX = 7  # Calibri 11, Excel's default font
PADDING_PX = 5
DEFAULT_COL_WIDTH = 8.43
DEFAULT_ROW_PT = 15.0
GAP_PX = 8
SHAPE_TYPE_ID = "_x0000_t201"


@dataclass(frozen=True)
class Button:
    caption: str  # shown on the button (Chinese)
    macro: str  # the VBA Sub it runs
    width: int = 88  # pixels
    height: int = 28


@dataclass(frozen=True)
class Anchor:
    col: int
    x: int
    row: int
    y: int
    col2: int
    x2: int
    row2: int
    y2: int
    left_px: int
    top_px: int

    def text(self) -> str:
        return ", ".join(str(v) for v in (self.col, self.x, self.row, self.y,
                                         self.col2, self.x2, self.row2, self.y2))


class SheetGeometry:
    """Column widths and row heights of a worksheet part, in pixels."""

    def __init__(self, sheet_xml: str, rows_needed: int = 20):
        fmt = re.search(r"<sheetFormatPr(?=[\s/>])[^>]*>", sheet_xml)
        fmt_text = fmt.group(0) if fmt else ""
        default_width = _number(fmt_text, "defaultColWidth")
        base = _number(fmt_text, "baseColWidth")
        if default_width is None:
            default_width = base + 0.43 if base is not None else DEFAULT_COL_WIDTH
        self.default_col = column_px(default_width)
        self.default_row = round((_number(fmt_text, "defaultRowHeight") or DEFAULT_ROW_PT) * 4 / 3)
        self.cols: dict[int, int] = {}
        for match in re.finditer(r"<col(?=[\s/>])[^>]*>", sheet_xml):
            tag = match.group(0)
            low, high = int(_number(tag, "min") or 1), int(_number(tag, "max") or 1)
            hidden = re.search(r'\shidden=["\'](1|true)["\']', tag) is not None
            width = _number(tag, "width")
            px = 0 if hidden else column_px(width) if width is not None else self.default_col
            for col in range(low - 1, min(high, low + 256)):
                self.cols[col] = px
        self.rows: dict[int, int] = {}
        for match in re.finditer(r"<row(?=[\s/>])[^>]*>", sheet_xml):
            tag = match.group(0)
            number = int(_number(tag, "r") or 0)
            if number > rows_needed:
                break
            height = _number(tag, "ht")
            hidden = re.search(r'\shidden=["\'](1|true)["\']', tag) is not None
            if hidden or height is not None:
                self.rows[number - 1] = 0 if hidden else round(height * 4 / 3)

    def col_px(self, col: int) -> int:
        return self.cols.get(col, self.default_col)

    def row_px(self, row: int) -> int:
        return self.rows.get(row, self.default_row)

    def anchor(self, col: int, x: int, row: int, y: int, width: int, height: int) -> Anchor:
        """The anchor of a ``width`` × ``height`` box starting ``x``/``y`` px into cell (row, col)."""
        left = sum(self.col_px(c) for c in range(col)) + x
        top = sum(self.row_px(r) for r in range(row)) + y
        col, x = self._normalise(col, x, self.col_px)
        row, y = self._normalise(row, y, self.row_px)
        col2, x2 = self._normalise(col, x + width, self.col_px)
        row2, y2 = self._normalise(row, y + height, self.row_px)
        return Anchor(col, x, row, y, col2, x2, row2, y2, left, top)

    @staticmethod
    def _normalise(index: int, offset: int, size) -> tuple[int, int]:
        while size(index) and offset >= size(index) or size(index) == 0:
            offset -= size(index)
            index += 1
        return index, offset


def column_px(width: float) -> int:
    """Pixels of a column ``width`` characters wide (Excel's rule for the default font)."""
    if width <= 0:
        return 0
    if width < 1:
        return int(width * (MAX_DIGIT_PX + PADDING_PX) + 0.5)
    return int(width * MAX_DIGIT_PX + 0.5) + PADDING_PX


def _number(tag: str, name: str) -> float | None:
    match = re.search(rf'\s{name}=["\']([-0-9.eE+]+)["\']', tag)
    return float(match.group(1)) if match else None


def place_buttons(geometry: SheetGeometry, first_col: int, buttons: list[Button]) -> list[Anchor]:
    """Anchors of ``buttons`` side by side from column ``first_col``, centred on the first row."""
    anchors, x = [], 0
    for button in buttons:
        y = max((geometry.row_px(0) - button.height) // 2, 2)
        anchors.append(geometry.anchor(first_col, x, 0, y, button.width, button.height))
        x += button.width + GAP_PX
    return anchors


def shape_type() -> str:
    return (f'<v:shapetype id="{SHAPE_TYPE_ID}" coordsize="21600,21600" o:spt="201" '
            'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
            '<v:path shadowok="f" o:extrusionok="f" strokeok="f" fillok="f" o:connecttype="rect"/>'
            '<o:lock v:ext="edit" shapetype="t"/></v:shapetype>')


def button_shape(button: Button, anchor: Anchor, shape_id: int, z_index: int) -> str:
    style = (f"position:absolute;margin-left:{_pt(anchor.left_px)}pt;margin-top:{_pt(anchor.top_px)}pt;"
             f"width:{_pt(button.width)}pt;height:{_pt(button.height)}pt;z-index:{z_index};"
             "mso-wrap-style:tight")
    return (f'<v:shape id="_x0000_s{shape_id}" type="#{SHAPE_TYPE_ID}" style="{style}" o:button="t" '
            'fillcolor="buttonFace [67]" strokecolor="windowText [64]" o:insetmode="auto">'
            '<v:fill color2="buttonFace [67]" o:detectmouseclick="t"/><o:lock v:ext="edit" rotation="t"/>'
            '<v:textbox style="mso-direction-alt:auto" o:singleclick="f"><div style="text-align:center">'
            f'<font face="Calibri" size="220" color="#000000">{escape(button.caption)}</font></div>'
            '</v:textbox><x:ClientData ObjectType="Button">'
            f'<x:Anchor>{anchor.text()}</x:Anchor><x:PrintObject>False</x:PrintObject>'
            f'<x:AutoFill>False</x:AutoFill><x:FmlaMacro>[0]!{escape(button.macro)}</x:FmlaMacro>'
            '<x:TextHAlign>Center</x:TextHAlign><x:TextVAlign>Center</x:TextVAlign></x:ClientData>'
            '</v:shape>')


def _pt(px: int) -> str:
    value = px * 0.75
    return str(int(value)) if value.is_integer() else f"{value:g}"


NAMESPACES = {"v": "urn:schemas-microsoft-com:vml", "o": "urn:schemas-microsoft-com:office:office",
              "x": "urn:schemas-microsoft-com:office:excel"}


def new_drawing(shapes: str, idmap: int) -> str:
    """A complete VML drawing part holding ``shapes``."""
    declarations = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
    return (f"<xml {declarations}>"
            f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{idmap}"/></o:shapelayout>'
            f"{shape_type()}{shapes}</xml>")


def add_to_drawing(vml: str, shapes: str) -> str:
    """``vml`` (an existing drawing, e.g. of notes) with ``shapes`` appended."""
    end = vml.rfind("</xml>")
    root = re.search(r"<xml(?=[\s>])[^>]*>", vml)
    if end < 0 or root is None:
        raise ValueError("VML drawing without <xml> root")
    extra = "" if SHAPE_TYPE_ID in vml else shape_type()
    vml = vml[:end] + extra + shapes + vml[end:]
    missing = ""
    for prefix, uri in NAMESPACES.items():  # another writer may have used other prefixes
        declared = re.search(rf'\sxmlns:{prefix}=["\']([^"\']*)["\']', root.group(0))
        if declared is None:
            missing += f' xmlns:{prefix}="{uri}"'
        elif declared.group(1) != uri:
            raise ValueError(f"VML prefix {prefix} is bound to {declared.group(1)}")
    return vml[:root.start() + 4] + missing + vml[root.start() + 4:]


def shape_ids(vml: str) -> list[int]:
    return [int(n) for n in re.findall(r"_x0000_s(\d+)", vml)]


def idmap_numbers(vml: str) -> list[int]:
    out = []
    for data in re.findall(r"<o:idmap[^>]*\sdata=[\"']([\d,\s]+)[\"']", vml):
        out += [int(n) for n in re.split(r"[,\s]+", data.strip()) if n]
    return out


def macro_names(vml: str) -> list[str]:
    """The macros named by the buttons of a VML drawing."""
    return re.findall(r"<x:FmlaMacro>\[0\]!([^<]+)</x:FmlaMacro>", vml)
