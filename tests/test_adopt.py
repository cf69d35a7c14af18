"""`adopt`: legacy registers in the layouts of real systems, rebuilt by the test with
synthetic rows (示例 names, 1380000xxxx numbers), adopted end to end: the expected column
mapping, 0 lost rows, the 迁移说明 reconciliation and findings, values of unmapped columns
kept in 其他信息, the output validating with exactly the findings listed, then merging.

These tests do not depend on the value inferences (adopt/infer, tested on their own):
they hold with the placeholder and with the real inferences."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook
from test_validate_support import uscc_code

from office import convert, convert_sheets, needs_soffice

from workbook_tools.adopt import adopt_files, plan_files
from workbook_tools.cli import main
from workbook_tools.errors import UnreadableWorkbook, WorkbookToolsError
from workbook_tools.merge.files import merge_files
from workbook_tools.schema import load_schema
from workbook_tools.validate import validate_workbook

AS_OF = dt.date(2026, 6, 1)
NAMES = [f"示例商贸{i:02d}有限公司" for i in range(1, 9)]


def mobile(i: int) -> str:
    return f"138000000{i:02d}"


def write_xlsx(path, rows, *, sheet="Sheet1", merges=()):
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet(sheet)
    for first_row, first_col, last_row, last_col, text in merges:
        ws.merge_range(first_row, first_col, last_row, last_col, text)
    merged = {(r, c) for r, c, *_ in merges}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None and (r, c) not in merged:
                ws.write(r, c, value)
    book.close()
    return path


def write_csv(path, rows, encoding):
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


# --- the layouts ----------------------------------------------------------------------------
# 悟空CRM (WukongCRM, open source) 客户 list export: one header row, 客户级别 as
# “A（重点客户）”, 成交状态 / 下次联系时间 / 最后跟进时间 columns the archive has no field for.
WUKONG = ["客户名称", "客户级别", "客户来源", "客户行业", "成交状态", "下次联系时间", "电话", "手机", "网址",
          "邮箱", "负责人", "详细地址", "创建人", "创建时间", "最后跟进时间", "备注"]
WUKONG_MAP = ["customer_name", "category", "source", "industry", None, None, "phone", "mobile", "website",
              "email", "owner", "address", "filled_by", "created", None, "remarks"]


def wukong(path):
    rows = [WUKONG]
    for i, name in enumerate(NAMES[:5], 1):
        rows.append([name, "A（重点客户）" if i % 2 else "B（普通客户）", "转介绍", "制造业", "已成交",
                     "2026-06-10", f"021-5888{i:04d}", mobile(i), f"www.example{i}.com", f"u{i}@example.com",
                     "张三", f"上海市浦东新区示例路{i}号", "管理员", f"2025-03-0{i} 10:2{i}:00", "2026-05-20 09:00:00",
                     None])
    return write_xlsx(path / "悟空CRM_客户.xlsx", rows, sheet="客户")


# CordysCRM (飞致云, open source) 客户 export: 负责人 / 所属部门, the address split into 省份 /
# 城市 / 详细地址, 客户等级, 最近跟进时间.
CORDYS = ["客户名称", "负责人", "所属部门", "客户等级", "所属行业", "省份", "城市", "详细地址", "联系人",
          "联系电话", "创建人", "创建时间", "最近跟进时间"]
CORDYS_MAP = ["customer_name", "owner", None, "category", "industry", "address", "address", "address",
              "contact", "mobile", "filled_by", "created", None]


def cordys(path):
    rows = [CORDYS]
    for i, name in enumerate(NAMES[:4], 1):
        rows.append([name, "李四", "华南销售部", "重要客户", "批发和零售业", "广东省", "深圳市", f"南山区示例路{i}号",
                     f"联系人{i}", mobile(i + 10), "李四", f"2024-11-1{i}", "2026-05-01"])
    return write_xlsx(path / "CordysCRM_客户列表.xlsx", rows)


# 纷享销客 (FXiaoKe) 客户 export as CSV (UTF-8 with BOM, as its 导出 writes): 客户编号,
# 客户级别, 成交状态, 统一社会信用代码, 电话 holding landlines.
FXIAOKE = ["客户编号", "客户名称", "客户级别", "负责人", "所属部门", "成交状态", "统一社会信用代码", "电话",
           "邮箱", "详细地址", "创建人", "创建时间", "最后跟进时间"]
FXIAOKE_MAP = ["customer_id", "customer_name", "category", "owner", None, None, "uscc", "phone", "email",
               "address", "filled_by", "created", None]


def fxiaoke(path):
    rows = [FXIAOKE]
    for i, name in enumerate(NAMES[:6], 1):
        rows.append([f"HB{i:04d}", name, "主要客户", "王五", "华北大区", "未成交", uscc_code(f"9111000071{i:02d}12345"),
                     f"010-6255{i:04d}", f"f{i}@example.com", f"北京市海淀区示例路{i}号", "王五", f"2025/1/{i}", ""])
    return write_csv(path / "纷享销客_客户导出.csv", rows, "utf-8-sig")


# 销售易 (Neocrm) 客户 export: 客户所有人, 客户状态, 最新跟进时间, 行业.
XIAOSHOUYI = ["客户名称", "客户所有人", "客户级别", "行业", "电话", "地址", "客户状态", "创建日期", "备注说明"]
XIAOSHOUYI_MAP = ["customer_name", "owner", "category", "industry", "phone", "address", None, "created",
                  "remarks"]


def xiaoshouyi(path):
    rows = [XIAOSHOUYI]
    for i, name in enumerate(NAMES[:3], 1):
        rows.append([name, "赵六", "普通客户", "信息传输、软件和信息技术服务业", f"028-8555{i:04d}",
                     f"四川省成都市高新区示例路{i}号", "跟进中", f"2023-0{i}-15", "来自展会"])
    return write_xlsx(path / "销售易_客户.xlsx", rows, sheet="客户")


# An old 客户信息表 kept in WPS: a merged title row, a 填表单位 line, 序号, 联系电话 merged
# across two columns (手机 and 座机 under one header), 单位全称 / 纳税人识别号 / 开户行 /
# 银行账号 / 录入日期, and a 制表人 footer.
WPS_MAP = [None, "customer_name", "contact", "mobile", "phone", "uscc", "bank", "bank_account", "created",
           "remarks"]


def wps(path):
    rows = [[None] * 9, ["填表单位：示例公司华东办事处"] + [None] * 8,
            ["序号", "单位全称", "联系人", "联系电话", None, "纳税人识别号", "开户行", "银行账号", "录入日期", "备注"]]
    for i, name in enumerate(NAMES[:4], 1):
        rows.append([i, name, f"联系人{i}", mobile(i + 20), f"0571-8777{i:04d}",
                     uscc_code(f"9133010072{i:02d}12345"), "示例银行杭州分行", f"62220200000000{i:04d}",
                     f"2022.{i}.8", None])
    rows += [[5] + [None] * 9, [6] + [None] * 9]  # pre-numbered blank rows: not customers
    rows.append(["制表人：陈七", None, None, None, None, None, None, None, "审核人：周八"])
    merges = [(0, 0, 0, 9, "示例公司客户信息表"), (2, 3, 2, 4, "联系电话")]
    return write_xlsx(path / "客户信息表_WPS.xlsx", rows, merges=merges)


# A 通讯录-style list: 姓名 / 单位 are the contact and the company (only a map file says so).
ADDRESS_BOOK = ["姓名", "单位", "职务", "手机", "办公电话", "邮箱", "地址", "备注"]


def address_book(path):
    rows = [["通讯录"], ADDRESS_BOOK]
    for i, name in enumerate(NAMES[:5], 1):
        rows.append([f"联系人{i}", name, "经理", mobile(i + 30), f"020-3888{i:04d}", f"c{i}@example.com",
                     f"广州市天河区示例路{i}号", "春节寄贺卡" if i == 2 else None])
    return write_xlsx(path / "通讯录.xlsx", rows)


# The public CRM import template from the issue, saved as CSV by Excel on Chinese Windows (GBK):
# 名称, 联系人, 电话 (mobiles), 邮箱, 微信, 地址, 类型 (公司/个人), 区域 (上海浦东), 需求, 备注.
IMPORT = ["名称", "联系人", "电话", "邮箱", "微信", "地址", "类型", "区域", "需求", "备注"]
IMPORT_MAP = ["customer_name", "contact", "mobile", "email", None, "address", "customer_type", "region", None,
              "remarks"]


def crm_import(path, encoding="gbk", name="CRM导入模板.csv"):
    rows = [IMPORT]
    for i, cname in enumerate(NAMES[:4], 1):
        rows.append([cname, f"联系人{i}", mobile(i + 40), "", f"wx_{i}", f"上海市浦东新区示例路{i}号", "公司",
                     "上海浦东", "ERP 选型", None])
    return write_csv(path / name, rows, encoding)


LAYOUTS = {
    "wukong": (wukong, WUKONG_MAP, 5),
    "cordys": (cordys, CORDYS_MAP, 4),
    "fxiaoke": (fxiaoke, FXIAOKE_MAP, 6),
    "xiaoshouyi": (xiaoshouyi, XIAOSHOUYI_MAP, 3),
    "wps": (wps, WPS_MAP, 4),
    "import_gbk": (crm_import, IMPORT_MAP, 4),
}


@pytest.fixture(scope="module")
def schema():
    return load_schema()


@pytest.fixture(scope="module")
def adopted(tmp_path_factory, schema):
    """Each layout adopted on its own: name → (legacy path, AdoptResult)."""
    out = {}
    for name, (make, _, _) in LAYOUTS.items():
        folder = tmp_path_factory.mktemp(name)
        legacy = make(folder)
        out[name] = (legacy, adopt_files([legacy], folder / "登记表.xlsx", schema, region="华东", owner="张三",
                                         as_of=AS_OF))
    return out


def _mapping(result):
    [legacy] = result.files
    [table] = legacy.tables
    return [c.field for c in table.columns]


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_each_layout_maps_as_expected_and_loses_no_row(adopted, name):
    legacy, result = adopted[name]
    _, expected, rows = LAYOUTS[name]
    assert _mapping(result) == expected
    assert result.rows_read == result.rows_written == rows


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_adopted_workbook_validates_with_exactly_the_findings_listed(adopted, schema, name):
    _, result = adopted[name]
    report = validate_workbook(result.output, schema, as_of=AS_OF)
    assert report.rows == result.rows_written
    key = lambda f: (f.cell or "", f.code, f.message)  # noqa: E731
    assert sorted(map(key, report.findings)) == sorted(map(key, result.findings))
    notes = _notes(result.output)
    listed = {(row[0], row[-1]) for row in notes if len(row) >= 3}
    for f in report.findings:
        assert (f.cell, f.message) in listed, f


def _notes(path) -> list[list]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("迁移说明").to_python()
    return [[c for c in row if c != ""] for row in rows]


def _sheet(path, name="客户档案登记表") -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def test_notes_reconcile_rows_read_and_written(adopted):
    legacy, result = adopted["wukong"]
    notes = _notes(result.output)
    assert notes[0] == ["迁移说明"]
    assert notes[1][0].startswith("共 1 个来源文件：读取 5 行，写入 5 行，丢失 0 行。")
    i = notes.index(["来源文件", "读取行数", "写入行数", "丢失行数", "登记表行"])
    assert notes[i + 1] == [legacy.name, 5, 5, 0, "第 2–6 行"]
    assert notes[i + 2] == ["合计", 5, 5, 0]
    assert [f"来源文件：{legacy.name}（xlsx）"] in notes
    j = notes.index(["源列", "列号", "对应字段", "方式", "得分"])
    assert notes[j + 1] == ["客户名称", "A", "客户名称", "标准列名"]
    assert notes[j + 5] == ["成交状态", "E", "其他信息：成交状态", "未匹配，保留在其他信息"]


def test_unmapped_columns_keep_every_value_in_other_info(adopted):
    _, result = adopted["wukong"]
    sheet = _sheet(result.output)
    header = sheet[0]
    other = [h for h in header if h.startswith("其他信息：")]
    assert other == ["其他信息：成交状态", "其他信息：下次联系时间", "其他信息：最后跟进时间"]
    col = header.index("其他信息：成交状态")
    assert [row[col] for row in sheet[1:6]] == ["已成交"] * 5
    assert header[:2] == ["客户编号*", "客户名称*"] and "检查结果" in header
    assert [row[1] for row in sheet[1:6]] == NAMES[:5]


def test_wps_register_title_merged_header_and_footer(adopted):
    legacy, result = adopted["wps"]
    [table] = result.files[0].tables
    assert table.header_row == 3
    assert table.footer_row == 10
    assert [c.header for c in table.columns][3:5] == ["联系电话", "联系电话（E列）"]
    assert [c.how for c in table.columns][3:5] == ["按内容判断", "别名"]  # mobiles under 联系电话
    notes = _notes(result.output)
    assert ["第 10 行是表尾（填表人/合计等），表格到此为止。"] in notes
    assert result.rows.values[0]["customer_name"] == NAMES[0]


def test_existing_ids_are_kept_and_missing_ones_assigned(adopted):
    _, result = adopted["fxiaoke"]
    assert [v["customer_id"] for v in result.rows.values] == [f"HB{i:04d}" for i in range(1, 7)]
    _, result = adopted["cordys"]
    ids = [v["customer_id"] for v in result.rows.values]
    assert len(set(ids)) == 4 and all(ids)
    assert {c.row for c in result.conversions if c.field == "customer_id"} == {0, 1, 2, 3}


def test_ids_are_stable_across_reruns(tmp_path, schema):
    legacy = cordys(tmp_path)
    first = adopt_files([legacy], tmp_path / "a.xlsx", schema, region="华南", owner="李四", as_of=AS_OF)
    again = adopt_files([legacy], tmp_path / "b.xlsx", schema, region="华南", owner="李四", as_of=AS_OF)
    assert [v["customer_id"] for v in first.rows.values] == [v["customer_id"] for v in again.rows.values]
    assert _sheet(first.output) == _sheet(again.output)


def test_several_files_in_one_form_with_duplicates_listed(tmp_path, schema):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    result = adopt_files([wukong(a), cordys(b)], tmp_path / "合并.xlsx", schema, region="华东", owner="张三",
                         as_of=AS_OF)
    assert result.rows_read == result.rows_written == 9
    assert [result.rows.origins[i].file for i in (0, 4, 5, 8)] == [0, 0, 1, 1]
    dup = [rows for _, rows in result.duplicates if 0 in rows]
    assert dup and 5 in dup[0]  # 示例商贸01有限公司 in both files: listed, not merged
    notes = _notes(result.output)
    assert any(row[0].startswith("疑似重复（") for row in notes if row and isinstance(row[0], str))
    assert notes[1][0].startswith("共 2 个来源文件：读取 9 行，写入 9 行，丢失 0 行。")


def test_map_file_maps_and_ignores_columns(tmp_path, schema):
    legacy = address_book(tmp_path)
    plan = plan_files([legacy], schema)
    fields = [c.field for c in plan.files[0].tables[0].columns]
    assert fields == [None, None, "title", "mobile", "phone", "email", "address", "remarks"]
    mapfile = tmp_path / "列对应.yaml"
    mapfile.write_text("姓名: 联系人\n单位: 客户名称\n备注: 忽略\n", encoding="utf-8")
    result = adopt_files([legacy], tmp_path / "登记表.xlsx", schema, map_file=mapfile, region="华南",
                         owner="钱九", as_of=AS_OF)
    [table] = result.files[0].tables
    assert [(c.field, c.how) for c in table.columns][:2] == [("contact", "映射文件"), ("customer_name", "映射文件")]
    assert (table.columns[7].field, table.columns[7].how) == (None, "映射文件：忽略")
    sheet = _sheet(result.output)
    assert sheet[0][-1] == "其他信息：备注"
    assert sheet[2][-1] == "春节寄贺卡"
    assert table.header_row == 2


def test_map_file_naming_an_unknown_field_is_one_chinese_line(tmp_path, schema):
    legacy = address_book(tmp_path)
    mapfile = tmp_path / "列对应.yaml"
    mapfile.write_text("姓名: 联系人\n单位: 公司大名\n", encoding="utf-8")
    with pytest.raises(WorkbookToolsError, match="第 2 行：“公司大名”不是客户档案登记表的列名"):
        adopt_files([legacy], tmp_path / "登记表.xlsx", schema, map_file=mapfile)


def test_fuzzy_match_shows_its_score(tmp_path, schema):
    rows = [["客户名称", "联系人手机", "公司电话", "客户所在地址"],
            [NAMES[0], mobile(1), "0755-26881234", "深圳市南山区示例路1号"]]
    plan = plan_files([write_xlsx(tmp_path / "fuzzy.xlsx", rows)], schema)
    cols = plan.files[0].tables[0].columns
    assert (cols[1].field, cols[1].how, cols[1].score) == ("mobile", "模糊匹配", 88.9)
    assert (cols[2].field, cols[2].how) == ("phone", "模糊匹配")
    assert cols[3].field == "address" and cols[3].score >= 80
    assert "联系人手机: 手机  # 模糊匹配 88.9（fuzzy.xlsx B 列）" in plan.map_text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_are_detected(tmp_path, schema, encoding):
    legacy = crm_import(tmp_path, encoding, f"导入_{encoding}.csv")
    result = adopt_files([legacy], tmp_path / "登记表.xlsx", schema, region="华东", owner="张三", as_of=AS_OF)
    assert _mapping(result) == IMPORT_MAP
    assert [v["customer_name"] for v in result.rows.values] == NAMES[:4]
    assert result.rows.extra_headers == ["微信", "需求"]


def test_unreadable_input_is_one_chinese_line_exit_2(tmp_path, capsys):
    bad = tmp_path / "旧台账.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["adopt", str(bad), "-o", str(tmp_path / "out.xlsx")])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误：无法读取文件") and "\n" not in err
    assert not (tmp_path / "out.xlsx").exists()


def test_a_sheet_without_any_known_header_is_unreadable(tmp_path, schema):
    legacy = write_xlsx(tmp_path / "杂项.xlsx", [["甲", "乙"], [1, 2]])
    with pytest.raises(UnreadableWorkbook, match="没有找到客户表"):
        adopt_files([legacy], tmp_path / "out.xlsx", schema)


def test_output_never_overwrites_an_input(tmp_path, schema):
    legacy = wukong(tmp_path)
    with pytest.raises(WorkbookToolsError):
        adopt_files([legacy], legacy, schema)


def test_cli_plan_prints_mapping_and_writes_map_template_only(tmp_path, capsys):
    legacy = crm_import(tmp_path)
    mapfile = tmp_path / "map.yaml"
    with pytest.raises(SystemExit) as exc:
        main(["adopt", str(legacy), "--plan", "--map-out", str(mapfile)])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "    C 电话 → 手机  [按内容判断]  得分 100" in out
    assert "    E 微信 → 其他信息（保留原值）  [未匹配，保留在其他信息]" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["CRM导入模板.csv", "map.yaml"]
    text = mapfile.read_text(encoding="utf-8")
    assert "电话: 手机  # 按内容判断 100（CRM导入模板.csv C 列）" in text
    assert "微信: 忽略" in text
    # the template, used as it is, gives the same mapping
    with pytest.raises(SystemExit) as exc:
        main(["adopt", str(legacy), "--map", str(mapfile), "-o", str(tmp_path / "登记表.xlsx"),
              "--region", "华东", "--owner", "张三"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "登记表.xlsx（客户档案登记表 4 行；读取 4 行，丢失 0 行）" in out


def test_adopted_workbook_keeps_the_template_features(adopted):
    import zipfile

    _, result = adopted["xiaoshouyi"]
    with zipfile.ZipFile(result.output) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        names = z.read("xl/workbook.xml").decode()
    assert "<dataValidation" in sheet and "<conditionalFormatting" in sheet
    assert "MID('检查'!B2&amp;'检查'!C2,2,32767)" in sheet
    assert all(s in names for s in ("填表说明", "迁移说明", "_lists"))


def test_adopted_workbook_merges(tmp_path, schema):
    """A clean legacy register (all required values present) adopted, then merged."""
    rows = [["客户名称", "客户类型", "所属区域", "客户类别", "负责业务员", "建档日期", "手机", "统一社会信用代码",
             "客户状态"]]
    for i, name in enumerate(NAMES[:5], 1):
        rows.append([name, "公司", "华东", "普通客户", "张三", dt.datetime(2025, 1, i),
                     mobile(i), uscc_code(f"9131000073{i:02d}12345"), "活跃"])
    legacy = write_xlsx(tmp_path / "干净台账.xlsx", rows)
    result = adopt_files([legacy], tmp_path / "登记表.xlsx", schema, id_prefix="HD", as_of=AS_OF)
    assert result.errors == 0
    run = merge_files([result.output], tmp_path / "master.xlsx", schema=schema, as_of=AS_OF,
                      run_date=AS_OF)
    assert sorted(c.values["customer_name"] for c in run.result.customers) == NAMES[:5]


@needs_soffice
def test_xls_and_ods_registers_and_the_output_in_libreoffice(tmp_path, schema):
    """WPS registers are often saved as .xls, LibreOffice users keep .ods: both adopted in
    one run; the adopted form opened (and its checks recalculated) by LibreOffice."""
    xls = convert(wps(tmp_path), "xls", tmp_path / "xls")
    ods = convert(address_book(tmp_path), "ods", tmp_path / "ods")
    mapfile = tmp_path / "列对应.yaml"
    mapfile.write_text("姓名: 联系人\n单位: 客户名称\n", encoding="utf-8")
    result = adopt_files([xls, ods], tmp_path / "登记表.xlsx", schema, map_file=mapfile, region="华东",
                         owner="张三", as_of=AS_OF)
    assert [f.kind for f in result.files] == ["xls", "ods"]
    assert _mapping_of(result, 0) == WPS_MAP
    assert _mapping_of(result, 1)[:2] == ["contact", "customer_name"]
    assert result.rows_read == result.rows_written == 9
    sheets = convert_sheets(result.output, tmp_path / "lo")
    with open(sheets["客户档案登记表"], encoding="utf-8") as fh:
        grid = list(csv.reader(fh))
    header = grid[0]
    assert [row[header.index("客户名称*")] for row in grid[1:10]] == NAMES[:4] + NAMES[:5]
    checks = [row[header.index("检查结果")] for row in grid[1:10]]
    with_errors = set(result.rows_with_errors())
    assert all(checks[i] for i in with_errors)  # the form's own checks flag the rows 迁移说明 lists


def _mapping_of(result, n):
    [table] = result.files[n].tables
    return [c.field for c in table.columns]


def test_excel_97_register_without_libreoffice(tmp_path, schema):
    """The committed Excel 97-2003 register (tests/fixtures): its 说明 sheet is not data."""
    from pathlib import Path

    legacy = Path(__file__).parent / "fixtures" / "legacy_register.xls"
    result = adopt_files([legacy], tmp_path / "登记表.xlsx", schema, as_of=AS_OF)
    [book] = result.files
    assert book.kind == "xls" and [t.sheet for t in book.tables] == ["客户档案登记表"]
    assert book.other_sheets == {"说明": "说明页或本工具添加的工作表"}
    assert result.rows_read == result.rows_written == 4
    assert {c.how for c in book.tables[0].columns} == {"标准列名"}
