"""merge_files on real messy regional workbooks (generate_samples): skipped files, the
reconciliation, every input row accounted for, the manifest's problems in the master,
inputs untouched, determinism, the master as valid input and as next week's --previous,
the lock and the refusal to overwrite inputs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from workbook_tools.errors import OutputError
from workbook_tools.io.reader import MASTER_DATA_SHEETS, read_workbook
from workbook_tools.merge.files import MASTER_INPUT, PREVIOUS_INPUT, NothingToMerge, merge_files
from workbook_tools.merge.lock import OutputLock, lock_path
from workbook_tools.merge.rows import MASTER_SHEET, PROVENANCE_HEADERS
from workbook_tools.merge.sheets import COMPLAINTS, PLANS, TRADES, VISITS
from workbook_tools.sampledata import generate_samples
from workbook_tools.schema import load_schema
from workbook_tools.validate import validate_workbook

SCHEMA = load_schema()
AS_OF, RUN1, RUN2 = date(2026, 11, 20), date(2026, 11, 23), date(2026, 11, 30)
REG_SHEET = "客户档案登记表"
REG_TITLE = SCHEMA.form("registration").title
# An Office owner file as Excel leaves it: name length, the user name padded to 54 bytes, then UTF-16.
LOCK_BYTES = bytes([5]) + b"alice" + b" " * 49 + bytes([5, 0]) + "alice".encode("utf-16-le") + b"\0" * 100


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def all_cells(path: Path) -> dict[str, list]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def table(path: Path, sheet: str, header_row: int = 0) -> list[dict]:
    """A master sheet as dicts by header (header_row 1 for sheets with a note line on top)."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    header = rows[header_row]
    return [dict(zip(header, r)) for r in rows[header_row + 1:]]


def where(row: dict) -> tuple[str, str, int]:
    return row["来源文件"], row["来源工作表"], int(row["来源行"])


def input_records(paths) -> dict[tuple[str, str, int], SimpleNamespace]:
    """Every data row of the inputs, read with the reader alone (independent of merge)."""
    out = {}
    for path in paths:
        for t in read_workbook(path, SCHEMA).sheets:
            for rec in t.records:
                values = {c.field or c.header: v for c, v in zip(t.columns, rec.values)}
                out[(Path(path).name, t.sheet, rec.row)] = SimpleNamespace(form=t.form.key, values=values)
    return out


@pytest.fixture(scope="module")
def week1(tmp_path_factory):
    base = tmp_path_factory.mktemp("merge")
    inbox = base / "incoming"
    samples = generate_samples(inbox, seed=11, customers_per_region=40)
    (inbox / "~$x.xlsx").write_bytes(LOCK_BYTES)
    (inbox / "说明.xls").write_text("这不是工作簿，只是改了扩展名\n", encoding="utf-8")
    (inbox / "空文件.xlsx").write_bytes(b"")
    hashes = {p: sha(p) for p in inbox.rglob("*") if p.is_file()}
    calls = []
    run = merge_files([inbox], base / "总表.xlsx", as_of=AS_OF, run_date=RUN1,
                      progress=lambda path, done, total: calls.append((path.name, done, total)))
    return SimpleNamespace(base=base, inbox=inbox, samples=samples, run=run, master=base / "总表.xlsx",
                           hashes=hashes, calls=calls, records=input_records(samples.paths))


def test_skipped_files_are_listed_with_chinese_reasons(week1):
    reasons = {i.name: i.skipped_reason for i in week1.run.skipped}
    assert set(reasons) == {"~$x.xlsx", "说明.xls", "空文件.xlsx", "manifest.json"}
    assert "临时锁定文件" in reasons["~$x.xlsx"]
    assert "不是 Excel 工作簿" in reasons["说明.xls"] and "纯文本" in reasons["说明.xls"]
    assert "0 字节" in reasons["空文件.xlsx"]
    assert "不是工作簿文件" in reasons["manifest.json"]
    counts = week1.run.counts()
    assert (counts["files_read"], counts["files_skipped_count"]) == (4, 4)
    assert {s["file"]: s["reason"] for s in counts["files_skipped"]} == reasons
    summary = [r for rows in [all_cells(week1.master)["合并说明"]] for r in rows]
    assert ["~$x.xlsx", sha(week1.inbox / "~$x.xlsx"), "", "", "", f"已跳过：{reasons['~$x.xlsx']}"] \
        in [r[:6] for r in summary]


def test_progress_called_once_per_file_read(week1):
    names = sorted(p.name for p in week1.samples.paths) + ["说明.xls", "空文件.xlsx"]
    assert [c[1:] for c in week1.calls] == [(i, 6) for i in range(0, 7)]
    assert sorted(c[0] for c in week1.calls[1:]) == sorted(names)


def test_reconciliation_equation_customers_and_visits(week1):
    result, counts = week1.run.result, week1.run.counts()
    assert result.ok
    reg_read = sum(1 for r in week1.records.values() if r.form == "registration")
    customers = table(week1.master, MASTER_SHEET)
    quarantine = table(week1.master, "待修正", 1)
    q_reg = sum(1 for q in quarantine if q["表单"] == REG_TITLE)
    assert reg_read == len(customers) + counts["duplicates_folded"] + q_reg
    assert counts["duplicates_folded"] >= 1 and q_reg >= 3
    visits_read = sum(1 for r in week1.records.values() if r.form == "visit-record")
    visits = table(week1.master, VISITS)
    from_plans = sum(1 for v in visits if "计划" in v["来源工作表"])
    q_visits = sum(1 for q in quarantine if q["表单"] == SCHEMA.form("visit-record").title)
    assert visits_read + from_plans == len(visits) + counts["record_duplicates_removed"] + q_visits
    assert from_plans > 0
    summary = [r[:3] for r in all_cells(week1.master)["合并说明"]]
    assert ["客户档案", result.reconciliation("客户档案").text, "一致"] in summary
    assert result.reconciliation("客户档案").text.startswith(f"读取 {reg_read} 行 = ")


def test_every_input_row_is_in_the_master_or_quarantined(week1):
    customers = table(week1.master, MASTER_SHEET)
    by_source = {where(c): c for c in customers}
    quarantine = {where(q): q["错误信息"] for q in table(week1.master, "待修正", 1)}
    conflicts = " ".join(c["各来源的值"] for c in table(week1.master, "冲突", 1))
    ids = {c["客户编号"] for c in customers}
    folded = []
    for key, rec in week1.records.items():
        if rec.form != "registration":
            continue
        if key in by_source:
            assert by_source[key]["客户编号"] == rec.values["customer_id"]
        elif key in quarantine:
            assert quarantine[key]
        else:
            folded.append(key)
            assert rec.values["customer_id"] in ids
            assert "/".join(map(str, key)) in conflicts
    assert len(folded) == week1.run.counts()["duplicates_folded"]
    visits = {where(v) for v in table(week1.master, VISITS)}
    for key, rec in week1.records.items():
        if rec.form == "visit-record":
            assert key in visits or key in quarantine


def test_manifest_problems_show_up(week1):
    problems = week1.samples.problems
    quarantine = {where(q): q["错误信息"] for q in table(week1.master, "待修正", 1)}
    for p in problems("invalid_id_checksum"):
        assert "校验位" in quarantine[(p.file, p.sheet, p.row)]
    customers = table(week1.master, MASTER_SHEET)
    conflicts = table(week1.master, "冲突", 1)
    a, _ = problems("cross_region_conflict")
    cid = week1.records[(a.file, a.sheet, a.row)].values["customer_id"]
    assert [c["客户编号"] for c in customers].count(cid) == 1
    phone = [c for c in conflicts if c["客户编号"] == cid and c["字段"] == "手机"]
    assert len(phone) == 1
    assert f"{a.file}/{a.sheet}/{a.row}" in phone[0]["各来源的值"]
    assert f"{a.related_file}/{a.sheet}/{a.related_row}" in phone[0]["各来源的值"]
    (near,) = problems("near_duplicate")
    pair = {week1.records[(near.file, near.sheet, r)].values["customer_id"] for r in (near.row, near.related_row)}
    assert pair in [{d["客户编号1"], d["客户编号2"]} for d in table(week1.master, "疑似重复", 1)]


def test_unknown_column_is_kept_with_its_values(week1):
    (p,) = week1.samples.problems("unknown_column")
    customers = table(week1.master, MASTER_SHEET)
    assert p.field in customers[0]
    kept = [(c[p.field], week1.records[where(c)].values[p.field]) for c in customers if c["来源文件"] == p.file]
    assert kept and all(got == (sent or "") for got, sent in kept)
    assert any(got for got, _ in kept)


def test_inputs_are_not_modified(week1):
    assert {p: sha(p) for p in week1.hashes} == week1.hashes


def test_same_inputs_same_cells(week1):
    again = merge_files([week1.inbox], week1.base / "再次.xlsx", as_of=AS_OF, run_date=RUN1)
    assert again.counts() | {"output": ""} == week1.run.counts() | {"output": ""}
    assert all_cells(week1.base / "再次.xlsx") == all_cells(week1.master)


def test_master_reads_as_valid_input(week1):
    book = read_workbook(week1.master, SCHEMA)
    assert [t.sheet for t in book.sheets] == [MASTER_SHEET, VISITS, PLANS, TRADES]
    assert [t.form.key for t in book.sheets] == [MASTER_DATA_SHEETS[t.sheet] for t in book.sheets]
    assert {"待修正", "冲突", "疑似重复", "合并说明"} <= set(book.other_sheets)
    report = validate_workbook(week1.master, SCHEMA, as_of=RUN1)
    assert report.errors == 0, [f.message for f in report.findings if f.severity == "error"][:5]
    unknown = [f.value for f in report.findings if f.code == "column-unknown"]
    assert not set(unknown) & set(PROVENANCE_HEADERS)
    assert unknown == ["微信号"]  # a column staff added: kept in the master, reported once
    assert report.rows == len(week1.run.result.customers) + len(week1.run.result.visits.rows) + \
        len(week1.run.result.plans.rows) + len(week1.run.result.trades.rows)


def test_reader_names_master_sheets_like_the_writer():
    assert set(MASTER_DATA_SHEETS) == {MASTER_SHEET, VISITS, PLANS, COMPLAINTS, TRADES}


# --- week 2 --------------------------------------------------------------------------------


def _columns(ws, header_row: int = 1) -> dict[str, int]:
    form = SCHEMA.form("registration")
    return {form.match_header(c.value): c.column for c in ws[header_row] if c.value and form.match_header(c.value)}


def _edit_week2(path: Path, problem_rows: set[int]) -> dict:
    """Change one mobile (later 最新修订日期), drop one customer, add one customer."""
    wb = openpyxl.load_workbook(path)
    ws = wb[REG_SHEET]
    col = _columns(ws)
    clean = [r for r in range(2, ws.max_row + 1) if r not in problem_rows
             and ws.cell(r, col["mobile"]).value and ws.cell(r, col["customer_type"]).value == "公司"]
    changed, dropped = clean[0], clean[-1]
    info = {"changed": ws.cell(changed, col["customer_id"]).value,
            "old_mobile": ws.cell(changed, col["mobile"]).value,
            "dropped": ws.cell(dropped, col["customer_id"]).value, "added": "XN0999"}
    ws.cell(changed, col["mobile"]).value = "13900001111"
    ws.cell(changed, col["revised"]).value = AS_OF
    new = [c.value for c in ws[changed]]
    ws.delete_rows(dropped)
    new[col["customer_id"] - 1], new[col["customer_name"] - 1] = "XN0999", "成都新增测试科技有限公司"
    new[col["uscc"] - 1] = "91510100MA6CGUB57X"
    ws.append(new)
    wb.save(path)
    return info


@pytest.fixture(scope="module")
def week2(week1):
    folder = week1.base / "week2"
    folder.mkdir()
    for p in week1.samples.paths:
        shutil.copy2(p, folder / p.name)
    target = next(p for p in week1.samples.paths if p.name.startswith("西南"))
    rows = {p.row for p in week1.samples.problems(file=target.name) if p.sheet == REG_SHEET}
    info = _edit_week2(folder / target.name, rows)
    previous = folder / "上周总表.xlsx"
    shutil.copy2(week1.master, previous)
    shutil.copy2(week1.master, folder / "另一份总表.xlsx")
    before = sha(previous)
    run = merge_files([folder], week1.base / "总表_W48.xlsx", previous=previous, as_of=AS_OF, run_date=RUN2)
    return SimpleNamespace(run=run, info=info, master=week1.base / "总表_W48.xlsx", previous=previous,
                           previous_sha=before)


def test_week2_change_log(week2):
    info, changes = week2.info, table(week2.master, "变更记录")
    edits = [c for c in changes if c["类型"] == "修改"]
    assert {c["客户编号"] for c in edits} == {info["changed"]}
    assert {c["字段"] for c in edits} == {"手机", "最新修订日期"}
    (mobile,) = [c for c in edits if c["字段"] == "手机"]
    assert mobile["说明"] == f"将 手机 由 {info['old_mobile']} 修改为 13900001111"
    assert [c["客户编号"] for c in changes if c["类型"] == "新增客户"] == [info["added"]]
    assert [c["客户编号"] for c in changes if c["类型"] == "本周未出现"] == [info["dropped"]]
    counts = week2.run.counts()
    assert (counts["new"], counts["changed"], counts["absent"]) == (1, 1, 1)


def test_week2_absent_customer_kept_and_previous_untouched(week2):
    customers = {c["客户编号"]: c for c in table(week2.master, MASTER_SHEET)}
    assert customers[week2.info["dropped"]]["来源文件"] == "上周总表.xlsx"
    assert customers[week2.info["changed"]]["手机"] == "13900001111"
    assert week2.info["added"] in customers
    assert sha(week2.previous) == week2.previous_sha
    reasons = {i.name: i.skipped_reason for i in week2.run.skipped}
    assert reasons["上周总表.xlsx"] == PREVIOUS_INPUT and reasons["另一份总表.xlsx"] == MASTER_INPUT
    assert week2.run.result.ok
    assert validate_workbook(week2.master, SCHEMA, as_of=RUN2).errors == 0


# --- safety ------------------------------------------------------------------------------------


def test_live_lock_is_a_clear_error(week1, tmp_path):
    out = tmp_path / "总表.xlsx"
    lock = lock_path(out)
    lock.write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "time": "2026-11-23T09:00"}))
    with pytest.raises(OutputError, match="另一个合并正在写入同一个总表") as exc:
        merge_files(week1.samples.paths[:1], out, as_of=AS_OF, run_date=RUN1)
    assert str(lock) in str(exc.value) and "请删除该锁文件" in str(exc.value)
    assert lock.exists() and not out.exists()


def test_lock_on_another_computer_is_live(tmp_path):
    lock = lock_path(tmp_path / "总表.xlsx")
    lock.write_text(json.dumps({"pid": 1, "host": "另一台电脑", "time": "2026-11-23T09:00"}))
    with pytest.raises(OutputError, match="计算机 另一台电脑"):
        OutputLock(tmp_path / "总表.xlsx").acquire()


def test_stale_lock_is_taken_over_with_a_notice(week1, tmp_path):
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    out = tmp_path / "总表.xlsx"
    lock_path(out).write_text(json.dumps({"pid": child.pid, "host": socket.gethostname(), "time": "x"}))
    run = merge_files(week1.samples.paths[:1], out, as_of=AS_OF, run_date=RUN1)
    assert out.exists() and not lock_path(out).exists()
    assert len(run.notices) == 1 and "已接管" in run.notices[0]


def test_refuses_to_overwrite_an_input_or_the_previous(week1):
    first = week1.samples.paths[0]
    before = sha(first)
    with pytest.raises(OutputError, match="拒绝覆盖输入文件"):
        merge_files([week1.inbox], first, as_of=AS_OF)
    with pytest.raises(OutputError, match="拒绝覆盖输入文件"):
        merge_files([*week1.samples.paths[1:], first], first, as_of=AS_OF)
    with pytest.raises(OutputError, match="不是合并生成的总表"):  # an existing workbook, not an input
        merge_files(week1.samples.paths[1:], first, as_of=AS_OF)
    with pytest.raises(OutputError, match="拒绝覆盖输入文件"):
        merge_files(week1.samples.paths[1:], week1.master, previous=week1.master, as_of=AS_OF)
    assert sha(first) == before and not lock_path(first).exists()


def test_nothing_usable(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "~$b.xlsx").write_bytes(LOCK_BYTES)
    with pytest.raises(NothingToMerge, match="没有可合并的数据") as exc:
        merge_files([tmp_path], tmp_path / "out" / "总表.xlsx")
    assert [i.name for i in exc.value.inputs] == ["a.txt", "~$b.xlsx"]
    assert not (tmp_path / "out" / "总表.xlsx").exists()
    with pytest.raises(NothingToMerge):
        merge_files([], tmp_path / "总表.xlsx")


def test_formula_looking_values_stay_text(week1, tmp_path):
    source = tmp_path / week1.samples.paths[0].name
    shutil.copy2(week1.samples.paths[0], source)
    wb = openpyxl.load_workbook(source)
    ws = wb[REG_SHEET]
    header_row = next(r for r in range(1, 6) if "customer_id" in _columns(ws, r))
    col = _columns(ws, header_row)
    row = next(r for r in range(header_row + 1, ws.max_row) if ws.cell(r, col["customer_type"]).value == "公司")
    for key, text in (("customer_name", "=HYPERLINK(\"http://x.example\",\"点我\")"), ("remarks", "@提醒 -1+2")):
        cell = ws.cell(row, col[key])
        cell.value, cell.data_type = text, "s"
    cid = ws.cell(row, col["customer_id"]).value
    wb.save(source)
    out = tmp_path / "总表.xlsx"
    merge_files([source], out, as_of=AS_OF, run_date=RUN1)
    sheet = openpyxl.load_workbook(out)[MASTER_SHEET]
    labels = [c.value for c in sheet[1]]
    (line,) = [r for r in sheet.iter_rows(min_row=2) if r[0].value == cid]
    name, remarks = line[labels.index("客户名称")], line[labels.index("备注")]
    assert (name.value, name.data_type) == ("=HYPERLINK(\"http://x.example\",\"点我\")", "s")
    assert (remarks.value, remarks.data_type) == ("@提醒 -1+2", "s")


def test_same_file_name_in_two_folders_and_reused_record_numbers(week1, tmp_path):
    first = week1.samples.paths[0]
    for folder in ("甲", "乙"):
        (tmp_path / folder).mkdir()
        shutil.copy2(first, tmp_path / folder / "客户档案.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "甲" / "客户档案.xlsx")  # one visit reworded in one copy
    visits = wb["客户拜访记录"]
    column = [c.value for c in visits[1]].index("内容") + 1
    visits.cell(2, column).value = "改过的拜访内容"
    number = visits.cell(2, 1).value
    wb.save(tmp_path / "甲" / "客户档案.xlsx")
    out = tmp_path / "总表.xlsx"
    run = merge_files([tmp_path], out, as_of=AS_OF, run_date=RUN1)
    assert [i.name for i in run.inputs] == ["乙/客户档案.xlsx", "甲/客户档案.xlsx"]
    counts = run.counts()
    assert run.result.ok and counts["duplicates_folded"] > 0 and counts["record_duplicates_removed"] > 0
    quarantine = {(q["来源文件"], q["来源工作表"], q["来源行"]): q["错误信息"] for q in table(out, "待修正", 1)}
    assert quarantine[("甲/客户档案.xlsx", "客户拜访记录", 2)] == (
        f"记录编号“{number}”已被 乙/客户档案.xlsx/客户拜访记录/2 的另一条记录使用；记录编号必须唯一，请改用未被使用的编号")
    assert validate_workbook(out, SCHEMA, as_of=RUN1).errors == 0  # one record per number in the master


# --- the two write engines give the same cells ----------------------------------------------


def _cells(path: Path) -> dict:
    book = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): (getattr(c.value, "text", c.value), c.data_type, c.number_format, c.font.b)
            for ws in book for row in ws.iter_rows() for c in row if c.value is not None} | \
        {(ws.title, "filter"): (ws.auto_filter.ref, ws.freeze_panes) for ws in book}


def test_splice_engine_writes_what_xlsxwriter_writes(week1, tmp_path):
    from workbook_tools.merge import merge_rows
    from workbook_tools.merge.master_writer import master_properties, write_sheets
    from workbook_tools.merge.rows import SourceRow
    from workbook_tools.merge.sheets import master_sheets

    tricky = ["a & b <c>", " 前后空格 ", "行1\n行2", "控制\x01字符", "_x0041_ 字面", "=1+2", "@x", "\ufffe",
              "长" * 40_000]
    numbers = [1, 2**40, True, 0, -3, 7, 8, 9, 10]
    extras = [True, 3.25, date(2026, 5, 1), None, "t", 1e20, "", "x", 0]
    rows = []
    for i, (text, number, extra) in enumerate(zip(tricky, numbers, extras)):
        values = {"customer_id": f"HD{i:04d}", "customer_name": text, "region": "华东", "employees": number,
                  "trade_amount": float("nan") if i == 1 else 1.5 * i, "created": date(2026, 1, i + 1),
                  "revised": date(1899, 1, 1) if i == 2 else None, "remarks": datetime(2026, 1, 2, 3, 4, 5)}
        rows.append(SourceRow("registration", values, values, {"附加": extra}, "甲.xlsx", "表", i + 2))
    result = merge_rows(rows, SCHEMA, run_date=RUN1)
    for res in (result, week1.run.result):
        paths = {}
        for engine in ("splice", "xlsxwriter"):
            paths[engine] = tmp_path / f"{engine}-{len(paths)}-{id(res)}.xlsx"
            write_sheets(master_sheets(res, SCHEMA), paths[engine], properties=master_properties(res, SCHEMA),
                         engine=engine)
        assert _cells(paths["splice"]) == _cells(paths["xlsxwriter"])
        assert all_cells(paths["splice"]) == all_cells(paths["xlsxwriter"])
