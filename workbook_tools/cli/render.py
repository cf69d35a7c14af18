"""Console rendering shared by commands (rich tables in Chinese)."""

from __future__ import annotations

import os

from workbook_tools.errors import shown

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from workbook_tools.cli.help import wrap

SEVERITY = {"error": "[red]错误[/red]", "warning": "[yellow]警告[/yellow]"}


def name(text) -> str:
    """A file name or path for rich markup: control characters escaped (errors.shown), and
    "[" escaped so that a name like "[red]x.xlsx" is printed, not interpreted."""
    from rich.markup import escape

    return escape(shown(text))


def console() -> Console:
    """A console that does not wrap or colour when output is not a terminal (CI, pipes)."""
    width = None if os.isatty(1) else 200
    return Console(width=width, highlight=False, soft_wrap=False)


def findings_table(findings) -> Table:
    table = Table(show_lines=False, pad_edge=False, box=None, header_style="bold")
    for name in ("级别", "工作表", "行", "单元格", "字段", "值", "问题说明"):
        table.add_column(name, overflow="fold")
    for f in findings:
        value = "" if f.value is None else str(f.value)
        table.add_row(SEVERITY.get(f.severity, f.severity), f.sheet or "",
                      "" if f.row is None else str(f.row), f.cell or "",
                      f.field or "", value[:30], f.message)
    return table


WIDE = 120   # below this many columns a table would wrap every message over several lines


def findings_list(findings, width: int = 80) -> list[str]:
    """The findings for a narrow terminal: where (level, sheet!cell, field: value) on one line,
    the message below it, indented and wrapped between Chinese characters — readable at 80 columns."""
    out = []
    for f in findings:
        where = f"{f.sheet or ''}!{f.cell}" if f.cell else (f.sheet or "") + (f"（第 {f.row} 行）" if f.row else "")
        value = "" if f.value is None else str(f.value)[:30]
        field = f"  {f.field}：{value}" if f.field else ""
        out.append(f"{SEVERITY.get(f.severity, f.severity)}  {escape(where + field)}")
        out.extend(f"      {escape(line)}" for line in wrap(f.message, width - 7))
    return out


def print_findings(out: Console, findings) -> None:
    """A table on a wide console (or when piped), a two-line list on a narrow terminal."""
    if out.width >= WIDE:
        out.print(findings_table(findings))
        return
    for line in findings_list(findings, out.width):
        out.print(line, overflow="ignore", crop=False)
