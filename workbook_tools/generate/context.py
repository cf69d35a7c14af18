"""What one generated template is about: schema, form, options, and the version stamp."""

from __future__ import annotations

from dataclasses import dataclass

from workbook_tools import __version__
from workbook_tools.schema.model import Form, Schema

GENERATOR = f"workbook-tools {__version__}"


@dataclass(frozen=True)
class TemplateInfo:
    schema: Schema
    form: Form
    rows: int
    region: str | None = None
    owner: str | None = None
    generator: str = GENERATOR
    checks: bool = False          # the self-checking 检查结果 column (generate/checks)
    blank_cells: bool = True      # write the prepared rows' formatted blank cells (adopt fills them itself)

    @property
    def first_data_row(self) -> int:
        """Zero-based index of the first data row (the header is row 0)."""
        return 1

    @property
    def last_data_row(self) -> int:
        """Zero-based index of the last prepared data row."""
        return self.rows

    def stamp_properties(self) -> list[tuple[str, str]]:
        """Custom document properties identifying the template (docProps/custom.xml)."""
        props = [
            ("schema_name", self.schema.name),
            ("schema_version", self.schema.version),
            ("form", self.form.key),
            ("generator", self.generator),
        ]
        if self.region:
            props.append(("region", self.region))
        if self.owner:
            props.append(("owner", self.owner))
        return props

    def scope_text(self) -> str:
        """“所属区域：华东　业务员：张三”, or "" when neither was given."""
        parts = []
        if self.region:
            parts.append(f"所属区域：{self.region}")
        if self.owner:
            parts.append(f"业务员：{self.owner}")
        return "　".join(parts)

    def display_title(self) -> str:
        """The document title: the form title, with region and owner when given."""
        extra = "，".join(p for p in (self.region, self.owner) if p)
        return f"{self.form.title}（{extra}）" if extra else self.form.title
