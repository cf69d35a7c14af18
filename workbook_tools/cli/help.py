"""Help pages that read well in Chinese: click measures text in characters and joins wrapped
source lines with spaces, which suits English. Here widths are terminal cells (a Chinese
character takes two, rich.cells.cell_len), lines of a paragraph join without a space between
Chinese characters, lines never start with closing punctuation, and click's English markers
([required], [default: 6]) are said in Chinese."""

from __future__ import annotations

import re

import click
from rich.cells import cell_len

WIDTH = 80
_NO_LINE_START = set("，。；：、）」』”’！？》")
_NO_LINE_END = set("（「『“‘《")
_MARKERS = [(re.compile(r"\s*\[required\]"), "（必填）"),
            (re.compile(r"\s*\[default: ([^\]]*)\]"), r"（默认：\1）"),
            (re.compile(r"\s*\[env var: ([^\]]*)\]"), r"（环境变量：\1）")]


def chinese_markers(text: str) -> str:
    """click's '[required]', '[default: 6]' → '（必填）', '（默认：6）'."""
    for pattern, repl in _MARKERS:
        text = pattern.sub(repl, text)
    return text


def _wide(ch: str) -> bool:
    return bool(ch) and not ch.isascii()


def join_lines(lines: list[str]) -> str:
    """One paragraph from source lines: no space where a line break fell between two Chinese
    characters, one space otherwise."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out and not (_wide(out[-1]) and _wide(line[0])):
            out += " "
        out += line
    return out


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Greedy wrap by terminal cells: ASCII words stay whole, Chinese breaks between characters,
    closing punctuation never starts a line, an opening bracket never ends one. Continuation
    lines start with ``indent``."""
    lines, current = [], ""
    for token in _tokens(text):
        if current.strip() and cell_len(current + token) > width and token != " ":
            carry = ""
            if token[0] in _NO_LINE_START and _wide(current[-1]):   # the punctuation takes a character down
                carry, current = current[-1], current[:-1]
            while current and current[-1] in _NO_LINE_END:          # an opening bracket moves down
                carry, current = current[-1] + carry, current[:-1]
            lines.append(current.rstrip())
            current = indent + carry + token.lstrip()
        else:
            current += token
    if current.strip():
        lines.append(current.rstrip())
    return lines or [""]


def _tokens(text: str) -> list[str]:
    tokens, word = [], ""
    for ch in text:
        if ch.isascii() and ch != " ":
            word += ch
            continue
        if word:
            tokens.append(word)
            word = ""
        tokens.append(ch)
    if word:
        tokens.append(word)
    return tokens


class ChineseFormatter(click.HelpFormatter):
    """click's formatter, measuring in terminal cells and wrapping Chinese text."""

    def __init__(self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None):
        super().__init__(indent_increment, width=WIDTH, max_width=WIDTH)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for block in text.split("\n\n"):
            if block.startswith("\b"):   # click's "do not rewrap" marker: keep lines, fold long ones
                for line in block[1:].strip("\n").splitlines():
                    lead = line[:len(line) - len(line.lstrip())]
                    for part in wrap(line, self.width - self.current_indent, lead + "  "):
                        self.write(f"{indent}{part}\n")
            else:
                for line in wrap(join_lines(block.splitlines()), self.width - self.current_indent):
                    self.write(f"{indent}{line}\n")
            self.write("\n")
        self.buffer[-1:] = []           # no blank line after the last block

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first = min(max((cell_len(term) for term, _ in rows), default=0), col_max)
        indent = " " * self.current_indent
        help_width = max(self.width - self.current_indent - first - col_spacing, 20)
        for term, text in rows:
            text = chinese_markers(join_lines((text or "").splitlines()))
            lines = wrap(text, help_width) if text else [""]
            pad = first + col_spacing - cell_len(term)
            if pad < col_spacing:                 # a long term: help starts on the next line
                self.write(f"{indent}{term}\n")
                pad_line = " " * (first + col_spacing)
                lines_out = [f"{indent}{pad_line}{ln}" for ln in lines]
            else:
                lines_out = [f"{indent}{term}{' ' * pad}{lines[0]}"]
                lines_out += [f"{indent}{' ' * (first + col_spacing)}{ln}" for ln in lines[1:]]
            self.write("\n".join(line.rstrip() for line in lines_out) + "\n")


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter
