"""``adopt --plan``: the proposed column mapping of each legacy file, with scores, and a
MAP.yaml template to edit — no workbook is written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from workbook_tools.adopt.core import prepare
from workbook_tools.adopt.legacy import LegacyFile
from workbook_tools.adopt.mapfile import map_template, write_map_template
from workbook_tools.schema.model import Form, Schema


@dataclass
class AdoptPlan:
    form: Form
    files: list[LegacyFile]
    map_text: str
    map_path: Path | None

    def missing_required(self) -> list[str]:
        """Labels of required fields no column of any file maps to."""
        found = {c.field for f in self.files for t in f.tables for c in t.columns}
        return [f.label for f in self.form.fields if f.required and f.key not in found]


def plan_files(paths: Iterable[str | Path], schema: Schema | str | Path | None = None, *,
               map_file: str | Path | None = None, map_out: str | Path | None = None) -> AdoptPlan:
    """Read and map ``paths``; write the MAP.yaml template to ``map_out`` when given."""
    paths = [Path(p) for p in paths]
    schema, form, files = prepare(paths, schema, map_file=map_file)
    columns = [(f.path.name, c) for f in files for t in f.tables for c in t.columns]
    text = map_template(columns, form)
    out = write_map_template(map_out, text) if map_out is not None else None
    return AdoptPlan(form, files, text, out)
