"""The finding catalogue: every code the validation code emits is catalogued and every
catalogued code is emitted somewhere; every entry is complete; the Markdown lists all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import workbook_tools.validate as validate
from workbook_tools.validate.catalogue import catalogue, catalogue_markdown

PACKAGE = Path(validate.__file__).parent
# Modules of the validation engine: every kebab-case string literal in them is a code.
ENGINE_MODULES = ("catalogue", "checkers", "choices", "columns", "common", "contact", "dates",
                  "engine", "files", "findings", "identity", "numbers", "phoneplan", "rules",
                  "sink", "text")
EMITTED = re.compile(r"""\b(?:one|add)\(\s*["']([^"']+)["']|\[0\]\s*==\s*["']([^"']+)["']""")
KEBAB = re.compile(r"""["']([a-z][a-z0-9]*(?:-[a-z0-9]+)+)["']""")
# Every placeholder a template may use (the engine supplies label and value).
KNOWN_PARAMS = {
    "label", "value", "allowed", "parsed", "min", "max", "example", "as_of", "shown", "length",
    "positions", "birth", "region", "chars", "hint", "first_row", "count", "letters", "first",
    "form", "header_row", "labels", "rule", "condition", "left", "right", "right_label",
    "when_label", "when_value", "sheets", "time", "sheet", "base",
    "first_sheet",               # unique-duplicate, row-duplicate across continuation sheets
    "customer_id", "computed",   # trade-figure-disagrees (workbook_tools.accounts)
}


def _sources():
    return {path.stem: path.read_text(encoding="utf-8") for path in PACKAGE.glob("*.py")}


def _emitters():
    """The engine's modules and workbook_tools.accounts (which renders trade-figure-disagrees)."""
    accounts = PACKAGE.parent / "accounts"
    return {**_sources(), **{f"accounts.{p.stem}": p.read_text(encoding="utf-8") for p in accounts.glob("*.py")}}


def _emitted_codes() -> set[str]:
    found = set()
    for text in _emitters().values():
        for match in EMITTED.finditer(text):
            found.add(match.group(1) or match.group(2))
    return found


def test_every_emitted_code_is_catalogued_and_vice_versa():
    emitted, known = _emitted_codes(), set(catalogue())
    assert emitted - known == set(), "codes used but not in catalogue.yaml"
    assert known - emitted == set(), "catalogued codes never emitted"


def test_every_kebab_literal_in_the_engine_is_a_code():
    sources = _sources()
    missing = {name for name in ENGINE_MODULES if name not in sources}
    assert not missing
    literals = {m for name in ENGINE_MODULES for m in KEBAB.findall(sources[name])}
    assert literals - set(catalogue()) == set()


@pytest.mark.parametrize("code", list(catalogue()))
def test_entry_is_complete(code):
    item = catalogue()[code]
    assert re.fullmatch(r"[a-z]+(?:-[a-z0-9]+)+", item.code)
    assert item.severity in ("error", "warning")
    for text in (item.title, item.description, item.message):
        assert re.search(r"[\u4e00-\u9fff]", text), "Chinese text expected"
    assert "请" in item.message or "可以忽略" in item.message, "a message says how to fix"
    assert item.placeholders <= KNOWN_PARAMS
    item.render(**{name: "x" for name in KNOWN_PARAMS})


def test_markdown_lists_every_code():
    text = catalogue_markdown()
    assert text.startswith("| 代码 | 级别 | 名称 | 说明 |\n| --- | --- | --- | --- |\n")
    for code, item in catalogue().items():
        assert f"| `{code}` | {'错误' if item.severity == 'error' else '警告'} | {item.title} |" in text
    assert text.count("\n") == len(catalogue()) + 2
