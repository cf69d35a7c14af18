"""Turn an existing .xlsx into a macro-enabled .xlsm with buttons, keeping everything else.

``enable_workbook(src, out)`` edits the package directly (never re-writes the workbook with
a spreadsheet library, so staff data, formats, data validations, comments and charts stay
byte-identical). It adds:

* ``xl/vbaProject.bin`` (see ``generate.xlsm.vba``) with its workbook relationship and content
  type, and switches the workbook part to the macro-enabled content type;
* ``codeName`` on ``<workbookPr>`` (ThisWorkbook) and on every worksheet's ``<sheetPr>``
  (Sheet1, Sheet2, … in workbook order), equal to the project's document modules;
* on the data sheet, form-control buttons in a VML drawing (a new one, or appended to the
  sheet's existing notes drawing) to the right of the last used column with one empty
  column between, never printed, and a print area limited to the used columns.
"""

from __future__ import annotations

import posixpath
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from defusedxml import ElementTree

from workbook_tools.errors import OutputError, WorkbookToolsError
from workbook_tools.generate.xlsm import parts as px
from workbook_tools.generate.xlsm.package import Package, SheetPart, last_used_column
from workbook_tools.generate.xlsm.vml import (
    Button, SheetGeometry, add_to_drawing, button_shape, idmap_numbers, new_drawing,
    place_buttons, shape_ids,
)
from workbook_tools.generate.template import generate_template
from workbook_tools.generate.xlsm.vba import VbaProject, build_vba_project, sheet_codenames
from workbook_tools.io.atomic import atomic_path
from workbook_tools.io.reader import read_workbook
from workbook_tools.schema.loader import load_schema
from workbook_tools.schema.model import Schema

VALIDATE_BUTTONS = (Button("校验", "ValidateButton"),)
MAX_ROW = 1_048_576
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
VML_REL = f"{REL}/vmlDrawing"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
VBA_TYPE = "application/vnd.ms-office.vbaProject"
VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"
# CT_Worksheet children that follow <legacyDrawing>.
AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                "webPublishItems", "tableParts", "extLst", "mc:AlternateContent")
# CT_Workbook children that follow <workbookPr> / <definedNames>.
AFTER_WORKBOOK_PR = ("workbookProtection", "bookViews", "sheets")
AFTER_DEFINED_NAMES = ("calcPr", "oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr",
                       "smartTagTypes", "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst")


@dataclass(frozen=True)
class EnableResult:
    path: Path
    sheet: str  # the sheet carrying the buttons
    buttons: tuple[Button, ...]
    codenames: dict[str, str]  # worksheet name → code name
    xlwings_version: str


def generate_button_template(schema: Schema | str | Path | None, kind: str, path: str | Path,
                             **options) -> EnableResult:
    """``template KIND --buttons``: the blank template of ``kind`` as .xlsm with a 校验 button.

    ``options`` are those of :func:`generate_template` (region, owner, rows, created)."""
    path = _check_xlsm(path)
    with tempfile.TemporaryDirectory(prefix="workbook-tools-") as tmp:
        blank = generate_template(schema, kind, Path(tmp) / "template.xlsx", **options)
        return enable_workbook(blank, path, schema=schema)


def enable_workbook(src: str | Path, out: str | Path, *, sheet: str | None = None,
                    buttons: Sequence[Button] = VALIDATE_BUTTONS,
                    schema: Schema | str | Path | None = None) -> EnableResult:
    """Write ``out`` (.xlsm): ``src`` with the VBA project and ``buttons`` on ``sheet``.

    ``sheet`` defaults to the first sheet holding a form header of ``schema``, else the
    first visible worksheet. Raises WorkbookToolsError (Chinese) when ``src`` is not an
    .xlsx workbook or already contains macros, OutputError when ``out`` is not .xlsm or
    is the input."""
    src, out = Path(src), _check_xlsm(out)
    package = Package.open(src)
    target = package.sheet(sheet if sheet is not None else _data_sheet(src, schema))
    codenames = sheet_codenames(len(package.worksheets))
    project = build_vba_project(codenames)
    _check_macros(project, buttons)
    _add_project(package, project)
    for part, codename in zip(package.worksheets, codenames):
        package.edit(part.path, _set_codename(package.text(part.path), codename))
    _add_buttons(package, target, list(buttons))
    with atomic_path(out, inputs=[src]) as tmp:
        package.save(tmp)
    return EnableResult(out, target.name, tuple(buttons),
                        {p.name: c for p, c in zip(package.worksheets, codenames)},
                        project.xlwings_version)


def _check_xlsm(path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".xlsm":
        raise OutputError(f"输出文件 {path} 的扩展名应为 .xlsm（启用宏的工作簿），否则 Excel 不会运行按钮")
    return path


def _data_sheet(src: Path, schema: Schema | str | Path | None) -> str | None:
    """The first sheet with a recognisable form header, or None."""
    schema = schema if isinstance(schema, Schema) else load_schema(schema)
    tables = read_workbook(src, schema).sheets
    return tables[0].sheet if tables else None


def _check_macros(project: VbaProject, buttons: Sequence[Button]) -> None:
    for button in buttons:
        if button.macro not in project.macros:
            raise WorkbookToolsError(f"按钮“{button.caption}”对应的宏 {button.macro} 不在 macros/*.bas 中")


def _add_project(package: Package, project: VbaProject) -> None:
    if package.has_vba():
        raise WorkbookToolsError(f"{package.path.name} 已经包含宏（VBA 工程），为避免覆盖已有的宏，未作修改")
    vba_part = posixpath.join(posixpath.dirname(package.workbook), "vbaProject.bin")
    package.add(vba_part, project.data)
    package.add_relationship(package.workbook, VBA_REL, vba_part)
    types = package.text("[Content_Types].xml")
    types = px.set_override(types, "/" + package.workbook, MACRO_MAIN)
    types = px.add_content_type(types, part="/" + vba_part, content_type=VBA_TYPE)
    package.edit("[Content_Types].xml", types)
    workbook = package.text(package.workbook)
    if not px.has_element(workbook, "workbookPr"):
        workbook = px.insert_before(workbook, "<workbookPr/>", AFTER_WORKBOOK_PR, "workbook")
    package.edit(package.workbook, px.set_attribute(workbook, "workbookPr", "codeName", project.workbook_codename))


def _set_codename(xml: str, codename: str) -> str:
    if not px.root_is_default_namespace(xml, "worksheet"):
        raise WorkbookToolsError("工作表的内部格式不常见，无法添加按钮；请在 Excel 中另存为 .xlsx 后重试")
    if not px.has_element(xml, "sheetPr"):
        xml = px.insert_after_start(xml, "worksheet", "<sheetPr/>")
    return px.set_attribute(xml, "sheetPr", "codeName", codename)


def _add_buttons(package: Package, sheet: SheetPart, buttons: list[Button]) -> None:
    xml = package.text(sheet.path)
    last = last_used_column(xml)
    anchors = place_buttons(SheetGeometry(xml), last + 2, buttons)
    existing = _legacy_drawing(package, sheet, xml)
    if existing is not None:
        vml = package.text(existing)
        first_id = max(shape_ids(vml) or [max(idmap_numbers(vml) or [1]) * 1024]) + 1
    else:
        idmap = max([0, *(n for name in package.names("xl/drawings/", ".vml")
                          for n in idmap_numbers(package.text(name)))]) + 1
        first_id = idmap * 1024 + 1
    shapes = "".join(button_shape(b, a, first_id + i, i + 1) for i, (b, a) in enumerate(zip(buttons, anchors)))
    if existing is not None:
        package.edit(existing, add_to_drawing(package.text(existing), shapes))
    else:
        name = package.free_name("xl/drawings/vmlDrawing{}.vml")
        package.add(name, new_drawing(shapes, idmap).encode("utf-8"))
        rid = package.add_relationship(sheet.path, VML_REL, name)
        root_tag = xml[:xml.find(">", xml.find("<worksheet")) + 1]
        namespace = "" if f'xmlns:r="{REL}"' in root_tag else f' xmlns:r="{REL}"'
        element = f'<legacyDrawing{namespace} r:id="{rid}"/>'
        xml = px.insert_before(xml, element, AFTER_LEGACY, "worksheet")
        package.edit(sheet.path, xml)
        _ensure_vml_type(package)
    _print_area(package, sheet, last)


def _legacy_drawing(package: Package, sheet: SheetPart, xml: str) -> str | None:
    match = re.search(r"<legacyDrawing(?=\s)[^>]*\sr:id=[\"']([^\"']+)[\"']", xml)
    if match is None:
        return None
    for rel in package.relationships(sheet.path):
        if rel.get("Id") == match.group(1):
            return package.resolve(sheet.path, rel.get("Target", ""))
    raise WorkbookToolsError("工作表的批注绘图关系缺失，文件可能已损坏；请在 Excel 中另存后重试")


def _ensure_vml_type(package: Package) -> None:
    types = package.text("[Content_Types].xml")
    defaults, _ = px.content_types(types)
    if "vml" not in defaults:
        package.edit("[Content_Types].xml", px.add_content_type(types, extension="vml", content_type=VML_TYPE))


def _print_area(package: Package, sheet: SheetPart, last: int) -> None:
    """Limit printing to the used columns unless the sheet already has a print area."""
    if last < 0:
        return
    workbook = package.text(package.workbook)
    root = ElementTree.fromstring(workbook.encode("utf-8"))
    for el in root.iter():
        if (el.tag.endswith("}definedName") and el.get("name", "").lower() == "_xlnm.print_area"
                and el.get("localSheetId") == str(sheet.index)):
            return
    quoted = "'" + sheet.name.replace("'", "''") + "'"
    value = f"{quoted}!$A$1:${_column_letter(last)}${MAX_ROW}"  # = $A:$X, a form openpyxl keeps
    element = f'<definedName name="_xlnm.Print_Area" localSheetId="{sheet.index}">{px.text(value)}</definedName>'
    workbook = re.sub(r"<definedNames\s*/>", "<definedNames></definedNames>", workbook, count=1)
    if px.has_element(workbook, "definedNames"):
        workbook = px.insert_before(workbook, element, (), "definedNames")
    else:
        workbook = px.insert_before(workbook, f"<definedNames>{element}</definedNames>",
                                    AFTER_DEFINED_NAMES, "workbook")
    package.edit(package.workbook, workbook)


def _column_letter(index: int) -> str:
    letters, index = "", index + 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters

