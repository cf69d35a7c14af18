"""write_master: the workbook read back with python-calamine and openpyxl."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
from rich.cells import cell_len
import pytest
from python_calamine import CalamineWorkbook

from workbook_tools.errors import OutputError
from workbook_tools.merge import (
    CONFLICT_RULE, HeaderDrift, InputFile, SourceRow, merge_rows, previous_from_rows, write_master,
)
from workbook_tools.schema import load_schema

SCHEMA = load_schema()
RUN = date(2026, 11, 23)
LABELS = SCHEMA.form("registration").labels
FORMULA = '=HYPERLINK("http://evil.example","点我")'


def reg(cid, file="华东.xlsx", row=2, *, errors=(), extras=None, **values) -> SourceRow:
    v = {"customer_id": cid, "customer_name": f"客户{cid}", "customer_type": "公司", "region": "华东",
         "category": "普通客户", "owner": "王五", "created": date(2026, 1, 5)}
    v.update(values)
    return SourceRow("registration", v, dict(v), dict(extras or {}), file, "客户档案登记表", row, list(errors))


def result_for_writing():
    rows = [
        reg("HD0001", "华东.xlsx", 2, customer_name=FORMULA, phone="+86 138 0000 0000",
            postal_code="010000", mobile="13800000000", employees=12, trade_amount=1234.5,
            revised=date(2026, 11, 1), extras={"微信号": "wx_01"}),
        reg("HD0001", "华南.xlsx", 3, customer_name=FORMULA, mobile="13900000000", revised=date(2026, 11, 8)),
        reg("HN0002", "华南.xlsx", 4, region="华南", customer_name="-1+2", remarks="@提醒"),
        reg("HD0003", "华东.xlsx", 5, errors=["手机号码应为11位数字"]),
        SourceRow("visit-record", {"record_id": "V1", "customer_id": "HD0001", "date": date(2026, 11, 2),
                                   "salesperson": "王五"}, {}, {}, "华东.xlsx", "客户拜访记录", 2),
    ]
    inputs = [InputFile("/in/华东.xlsx", "ab" * 32, {"客户档案登记表": 2, "客户拜访记录": 1},
                        header_drift=(HeaderDrift("客户档案登记表", ("传真",), ("微信号",), (("手机号", "手机"),)),)),
              InputFile("/in/华南.xlsx", "cd" * 32, {"客户档案登记表": 2}),
              InputFile("/in/西北.xlsx", "ef" * 32, {}, skipped_reason="文件已加密，无法读取")]
    return merge_rows(rows, SCHEMA, run_date=RUN, inputs=inputs)


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    path = tmp_path_factory.mktemp("master") / "客户档案总表.xlsx"
    write_master(result_for_writing(), SCHEMA, path)
    return path


def sheet_values(path, name):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python(skip_empty_area=False)


def test_sheet_names_and_order(master):
    assert CalamineWorkbook.from_path(str(master)).sheet_names == [
        "客户档案", "资料卡", "拜访记录", "客户分类", "待修正", "冲突", "疑似重复", "合并说明"]


def test_customer_sheet_headers_and_cells(master):
    rows = sheet_values(master, "客户档案")
    assert rows[0] == LABELS + ["微信号", "来源文件", "来源工作表", "来源行"]
    cell = dict(zip(rows[0], rows[1]))
    assert (cell["客户编号"], cell["客户名称"], cell["手机"]) == ("HD0001", FORMULA, "13900000000")
    assert (cell["邮编"], cell["电话"], cell["微信号"]) == ("010000", "+86 138 0000 0000", "wx_01")
    assert (cell["建档日期"], cell["最新修订日期"]) == (date(2026, 1, 5), date(2026, 11, 8))
    assert (cell["员工人数"], cell["交易金额(元)"]) == (12, 1234.5)
    assert (cell["来源文件"], cell["来源工作表"], cell["来源行"]) == ("华南.xlsx", "客户档案登记表", 3)
    assert [r[0] for r in rows[1:]] == ["HD0001", "HN0002"]


def test_formula_looking_strings_stay_text(master):
    ws = openpyxl.load_workbook(master)["客户档案"]
    for ref, value in (("B2", FORMULA), ("B3", "-1+2"), ("M2", "+86 138 0000 0000")):
        assert (ws[ref].value, ws[ref].data_type) == (value, "s")
    remarks = LABELS.index("备注") + 1
    assert (ws.cell(3, remarks).value, ws.cell(3, remarks).data_type) == ("@提醒", "s")


def test_formats_frozen_header_filter_and_widths(master):
    ws = openpyxl.load_workbook(master)["客户档案"]
    assert (ws["A2"].data_type, ws["A2"].number_format) == ("s", "@")           # 客户编号 as text
    created = LABELS.index("建档日期") + 1
    assert ws.cell(2, created).number_format == "yyyy-mm-dd"
    assert ws.cell(2, created).value == datetime(2026, 1, 5)
    assert ws["A1"].font.b
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:AO3"
    assert ws.column_dimensions["A"].width == pytest.approx(11, abs=1)      # the schema's width fits
    names = [c.value for c in ws["B"][1:] if c.value]                       # widened to the longest name
    assert ws.column_dimensions["B"].width >= max(28, max(cell_len(n) for n in names) + 2) - 1


def test_rule_line_above_conflict_table(master):
    rows = sheet_values(master, "冲突")
    assert rows[0][0] == CONFLICT_RULE
    assert rows[1] == ["客户编号", "字段", "各来源的值", "采用的值", "采用来源"]
    assert rows[2] == ["HD0001", "手机", "13900000000 ← 华南.xlsx/客户档案登记表/3；"
                       "13800000000 ← 华东.xlsx/客户档案登记表/2", "13900000000", "华南.xlsx/客户档案登记表/3"]
    assert openpyxl.load_workbook(master)["冲突"].freeze_panes == "A3"


def test_quarantine_sheet(master):
    rows = sheet_values(master, "待修正")
    assert rows[1][:5] == ["表单", "来源文件", "来源工作表", "来源行", "错误信息"]
    assert rows[2][:6] == ["客户档案登记表", "华东.xlsx", "客户档案登记表", 5, "手机号码应为11位数字", "HD0003"]


def test_summary_sheet(master):
    rows = sheet_values(master, "合并说明")
    cells = {r[0]: r[1:] for r in rows if r and r[0]}
    assert cells["运行日期"][0] == RUN
    assert cells["模式"][0] == "客户档案 v1.0"
    assert cells["工具"][0].startswith("workbook-tools ")
    assert ["华东.xlsx", "ab" * 32, "客户档案登记表", 2, 2, "已合并"] in [r[:6] for r in rows]
    assert ["西北.xlsx", "ef" * 32, "", "", "", "已跳过：文件已加密，无法读取"] in [r[:6] for r in rows]
    assert ["华东.xlsx", "客户档案登记表", "传真", "微信号", "手机号→手机"] in [r[:5] for r in rows]
    assert ["客户档案", "读取 4 行 = 客户档案中本周客户 2 + 合并进这些客户的重复行 1 + 待修正 1（一致）", "一致"] \
        in [r[:3] for r in rows]
    assert cells["核对结果"][0] == "全部一致"


def test_document_properties(master):
    wb = openpyxl.load_workbook(master)
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert (props["schema_name"], props["schema_version"], props["form"]) == ("客户档案", "1.0", "master")
    assert wb.properties.created == datetime(2026, 11, 23)


def test_deterministic_bytes(tmp_path):
    result = result_for_writing()
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_master(result, SCHEMA, a)
    write_master(result_for_writing(), SCHEMA, b)
    assert a.read_bytes() == b.read_bytes()


def test_refuses_to_overwrite_an_input(tmp_path):
    source = tmp_path / "华东.xlsx"
    source.write_bytes(b"input")
    result = merge_rows([reg("HD0001")], SCHEMA, run_date=RUN, inputs=[InputFile(str(source), "00" * 32)])
    with pytest.raises(OutputError, match="拒绝覆盖输入文件"):
        write_master(result, SCHEMA, source)
    other = tmp_path / "上周总表.xlsx"
    other.write_bytes(b"previous master")
    with pytest.raises(OutputError):
        write_master(result, SCHEMA, other, inputs=[other])
    assert source.read_bytes() == b"input" and other.read_bytes() == b"previous master"


def test_master_is_next_weeks_previous(master, tmp_path):
    rows = sheet_values(master, "客户档案")
    previous = previous_from_rows(rows[0], rows[1:], SCHEMA, file=master.name)
    assert [(p.values["customer_id"], p.row, p.extras) for p in previous] == \
        [("HD0001", 2, {"微信号": "wx_01"}), ("HN0002", 3, {})]
    assert previous[0].values["employees"] == 12 and previous[0].values["postal_code"] == "010000"
    week2 = merge_rows([reg("HN0002", "华南.xlsx", 2, region="华南", customer_name="-1+2",
                            remarks="@提醒", mobile="13700000000")],
                       SCHEMA, previous=previous, run_date=date(2026, 11, 30))
    assert [(e.kind, e.customer_id, e.text) for e in week2.changes] == [
        ("本周未出现", "HD0001", "本周未出现，保留上期记录"),
        ("修改", "HN0002", "将 手机 由 （空） 修改为 13700000000"),
    ]
    write_master(week2, SCHEMA, tmp_path / "week2.xlsx")
    header = sheet_values(tmp_path / "week2.xlsx", "客户档案")[0]
    assert header == LABELS + ["微信号", "来源文件", "来源工作表", "来源行"]   # no duplicated provenance
