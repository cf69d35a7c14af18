"""The card workbook as PDF, rendered by LibreOffice headless when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from workbook_tools.io.atomic import atomic_path

NO_SOFFICE = "未找到 LibreOffice（soffice），未生成 PDF；Excel 资料卡已生成。安装 LibreOffice 后加 --pdf 重新运行即可得到 PDF。"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def render_pdf(xlsx: Path, pdf: Path, *, timeout: int = 1800) -> str | None:
    """Convert ``xlsx`` to ``pdf`` (atomically); returns None on success, else one Chinese line."""
    program = soffice()
    if program is None:
        return NO_SOFFICE
    with tempfile.TemporaryDirectory(prefix="card-pdf-") as work:
        work = Path(work)
        profile = (work / "profile").as_uri()     # a private profile: parallel runs never share one
        cmd = [program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(work), str(xlsx)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"LibreOffice 转换 PDF 失败（{type(exc).__name__}）；Excel 资料卡已生成。"
        out = work / f"{xlsx.stem}.pdf"
        if not out.exists():
            reason = (done.stderr or done.stdout).strip().splitlines()
            return f"LibreOffice 未能生成 PDF（{reason[-1] if reason else '无输出'}）；Excel 资料卡已生成。"
        with atomic_path(pdf) as tmp:
            shutil.move(str(out), str(tmp))
    return None
