"""The finding catalogue as data: every kind of validation finding (validate/catalogue.yaml).

Loaded here, below every stage, because two stages read it: ``validate`` renders the
messages of its findings, and ``generate`` builds the self-checking forms' formulas from
the same entries (an entry's optional ``formula`` is its spreadsheet condition, so the
form and ``validate`` say the same Chinese words). ``workbook_tools.validate.catalogue``
re-exports this API.

Each entry has a kebab-case code, a default severity, a Chinese title and description
(for the README and the 填表说明) and a ``str.format`` message template filled with
named fields ({label}, {value}, …). Checkers only name a code and its parameters;
the wording lives here, once.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

# The data file stays next to the validator that owns the codes.
CATALOGUE_FILE = Path(__file__).resolve().parents[1] / "validate" / "catalogue.yaml"
SEVERITIES = ("error", "warning")
_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class FindingType:
    code: str
    severity: str
    title: str
    description: str
    message: str
    # The spreadsheet condition (an Excel formula expression with {x} = the cell, {n} = its
    # normalised value, …) used by the self-checking forms; None: only ``validate`` checks it.
    formula: str | None = None
    # When the formula covers only part of the rule: what stays with ``validate`` (Chinese).
    formula_limit: str | None = None

    @property
    def placeholders(self) -> frozenset[str]:
        """The named fields the message template uses."""
        return frozenset(name for _, name, _, _ in _FORMATTER.parse(self.message) if name)

    def render(self, **params: Any) -> str:
        return self.message.format_map(params)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, FindingType]:
    """Code → FindingType, in the order of catalogue.yaml (loaded once)."""
    entries = yaml.safe_load(CATALOGUE_FILE.read_bytes())
    out: dict[str, FindingType] = {}
    for entry in entries:
        item = FindingType(**entry)
        if item.code in out:
            raise ValueError(f"duplicate finding code {item.code!r} in {CATALOGUE_FILE}")
        if item.severity not in SEVERITIES:
            raise ValueError(f"bad severity {item.severity!r} for {item.code!r}")
        out[item.code] = item
    return out


def finding_type(code: str) -> FindingType:
    """The catalogue entry for a code; a KeyError means a programming error."""
    return catalogue()[code]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def catalogue_markdown() -> str:
    """The catalogue as a Markdown table (the README's list of finding codes)."""
    lines = ["| 代码 | 级别 | 名称 | 说明 |", "| --- | --- | --- | --- |"]
    names = {"error": "错误", "warning": "警告"}
    for item in catalogue().values():
        lines.append(
            f"| `{item.code}` | {names[item.severity]} | {_cell(item.title)} | {_cell(item.description)} |"
        )
    return "\n".join(lines) + "\n"


def formula_markdown() -> str:
    """Which findings the forms' 检查结果 formulas catch and which only ``validate`` does
    (the README's table of the self-checking forms)."""
    lines = ["| 代码 | 名称 | 表格内公式 |", "| --- | --- | --- |"]
    for item in catalogue().values():
        if item.formula is None:
            cover = "—（仅 validate）"
        elif item.formula_limit:
            cover = f"部分：{_cell(item.formula_limit)}"
        else:
            cover = "是"
        lines.append(f"| `{item.code}` | {_cell(item.title)} | {cover} |")
    return "\n".join(lines) + "\n"
