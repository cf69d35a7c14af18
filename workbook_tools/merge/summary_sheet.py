"""合并说明: how this master was made — run date, tool and schema version, every input with
its sha256, rows per file and sheet, skipped files, header drift, and the reconciliation."""

from __future__ import annotations

from workbook_tools import __version__
from workbook_tools.merge.conflicts import CONFLICT_RULE
from workbook_tools.merge.result import MergeResult
from workbook_tools.io import limits
from workbook_tools.io.continuation import continuation_name
from workbook_tools.merge.tables import Report, Table

SUMMARY = "合并说明"
TOOL = f"workbook-tools {__version__}"
COUNT_LABELS = {
    "files_read": "已读取文件数", "files_skipped_count": "已跳过文件数", "rows_read": "参与合并的行数",
    "customers": "客户档案总数", "customers_this_week": "其中本周提交的客户",
    "duplicates_folded": "合并的重复行", "quarantined": "待修正行数", "conflicts": "字段冲突数",
    "suspected_duplicates": "疑似重复客户对数", "new": "新增客户", "changed": "有修改的客户",
    "absent": "本周未出现的客户", "kept_previous": "本周数据有误、保留上期记录的客户",
    "visit_records": "拜访记录条数", "visit_plans": "拜访计划条数", "complaints": "投诉记录条数", "trades": "交易记录条数",
    "trade_disagreements": "录入与交易记录不符的交易数字",
    "record_duplicates_removed": "去除的完全重复记录",
}


def summary_report(result: MergeResult) -> Report:
    report = Report(SUMMARY, [26, 40, 22, 12, 14, 40])
    report.add("title", "合并说明")
    _header(report, result)
    _inputs(report, result)
    _drift(report, result)
    _reconciliation(report, result)
    _visit_archive(report, result)
    _counts(report, result)
    return report.fit()


def _header(report: Report, result: MergeResult) -> None:
    report.add("plain", "运行日期", result.run_date)
    report.add("plain", "工具", TOOL)
    report.add("plain", "模式", f"{result.schema_name} v{result.schema_version}")
    previous = ("无（首次合并）" if result.previous_count is None
                else f"{result.previous_count} 位客户")
    report.add("plain", "上期总表", previous)
    report.add("plain", "名称相似度阈值", result.settings.get("fuzzy_threshold"))
    report.add("plain", "冲突取值规则", CONFLICT_RULE)
    report.add("plain", "核对结果", "全部一致" if result.ok else "有不一致，请检查下方“核对”")


def _inputs(report: Report, result: MergeResult) -> None:
    report.add("blank")
    report.add("section", "输入文件")
    if not result.inputs:
        report.add("plain", "（调用方未提供输入文件清单）")
        return
    report.add("header", "文件", "SHA-256", "工作表", "读取行数", "参与合并行数", "状态")
    checks = {(c.file, c.sheet): c for c in result.input_checks}
    for inp in result.inputs:
        if inp.skipped_reason:
            report.add("plain", inp.name, inp.sha256, None, None, None, f"已跳过：{inp.skipped_reason}")
            continue
        sheets = [c for (f, _), c in checks.items() if f == inp.name]
        if not sheets:
            report.add("plain", inp.name, inp.sha256, None, 0, 0, "未找到可识别的表格")
        for c in sheets:
            status = "已合并" if c.ok else "行数不一致，请检查"
            report.add("plain", inp.name, inp.sha256, c.sheet, c.read, c.received, status)


def _drift(report: Report, result: MergeResult) -> None:
    drifts = [(inp.name, d) for inp in result.inputs for d in inp.header_drift
              if d.missing or d.unknown or d.aliased]
    report.add("blank")
    report.add("section", "表头差异")
    if not drifts:
        report.add("plain", "无")
        return
    report.add("header", "文件", "工作表", "缺少的列", "未识别的列", "按别名识别的列")
    for name, d in drifts:
        aliased = "、".join(f"{header}→{label}" for header, label in d.aliased)
        report.add("plain", name, d.sheet, "、".join(d.missing), "、".join(d.unknown), aliased)


def _reconciliation(report: Report, result: MergeResult) -> None:
    report.add("blank")
    report.add("section", "核对（每一行都有去处）")
    report.add("header", "工作表", "核对算式", "结果")
    for r in result.reconciliations:
        report.add("plain", r.label, r.text, "一致" if r.ok else "不一致")
    week = sum(1 for c in result.customers if c.from_this_week)
    kept = len(result.customers) - week
    report.add("plain", "客户档案总数",
               f"客户档案 {len(result.customers)} 行 = 本周客户 {week} + 沿用上期总表记录 {kept}",
               "一致")


def _visit_archive(report: Report, result: MergeResult) -> None:
    """Where the visits older than archive.yaml's visit_history_weeks went."""
    a = result.visit_archive
    if a is None:
        return
    report.add("blank")
    report.add("section", "移入档案历史库的拜访记录")
    report.add("plain", "保留范围", f"拜访记录只保留最近 {a.weeks} 周（{a.cutoff.isoformat()} 及以后）的记录")
    report.add("plain", "移出条数", a.moved)
    report.add("plain", "移到哪里",
               f"{a.moved} 条日期早于 {a.cutoff.isoformat()} 的拜访记录已移入档案历史库 {a.store}"
               "（表 archived_visits）；客户资料卡和汇总表从历史库读取它们")


def _counts(report: Report, result: MergeResult) -> None:
    report.add("blank")
    report.add("section", "统计")
    report.add("header", "项目", "数量")
    counts = result.counts()
    for key, label in COUNT_LABELS.items():
        report.add("plain", label, counts[key])
    for item in counts["files_skipped"]:
        report.add("plain", "跳过的文件", f"{item['file']}：{item['reason']}")


def continuation_section(report: Report, tables: list[Table]) -> None:
    """续表: where each table longer than one worksheet continues (none: no section)."""
    split = [(t, t.sheet_counts()) for t in tables]
    split = [(t, counts) for t, counts in split if len(counts) > 1]
    if not split:
        return
    report.add("blank")
    report.add("section", f"续表（一个工作表最多 {limits.SHEET_MAX_ROWS:,} 行，含表头）")
    report.add("header", "表", "数据行数", "工作表")
    for table, counts in split:
        report.add("plain", table.name, sum(counts), "、".join(_pieces(table.name, counts)))


def _pieces(name: str, counts: list[int]) -> list[str]:
    out, first = [], 1
    for k, n in enumerate(counts, start=1):
        out.append(f"{continuation_name(name, k)}（第 {first:,}–{first + n - 1:,} 条）")
        first += n
    return out
