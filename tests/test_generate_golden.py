"""Golden file: a fresh registration template equals tests/golden/registration.xlsx part by part.

Regenerate after an intended change with:  UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_generate_golden.py
The golden is generated from the frozen schema copy tests/golden/archive_schema.yaml.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from workbook_tools.generate import generate_template
from xlsx_compare import compare_xlsx

GOLDEN_DIR = Path(__file__).parent / "golden"
GOLDEN = GOLDEN_DIR / "registration.xlsx"
GOLDEN_SCHEMA = GOLDEN_DIR / "archive_schema.yaml"
# The generator version is in custom.xml and on 填表说明; a version bump alone is no regression.
VERSION = (r"workbook-tools [0-9][0-9A-Za-z.+-]*", "workbook-tools X.Y.Z")


def generate(path: Path, **kwargs) -> Path:
    return generate_template(GOLDEN_SCHEMA, "registration", path, region="华东", rows=50, **kwargs)


def test_registration_matches_golden(tmp_path):
    fresh = generate(tmp_path / "registration.xlsx")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_bytes(fresh.read_bytes())
    assert GOLDEN.exists(), "no golden file; run with UPDATE_GOLDEN=1 to create it"
    problems = compare_xlsx(fresh, GOLDEN, substitutions=[VERSION])
    assert not problems, "\n\n".join(problems) + "\n(if intended: UPDATE_GOLDEN=1)"


def test_compare_ignores_core_timestamps_only(tmp_path):
    a = generate(tmp_path / "a.xlsx")
    b = generate(tmp_path / "b.xlsx", created=dt.datetime(2026, 11, 22, 8, 30))
    assert a.read_bytes() != b.read_bytes()
    assert compare_xlsx(a, b) == []
    assert compare_xlsx(a, b, ignore_elements={}) != []
    other = generate_template(GOLDEN_SCHEMA, "registration", tmp_path / "c.xlsx", region="华南", rows=50)
    problems = compare_xlsx(other, a)
    assert any("docProps/custom.xml" in p and "华南" in p for p in problems)
    assert compare_xlsx(other, a, ignore_files={"docProps/custom.xml", "docProps/core.xml",
                                                "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"}) == []
