"""Schema: the declarative description of every customer-archive form."""

from workbook_tools.schema.loader import DEFAULT_SCHEMA, load_schema, parse_schema
from workbook_tools.schema.model import (
    CODE_TYPES, Choice, Field, Form, Rule, Schema, header_variants, normalize_header,
)

__all__ = [
    "CODE_TYPES", "DEFAULT_SCHEMA", "Choice", "Field", "Form", "Rule", "Schema",
    "header_variants", "load_schema", "normalize_header", "parse_schema",
]
