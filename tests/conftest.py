"""Fixtures shared by every test module. Keep this file small; module-level fixtures
with the same name take precedence."""

from __future__ import annotations

import os
from pathlib import Path

# tests/capped.py forks a child capped at 2 GB of address space from a long-lived test worker:
# Arrow's default pool (mimalloc, pandas' text columns) keeps reserved address space that the
# child inherits and then cannot grow (sqlite's mmap fails: "disk I/O error"). Set before pandas.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

import pytest  # noqa: E402

import workbook_tools
from workbook_tools.schema import load_schema

PACKAGE = Path(workbook_tools.__file__).resolve().parent


def pytest_report_header(config):
    return f"workbook_tools imported from {PACKAGE}"


def pytest_configure(config):
    """.ci/run sets WORKBOOK_TOOLS_TEST_ROOT when it runs the suite from a copy of the checkout:
    fail at once if the package was imported from anywhere else (e.g. the editable install)."""
    root = os.environ.get("WORKBOOK_TOOLS_TEST_ROOT")
    if root and not PACKAGE.is_relative_to(Path(root).resolve()):
        raise pytest.UsageError(f"workbook_tools was imported from {PACKAGE}, not from {root}")


@pytest.fixture(scope="session")
def schema():
    """The bundled schema (templates/archive_schema.yaml)."""
    return load_schema()
