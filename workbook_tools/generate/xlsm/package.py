"""An .xlsx package held in memory for a few exact part edits (helper of ``xlsm.workbook``).

Parts not edited are written back with their original bytes, names, order, timestamps
and compression, so the result differs from the input only where it must.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.generate.xlsm import parts as px
from workbook_tools.io.sniff import sniff

OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
VBA_PROJECT = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CELL_REF = re.compile(r"<c(?=\s)[^>]*?\sr=[\"']([A-Z]{1,3})\d+[\"']")
_RANGE_REF = re.compile(r"<(?:mergeCell|dimension)(?=\s)[^>]*?\sref=[\"']([^\"']+)[\"']")


@dataclass(frozen=True)
class SheetPart:
    name: str
    path: str  # part name, e.g. xl/worksheets/sheet1.xml
    index: int  # position in <sheets> (localSheetId)
    visible: bool


def column_index(letters: str) -> int:
    """0-based index of column ``letters`` ("A" → 0)."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number - 1


def last_used_column(sheet_xml: str) -> int:
    """0-based index of the rightmost cell, merged range or dimension; -1 for an empty sheet."""
    last = max((column_index(m) for m in set(_CELL_REF.findall(sheet_xml))), default=-1)
    for ref in _RANGE_REF.findall(sheet_xml):
        letters = re.findall(r"([A-Z]{1,3})\d+", ref.upper().replace("$", ""))
        if letters:
            last = max(last, *(column_index(x) for x in letters))
    return last


class Package:
    def __init__(self, path: Path, infos: list[zipfile.ZipInfo], data: dict[str, bytes]):
        self.path = path
        self._infos = infos
        self._data = data
        self._added: list[str] = []
        self.workbook = self._main_part()
        self.sheets = self._read_sheets()
        self.worksheets = [s for s in self.sheets if s is not None and s.path]

    @classmethod
    def open(cls, path: str | Path) -> "Package":
        path = Path(path)
        kind = sniff(path).kind  # raises UnreadableWorkbook (Chinese) for lock/encrypted/broken files
        if kind not in ("xlsx", "xlsm"):
            raise WorkbookToolsError(f"{path.name} 是 .{kind} 格式，只能为 .xlsx 工作簿添加按钮；"
                                     "请先在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）")
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            data = {info.filename: archive.read(info) for info in infos}
        return cls(path, infos, data)

    # -- parts ---------------------------------------------------------------------------
    def text(self, name: str) -> str:
        try:
            return self._data[name].decode("utf-8")
        except KeyError:
            raise WorkbookToolsError(f"{self.path.name} 缺少 {name}，文件可能已损坏") from None

    def edit(self, name: str, text: str) -> None:
        self._data[name] = text.encode("utf-8")

    def add(self, name: str, data: bytes) -> None:
        if name in self._data:
            raise WorkbookToolsError(f"{self.path.name} 中已有 {name}，未作修改")
        self._data[name] = data
        self._added.append(name)

    def names(self, prefix: str, suffix: str) -> list[str]:
        return [n for n in self._data if n.startswith(prefix) and n.endswith(suffix)]

    def free_name(self, pattern: str) -> str:
        taken = {n.lower() for n in self._data}
        number = 1
        while pattern.format(number).lower() in taken:
            number += 1
        return pattern.format(number)

    def has_vba(self) -> bool:
        return any(n.lower().endswith("vbaproject.bin") for n in self._data) or any(
            r.get("Type") == VBA_PROJECT for r in self.relationships(self.workbook))

    # -- relationships -------------------------------------------------------------------
    @staticmethod
    def rels_name(part: str) -> str:
        folder, name = posixpath.split(part)
        return posixpath.join(folder, "_rels", name + ".rels")

    def relationships(self, part: str) -> list[dict[str, str]]:
        name = self.rels_name(part)
        return px.relationships(self.text(name)) if name in self._data else []

    def add_relationship(self, part: str, rel_type: str, target_part: str) -> str:
        name = self.rels_name(part)
        current = self.text(name) if name in self._data else None
        target = posixpath.relpath(target_part, posixpath.dirname(part) or ".")
        xml, rid = px.add_relationship(current, rel_type, target)
        if current is None:
            self.add(name, xml.encode("utf-8"))
        else:
            self.edit(name, xml)
        return rid

    def resolve(self, part: str, target: str) -> str:
        if target.startswith("/"):
            return target.lstrip("/")
        return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))

    # -- workbook structure --------------------------------------------------------------
    def _main_part(self) -> str:
        for rel in px.relationships(self._data.get("_rels/.rels", b"").decode("utf-8") or None):
            if rel.get("Type") == OFFICE_DOCUMENT:
                return self.resolve("", rel.get("Target", ""))
        return "xl/workbook.xml"

    def _read_sheets(self) -> list[SheetPart]:
        xml = self.text(self.workbook)
        if not px.root_is_default_namespace(xml, "workbook"):
            raise WorkbookToolsError("工作簿的内部格式不常见，无法添加按钮；请在 Excel 中另存为 .xlsx 后重试")
        targets = {r.get("Id"): (r.get("Type"), r.get("Target", "")) for r in self.relationships(self.workbook)}
        root = ElementTree.fromstring(xml.encode("utf-8"))
        sheets = []
        for index, el in enumerate(root.iter(f"{{{MAIN_NS}}}sheet")):
            rel_type, target = targets.get(el.get(f"{{{R_NS}}}id"), (None, ""))
            path = self.resolve(self.workbook, target) if rel_type == WORKSHEET else ""
            sheets.append(SheetPart(el.get("name", ""), path, index, el.get("state", "visible") == "visible"))
        return sheets

    def sheet(self, name: str | None) -> SheetPart:
        """The worksheet called ``name``; by default the first visible worksheet."""
        for part in self.worksheets:
            if (name is None and part.visible) or part.name == name:
                return part
        if name is None:
            raise WorkbookToolsError(f"{self.path.name} 中没有可见的工作表")
        names = "、".join(p.name for p in self.worksheets)
        raise WorkbookToolsError(f"{self.path.name} 中没有名为“{name}”的工作表（现有：{names}）")

    # -- output --------------------------------------------------------------------------
    def save(self, target: Path) -> None:
        stamp = self._infos[0].date_time if self._infos else (1980, 1, 1, 0, 0, 0)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for old in self._infos:
                info = zipfile.ZipInfo(old.filename, date_time=old.date_time)
                info.external_attr, info.create_system = old.external_attr, old.create_system
                archive.writestr(info, self._data[old.filename], compress_type=old.compress_type)
            for name in self._added:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.external_attr = 0o600 << 16
                archive.writestr(info, self._data[name], compress_type=zipfile.ZIP_DEFLATED)
