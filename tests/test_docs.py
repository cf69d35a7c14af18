"""Docs generated from code stay current; every command is documented and has help."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import click

from workbook_tools.cli import cli
from workbook_tools.validate import catalogue

ROOT = Path(__file__).resolve().parents[1]


def _gen():
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "docs" / "gen_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_docs_are_current():
    assert _gen().main(["--check"]) == 0, "run: .venv/bin/python docs/gen_docs.py"


def test_readme_lists_every_finding_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- CODES:START -->")[1].split("<!-- CODES:END -->")[0]
    for code in catalogue():
        assert f"`{code}`" in section, code


def test_every_command_has_help_and_a_readme_section():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ctx = click.Context(cli)
    names = cli.list_commands(ctx)
    assert {"template", "inspect", "sample", "validate"} <= set(names)
    for name in names:
        command = cli.get_command(ctx, name)
        assert command.help and command.get_short_help_str(), name
        assert f"### `workbook-tools {name}" in readme, f"README has no section for {name}"
