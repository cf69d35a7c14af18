"""Reading the 设置 sheet of the head-office workbook back (used by ``workbook_tools.buttons``).

Values are found by their labels in column A (the value is in column B), so rows may be
moved or added. Paths may be absolute or relative to the workbook's folder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.generate.xlsm.headoffice import INCOMING, OUTDIR, PREVIOUS, SETTINGS_SHEET, WEEK


@dataclass(frozen=True)
class HeadOfficeSettings:
    incoming: Path
    previous: Path | None
    outdir: Path
    week: str | dt.date | None


def read_settings(path: str | Path) -> HeadOfficeSettings:
    """The 设置 sheet of the saved head-office workbook ``path`` (values found by their labels)."""
    path = Path(path).resolve()
    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    try:
        if SETTINGS_SHEET not in wb.sheetnames:
            raise WorkbookToolsError(f"{path.name} 中没有“{SETTINGS_SHEET}”工作表；"
                                     "总部工具请用 workbook-tools excel headoffice 生成")
        rows = list(wb[SETTINGS_SHEET].iter_rows(max_col=2, values_only=True))
    finally:
        wb.close()
    values = {str(r[0]).strip().rstrip("：:*"): r[1] for r in rows if len(r) > 1 and r[0] is not None}
    week = values.get(WEEK)
    if isinstance(week, dt.datetime):
        week = week.date()
    elif not isinstance(week, dt.date):
        week = str(week).strip() if week is not None and str(week).strip() else None
    return HeadOfficeSettings(_setting_path(values, INCOMING, path.parent, True),
                              _setting_path(values, PREVIOUS, path.parent, False),
                              _setting_path(values, OUTDIR, path.parent, True), week)


def _setting_path(values: dict, label: str, base: Path, required: bool) -> Path | None:
    """A path cell: quotes (from “copy as path”) removed, relative to the workbook's folder."""
    text = "" if values.get(label) is None else str(values[label]).strip().strip('"')
    if not text:
        if required:
            raise WorkbookToolsError(f"请在“{SETTINGS_SHEET}”表中填写“{label}”并保存，再点击按钮")
        return None
    return base / Path(text).expanduser()
