"""A deliberate page setup for every sheet we write (XlsxWriter worksheets): A4, the
orientation the table needs, fit to one page wide only while that stays legible (otherwise the
key columns repeat on every page across), the header row repeated, a page header with the
title and a footer 第 n 页，共 m 页.

Widths are Excel column widths (characters of the default font). An A4 page holds about 95
of them in portrait and 137 in landscape at 100 %; below 60 % print is too small to read, so a
table wider than ~225 characters is printed over several pages across instead of shrunk."""

from __future__ import annotations

from typing import Sequence

A4 = 9
PORTRAIT_CHARS = 95
LANDSCAPE_CHARS = 137
LEGIBLE_SCALE = 0.6
FOOTER = "&C第 &P 页，共 &N 页"


def _escape(text: str) -> str:
    """Header/footer text: '&' is a control character there."""
    return text.replace("&", "&&")


def page_header(title: str, subtitle: str | None = None) -> str:
    """'&L<title>&R<subtitle>' (both escaped)."""
    right = f"&R{_escape(subtitle)}" if subtitle else ""
    return f"&L{_escape(title)}{right}"


def setup_table_page(ws, widths: Sequence[float], *, title: str, subtitle: str | None = None,
                     header_row: int | None = 0, key_columns: int = 0, gridlines: bool = True) -> str:
    """Page setup of a table sheet whose columns are ``widths`` wide and whose header is the
    0-based ``header_row`` (None: no header to repeat). Returns how it prints: 'portrait',
    'landscape' (both one page wide) or 'across' (landscape, ``key_columns`` repeated)."""
    total = sum(widths) or 1
    ws.set_paper(A4)
    ws.set_header(page_header(title, subtitle))
    ws.set_footer(FOOTER)
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    if header_row is not None:
        ws.repeat_rows(header_row)
    if gridlines:
        ws.hide_gridlines(0)          # print the grid: rows stay readable on paper
    if total <= PORTRAIT_CHARS:
        ws.set_portrait()
        ws.fit_to_pages(1, 0)
        return "portrait"
    ws.set_landscape()
    if total <= LANDSCAPE_CHARS / LEGIBLE_SCALE:
        ws.fit_to_pages(1, 0)
        return "landscape"
    if key_columns:
        ws.repeat_columns(0, key_columns - 1)
    return "across"


def setup_text_page(ws, width: float, *, title: str, subtitle: str | None = None) -> None:
    """A sheet of prose or notes (说明, 合并说明, 填表说明): portrait when it fits, one page wide."""
    ws.set_paper(A4)
    ws.set_header(page_header(title, subtitle))
    ws.set_footer(FOOTER)
    if width <= PORTRAIT_CHARS:
        ws.set_portrait()
    else:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
