"""Nothing sensitive leaks through everyday outputs: a full weekly run's console output, the
`validate --json` document, the HTML report and the 退回修改 copies' 校验结果 sheets never
contain a raw 身份证号, mobile or bank account of the demo data."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest
import yaml
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from workbook_tools.cli import cli
from workbook_tools.io.reader import read_workbook
from workbook_tools.sampledata import generate_samples

SECRET_FIELDS = ("id_card", "mobile", "bank_account")
CONFIG = {
    "regions": ["华东", "华南"], "salespeople": {"华东": ["张三"], "华南": ["李四"]},
    "incoming": "incoming", "previous": None,
    "contact_cycles": {"重要客户": 7, "主要客户": 14, "普通客户": 30, "潜在客户": 60},
    "purchase_cycles": {"重要客户": 30, "主要客户": 60, "普通客户": 90, "潜在客户": 180},
}


def raw_secrets(files, schema) -> set[str]:
    """Every ID/mobile/bank value as typed, and as plain digits."""
    out: set[str] = set()
    for path in files:
        for table in read_workbook(path, schema).sheets:
            if table.form.key != "registration":
                continue
            for record in table.records:
                for key in SECRET_FIELDS:
                    value = table.value(record, key)
                    if isinstance(value, str) and len(value.strip()) >= 7:
                        out.add(value.strip())
                        digits = re.sub(r"[\s\-+]", "", unicodedata.normalize("NFKC", value))
                        out.add(digits[2:] if digits.startswith("86") and len(digits) == 13 else digits)
    return out


@pytest.fixture(scope="module")
def week(tmp_path_factory, schema):
    folder = tmp_path_factory.mktemp("weekly")
    samples = generate_samples(folder / "incoming", regions=["华东", "华南"], customers_per_region=30)
    (folder / "archive.yaml").write_text(yaml.safe_dump(CONFIG, allow_unicode=True), encoding="utf-8")
    runner = CliRunner()
    weekly = runner.invoke(cli, ["weekly", str(folder), "--as-of", "2026-11-22"])
    assert weekly.exit_code == 0, weekly.output
    validate = runner.invoke(cli, ["validate", str(folder / "incoming"), "--as-of", "2026-11-22", "--json"])
    plain = runner.invoke(cli, ["validate", str(folder / "incoming"), "--as-of", "2026-11-22"])
    return folder, raw_secrets(samples.paths, schema), weekly.output, validate.output, plain.output


def test_the_demo_data_has_secrets_and_findings_about_them(week):
    folder, secrets, _, as_json, _ = week
    assert len(secrets) > 100
    assert '"code": "mobile-invalid"' in as_json or '"code": "id-card-checksum"' in as_json


def test_console_json_html_and_result_sheets_quote_no_raw_value(week):
    folder, secrets, weekly_out, as_json, plain = week
    out = folder / "output" / "2026-W47"
    report = (out / "周报_2026-W47.html").read_text(encoding="utf-8")
    sheets = []
    for path in sorted((out / "退回修改").iterdir()):
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("校验结果").to_python()
        sheets.append("\n".join("\t".join(map(str, row)) for row in rows))
    assert sheets and any("手机" in text or "身份证号" in text for text in sheets)
    texts = {"weekly": weekly_out, "json": as_json, "console": plain, "html": report, "校验结果": "\n".join(sheets)}
    leaks = {(where, s) for where, text in texts.items() for s in secrets if s in text}
    assert leaks == set()
