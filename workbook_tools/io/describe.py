"""What the reader makes of a workbook, as plain data (for `workbook-tools inspect`)."""

from __future__ import annotations

from pathlib import Path

from workbook_tools.io.crypto import opened
from workbook_tools.io.reader import read_workbook
from workbook_tools.io.table import SheetTable
from workbook_tools.schema.model import Form, Schema


def describe_workbook(path: str | Path, schema: Schema | None = None,
                      form: str | Form | None = None, password: str | None = None) -> dict:
    """Read ``path`` and describe, per sheet, the detected form, header row, column
    mapping, unknown and missing columns, record count and footer row.
    ``password`` opens an encrypted workbook. Raises UnreadableWorkbook like read_workbook."""
    if schema is None:
        from workbook_tools.schema import load_schema

        schema = load_schema()
    with opened(path, password) as plain:
        data = read_workbook(plain, schema, form)
    return {
        "path": str(path) if password else data.path,
        "kind": data.kind,
        "date1904": data.date1904,
        "stamp": dict(data.stamp),
        "schema": {"name": schema.name, "version": schema.version},
        "sheets": [describe_table(t) for t in data.sheets],
        "other_sheets": list(data.other_sheets),
        "other_reasons": dict(data.other_reasons),
    }


def describe_table(table: SheetTable) -> dict:
    form = table.form
    label = {f.key: f.label for f in form.fields}
    rows = [r.row for r in table.records]
    return {
        "sheet": table.sheet,
        "form": form.key,
        "form_title": form.title,
        "title_matched": table.title_matched,
        "header_row": table.header_row,
        "columns": [
            {"letter": c.letter, "header": c.header, "field": c.field,
             "label": label.get(c.field) if c.field else None, "matched": c.matched}
            for c in table.columns if c.field or c.header.strip()
        ],
        "unknown_columns": [{"letter": c.letter, "header": c.header} for c in table.unknown_columns],
        "missing_required": [{"field": k, "label": label[k]} for k in table.missing_required],
        "duplicate_fields": [
            {"field": k, "label": label[k], "letters": [c.letter for c in cols],
             "kept": form.field(k).is_free_text}
            for k, cols in table.duplicate_fields.items()
        ],
        "record_count": len(rows),
        "first_row": rows[0] if rows else None,
        "last_row": rows[-1] if rows else None,
        "footer_row": table.footer_row,
        "skipped_rows": [{"row": row, "kind": kind} for row, kind in table.skipped_rows],
        "inner_footers": list(table.inner_footers),
        "unnamed_columns": [{"letter": c.letter, "header": c.header} for c in table.unnamed_columns],
    }
