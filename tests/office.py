"""LibreOffice headless as the spreadsheet program that judges our workbooks.

Every call runs ``soffice`` with a private, throw-away user profile (several runs at once never
share one) in which Calc recalculates every formula when it loads an .xlsx — so a converted file
holds LibreOffice's own results, not the values cached by the writer.

    from office import needs_soffice, convert
    @needs_soffice
    def test_x(tmp_path):
        pdf = convert(path, "pdf", tmp_path)
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui",
)

_ALWAYS_RECALC = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def _profile(root: Path) -> str:
    user = root / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_ALWAYS_RECALC, encoding="utf-8")
    return root.as_uri()


def convert(path: str | Path, fmt: str, outdir: str | Path, *, timeout: int = 180) -> Path:
    """Convert ``path`` with LibreOffice to ``fmt`` ("pdf", "xlsx", "csv", "ods", or a full filter
    spec such as 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1')
    into ``outdir``; returns the written file. Formulas are recalculated on load."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    path, outdir = Path(path), Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    ext = fmt.split(":")[0]
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [SOFFICE, f"-env:UserInstallation={_profile(Path(profile))}", "--headless", "--norestore",
               "--convert-to", fmt, "--outdir", str(outdir), str(path)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    out = outdir / f"{path.stem}.{ext}"
    if not out.exists():
        raise AssertionError(f"LibreOffice wrote no {ext} for {path.name}: {done.stdout} {done.stderr}")
    return out


def pdf_pages(pdf: str | Path) -> int:
    """Number of pages of a PDF (counted from its page objects)."""
    import re
    data = Path(pdf).read_bytes()
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def convert_sheets(path: str | Path, outdir: str | Path, *, timeout: int = 600) -> dict[str, Path]:
    """Every sheet of ``path`` as UTF-8 CSV of the recalculated values (one LibreOffice run,
    no .xlsx export of the formulas): sheet name → CSV file."""
    path, outdir = Path(path), Path(outdir)
    try:
        convert(path, CSV_ALL_SHEETS, outdir, timeout=timeout)
    except AssertionError:
        pass  # one file per sheet, named <stem>-<sheet>.csv, not <stem>.csv
    prefix = f"{path.stem}-"
    out = {p.stem[len(prefix):]: p for p in outdir.glob(f"{prefix}*.csv")}
    if not out:
        raise AssertionError(f"LibreOffice wrote no CSV for {path.name}")
    return out
