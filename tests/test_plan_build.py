"""build_plans end to end: a small master archive → plan workbooks, read back cell by cell.

Week 2026-W40 is 2026-09-28 (Mon) .. 10-04 (Sun); 10-01..10-04 are National Day holidays,
so the working days are Mon 09-28, Tue 09-29 and Wed 09-30.
"""

import datetime as dt

import openpyxl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from workbook_tools.errors import OutputError, WorkbookToolsError
from workbook_tools.plan import build_plans
from workbook_tools.schema import load_schema

D = dt.date
MON, TUE, WED = D(2026, 9, 28), D(2026, 9, 29), D(2026, 9, 30)
SCHEMA = load_schema()

# 客户编号, 客户名称, 客户类别, 负责业务员, 联系周期(天), 建档日期
CUSTOMERS = [
    ("HD0001", "上海甲公司", "重要客户", "张三", None, D(2026, 1, 5)),   # due 09-21, 7 days overdue
    ("HD0002", "上海乙公司", "普通客户", "张三", None, D(2026, 1, 5)),   # due 09-19
    ("HD0003", "上海丙公司", "主要客户", "张三", 5, D(2026, 1, 5)),      # own cycle: due 09-27 (14 → 10-06)
    ("HD0004", "上海丁公司", "潜在客户", "张三", None, D(2026, 7, 30)),  # never visited: 07-30 + 60 = 09-28
    ("HD0005", "上海戊公司", "重要客户", "张三", None, D(2026, 1, 5)),   # due 10-02, the week's Friday
    ("HD0006", "上海己公司", "普通客户", "张三", None, D(2026, 1, 5)),   # due 10-06: next week
    ("HD0007", "上海庚公司", "主要客户", "张三", None, D(2026, 1, 5)),   # due 09-24
    ("HD0008", "上海辛公司", "普通客户", " 张三 ", None, D(2026, 1, 5)),  # due 09-24 (text date visit)
    ("HN0001", "广州甲公司", "主要客户", "李四", None, D(2026, 1, 5)),   # due 09-30
    ("HN0002", "广州乙公司", "普通", "李四", None, D(2026, 8, 1)),       # alias; never visited: due 08-31
    ("HN0003", "广州丙公司", "重要客户", "李四", None, D(2026, 1, 5)),   # due 09-08
    ("HB0001", "北京甲公司", "重要客户", None, None, D(2026, 1, 5)),     # due 09-08, no salesperson
    ("HB0002", "北京乙公司", "普通客户", None, None, D(2026, 1, 5)),     # due 10-10: not this week
]
VISITS = [
    ("HD0001", D(2026, 9, 7)), ("hd0001", D(2026, 9, 14)), ("HD0002", D(2026, 7, 1)),
    ("HD0002", D(2026, 8, 20)), ("HD0003", D(2026, 9, 22)), ("HD0005", D(2026, 9, 25)),
    ("HD0006", D(2026, 9, 6)), ("HD0007", D(2026, 9, 10)), ("HD0008", "2026/8/25"),
    ("HN0001", D(2026, 9, 16)), ("HN0003", D(2026, 9, 1)), ("HB0001", D(2026, 9, 1)),
    ("HB0002", D(2026, 9, 10)),
]
PLAN_HEADER = ["计划编号*", "业务员*", "计划日期*", "客户编号*", "客户名称", "拜访方式*", "拜访目的",
               "状态*", "实际日期", "拜访结果", "客户满意度", "下次跟进日期", "备注"]
PENDING_HEADER = ["所属业务员", "客户编号", "客户名称", "类别", "应联系日期", "逾期天数", "原因"]


def write_master(path, customers=CUSTOMERS, visits=VISITS):
    reg, vis = SCHEMA.form("registration"), SCHEMA.form("visit-record")
    wb = xlsxwriter.Workbook(str(path))
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet("客户档案")
    ws.write_row(0, 0, reg.labels)
    col = {k: i for i, k in enumerate(reg.keys)}
    for r, (cid, name, cat, owner, cycle, created) in enumerate(customers, 1):
        for key, value in (("customer_id", cid), ("customer_name", name), ("category", cat),
                           ("owner", owner)):
            if value:
                ws.write_string(r, col[key], value)
        if cycle:
            ws.write_number(r, col["contact_cycle"], cycle)
        ws.write_datetime(r, col["created"], created, date)
    ws = wb.add_worksheet("拜访记录")
    ws.write_row(0, 0, vis.labels)
    col = {k: i for i, k in enumerate(vis.keys)}
    for r, (cid, when) in enumerate(visits, 1):
        ws.write_string(r, col["record_id"], f"R{r:04d}")
        ws.write_string(r, col["customer_id"], cid)
        if isinstance(when, str):
            ws.write_string(r, col["date"], when)
        else:
            ws.write_datetime(r, col["date"], when, date)
    wb.close()
    return path


@pytest.fixture
def master(tmp_path):
    return write_master(tmp_path / "总档案.xlsx")


def plan(master, tmp_path, name="plans.xlsx", **kw):
    kw.setdefault("week", "2026-W40")
    return build_plans(master, schema=SCHEMA, out=tmp_path / name, **kw)


def rows_of(path, sheet):
    """Cell values of a sheet read with python-calamine (dates as date objects)."""
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def planned(result):
    return {i.customer_id: (i.date, i.plan_id, i.method, i.purpose)
            for items in result.plans.values() for i in items}


def test_default_capacity_plans_every_due_customer(master, tmp_path):
    result = plan(master, tmp_path)
    assert list(result.plans) == ["张三", "李四"]
    assert result.customers == 13 and result.due == 11 and result.planned == 10
    assert planned(result) == {
        "HD0001": (MON, "P2026W40-张三-001", "上门拜访", "定期回访（逾期7天）"),
        "HD0007": (MON, "P2026W40-张三-002", "电话回访", "定期回访（逾期4天）"),
        "HD0003": (MON, "P2026W40-张三-003", "电话回访", "定期回访（逾期1天）"),
        "HD0002": (MON, "P2026W40-张三-004", "电话回访", "定期回访（逾期9天）"),
        "HD0008": (MON, "P2026W40-张三-005", "电话回访", "定期回访（逾期4天）"),
        "HD0004": (MON, "P2026W40-张三-006", "电话回访", "定期回访（到期）"),
        "HD0005": (TUE, "P2026W40-张三-007", "上门拜访", "定期回访（10月2日到期）"),
        "HN0003": (MON, "P2026W40-李四-001", "上门拜访", "定期回访（逾期20天）"),
        "HN0002": (MON, "P2026W40-李四-002", "电话回访", "定期回访（逾期28天）"),
        "HN0001": (MON, "P2026W40-李四-003", "电话回访", "定期回访（9月30日到期）"),
    }
    assert result.pending.to_dict("records") == [
        {"salesperson": "", "customer_id": "HB0001", "customer_name": "北京甲公司", "category": "重要客户",
         "due": D(2026, 9, 8), "overdue_days": 20, "reason": "未指定负责业务员"}]
    assert result.warnings == []


def test_capacity_two_a_day_exact_dates_and_overflow(master, tmp_path):
    result = plan(master, tmp_path, max_per_day=2)
    # slots go by category then overdue; days go overdue-first, then by due date
    assert {k: v[0] for k, v in planned(result).items()} == {
        "HD0001": MON, "HD0007": MON, "HD0003": TUE, "HD0002": TUE, "HD0008": WED, "HD0005": WED,
        "HN0003": MON, "HN0002": MON, "HN0001": TUE,
    }
    assert planned(result)["HD0002"][3] == "定期回访（逾期10天）"   # as of its planned day
    assert rows_of(result.files[0], "待安排") == [
        PENDING_HEADER,
        ["张三", "HD0004", "上海丁公司", "潜在客户", MON, 0, "本周拜访名额已满"],
        ["", "HB0001", "北京甲公司", "重要客户", D(2026, 9, 8), 20, "未指定负责业务员"],
    ]


def test_plan_sheet_cells(master, tmp_path):
    result = plan(master, tmp_path, max_per_day=2)
    path = result.files[0]
    assert path == tmp_path / "plans.xlsx"
    rows = rows_of(path, "客户拜访计划-李四")
    assert rows[0] == PLAN_HEADER
    assert rows[1:4] == [
        ["P2026W40-李四-001", "李四", MON, "HN0003", "广州丙公司", "上门拜访", "定期回访（逾期20天）", "计划",
         "", "", "", "", ""],
        ["P2026W40-李四-002", "李四", MON, "HN0002", "广州乙公司", "电话回访", "定期回访（逾期28天）", "计划",
         "", "", "", "", ""],
        ["P2026W40-李四-003", "李四", TUE, "HN0001", "广州甲公司", "电话回访", "定期回访（9月30日到期）", "计划",
         "", "", "", "", ""],
    ]
    ids = [r[0] for r in rows_of(path, "客户拜访计划-张三")[1:7]]
    assert ids == [f"P2026W40-张三-00{n}" for n in range(1, 7)]
    form = SCHEMA.form("visit-plan")
    assert [form.match_header(h) for h in rows[0]] == form.keys


def test_workbook_layout_dropdowns_formats(master, tmp_path):
    path = plan(master, tmp_path, max_per_day=2).files[0]
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["客户拜访计划-张三", "客户拜访计划-李四", "待安排", "说明", "_lists"]
    assert wb["_lists"].sheet_state == "hidden"
    ws = wb["客户拜访计划-张三"]
    assert ws.freeze_panes == "A2"
    assert ws["C2"].value == dt.datetime(2026, 9, 28) and ws["C2"].number_format == "[$-804]yyyy-mm-dd aaaa"
    assert ws["D2"].value == "HD0001" and ws["D2"].number_format == "@"
    lists = {str(dv.sqref)[0]: dv for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert sorted(lists) == ["F", "H", "K"]        # 拜访方式, 状态, 客户满意度
    for dv in lists.values():
        assert dv.showErrorMessage and dv.errorStyle in (None, "stop") and dv.errorTitle == "输入值无效"
    assert lists["F"].formula1 == "list_method" and "电话回访" in lists["F"].error
    assert lists["H"].formula1 == "list_status" and "只能从下拉列表中选择：计划／已完成" in lists["H"].error
    names = wb.defined_names
    assert names["list_status"].attr_text == "'_lists'!$B$2:$B$5"
    assert [wb["_lists"].cell(r, 2).value for r in range(2, 6)] == ["计划", "已完成", "已取消", "已延期"]
    assert wb.properties.created == dt.datetime(2000, 1, 1)
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props["form"] == "visit-plan" and props["week"] == "2026-W40"
    assert props["schema_version"] == SCHEMA.version
    pending = wb["待安排"]
    assert pending.freeze_panes == "A2" and pending["E2"].number_format == "yyyy-mm-dd"


def test_notes_sheet(master, tmp_path):
    path = plan(master, tmp_path).files[0]
    text = "\n".join(str(r[0]) for r in rows_of(path, "说明"))
    assert text.startswith("客户拜访计划 2026-W40\n")
    assert "本周工作日：9月28日（周一）、9月29日（周二）、9月30日（周三）" in text
    assert "每人每天最多安排 6 次拜访。" in text
    assert "本表共安排拜访 10 次；另有 1 位客户列在“待安排”表。" in text
    assert "表单：visit-plan" in text and "注意" not in text.split("\n")[2]


def test_out_dir_one_workbook_per_salesperson(master, tmp_path):
    result = build_plans(master, schema=SCHEMA, week="2026-W40", max_per_day=2, out_dir=tmp_path / "计划")
    assert [p.name for p in result.files] == [
        "客户拜访计划_张三_2026-W40.xlsx", "客户拜访计划_李四_2026-W40.xlsx",
        "待安排_未指定负责业务员_2026-W40.xlsx"]
    zhang = result.files[0]
    wb = openpyxl.load_workbook(zhang)
    assert wb.sheetnames == ["客户拜访计划", "待安排", "说明", "_lists"]
    assert {p.name: p.value for p in wb.custom_doc_props.props}["owner"] == "张三"
    assert [r[3] for r in rows_of(zhang, "客户拜访计划")[1:7]] == [
        "HD0001", "HD0007", "HD0003", "HD0002", "HD0008", "HD0005"]
    assert rows_of(zhang, "待安排")[1:] == [["张三", "HD0004", "上海丁公司", "潜在客户", MON, 0, "本周拜访名额已满"]]
    assert rows_of(result.files[1], "待安排") == [PENDING_HEADER]
    assert [r[1] for r in rows_of(result.files[2], "待安排")[1:]] == ["HB0001"]


def test_uncovered_year_warns_in_result_and_workbook(master, tmp_path):
    result = plan(master, tmp_path, week="2027-W10", max_per_day=1)
    assert result.week.workdays == tuple(D(2027, 3, d) for d in range(8, 13))
    assert len(result.warnings) == 1 and "尚未包含 2027 年" in result.warnings[0]
    assert "周一至周五" in result.warnings[0]
    assert {i.date for i in result.plans["张三"]} == {D(2027, 3, d) for d in range(8, 13)}
    notes = [r[0] for r in rows_of(result.files[0], "说明")]
    assert notes[2] == "注意" and notes[3] == f"1. {result.warnings[0]}"
    wb = openpyxl.load_workbook(result.files[0])
    assert wb.active.title == "说明"
    assert any("注意：" in line for line in result.summary_lines())


def test_extra_holiday_removes_a_day(master, tmp_path):
    result = plan(master, tmp_path, max_per_day=2, extra_holidays=["2026-09-29"])
    assert result.week.workdays == (MON, WED)
    assert {k: v[0] for k, v in planned(result).items() if k.startswith("HD")} == {
        "HD0001": MON, "HD0007": MON, "HD0003": WED, "HD0005": WED}
    full = result.pending[result.pending["reason"].eq("本周拜访名额已满")]
    assert full["customer_id"].tolist() == ["HD0002", "HD0008", "HD0004"]


def test_week_without_working_days(master, tmp_path):
    result = plan(master, tmp_path, extra_holidays=[MON, TUE, WED])
    assert result.planned == 0 and result.week.workdays == ()
    assert set(result.pending["reason"]) == {"本周没有工作日（法定节假日）", "未指定负责业务员"}
    assert any("没有工作日" in w for w in result.warnings)


def test_output_is_deterministic(master, tmp_path):
    first = plan(master, tmp_path, name="a.xlsx").files[0].read_bytes()
    assert plan(master, tmp_path, name="b.xlsx").files[0].read_bytes() == first


def test_bad_arguments(master, tmp_path):
    with pytest.raises(WorkbookToolsError, match="无法识别的周次“48周”"):
        plan(master, tmp_path, week="48周")
    with pytest.raises(WorkbookToolsError, match="每天最多拜访次数必须是正整数"):
        plan(master, tmp_path, max_per_day=0)
    with pytest.raises(WorkbookToolsError, match="二者选一"):
        build_plans(master, schema=SCHEMA, week="2026-W40")
    with pytest.raises(WorkbookToolsError, match="二者选一"):
        build_plans(master, schema=SCHEMA, week="2026-W40", out=tmp_path / "a.xlsx", out_dir=tmp_path)
    with pytest.raises(OutputError, match="拒绝覆盖输入文件"):
        build_plans(master, schema=SCHEMA, week="2026-W40", out=master)
    assert list(tmp_path.glob("*.xlsx")) == [master]


def test_unusual_names_make_valid_sheet_and_file_names(tmp_path):
    customers = [("HD0001", "甲", "重要客户", "王/五[华东]", None, D(2026, 1, 5)),
                 ("HD0002", "乙", "重要客户", "王?五[华东]", None, D(2026, 1, 5))]
    master = write_master(tmp_path / "m.xlsx", customers, [])
    result = plan(master, tmp_path)
    assert openpyxl.load_workbook(result.files[0]).sheetnames[:2] == [
        "客户拜访计划-王_五_华东_", "客户拜访计划-王_五_华东_(2)"]
    assert result.warnings == []
    result = build_plans(master, schema=SCHEMA, week="2026-W40", out_dir=tmp_path / "d")
    assert [p.name for p in result.files] == ["客户拜访计划_王_五[华东]_2026-W40.xlsx",
                                              "客户拜访计划_王_五[华东](2)_2026-W40.xlsx"]


def test_reader_sees_only_the_plan_sheets_and_they_validate(master, tmp_path):
    reader = pytest.importorskip("workbook_tools.io.reader")
    engine = pytest.importorskip("workbook_tools.validate.engine")
    path = plan(master, tmp_path, max_per_day=2).files[0]
    data = reader.read_workbook(path, SCHEMA)
    assert data.stamp["form"] == "visit-plan"
    assert [(t.sheet, t.form.key, len(t.records)) for t in data.sheets] == [
        ("客户拜访计划-张三", "visit-plan", 6), ("客户拜访计划-李四", "visit-plan", 3)]
    assert "待安排" in data.other_sheets
    for table in data.sheets:
        assert table.missing_required == [] and table.unknown_columns == []
        report = engine.validate_table(table, SCHEMA, as_of=D(2026, 9, 27))
        assert (report.errors, report.warnings) == (0, 0)


def test_preloaded_master_gives_the_same_plans_and_summary(master, tmp_path):
    """build_plans / build_summary with data= (the master loaded once, as the weekly run does)
    write the same workbooks as when each reads the master itself."""
    from workbook_tools.summary.build import build_summary
    from workbook_tools.summary.load import load_master
    from workbook_tools.weekly.run import load_for_summary_and_plans

    data = load_for_summary_and_plans(master, SCHEMA)
    alone = plan(master, tmp_path, "alone.xlsx")
    shared = plan(master, tmp_path, "shared.xlsx", data=data)
    assert (tmp_path / "alone.xlsx").read_bytes() == (tmp_path / "shared.xlsx").read_bytes()
    assert shared.planned == alone.planned and len(shared.pending) == len(alone.pending)
    day = dt.date(2026, 9, 27)
    build_summary(master, tmp_path / "s1.xlsx", schema=SCHEMA, as_of=day)
    build_summary(master, tmp_path / "s2.xlsx", schema=SCHEMA, as_of=day, data=data)
    assert (tmp_path / "s1.xlsx").read_bytes() == (tmp_path / "s2.xlsx").read_bytes()
    partial = load_master(master, SCHEMA, fields={"registration": {"customer_id"}})
    with pytest.raises(ValueError, match="customer_name"):
        plan(master, tmp_path, "bad.xlsx", data=partial)
