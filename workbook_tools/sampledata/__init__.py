"""Seeded generator of realistic, messy regional customer-archive workbooks.

>>> result = generate_samples("build/samples", seed=2026)
>>> result.paths, result.manifest[0]

Used by the demo, the tests and the benchmarks. See sample_data/README.md.
"""

from workbook_tools.sampledata.generator import (
    DEFAULT_REGIONS, MANIFEST, SampleSet, generate_samples, parse_week,
)
from workbook_tools.sampledata.regional import SampleFile
from workbook_tools.sampledata.sheet import Problem

__all__ = ["DEFAULT_REGIONS", "MANIFEST", "Problem", "SampleFile", "SampleSet", "generate_samples", "parse_week"]
