"""The leak scan on a 10,000-customer master (once, module-scoped): no raw 身份证号, mobile,
phone, e-mail, address or bank account of a masked or hidden field anywhere in the package."""

from __future__ import annotations

import datetime as dt

import pytest

from workbook_tools.export import ExportRequest, export_master
from workbook_tools.merge.files import merge_files
from workbook_tools.privacy.view import RoleView
from workbook_tools.sampledata.generator import generate_samples

from leakscan import find_leaks, package_parts
from test_export import raw_values, secrets_for

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def big(tmp_path_factory, schema):
    folder = tmp_path_factory.mktemp("export10k")
    generate_samples(folder / "in", customers_per_region=2500, messy=False, schema=schema)
    master = folder / "总表.xlsx"
    merge_files([folder / "in"], master, schema=schema, as_of=TODAY, run_date=TODAY)
    return folder, master, raw_values(master, schema)


@pytest.mark.parametrize("role", ["客户服务", "业务员"])
def test_no_raw_value_in_a_10000_customer_export(big, schema, role):
    folder, master, raw = big
    assert len(raw["customer_id"]) >= 10_000
    request = ExportRequest(role=role, recipient="李四", approver="王经理")
    result = export_master(master, folder / f"{role}.xlsx", request, schema=schema,
                           ledger=folder / "登记.db", today=TODAY)
    assert result.customers == len(raw["customer_id"])
    secrets = secrets_for(RoleView(schema, role), raw)
    assert len(secrets) > 10_000
    assert find_leaks(package_parts(result.path), secrets) == []
