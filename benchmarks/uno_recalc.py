"""Time LibreOffice's full recalculation of workbooks in one running soffice (UNO).

    /usr/bin/python3 benchmarks/uno_recalc.py [--repeat 5] FILE...

Run with the Python that has LibreOffice's ``uno`` module (the system one), not the venv:
bench_form_checks.py --breakdown calls it. Starts one headless soffice with a private profile,
times opening each file hidden (the import: the profile's default does not recalculate on
load) and then ``calculateAll()`` (a hard recalculation of every formula), ``--repeat`` times,
interleaving the files, and prints one JSON line: file → {"load_wall": [...], "load_cpu": [...],
"wall": [...], "cpu": [...]} (cpu: soffice's user + system seconds, from /proc). One process and no import
or export in the timed part, so the figures are the formulas' own cost and far steadier than
whole conversions on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno  # noqa: F401  (LibreOffice's Python bridge)
from com.sun.star.beans import PropertyValue

TICKS = os.sysconf("SC_CLK_TCK")


def _prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _cpu(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])      # utime, stime
    return total / TICKS


def _soffice_pids(pipe: str) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if pipe.encode() in (entry / "cmdline").read_bytes():
                    out.append(int(entry.name))
            except OSError:
                pass
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    pipe = f"uno_recalc_{os.getpid()}"
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.Popen(
            ["soffice", "--headless", "--invisible", "--norestore", "--nologo",
             f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            print(json.dumps(_measure(pipe, args.files, args.repeat), ensure_ascii=False))
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def _measure(pipe: str, files: list[str], repeat: int) -> dict:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(600):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            time.sleep(0.1)
    else:
        sys.exit("soffice did not start")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    pids = _soffice_pids(pipe)
    out = {f: {"wall": [], "cpu": [], "load_wall": [], "load_cpu": []} for f in files}
    for _ in range(repeat):
        for f in files:
            cpu, wall = _cpu(pids), time.perf_counter()
            doc = desktop.loadComponentFromURL(Path(f).resolve().as_uri(), "_blank", 0, (_prop("Hidden", True),))
            out[f]["load_wall"].append(round(time.perf_counter() - wall, 3))
            out[f]["load_cpu"].append(round(_cpu(pids) - cpu, 3))
            cpu, wall = _cpu(pids), time.perf_counter()
            doc.calculateAll()
            out[f]["wall"].append(round(time.perf_counter() - wall, 3))
            out[f]["cpu"].append(round(_cpu(pids) - cpu, 3))
            doc.close(True)
    return out


if __name__ == "__main__":
    main()
