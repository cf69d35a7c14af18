"""The 迁移说明 sheet's lines: the reconciliation (rows read = rows written, none lost),
then per source file the mapping used, every conversion (cell, from, to, how) and every
finding still open, and the suspected duplicates (listed, never merged)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from workbook_tools.adopt.rows import FIRST_ROW

Line = list[tuple[Any, str]]
SEVERITY = {"error": "错误", "warning": "警告"}


def notes_lines(result) -> list[Line]:
    files = result.files
    by_file: dict[int, list[int]] = defaultdict(list)
    for i, origin in enumerate(result.rows.origins):
        by_file[origin.file].append(i)
    lines: list[Line] = [_text(f"共 {len(files)} 个来源文件：读取 {result.rows_read} 行，写入 {result.rows_written} 行，"
                               f"丢失 {result.rows_read - result.rows_written} 行。转换与推断 {len(result.conversions)} 处；"
                               f"仍有错误的行 {len(result.rows_with_errors())} 行（错误 {result.errors} 个，"
                               f"警告 {result.warnings} 个），请按下面的清单补全或核对。"), []]
    lines += _reconciliation(result, by_file)
    lines += _header_findings(result)
    for n, legacy in enumerate(files):
        lines += _file_section(result, n, legacy, by_file.get(n, []))
    lines += _duplicates(result)
    return lines


def _text(value: str, style: str = "") -> Line:
    return [(value, style)]


def _header(*names: str) -> Line:
    return [(n, "header") for n in names]


def _span(rows: list[int]) -> str:
    return f"第 {rows[0] + FIRST_ROW}–{rows[-1] + FIRST_ROW} 行" if rows else "无"


def _reconciliation(result, by_file) -> list[Line]:
    out = [_text("核对：读取行数 = 写入行数", "section"),
           _header("来源文件", "读取行数", "写入行数", "丢失行数", "登记表行")]
    for n, legacy in enumerate(result.files):
        rows = by_file.get(n, [])
        out.append([(legacy.path.name, ""), (legacy.rows, ""), (len(rows), ""), (legacy.rows - len(rows), ""),
                    (_span(rows), "")])
        if len(legacy.tables) > 1:
            for table in legacy.tables:
                mine = [i for i in rows if result.rows.origins[i].table is table]
                out.append([(f"　{table_name(legacy, table)}", ""), (len(table.records), ""), (len(mine), ""),
                            (len(table.records) - len(mine), ""), (_span(mine), "")])
    out.append([("合计", "header"), (result.rows_read, "header"), (result.rows_written, "header"),
                (result.rows_read - result.rows_written, "header"), ("", "header")])
    return out + [[]]


def _header_findings(result) -> list[Line]:
    found = [f for f in result.findings if f.row is not None and f.row < FIRST_ROW]
    if not found:
        return []
    out = [_text("登记表表头", "section"), _header("单元格", "级别", "问题")]
    out += [[(f.cell or "", ""), (SEVERITY.get(f.severity, f.severity), ""), (f.message, "text")] for f in found]
    return out + [[]]


def _file_section(result, n: int, legacy, rows: list[int]) -> list[Line]:
    out = [_text(f"来源文件：{legacy.path.name}（{legacy.kind}）", "section")]
    for table in legacy.tables:
        mine = [i for i in rows if result.rows.origins[i].table is table]
        out.append(_text(f"{table_name(legacy, table)}：表头在第 {table.header_row} 行，读取 {len(table.records)} 行，"
                         f"写入登记表{_span(mine)}。"))
        if table.skipped_rows:
            out.append(_text("表头下的非数据行（未导入）：" + "、".join(f"第 {r} 行（{k}）" for r, k in table.skipped_rows)))
        if table.footer_row:
            out.append(_text(f"第 {table.footer_row} 行是表尾（填表人/合计等），表格到此为止。"))
        out.append(_header("源列", "列号", "对应字段", "方式", "得分"))
        for col in table.columns:
            target = result.form.field(col.field).label if col.field else f"其他信息：{col.header or table.letters[col.index]}"
            out.append([(col.header, ""), (col.letter, ""), (target, ""), (col.how, ""),
                        (col.score if col.score is not None else "", "")])
    for sheet, why in legacy.other_sheets.items():
        out.append(_text(f"工作表“{sheet}”未读取：{why}"))
    out += [[]] + _conversions(result, rows) + _findings(result, rows)
    return out + [[]]


def table_name(legacy, table) -> str:
    """“工作表“客户””, or for one of several tables on a sheet
    “工作表“客户” 第 2 张表（第 25 行起，标题“华南区客户”）”."""
    name = f"工作表“{table.sheet}”"
    if sum(1 for t in legacy.tables if t.sheet == table.sheet) < 2:
        return name
    start = table.start_row or table.header_row
    title = f"，标题“{table.title}”" if table.title else ""
    return f"{name} 第 {table.number} 张表（第 {start} 行起{title}）"


def _where(result, i: int) -> str:
    origin = result.rows.origins[i]
    return f"{origin.table.sheet} 第 {origin.row} 行"


def _conversions(result, rows: list[int]) -> list[Line]:
    mine = set(rows)
    items = [c for c in result.conversions if c.row in mine]
    out = [_text(f"转换与推断（{len(items)} 处）", "section")]
    if not items:
        return out + [_text("无"), []]
    keys = result.form.keys
    out.append(_header("登记表单元格", "来源行", "字段", "原值", "新值", "说明", "得分"))
    for c in items:
        col = keys.index(c.field) if c.field in keys else None
        cell = f"{xl_col_to_name(col)}{c.row + FIRST_ROW}" if col is not None else str(c.row + FIRST_ROW)
        label = result.form.field(c.field).label if col is not None else c.field
        out.append([(cell, ""), (_where(result, c.row), ""), (label, ""), (shown(c.before), ""),
                    (shown(c.after), ""), (c.how, "text"), (c.score if c.score is not None else "", "")])
    return out + [[]]


def _findings(result, rows: list[int]) -> list[Line]:
    first, last = (rows[0] + FIRST_ROW, rows[-1] + FIRST_ROW) if rows else (0, -1)
    items = [f for f in result.findings if f.row is not None and first <= f.row <= last]
    errors = len({f.row for f in items if f.severity == "error"})
    out = [_text(f"仍需处理（{errors} 行有错误，共 {len(items)} 个问题）：请在登记表中补全或核对", "section")]
    if not items:
        return out + [_text("无")]
    out.append(_header("登记表单元格", "来源行", "字段", "级别", "问题"))
    for f in items:
        out.append([(f.cell or f"第 {f.row} 行", ""), (_where(result, f.row - FIRST_ROW), ""), (f.field or "", ""),
                    (SEVERITY.get(f.severity, f.severity), ""), (f.message, "text")])
    return out


def _duplicates(result) -> list[Line]:
    out = [_text(f"疑似重复（{len(result.duplicates)} 组，未合并，请人工核对）", "section")]
    if not result.duplicates:
        return out + [_text("无")]
    out.append(_header("原因", "登记表行", "来源"))
    for reason, rows in result.duplicates:
        out.append([(reason, "text"), ("、".join(str(i + FIRST_ROW) for i in rows), ""),
                    ("；".join(f"{result.files[result.rows.origins[i].file].path.name} {_where(result, i)}"
                              for i in rows), "text")])
    return out


def shown(value: Any) -> str:
    """A value as the 迁移说明 quotes it."""
    if value is None:
        return "（空）"
    if isinstance(value, list):
        return "；".join(shown(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
