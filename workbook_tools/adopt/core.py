"""adopt_files: legacy registers → the standard 客户档案登记表, filled, with 迁移说明.

read (adopt.legacy) → map columns (adopt.mapping) → convert each row (adopt.infer) →
assign 客户编号 → list duplicates → validate the rows as they will be written (the same
validate_table the ``validate`` command runs) → write (adopt.workbook) with the 迁移说明
sheet (adopt.notes): the mapping, every conversion, every finding, the reconciliation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from workbook_tools.adopt.infer import Conversion, assign_ids, convert_row, find_duplicates
from workbook_tools.adopt.legacy import LegacyFile, read_legacy
from workbook_tools.adopt.mapfile import load_map
from workbook_tools.adopt.mapping import Mapper
from workbook_tools.adopt.notes import notes_lines
from workbook_tools.adopt.rows import AdoptRows, collect_rows, output_values
from workbook_tools.adopt.workbook import write_adopted
from workbook_tools.errors import OutputError
from workbook_tools.generate import canonical_region
from workbook_tools.schema.loader import load_schema
from workbook_tools.schema.model import Form, Schema
from workbook_tools.validate import Finding, validate_table

FORM = "registration"


@dataclass
class AdoptResult:
    """What adopt did: the output, the files read, every conversion, duplicate and finding."""

    output: Path | None
    form: Form
    files: list[LegacyFile]
    rows: AdoptRows
    conversions: list[Conversion] = field(default_factory=list)
    duplicates: list[tuple[str, list[int]]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def rows_written(self) -> int:
        return len(self.rows.values)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def rows_with_errors(self) -> list[int]:
        """0-based indexes of the rows that still have an error."""
        return sorted({f.row - 2 for f in self.findings if f.severity == "error" and f.row and f.row >= 2})


def prepare(paths: Iterable[str | Path], schema: Schema | str | Path | None = None, *,
            map_file: str | Path | None = None) -> tuple[Schema, Form, list[LegacyFile]]:
    """Read and map every legacy file (the work ``adopt --plan`` shows)."""
    if not isinstance(schema, Schema):
        schema = load_schema(schema)
    form = schema.form(FORM)
    overrides = load_map(map_file, form) if map_file is not None else None
    mapper = Mapper(form, overrides)
    return schema, form, [read_legacy(p, mapper) for p in paths]


def adopt_files(paths: Iterable[str | Path], output: str | Path, schema: Schema | str | Path | None = None, *,
                region: str | None = None, owner: str | None = None, map_file: str | Path | None = None,
                id_prefix: str | None = None, start: int | None = None,
                as_of: dt.date | None = None) -> AdoptResult:
    """Adopt ``paths`` into the registration form at ``output`` (.xlsx, written atomically;
    never one of the inputs). Raises UnreadableWorkbook / WorkbookToolsError (Chinese) for
    an input that cannot be used; bad values are findings listed in 迁移说明."""
    paths = [Path(p) for p in paths]
    output = Path(output)
    if output.suffix.lower() != ".xlsx":
        raise OutputError(f"输出文件 {output} 的扩展名应为 .xlsx")
    schema, form, files = prepare(paths, schema, map_file=map_file)
    region = canonical_region(schema, form, region)
    owner = (owner or "").strip() or None
    rows = collect_rows(files, form)
    result = AdoptResult(output, form, files, rows)
    for i, values in enumerate(rows.values):
        rows.values[i], made = convert_row(schema, values, row=i, region=region, owner=owner)
        result.conversions.extend(made)
    result.conversions.extend(assign_ids(schema, rows.values, prefix=id_prefix, start=start))
    result.conversions.sort(key=lambda c: (c.row, form.keys.index(c.field) if c.field in form.keys else 99))
    result.duplicates = find_duplicates(rows.values)
    table = rows.sheet_table(form, str(output))
    result.findings = validate_table(table, schema, as_of=as_of).findings
    write_adopted(output, schema, form, [output_values(form, v) for v in rows.values], rows.extra_headers,
                  rows.extra_values, notes_lines(result), region=region, owner=owner, inputs=paths)
    return result
