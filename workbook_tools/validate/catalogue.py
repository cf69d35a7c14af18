"""The finding catalogue: every kind of validation finding, as data (catalogue.yaml).

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

CATALOGUE_FILE = Path(__file__).with_name("catalogue.yaml")
SEVERITIES = ("error", "warning")
_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class FindingType:
    code: str
    severity: str
    title: str
    description: str
    message: str

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
