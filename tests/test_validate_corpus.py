"""Every third-party corpus workbook gets a validation report or one clear Chinese error."""

from __future__ import annotations

import re

import pytest

from made_files import CORPUS, CORPUS_ABSENT
from workbook_tools.validate import validate_workbook

FILES = sorted(p for p in CORPUS.glob("*") if p.suffix.lower() in {".xlsx", ".xlsm", ".xls", ".csv"}) \
    if CORPUS.exists() else []
CHINESE = re.compile(r"[\u4e00-\u9fff]")

pytestmark = pytest.mark.skipif(not FILES, reason=CORPUS_ABSENT)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_corpus_file_gets_a_report_or_a_clear_error(path, schema):
    report = validate_workbook(path, schema)
    assert report.status in {"ok", "invalid", "unreadable"}
    if report.status == "unreadable":
        assert str(path) in report.error and CHINESE.search(report.error)
        assert "\n" not in report.error and "Traceback" not in report.error
    for finding in report.findings:
        assert finding.code and CHINESE.search(finding.message), finding
        assert finding.severity in {"error", "warning"}


def test_the_real_customer_register_is_checked_not_refused(schema):
    report = validate_workbook(CORPUS / "cn_customer_register_2016.xlsx", schema)
    assert report.status == "invalid" and report.form and report.form.startswith("registration")
    codes = {f.code for f in report.findings}
    assert "column-missing" in codes  # 客户类型 has no column in this real register
