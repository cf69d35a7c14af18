"""`adopt` of a sheet holding several tables one under another — a WPS register with a
block per region or salesperson (a title line “华东区客户”, its header row, rows, blank
rows, then “华南区客户” with its own header …): every table read with its own mapping,
listed in 迁移说明 with its title and first row, reconciled per table and in total; a
repeated header is never data; a blank row inside one table's data does not split it."""

from __future__ import annotations

import datetime as dt

import pytest
from python_calamine import CalamineWorkbook
from test_adopt import mobile, write_xlsx

from workbook_tools.adopt import adopt_files
from workbook_tools.schema import load_schema

AS_OF = dt.date(2026, 6, 1)
EAST = ["客户名称", "联系人", "手机", "详细地址"]
SOUTH = ["联系人", "手机号码", "客户全称", "备注"]        # another column order, other headers
NORTH = ["手机", "客户名称", "联系人"]


def _block(title, header, rows):
    return [[title], header, *rows]


def register(path, tables: int):
    """A legacy sheet: a sheet title, then ``tables`` blocks separated by blank rows."""
    east = [[f"示例华东{i}有限公司", f"张{i}", mobile(i), f"上海市浦东新区示例路{i}号"] for i in range(1, 4)]
    south = [[f"李{i}", mobile(10 + i), f"示例华南{i}有限公司", f"备注{i}"] for i in range(1, 3)]
    north = [[mobile(20 + i), f"示例华北{i}有限公司", f"王{i}"] for i in range(1, 5)]
    rows = [["客户登记表（2025 年）"], [], *_block("华东区客户", EAST, east), [], [],
            *_block("华南区客户", SOUTH, south)]
    if tables == 3:
        rows += [[], *_block("华北区客户", NORTH, north)]
    return write_xlsx(path / "旧台账.xlsx", rows, sheet="客户")


def _notes(path) -> list[list]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("迁移说明").to_python()
    return [[c for c in row if c != ""] for row in rows]


def _form(path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name("客户档案登记表").to_python()


@pytest.fixture(scope="module")
def schema():
    return load_schema()


@pytest.fixture(scope="module", params=[2, 3])
def adopted(request, tmp_path_factory, schema):
    folder = tmp_path_factory.mktemp(f"multi{request.param}")
    legacy = register(folder, request.param)
    return request.param, adopt_files([legacy], folder / "登记表.xlsx", schema, region="华东", owner="张三",
                                      as_of=AS_OF)


def test_every_table_is_read_with_its_own_mapping(adopted):
    n, result = adopted
    [legacy] = result.files
    tables = legacy.tables
    assert len(tables) == n
    assert [c.field for c in tables[0].columns] == ["customer_name", "contact", "mobile", "address"]
    assert [c.field for c in tables[1].columns] == ["contact", "mobile", "customer_name", "remarks"]
    assert [(t.number, t.title, t.header_row, len(t.records)) for t in tables[:2]] == [
        (1, None, 4, 3), (2, "华南区客户", 11, 2)]
    assert tables[1].start_row == 10
    if n == 3:
        assert (tables[2].number, tables[2].title, tables[2].start_row, tables[2].header_row) == (3, "华北区客户", 15, 16)
        assert [c.field for c in tables[2].columns] == ["mobile", "customer_name", "contact"]


def test_all_rows_adopted_with_the_right_fields_and_no_header_as_data(adopted, schema):
    n, result = adopted
    assert result.rows_read == result.rows_written == (9 if n == 3 else 5)
    form = schema.form("registration")
    col = {f.key: j for j, f in enumerate(form.fields)}
    rows = _form(result.output)[1:1 + result.rows_written]
    got = [(r[col["customer_name"]], r[col["contact"]], str(r[col["mobile"]])) for r in rows]
    expected = [(f"示例华东{i}有限公司", f"张{i}", mobile(i)) for i in range(1, 4)]
    expected += [(f"示例华南{i}有限公司", f"李{i}", mobile(10 + i)) for i in range(1, 3)]
    if n == 3:
        expected += [(f"示例华北{i}有限公司", f"王{i}", mobile(20 + i)) for i in range(1, 5)]
    assert got == expected
    names = {r[col["customer_name"]] for r in rows}
    assert not names & {"客户名称", "客户全称", "华南区客户", "华北区客户"}


def test_notes_list_each_table_mapping_and_reconcile_per_table(adopted):
    n, result = adopted
    notes = _notes(result.output)
    second = "工作表“客户” 第 2 张表（第 10 行起，标题“华南区客户”）"
    assert [f"{second}：表头在第 11 行，读取 2 行，写入登记表第 5–6 行。"] in notes
    assert ["工作表“客户” 第 1 张表（第 4 行起）：表头在第 4 行，读取 3 行，写入登记表第 2–4 行。"] in notes
    i = notes.index(["来源文件", "读取行数", "写入行数", "丢失行数", "登记表行"])
    total = 9 if n == 3 else 5
    assert notes[i + 1] == ["旧台账.xlsx", total, total, 0, f"第 2–{total + 1} 行"]
    assert notes[i + 3] == [f"　{second}", 2, 2, 0, "第 5–6 行"]
    assert notes[i + 1 + n + 1] == ["合计", total, total, 0]
    mappings = [k for k, row in enumerate(notes) if row == ["源列", "列号", "对应字段", "方式", "得分"]]
    assert len(mappings) == n
    assert notes[mappings[1] + 1][:3] == ["联系人", "A", "联系人"]
    assert notes[mappings[1] + 3][:3] == ["客户全称", "C", "客户名称"]


def test_a_blank_row_inside_one_table_does_not_split_it(tmp_path, schema):
    rows = [["华东区客户"], EAST]
    rows += [[f"示例华东{i}有限公司", f"张{i}", mobile(i), f"杭州市示例路{i}号"] for i in range(1, 3)]
    rows += [[], ["示例华东3有限公司", "张3", mobile(3), "客户名称待核"]]
    legacy = write_xlsx(tmp_path / "旧台账.xlsx", rows, sheet="客户")
    result = adopt_files([legacy], tmp_path / "登记表.xlsx", schema, region="华东", as_of=AS_OF)
    [table] = result.files[0].tables
    assert (table.number, len(table.records)) == (1, 3)
    assert result.rows_read == result.rows_written == 3
    notes = _notes(result.output)
    assert ["工作表“客户”：表头在第 2 行，读取 3 行，写入登记表第 2–4 行。"] in notes
