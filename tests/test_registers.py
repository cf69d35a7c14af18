"""Real-world customer registers and CRM import templates (issue 18), rebuilt here with
their header layouts and synthetic rows (no real names, phones or IDs): customer lists
known only by the added aliases, a named form with two columns, English and 必填/选填
rows under the header, ISO timestamps, non-customer sheets, a repeated 备注, an empty
sheet. Each is read by the real reader and validated as the user would."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import xlsxwriter
from test_validate_support import uscc_code

from workbook_tools.cli import main
from workbook_tools.io import read_workbook
from workbook_tools.io.describe import describe_workbook
from workbook_tools.merge.collect import extra_columns
from workbook_tools.resources import template_path
from workbook_tools.validate import validate_workbook

AS_OF = dt.date(2026, 6, 1)
# Synthetic data: 示例 company names, 1380000xxxx test numbers.
NAMES = [f"示例商贸{i:02d}有限公司" for i in range(1, 13)]


def phone(i: int) -> str:
    return f"138000000{i:02d}"


def write(path, sheets: dict):
    """``sheets``: name → list of rows (None = blank cell); written as text/numbers."""
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    book.close()
    return path


def mapping(table) -> list[tuple[str, str, str | None]]:
    return [(c.letter, c.header, c.field) for c in table.columns]


def errors(report) -> list:
    return [f for f in report.findings if f.severity == "error"]


# --- layout 1: a customer list headed 客户名称 / 客户手机号 / 客户地址 / 客户备注 -------------------

@pytest.fixture(scope="module")
def shop_list(tmp_path_factory):
    rows = [["客户名称", "客户手机号", "客户地址", "客户备注"]]
    rows += [[name, phone(i), f"示例市示例路{i}号", "老客户" if i % 3 == 0 else None]
             for i, name in enumerate(NAMES, start=1)]
    return write(tmp_path_factory.mktemp("shop") / "客户列表.xlsx", {"Sheet1": rows})


def test_customer_list_known_by_the_added_aliases(shop_list, schema):
    data = read_workbook(shop_list, schema)
    [table] = data.sheets
    assert (table.form.key, table.header_row) == ("registration", 1)
    assert mapping(table) == [("A", "客户名称", "customer_name"), ("B", "客户手机号", "mobile"),
                              ("C", "客户地址", "address"), ("D", "客户备注", "remarks")]
    assert [c.matched for c in table.columns] == ["label", "alias", "alias", "alias"]
    assert [r.row for r in table.records] == list(range(2, 14))  # every row read
    assert table.value(table.records[2], "remarks") == "老客户"


# --- layout 2: a company list with CRM export columns and ISO timestamps ---------------------

COMPANY_HEADER = ["客户编码", "客户名称", "法人代表姓名", "身份证号", "客户行业", "所属销售", "线索来源",
                  "座机电话", "官网", "创建时间", "创建人", "初次订货日期"]


@pytest.fixture(scope="module")
def company_list(tmp_path_factory):
    rows = [COMPANY_HEADER]
    sources = ["转介绍", "电话咨询", "邮件咨询", "线上"]
    for i, name in enumerate(NAMES[:8], start=1):
        rows.append([f"HD{i:04d}", name, f"示例{i}", None, "制造", "业务员甲", sources[i % 4],
                     f"021-5555{i:04d}", f"https://example{i}.cn", f"2025-07-{i + 10:02d}T01:23:22.623Z",
                     "录入员乙", "2025-06-01"])
    return write(tmp_path_factory.mktemp("company") / "公司客户.xlsx", {"客户": rows})


def test_company_list_mapping(company_list, schema):
    [table] = read_workbook(company_list, schema).sheets
    assert [c.field for c in table.columns] == [
        "customer_id", "customer_name", "legal_rep", "id_card", "industry", "owner", "source",
        "phone", "website", "created", "filled_by", "first_trade_date"]
    assert [r.row for r in table.records] == list(range(2, 10))


def test_iso_timestamps_are_dates_with_a_note(company_list, schema):
    report = validate_workbook(company_list, schema, as_of=AS_OF)
    created = [f for f in report.findings if f.field == "建档日期"]
    assert {f.code for f in created} == {"date-time-dropped"} and len(created) == 8
    assert created[0].cell == "J2" and created[0].message == (
        "建档日期“2025-07-11T01:23:22.623Z”带有时间 01:23:22.623，已按日期 2025-07-11 读取，"
        "时间部分不保留；请把单元格设为日期格式后重新输入 2025-07-11")
    parsed = report.tables[0].parsed
    assert parsed[0]["created"] == dt.date(2025, 7, 11)


def test_choice_aliases_from_crm_lists(company_list, schema):
    report = validate_workbook(company_list, schema, as_of=AS_OF)
    parsed = report.tables[0].parsed
    assert {p["industry"] for p in parsed} == {"制造业"}
    assert [p["source"] for p in parsed[:4]] == ["电话", "邮件", None, "客户推荐"]
    invalid = [(f.cell, f.value) for f in report.findings if f.code == "choice-invalid"]
    assert invalid == [("G4", "线上"), ("G8", "线上")]  # not an alias: still reported


def test_choice_aliases_in_the_schema(schema):
    form = schema.form("registration")
    lookups = {key: form.field(key).choice_lookup() for key in ("ownership", "category", "source",
                                                               "settlement", "industry")}
    assert lookups["ownership"]["民营"] == "私营企业"
    assert lookups["category"]["重点客户"] == lookups["category"]["vip客户"] == "重要客户"
    assert (lookups["source"]["转介绍"], lookups["source"]["电话咨询"], lookups["source"]["邮件咨询"]) == (
        "客户推荐", "电话", "邮件")
    assert lookups["settlement"]["现金"] == "现款现货"
    assert lookups["industry"]["制造"] == "制造业"


HEADER_ALIASES = {
    "customer_id": ["客户编码"], "customer_name": ["店名"], "mobile": ["客户手机号"], "phone": ["座机电话"],
    "address": ["客户地址"], "remarks": ["客户备注"], "website": ["官网", "官方网站"],
    "industry": ["客户行业", "行业划分"], "contact": ["客户联系人"], "first_trade_date": ["初次订货日期"],
    "created": ["创建日期", "创建时间", "备案日期", "初次备案日期"], "filled_by": ["创建人", "初次备案人"],
    "legal_rep": ["法人代表姓名"], "owner": ["所属销售"], "source": ["线索来源"],
}
CHOICE_ALIASES = ["民营", "重点客户", "VIP客户", "转介绍", "电话咨询", "邮件咨询", "现金", "制造"]


def test_header_aliases_map_and_carry_a_comment_in_the_schema(schema):
    form = schema.form("registration")
    lines = template_path("archive_schema.yaml").read_text(encoding="utf-8").splitlines()
    for key, aliases in HEADER_ALIASES.items():
        for alias in aliases:
            assert form.match_header(alias) == key, alias
    for alias in [a for group in HEADER_ALIASES.values() for a in group] + CHOICE_ALIASES:
        [line] = [ln for ln in lines if re.search(rf"aliases: \[[^\]]*\b{alias}\b", ln)]
        assert "#" in line.split("]")[-1], f"no comment for {alias}: {line}"


# --- layout 3: CRM import template, English second header and 必填/选填 notes -----------------

@pytest.fixture(scope="module")
def crm_template(tmp_path_factory):
    rows = [
        ["客户名称*", "手机号", "座机电话", "邮箱", "客户行业", "线索来源", "客户地址", "客户类型", "备注"],
        ["CustomerName", "MobilePhone", "Telephone", "Email", "Industry", "LeadSource", "Address",
         "CustomerType", "Remark"],
        ["必填", "选填", "电话和手机号码选填一样", "选填", "选填", "选填", "选填", "必填：公司/个人", None],
    ]
    for i, name in enumerate(NAMES[:5], start=1):
        rows.append([name, phone(i), None, f"user{i}@example.com", "制造", "转介绍", f"示例路{i}号",
                     "公司", None])
    return write(tmp_path_factory.mktemp("crm") / "客户导入模板.xlsx", {"客户导入": rows})


def test_english_and_instruction_rows_are_skipped(crm_template, schema):
    [table] = read_workbook(crm_template, schema).sheets
    assert table.header_row == 1
    assert [c.field for c in table.columns] == ["customer_name", "mobile", "phone", "email", "industry",
                                                "source", "address", "customer_type", "remarks"]
    assert table.skipped_rows == [(2, "英文表头"), (3, "填写说明")]
    assert [r.row for r in table.records] == [4, 5, 6, 7, 8]


def test_no_false_errors_from_header_like_rows(crm_template, schema):
    report = validate_workbook(crm_template, schema, as_of=AS_OF)
    assert report.rows == 5
    assert [f for f in report.findings if f.row in (2, 3)] == []
    # the template lacks 客户编号/区域/类别/负责业务员/建档日期/信用代码 columns: table errors only
    assert [f for f in errors(report) if f.cell is not None] == []
    assert {f.code for f in errors(report)} == {"column-missing", "column-missing-conditional"}


def test_inspect_shows_skipped_rows_and_aliases(crm_template, capsys):
    with pytest.raises(SystemExit) as info:
        main(["inspect", str(crm_template)])
    out = capsys.readouterr().out
    assert info.value.code == 0
    assert "跳过的行：第 2 行（英文表头，不是数据）、第 3 行（填写说明，不是数据）" in out
    assert "C 列 座机电话 → 电话（按别名识别）" in out
    assert "F 列 线索来源 → 客户来源（按别名识别）" in out
    assert "数据行：5 行（第 4–8 行）" in out


def test_data_rows_in_english_are_not_skipped(tmp_path, schema):
    rows = [["客户编号", "客户名称", "所属区域", "客户类型"],
            ["HD0001", "Example Trading Ltd", "华东", "公司"],
            ["HD0002", "Sample Works", "华东", "公司"]]
    [table] = read_workbook(write(tmp_path / "e.xlsx", {"Sheet1": rows}), schema).sheets
    assert table.skipped_rows == [] and [r.row for r in table.records] == [2, 3]


# --- a named form lowers the threshold to one required field --------------------------------

@pytest.fixture(scope="module")
def two_columns(tmp_path_factory):
    rows = [["手机号", "客户名称"]] + [[phone(i), name] for i, name in enumerate(NAMES[:4], start=1)]
    return write(tmp_path_factory.mktemp("two") / "两列.xlsx", {"Sheet1": rows})


def test_two_columns_need_the_form_named(two_columns, schema):
    data = read_workbook(two_columns, schema)
    assert data.sheets == [] and data.other_sheets == ["Sheet1"]
    assert data.other_reasons["Sheet1"] == (
        "第 1 行只识别出 2 列（客户名称、手机），自动识别至少需要 3 列；"
        "指定表格类型后（如 --form registration）有 1 个必填列即可")
    [table] = read_workbook(two_columns, schema, form="registration").sheets
    assert mapping(table) == [("A", "手机号", "mobile"), ("B", "客户名称", "customer_name")]
    assert [r.row for r in table.records] == [2, 3, 4, 5]


def test_named_form_report_lists_what_was_found(two_columns, schema):
    report = validate_workbook(two_columns, schema, form="registration", as_of=AS_OF)
    missing = sorted(f.field for f in report.findings if f.code == "column-missing")
    assert "客户名称" not in missing and missing == sorted(["客户编号", "客户类型", "所属区域", "客户类别",
                                                              "负责业务员", "建档日期"])
    [not_found] = validate_workbook(two_columns, schema, as_of=AS_OF).findings
    assert not_found.code == "form-not-found"
    assert not_found.message.startswith("文件中没有找到可识别的表头（已查看的工作表：Sheet1：第 1 行只识别出 2 列"
                                        "（客户名称、手机），自动识别至少需要 3 列；")


def test_named_form_without_a_required_column(tmp_path, schema):
    rows = [["手机", "电话"], [phone(1), "021-55550000"]]
    data = read_workbook(write(tmp_path / "p.xlsx", {"Sheet1": rows}), schema, form="registration")
    assert data.sheets == []
    assert data.other_reasons["Sheet1"].startswith("第 1 行只识别出 手机、电话，其中没有客户档案登记表的必填列（客户编号")


def test_named_form_does_not_take_another_forms_sheet(tmp_path, schema):
    rows = [["记录编号", "客户编号", "公司名称", "拜访日期", "业务员"], ["VR001", "HD0001", NAMES[0], "2026-03-02", "甲"]]
    data = read_workbook(write(tmp_path / "v.xlsx", {"Sheet1": rows}), schema, form="registration")
    assert data.sheets == []
    assert data.other_reasons["Sheet1"] == "第 1 行是客户拜访记录的表头（识别出 5 列），不是客户档案登记表"


# --- non-customer sheets are refused with a reason -----------------------------------------

PROJECT_HEADER = ["序号", "备案日期", "商务公司代码", "客户所属区域", "项目备案号", "业务负责人", "客户名称",
                  "项目名称", "联系人", "职务", "联系电话", "邮箱", "备注"]
CONTACT_HEADER = ["客户名称*", "联系人姓名*", "职务", "手机", "电话", "邮箱", "备注"]


def contact_rows():
    return [[NAMES[i], f"联系人{i}", "采购", phone(i), None, f"c{i}@example.com", None] for i in range(3)]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    project = [["公司 项目备案表"], [], PROJECT_HEADER,
               [1, "2026-01-05", "X01", "华东", "P001", "业务员甲", NAMES[0], "示例项目", "联系人0"]]
    customers = [["客户编号", "客户名称", "客户类型", "所属区域"], ["HD0001", NAMES[0], "公司", "华东"]]
    return write(tmp_path_factory.mktemp("mixed") / "备案.xlsx", {
        "客户": customers,
        "项目备案表": project,
        "客户联系人导入模板": [CONTACT_HEADER, *contact_rows()],
        "Sheet4": [["客户联系人导入模板"], CONTACT_HEADER, *contact_rows()],
        "Sheet5": [CONTACT_HEADER, *contact_rows()],
        "Sheet6": [],
    })


def test_non_customer_sheets_are_refused_with_a_reason(mixed, schema):
    data = read_workbook(mixed, schema)
    assert [(t.sheet, t.form.key, len(t.records)) for t in data.sheets] == [("客户", "registration", 1)]
    assert data.other_reasons == {
        "项目备案表": "工作表名“项目备案表”说明这是“项目”类表格，不是客户档案登记表",
        "客户联系人导入模板": "工作表名“客户联系人导入模板”说明这是“联系人”类表格，不是客户档案登记表",
        "Sheet4": "第 1 行的标题“客户联系人导入模板”说明这是“联系人”类表格，不是客户档案登记表",
        "Sheet5": "第 1 行只识别出客户名称和联系人、记录信息（客户名称、联系人、职务、手机、电话、电子邮件、备注），"
                  "缺少客户本身的信息（如客户类型、所属区域、所属行业、地址、统一社会信用代码），"
                  "像是联系人等其他表格，不按客户档案登记表读取",
        "Sheet6": "空工作表",
    }


def test_naming_the_form_does_not_make_a_project_sheet_customers(mixed, schema):
    data = read_workbook(mixed, schema, form="registration")
    assert [t.sheet for t in data.sheets] == ["客户", "Sheet5"]  # Sheet5: the user said so
    assert "“项目”类表格" in data.other_reasons["项目备案表"]


@pytest.mark.parametrize("title", ["2020年新增询价客户备案名录", "客户及联系人信息表", "客户信息表（含联系人）"])
def test_a_title_naming_customers_last_is_a_customer_list(tmp_path, schema, title):
    rows = [[title], ["客户名称", "联系人", "手机", "区域"], [NAMES[0], "联系人0", phone(1), "华东"]]
    data = read_workbook(write(tmp_path / "q.xlsx", {"Sheet1": rows}), schema)
    assert [(t.sheet, t.header_row) for t in data.sheets] == [("Sheet1", 2)]


def test_inspect_and_validate_give_the_reasons(mixed, schema, capsys):
    with pytest.raises(SystemExit):
        main(["inspect", str(mixed)])
    out = capsys.readouterr().out
    assert "其他工作表（不读取）：\n  项目备案表：工作表名“项目备案表”说明这是“项目”类表格" in out
    assert "  Sheet6：空工作表" in out
    info = describe_workbook(mixed, schema)
    assert info["other_reasons"]["Sheet6"] == "空工作表"


# --- two 备注 columns: a warning, both values kept -----------------------------------------

@pytest.fixture(scope="module")
def two_remarks(tmp_path_factory):
    rows = [["客户编号", "客户名称", "客户类型", "所属区域", "客户类别", "手机", "负责业务员", "建档日期", "备注",
             "订货习惯", "备注", "统一社会信用代码"],
            ["HD0001", NAMES[0], "公司", "华东", "重要客户", phone(1), "甲", "2026-01-05", "月底对账", "整箱",
             "需开专票"],
            ["HD0002", NAMES[1], "公司", "华东", "普通客户", phone(2), "甲", "2026-01-06", None, None, "仅第二列"],
            ["HD0003", NAMES[2], "公司", "华东", "普通客户", phone(3), "甲", "2026-01-07", "同样", None, "同样"]]
    for i, row in enumerate(rows[1:], start=1):
        row += [None] * (11 - len(row)) + [uscc_code(f"91310000MA1K0000{i}")]  # synthetic codes
    return write(tmp_path_factory.mktemp("remarks") / "备注.xlsx", {"客户档案": rows})


def test_repeated_free_text_column_is_a_warning_with_both_values(two_remarks, schema):
    report = validate_workbook(two_remarks, schema, as_of=AS_OF)
    [repeated] = [f for f in report.findings if f.field == "备注"]
    assert (repeated.severity, repeated.code, repeated.cell) == ("warning", "column-repeated-text", "K1")
    assert repeated.message == "“备注”出现了 2 列（I、K 列）；各列内容都已保留并用“；”连接，如需分开请把多余的列改成别的列名"
    assert errors(report) == []
    assert [p["remarks"] for p in report.tables[0].parsed] == ["月底对账；需开专票", "仅第二列", "同样"]
    table = report.tables[0].table
    assert [h for _, h in extra_columns(table)] == ["订货习惯"]  # the second 备注 is not kept twice


def test_a_repeated_checked_column_stays_an_error(tmp_path, schema):
    rows = [["客户编号", "客户名称", "所属区域", "地区", "客户类型"], ["HD0001", NAMES[0], "华东", "华南", "公司"]]
    report = validate_workbook(write(tmp_path / "r.xlsx", {"客户档案": rows}), schema, as_of=AS_OF)
    assert [(f.code, f.severity) for f in report.findings if f.field == "所属区域"] == [
        ("column-duplicate", "error")]


# --- an empty workbook says it is empty ----------------------------------------------------

def test_empty_sheet_says_it_is_empty(tmp_path, schema):
    path = write(tmp_path / "空.xlsx", {"Sheet1": []})
    data = read_workbook(path, schema)
    assert data.other_reasons == {"Sheet1": "空工作表"}
    [finding] = validate_workbook(path, schema).findings
    assert (finding.code, finding.severity) == ("workbook-empty", "error")
    assert finding.message == ("文件中的工作表是空的（Sheet1），既没有表头也没有数据；"
                               "请确认选择了正确的文件，或在模板中填写后再检查")
