"""The finding catalogue (catalogue.yaml): loaded by ``workbook_tools.schema.catalogue``,
below the generate stage that builds the forms' formulas from it; re-exported here."""

from __future__ import annotations

from workbook_tools.schema.catalogue import (
    CATALOGUE_FILE, SEVERITIES, FindingType, catalogue, catalogue_markdown, finding_type,
    formula_markdown,
)

__all__ = ["CATALOGUE_FILE", "SEVERITIES", "FindingType", "catalogue", "catalogue_markdown",
           "finding_type", "formula_markdown"]
