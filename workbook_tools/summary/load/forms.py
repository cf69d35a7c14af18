"""A form's sheet of the master (客户档案, 拜访记录, 拜访计划, 交易记录) → one typed column per
wanted field, and the 客户分类 sheet → its computed trade figures.

The big sheets are read through io.stream: only the wanted columns, 65,536 rows at a time,
each chunk typed (summary.parse) and filtered before the next is read, so no Python object
per cell of the sheet ever exists. A file the stream reader does not read (NotStreamable,
or any other failure) is read again through calamine's ``to_python``, which gives the
same frame (tests compare the two) and carries the Chinese messages for damaged files.
"""

from __future__ import annotations

from operator import itemgetter
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from workbook_tools.errors import UnreadableWorkbook, WorkbookToolsError
from workbook_tools.io.stream import XlsxStream
from workbook_tools.schema.model import DATE_TYPES, NUMBER_TYPES, Form
from workbook_tools.summary.computed import accounts_columns, accounts_frame, accounts_head, accounts_typed
from workbook_tools.accounts import SHEET as ACCOUNTS_SHEET
from workbook_tools.summary.load.sheets import HEADER_SCAN_ROWS, find_sheet, sheet_rows, stream_chunks
from workbook_tools.summary.parse import TEXT_DTYPE, parse_dates, parse_numbers, parse_text

STREAM = True   # read big sheets through io.stream (False: calamine only; tests compare the two)


def header(rows: list[list], form: Form) -> tuple[int, dict[str, int]]:
    """The header row (0-based; -1 if none) among the first rows and field key → column index."""
    best, best_map = -1, {}
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapping: dict[str, int] = {}
        for j, cell in enumerate(row):
            key = form.match_header(cell) if isinstance(cell, str) and cell.strip() else None
            if key is not None and key not in mapping:
                mapping[key] = j
        if len(mapping) > len(best_map):
            best, best_map = i, mapping
    return best, best_map


def form_job(path: Path, form: Form, name: str, wanted: dict, required: bool = False):
    """(frame of the wanted fields' typed columns, missing sheet names, problems)."""
    if STREAM:
        try:
            return _streamed_form(path, form, name, wanted[form.key], required)
        except WorkbookToolsError:
            raise
        except Exception:  # NotStreamable, a damaged part …: calamine reads it (or says why not)
            pass
    return _calamine_form(path, form, name, wanted[form.key], required)


def _check(path: Path, form: Form, name: str, found: bool, mapping: dict, required: bool) -> None:
    if not found and required:
        raise UnreadableWorkbook(path, f"找不到工作表“{name}”", "请选择合并生成的总档案文件")
    if required and form.id_field not in mapping:
        label = form.field(form.id_field).label
        raise UnreadableWorkbook(path, f"工作表“{name}”中找不到“{label}”列", "请选择合并生成的总档案文件")


def _streamed_form(path: Path, form: Form, name: str, fields: list, required: bool):
    with XlsxStream(path) as book:
        sheet = find_sheet(book.sheet_names, name, form)
        top = book.head(sheet, HEADER_SCAN_ROWS) if sheet is not None else []
        head, mapping = header(top, form) if top else (-1, {})
        _check(path, form, name, sheet is not None, mapping, required)
        picked = {f.key: mapping[f.key] for f in fields if f.key in mapping}
        problems: list[str] = []
        parts = [typed_frame(fields, {key: chunk.values[j] for key, j in picked.items()}, len(chunk))
                 for chunk in stream_chunks(book, sheet, top, head, sorted(set(picked.values())), problems)]
    frame = pd.concat(parts, ignore_index=True) if parts else typed_frame(fields, {}, 0)
    return frame, (() if sheet is not None else (name,)), tuple(problems)


def _calamine_form(path: Path, form: Form, name: str, fields: list, required: bool):
    joined = sheet_rows(path, name, form, head=lambda rows: header(rows, form)[0])
    rows = joined.rows if joined is not None else None
    head, mapping = header(rows, form) if rows else (-1, {})
    _check(path, form, name, rows is not None, mapping, required)
    body = rows[head + 1:] if head >= 0 else []
    missing = () if rows is not None else (name,)
    problems = tuple(joined.problems) if joined is not None else ()
    del rows, joined
    columns = body_columns(body, {f.key: mapping[f.key] for f in fields if f.key in mapping})
    return typed_frame(fields, columns, len(body)), missing, problems


def typed_frame(fields: list, columns: dict[str, list], n: int) -> pd.DataFrame:
    """The fields' typed columns of ``n`` data rows (blank columns for fields not in ``columns``),
    without the rows blank in every column read."""
    frame = pd.DataFrame({f.key: typed_values(f, columns[f.key]) if f.key in columns else _blank(f, n)
                          for f in fields})
    mapped = [k for k in columns if k in frame.columns]
    keep = frame[mapped].notna().any(axis=1) if mapped else pd.Series(False, index=frame.index)
    return frame if keep.all() else frame[keep].reset_index(drop=True)


def _blank(f, n: int) -> pd.Series:
    if f.type in DATE_TYPES:
        return pd.Series(np.full(n, np.datetime64("NaT", "D")))
    if f.type in NUMBER_TYPES:
        return pd.Series(np.full(n, np.nan))
    return pd.Series([None] * n, dtype=object).astype(TEXT_DTYPE)


def body_columns(body: list[list], mapping: dict[str, int]) -> dict[str, list]:
    """The mapped columns of the data rows (C-speed ``itemgetter`` over rectangular rows)."""
    if not body or not mapping:
        return {}
    width = min(map(len, body))
    if width <= max(mapping.values()):
        body = [list(r) + [None] * (max(mapping.values()) + 1 - len(r)) for r in body]
    return {key: list(map(itemgetter(j), body)) for key, j in mapping.items()}


def typed_values(f, values) -> pd.Series:
    if f.type in DATE_TYPES:
        return pd.Series(parse_dates(values))
    if f.type in NUMBER_TYPES:
        return parse_numbers(values)
    return parse_text(values, f.choice_lookup() if f.choices else None)


def accounts_job(path: Path) -> pd.DataFrame | None:
    """客户分类's customer_id, source and trade figures (summary.computed); None without the
    sheet or its 客户编号 column."""
    if STREAM:
        try:
            return _streamed_accounts(path)
        except WorkbookToolsError:
            raise
        except Exception:
            pass
    joined = sheet_rows(path, ACCOUNTS_SHEET, head=accounts_head)
    return None if joined is None else accounts_frame(joined.rows)


def _streamed_accounts(path: Path) -> pd.DataFrame | None:
    with XlsxStream(path) as book:
        if ACCOUNTS_SHEET not in book.sheet_names:
            return None
        top = book.head(ACCOUNTS_SHEET, HEADER_SCAN_ROWS)
        head = accounts_head(top)
        picked = accounts_columns(top[head]) if head >= 0 else {}
        if "customer_id" not in picked:
            return None
        parts = [accounts_typed({key: chunk.values[j] for key, j in picked.items()}, len(chunk))
                 for chunk in stream_chunks(book, ACCOUNTS_SHEET, top, head, sorted(set(picked.values())), [])]
    return pd.concat(parts, ignore_index=True) if parts else accounts_typed({}, 0)


__all__ = ["accounts_job", "body_columns", "form_job", "header", "typed_frame", "typed_values"]
