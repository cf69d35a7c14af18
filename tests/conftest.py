"""Fixtures shared by every test module. Keep this file small; module-level fixtures
with the same name take precedence."""

from __future__ import annotations

import pytest

from workbook_tools.schema import load_schema


@pytest.fixture(scope="session")
def schema():
    """The bundled schema (templates/archive_schema.yaml)."""
    return load_schema()
