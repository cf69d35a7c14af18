"""Annotate an .xlsx/.xlsm by editing its package directly (the fast path of ``annotate``).

openpyxl parses and rewrites every cell (≈ 10 s for a 10,000-customer regional file);
this path copies the package and changes only what the annotation needs: the marked
cells' style index (a copy of their format with the red or yellow fill), a comments part
and its VML drawing per marked sheet (openpyxl's own comment writers), styles appended
to styles.xml, and a new last sheet 校验结果. Everything else — formats, validations,
pictures, the VBA project, defined names — is copied byte for byte.

It applies to a first annotation of a native workbook whose marked sheets carry no
comments or form controls yet; anything else (or any part in a shape it does not expect)
returns None and ``annotate`` uses openpyxl.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path
from typing import Any

from openpyxl.comments.comment_sheet import CommentRecord, CommentSheet
from openpyxl.utils.cell import get_column_letter
from openpyxl.xml.functions import tostring

from workbook_tools.io.atomic import atomic_path
from workbook_tools.io.sheetxml import COMPRESSLEVEL, copied_entry
from workbook_tools.io.sniff import sniff
from workbook_tools.validate.annotate import cells as cells_xml
from workbook_tools.validate.annotate import parts as px
from workbook_tools.validate.annotate.sheet import (
    AUTHOR, ERROR_RGB, HEADER_ROW, RESULT_SHEET, WARNING_RGB, col_number, coordinate, is_error,
    level_label, make_comment, quote_sheet, rank, summary_line,
)
from workbook_tools.validate.annotate.results import results_sheet

WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_SHEET_TAG = re.compile(r"<sheet\b[^>]*>")


def annotate_package(src: Path, findings: list, out_path: Path, checked_at: str) -> Path | None:
    """The annotated copy written (its path), or None when the openpyxl path must do it.
    Raises UnreadableWorkbook (from sniff) like the openpyxl path."""
    kind = sniff(src).kind
    if kind not in ("xlsx", "xlsm") or src.suffix.lower() != f".{kind}":
        return None
    if any(not isinstance(getattr(f, "value", None), (str, int, float, type(None))) for f in findings):
        return None
    try:
        with zipfile.ZipFile(src) as archive:
            parts = _Annotation(archive, findings, summary_line(src, findings, checked_at)).parts()
            if out_path.suffix.lower() != f".{kind}":
                out_path = out_path.with_suffix(f".{kind}")
            with atomic_path(out_path, inputs=[src]) as tmp:
                _write(archive, parts, tmp)
    except (px.Unsupported, KeyError, ValueError, IndexError, TypeError, UnicodeDecodeError,
            zipfile.BadZipFile, OSError):
        return None  # the openpyxl path annotates it, or reports the problem in Chinese
    return out_path


def _write(archive: zipfile.ZipFile, parts: dict[str, bytes], tmp: Path) -> None:
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSLEVEL) as out:
        for info in archive.infolist():
            data = parts.pop(info.filename, None)
            out.writestr(copied_entry(info), data if data is not None else archive.read(info))
        for name, data in parts.items():  # new parts
            out.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED, COMPRESSLEVEL)


class _Annotation:
    def __init__(self, archive: zipfile.ZipFile, findings: list, summary: str):
        self.archive, self.findings, self.summary = archive, findings, summary
        self.names = set(archive.namelist())
        self.text: dict[str, str] = {}  # changed parts, by name
        if not _main_part_is_workbook(archive.read("_rels/.rels").decode("utf-8")):
            raise px.Unsupported("_rels/.rels")  # damaged or unusual: openpyxl writes a clean package
        self.workbook = self._read("xl/workbook.xml")
        self.rels = self._read("xl/_rels/workbook.xml.rels")
        self.sheets = self._sheets()  # [(name, part, is a worksheet (not a chart sheet), state)]
        self.styles = px.Styles(self._read("xl/styles.xml"))
        self.fills = {True: self.styles.append("fills", px.solid_fill(ERROR_RGB)),
                      False: self.styles.append("fills", px.solid_fill(WARNING_RGB))}

    def _read(self, name: str) -> str:
        if name not in self.text:
            self.text[name] = self.archive.read(name).decode("utf-8")
        return self.text[name]

    def _sheets(self) -> list[tuple[str, str, bool, str]]:
        prefix = px.rel_prefix(self.workbook) or "r"
        targets = {}
        for tag in re.findall(r"<Relationship\b[^>]*>", self.rels):
            a = px.attrs(tag)
            target = a["Target"].lstrip("/") if a["Target"].startswith("/") else "xl/" + a["Target"]
            targets[a["Id"]] = (target, a["Type"].endswith("/worksheet"))
        out = []
        for tag in _SHEET_TAG.findall(self.workbook):
            a = px.attrs(tag)
            target, is_sheet = targets[a[f"{prefix}:id"]]
            out.append((html.unescape(a["name"]), target, is_sheet, a.get("state", "visible")))
        if not out or any(name == RESULT_SHEET for name, *_ in out):
            raise px.Unsupported("sheets")
        return out

    # -- the marks -----------------------------------------------------------------------

    def parts(self) -> dict[str, bytes]:
        marks, rows = self._locate()
        for part, cells in sorted(marks.items()):
            self._mark_sheet(part, cells)
        self._add_results(rows)
        self.text["xl/styles.xml"] = self.styles.result()
        return {name: text.encode("utf-8") if isinstance(text, str) else text for name, text in self.text.items()}

    def _locate(self) -> tuple[dict[str, dict], list[tuple[Any, str | None, str | None, Any]]]:
        """Marks by sheet part ((row, col) → findings) and the 校验结果 rows, sorted."""
        parts = {name: part for name, part, is_sheet, _ in self.sheets if is_sheet}
        merged: dict[str, list] = {}
        marks: dict[str, dict] = {}
        rows = []
        for f in self.findings:
            name = getattr(f, "sheet", None)
            part = parts.get(name) if isinstance(name, str) else None
            coord = coordinate(getattr(f, "cell", None)) if part else None
            if coord:
                if part not in merged:
                    merged[part] = cells_xml.merge_ranges(self._read(part))
                coord = _anchor(coord, merged[part])
                marks.setdefault(part, {}).setdefault(px.parse_ref(coord), []).append(f)
            row = getattr(f, "row", None)
            if row is None and coord:
                row = px.parse_ref(coord)[0]
            rows.append((f, name if part else None, coord, row))
        order = {name: i for i, (name, *_) in enumerate(self.sheets)}
        rows.sort(key=lambda r: (rank(r[0]), order.get(r[1], -1), r[3] if isinstance(r[3], int) else 0,
                                 col_number(r[2])))
        return marks, rows

    def _mark_sheet(self, part: str, cells: dict[tuple[int, int], list]) -> None:
        sheet = self._read(part)
        if "<legacyDrawing" in sheet:  # comments or controls already there: openpyxl merges them
            raise px.Unsupported("legacyDrawing")
        groups = {pos: sorted(group, key=rank) for pos, group in cells.items()}
        sheet = cells_xml.restyle_cells(sheet, groups, lambda base, group: self.styles.with_fill(
            base, self.fills[is_error(group[0])]))
        records = []
        for (row, col), group in sorted(groups.items()):
            text = "\n".join(dict.fromkeys(f"{level_label(f)}：{getattr(f, 'message', '') or ''}" for f in group))
            box = make_comment(text)
            record = CommentRecord(ref=f"{get_column_letter(col)}{row}", author=AUTHOR,
                                   height=box.height, width=box.width)
            record.text.t = text
            records.append(record)
        comments = CommentSheet.from_comments(records)
        k = self._free("xl/comments{}.xml")
        self.text[f"xl/comments{k}.xml"] = tostring(comments.to_tree())
        self.text[f"xl/drawings/vmlDrawing{k}.vml"] = comments.write_shapes()
        rels_name = _rels_of(part)
        rels = self._read(rels_name) if rels_name in self.names else None
        rels, _ = px.add_relationship(rels, "comments", f"../comments{k}.xml")
        rels, vml_id = px.add_relationship(rels, "vmlDrawing", f"../drawings/vmlDrawing{k}.vml")
        self.text[rels_name] = rels
        self.text[part] = px.insert_legacy_drawing(sheet, vml_id)
        self._content_types({f"/xl/comments{k}.xml": COMMENTS}, {"vml": VML})

    def _free(self, pattern: str) -> int:
        k = 1
        while pattern.format(k) in self.names or pattern.format(k) in self.text:
            k += 1
        return k

    def _content_types(self, overrides: dict[str, str], defaults: dict[str, str]) -> None:
        name = "[Content_Types].xml"
        self.text[name] = px.add_content_types(self._read(name), overrides, defaults)

    # -- 校验结果 -------------------------------------------------------------------------

    def _add_results(self, rows: list) -> None:
        force = bool(self.findings) or self._active_hidden()
        n = self._free("xl/worksheets/sheet{}.xml")
        part = f"xl/worksheets/sheet{n}.xml"
        self.text[part] = results_sheet(rows, self.summary, self.styles, selected=force)
        self.rels, rid = px.add_relationship(self.rels, "worksheet", f"worksheets/sheet{n}.xml")
        self.text["xl/_rels/workbook.xml.rels"] = self.rels
        self._content_types({f"/{part}": WORKSHEET}, {})
        self.text["xl/workbook.xml"] = self._workbook_with(rid, force)
        if force:
            for _, sheet_part, _, _ in self.sheets:
                self.text[sheet_part] = px.unselect_tabs(self._read(sheet_part))

    def _workbook_with(self, rid: str, force: bool) -> str:
        xml, prefix = px.ensure_rel_prefix(self.workbook)
        ids = [int(px.attrs(t).get("sheetId", 0)) for t in _SHEET_TAG.findall(xml)]
        end = xml.index("</sheets>")
        xml = xml[:end] + f'<sheet name="{RESULT_SHEET}" sheetId="{max(ids) + 1}" {prefix}:id="{rid}"/>' + xml[end:]
        title = (f'<definedName name="_xlnm.Print_Titles" localSheetId="{len(self.sheets)}">'
                 f"{html.escape(quote_sheet(RESULT_SHEET), quote=False)}!${HEADER_ROW}:${HEADER_ROW}</definedName>")
        # an empty <definedNames /> (openpyxl writes one) gets the name inside it: a second
        # definedNames element would make the workbook invalid (readers keep only one of them)
        xml = re.sub(r"<definedNames\s*/>", "<definedNames></definedNames>", xml, count=1)
        if "</definedNames>" in xml:
            at = xml.index("</definedNames>")
            xml = xml[:at] + title + xml[at:]
        elif "<externalReferences" in xml or "<functionGroups" in xml:
            raise px.Unsupported("definedNames")
        else:
            at = xml.index("</sheets>") + len("</sheets>")
            xml = xml[:at] + f"<definedNames>{title}</definedNames>" + xml[at:]
        if force:
            view = re.search(r"<workbookView\b[^>]*?/?>", xml)
            if view is None:
                raise px.Unsupported("workbookView")
            xml = xml[:view.start()] + px.set_attr(view[0], "activeTab", str(len(self.sheets))) + xml[view.end():]
        return xml

    def _active_hidden(self) -> bool:
        view = re.search(r"<workbookView\b[^>]*>", self.workbook)
        active = int(px.attrs(view[0]).get("activeTab", 0)) if view else 0
        return active >= len(self.sheets) or self.sheets[active][3] != "visible"


def _main_part_is_workbook(rels: str) -> bool:
    for tag in re.findall(r"<Relationship\b[^>]*>", rels):
        a = px.attrs(tag)
        if a.get("Type", "").endswith("/officeDocument"):
            return a.get("Target", "").lstrip("/") == "xl/workbook.xml"
    return False


def _anchor(coord: str, ranges: list[tuple[int, int, int, int]]) -> str:
    """A cell hidden inside a merged range is marked on the range's top-left cell."""
    row, col = px.parse_ref(coord)
    for r0, c0, r1, c1 in ranges:
        if r0 <= row <= r1 and c0 <= col <= c1 and (row, col) != (r0, c0):
            return f"{get_column_letter(c0)}{r0}"
    return coord


def _rels_of(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels"
