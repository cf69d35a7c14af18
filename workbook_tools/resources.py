"""Where the files of templates/ are: the source checkout, or the installed data files
(setup.cfg installs templates/* under <prefix>/share/workbook_tools/templates)."""

from __future__ import annotations

import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1] / "templates"
INSTALLED = Path(sys.prefix) / "share" / "workbook_tools" / "templates"


def template_path(name: str) -> Path:
    """The path of templates/<name>, preferring the checkout next to the package."""
    here = CHECKOUT / name
    return here if here.exists() else INSTALLED / name
