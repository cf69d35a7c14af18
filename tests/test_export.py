"""`export`: the demo master for every default role — leak scan of the whole package, hidden
fields absent, masked values masked, 发放说明, encryption, refusal for 外部."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import msoffcrypto
import pytest
from python_calamine import CalamineWorkbook

from workbook_tools.accounts import COLUMNS
from workbook_tools.export import ExportRequest, export_master
from workbook_tools.merge.files import merge_files
from workbook_tools.privacy.ledger import Ledger
from workbook_tools.privacy.view import RoleView

from leakscan import find_leaks, package_parts
from office import needs_soffice

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_data"
TODAY = dt.date(2026, 11, 22)
SECRET_KINDS = ("id_card", "mobile", "phone", "fax", "email", "address", "bank_account")


def cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "workbook_tools", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True)


def sheet_rows(path: Path, sheet: str, data: bytes | None = None) -> list[list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data)) if data else CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(sheet).to_python()


def raw_values(master: Path, schema) -> dict[str, list]:
    rows = sheet_rows(master, "客户档案")
    form = schema.form("registration")
    keys = [form.match_header(h) for h in rows[0]]
    out: dict[str, list] = {k: [] for k in keys if k}
    for row in rows[1:]:
        for key, value in zip(keys, row):
            if key and value not in ("", None):
                out[key].append(value)
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory, schema):
    folder = tmp_path_factory.mktemp("export")
    master = folder / "总表.xlsx"
    merge_files([SAMPLES], master, schema=schema, as_of=TODAY, run_date=TODAY)
    return folder, master, raw_values(master, schema)


def _export(demo, schema, role, name, **kw):
    folder, master, _ = demo
    request = ExportRequest(role=role, recipient="李四", approver="王经理", purpose="回访",
                            return_by=dt.date(2026, 12, 31), **kw.pop("filters", {}))
    return export_master(master, folder / name, request, schema=schema, ledger=folder / "登记.db",
                         today=TODAY, **kw)


def secrets_for(view: RoleView, raw: dict) -> list[str]:
    """Raw values of the sensitive fields the role may not see in full."""
    return [str(v) for key in SECRET_KINDS if key in raw and view.level(key) != "可见" for v in raw[key]]


def trade_secrets(view: RoleView, master: Path, schema) -> list[str]:
    """Raw values of the master's 客户分类 columns whose registration field (credit.permissions) the
    role may not see, and the 交易编号 of 交易记录 when the role does not receive that sheet."""
    rules = schema.credit
    rows = sheet_rows(master, "客户分类")
    by_header = {header: key for key, header, _ in COLUMNS}
    keys = [by_header.get(h) for h in rows[1]]
    out = [str(v) for row in rows[2:] for key, v in zip(keys, row)
           if key and key not in ("customer_id", "customer_name", "region", "owner")
           and view.level(rules.follows(key)) != "可见" and v not in ("", None)]
    if not view.receives("trade"):
        out += [str(r[0]) for r in sheet_rows(master, "交易记录")[1:] if r[0]]
    return out


@pytest.mark.parametrize("role", ["客户服务", "业务员"])
def test_no_raw_value_survives_anywhere_in_the_package(demo, schema, role):
    result = _export(demo, schema, role, f"{role}.xlsx")
    view = RoleView(schema, role)
    secrets = secrets_for(view, demo[2])
    assert len(secrets) > 200  # the demo master really has such values
    trades = trade_secrets(view, demo[1], schema)
    assert len(trades) > 1000   # 交易编号 (and for 业务员 every computed figure)
    assert find_leaks(package_parts(result.path), secrets + trades) == []


def test_classes_and_trades_follow_the_role(demo, schema):
    """客户分类 for roles that may see the fields its columns follow; 交易记录 for roles whose forms include trade."""
    admin = _export(demo, schema, "管理员", "全部.xlsx", filters={"customers": ("HD0004",)})
    assert CalamineWorkbook.from_path(str(admin.path)).sheet_names == [
        "发放说明", "客户档案", "客户分类", "拜访记录", "拜访计划", "交易记录"]
    classes = sheet_rows(admin.path, "客户分类")
    assert classes[0] == [header for _, header, _ in COLUMNS]
    master = sheet_rows(demo[1], "客户分类")
    (line,) = [r for r in master[2:] if r[0] == "HD0004"]
    row = dict(zip(classes[0], classes[1]))
    assert row["客户编号"] == "HD0004" and row["交易金额(元)"] == line[master[1].index("交易金额(元)")]
    assert row["信用评估"] == line[master[1].index("信用评估")]
    assert row["按期回款率"].endswith("%")
    deals = sheet_rows(admin.path, "交易记录")
    mine = [r for r in sheet_rows(demo[1], "交易记录")[1:] if r[2] == "HD0004"]
    assert len(deals) - 1 == len(mine) == row["交易次数"] and {r[2] for r in deals[1:]} == {"HD0004"}
    service = _export(demo, schema, "客户服务", "客服分类.xlsx")
    names = CalamineWorkbook.from_path(str(service.path)).sheet_names
    assert "客户分类" in names and "交易记录" not in names
    assert service.sheets["客户分类"] == service.sheets["客户档案"] == 237
    sales = _export(demo, schema, "业务员", "业务分类.xlsx")
    assert "客户分类" not in CalamineWorkbook.from_path(str(sales.path)).sheet_names


def test_the_scan_finds_raw_values_when_they_are_there(demo, schema):
    """The administrator's export carries everything: the same scan must see it."""
    result = _export(demo, schema, "管理员", "管理员.xlsx")
    raw = demo[2]
    hits = find_leaks(package_parts(result.path), raw["id_card"] + raw["bank_account"])
    assert len(hits) == len(set(raw["id_card"] + raw["bank_account"]))
    trades = trade_secrets(RoleView(schema, "业务员"), demo[1], schema)
    assert len(find_leaks(package_parts(result.path), trades)) > 1000   # 客户分类 and 交易记录 are there


def test_hidden_fields_are_absent_and_masked_ones_masked(demo, schema):
    result = _export(demo, schema, "客户服务", "客服.xlsx")
    rows = sheet_rows(result.path, "客户档案")
    header = rows[0]
    assert "银行账号" not in header and "微信号" not in header and "来源文件" not in header
    assert "手机" in header and "身份证号" in header
    ids = [r[header.index("身份证号")] for r in rows[1:] if r[header.index("身份证号")]]
    assert ids and all(len(v) == 18 and v[6:14] == "********" for v in ids)
    raw_ids = set(demo[2]["id_card"])
    assert not raw_ids & set(ids)
    assert result.sheets == {"客户档案": 237, "客户分类": 237, "拜访记录": 162}
    assert result.masked == ["身份证号"] and result.hidden == ["银行账号"]
    sales = sheet_rows(_export(demo, schema, "业务员", "业务.xlsx").path, "客户档案")
    assert sales[0] == ["客户编号", "客户名称", "所属区域", "联系人", "职务", "负责业务员"]
    assert sales[1] == ["HD0001", "南京元航供应链管理有限公司", "华东", "蔡婷", "副总经理", "杨林俊"]


def test_the_instructions_sheet(demo, schema):
    result = _export(demo, schema, "业务员", "华东.xlsx", filters={"regions": ("华东",)})
    notes = dict(tuple(r) for r in sheet_rows(result.path, "发放说明")[1:])
    assert notes["发放编号"] == f"第 {result.entry} 号（登记于 登记.db）"
    assert (notes["接收人"], notes["审批人"], notes["用途"]) == ("李四", "王经理", "回访")
    assert (notes["发放日期"], notes["归还期限"]) == ("2026-11-22", "2026-12-31")
    assert notes["接收人角色"].startswith("业务员：业务人员：只提供单位名称、姓名、职务")
    assert notes["客户数"] == "58 位" and notes["筛选条件"] == "所属区域：华东"
    assert notes["脱敏字段"] == "无" and notes["不提供的字段"].startswith("客户类型、所属行业")
    assert notes["其他不提供的列"] == "微信号、来源文件、来源工作表、来源行"
    assert notes["加密"] == "否"
    assert CalamineWorkbook.from_path(str(result.path)).sheet_names == ["发放说明", "客户档案"]
    entry = Ledger(demo[0] / "登记.db").issues()[-1]
    assert (entry.number, entry.customers, entry.filters) == (result.entry, 58, "所属区域：华东")


def test_filters_by_customer_and_owner(demo, schema):
    result = _export(demo, schema, "客户服务", "两位.xlsx", filters={"customers": ("HD0001", "HD0002")})
    rows = sheet_rows(result.path, "客户档案")
    assert [r[0] for r in rows[1:]] == ["HD0001", "HD0002"]
    visits = sheet_rows(result.path, "拜访记录")
    assert {r[1] for r in visits[1:]} <= {"HD0001", "HD0002"}
    owner = _export(demo, schema, "业务员", "杨.xlsx", filters={"owners": ("杨林俊",)})
    assert {r[5] for r in sheet_rows(owner.path, "客户档案")[1:]} == {"杨林俊"}


def test_encrypted_export_opens_only_with_the_password(demo, schema, tmp_path):
    result = _export(demo, schema, "客户服务", "加密.xlsx", password="正确的密码 2026")
    assert result.encrypted and result.path.read_bytes()[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    office = msoffcrypto.OfficeFile(io.BytesIO(result.path.read_bytes()))
    office.load_key(password="正确的密码 2026", verify_password=True)
    plain = io.BytesIO()
    office.decrypt(plain)
    rows = sheet_rows(result.path, "客户档案", plain.getvalue())
    assert rows[1][0] == "HD0001"
    secrets = secrets_for(RoleView(schema, "客户服务"), demo[2])
    assert find_leaks(package_parts(result.path, "正确的密码 2026"), secrets) == []
    wrong = msoffcrypto.OfficeFile(io.BytesIO(result.path.read_bytes()))
    with pytest.raises(Exception):
        wrong.load_key(password="错误", verify_password=True)
    run = cli("inspect", result.path, cwd=tmp_path)
    assert run.returncode == 2
    assert "文件已加密（设置了打开密码）" in run.stderr and "--password-file" in run.stderr
    assert "Traceback" not in run.stderr
    (tmp_path / "pw.txt").write_text("正确的密码 2026\n", encoding="utf-8")
    run = cli("inspect", result.path, "--password-file", "pw.txt", cwd=tmp_path)
    assert run.returncode == 0 and run.stdout.startswith(f"文件：{result.path}（xlsx，")
    assert "工作表“客户档案”：客户档案登记表（registration）" in run.stdout


def test_cli_export_with_password_file_and_refusals(demo, tmp_path):
    folder, master, _ = demo
    (tmp_path / "pw.txt").write_text("s3cret\n", encoding="utf-8")
    run = cli("export", master, "-o", "out.xlsx", "--role", "业务员", "--to", "李四", "--approved-by", "王经理",
              "--password-file", "pw.txt", "--as-of", "2026-11-22", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == "已发放：out.xlsx（发放登记第 1 号，登记簿 发放登记.db）"
    assert "s3cret" not in run.stdout + run.stderr
    assert (tmp_path / "发放登记.db").exists()
    for role, expected in (("外部", "错误：角色“外部”不能接收客户资料（权限分配表中该角色不允许发放）；"
                                    "可以发放给的角色：管理员、客户服务、业务员。未写出任何文件"),
                           ("老板", "错误：未知的角色“老板”，可用：管理员、客户服务、业务员、外部")):
        run = cli("export", master, "-o", "no.xlsx", "--role", role, "--to", "张三", "--approved-by", "王经理",
                  cwd=tmp_path)
        assert run.returncode == 2 and expected in run.stderr and "Traceback" not in run.stderr
        assert not (tmp_path / "no.xlsx").exists()
    assert len(Ledger(tmp_path / "发放登记.db").issues()) == 1


SYSTEM_PYTHON = Path("/usr/bin/python3")


def _has_pyuno() -> bool:
    return SYSTEM_PYTHON.exists() and subprocess.run([str(SYSTEM_PYTHON), "-c", "import uno"],
                                                      capture_output=True).returncode == 0


@needs_soffice
@pytest.mark.skipif(not _has_pyuno(), reason="python3-uno (LibreOffice's Python bridge) is not installed")
def test_libreoffice_opens_the_encrypted_export_with_the_password_only(demo, schema):
    import json

    result = _export(demo, schema, "业务员", "lo.xlsx", password="发放 pw-1")
    run = subprocess.run([str(SYSTEM_PYTHON), str(Path(__file__).parent / "lo_password.py"), str(result.path),
                          "客户档案", "错误的密码", "发放 pw-1"], capture_output=True, text=True, timeout=300)
    wrong, right = json.loads(run.stdout)
    assert "error" in wrong
    assert right["sheets"] == ["发放说明", "客户档案"]
    assert right["rows"] == [["客户编号", "客户名称", "所属区域"], ["HD0001", "南京元航供应链管理有限公司", "华东"]]


def test_the_stream_reader_reads_the_master_as_calamine_does(demo, schema, monkeypatch):
    """export.read reads our masters with io.stream; the guarded calamine path (every other
    file) gives the same tables."""
    from workbook_tools.export import read as export_read
    from workbook_tools.io.stream import NotStreamable

    _, master, _ = demo
    forms = {"registration", "visit-record", "complaint", "trade"}
    choices = (None, lambda key: key in ("customer_id", "name", "contact", "visit_date"))
    streamed = [export_read.read_master(master, schema, forms, wanted) for wanted in choices]

    def refuse(*_args):
        raise NotStreamable("test")

    monkeypatch.setattr(export_read, "_streamed", refuse)
    for wanted, tables in zip(choices, streamed):
        assert {"registration", "visit-record", "trade"} <= set(tables)
        for form, table in export_read.read_master(master, schema, forms, wanted).items():
            mine = tables[form]
            assert (mine.keys, mine.rows, mine.other_columns, mine.kept) == \
                (table.keys, table.rows, table.other_columns, table.kept), form
            assert len(mine.rows) > 0
