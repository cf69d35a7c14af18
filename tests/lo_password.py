"""Run with the system python3 (pyuno): open an encrypted workbook in LibreOffice headless with
each password given, in one LibreOffice session, and print per password the sheet names and the
first cells of SHEET (or the error LibreOffice raised) as one JSON list.

    python3 tests/lo_password.py FILE SHEET PASSWORD...
"""
import json, os, subprocess, sys, tempfile, time, uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p

path, sheet, passwords = sys.argv[1], sys.argv[2], sys.argv[3:]
profile = tempfile.mkdtemp(prefix="lo-uno-")
pipe = "wbt" + str(os.getpid())
proc = subprocess.Popen(["soffice", "--headless", "--invisible", "--nologo", "--norestore",
                         f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            time.sleep(0.5)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    url = uno.systemPathToFileUrl(os.path.abspath(path))
    results = []
    for password in passwords:
        try:
            doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True), prop("Password", password)))
        except Exception as exc:
            results.append({"error": type(exc).__name__})
            continue
        if doc is None:
            results.append({"error": "None"})
            continue
        sh = doc.Sheets.getByName(sheet)
        rows = [[sh.getCellByPosition(c, r).getString() for c in range(3)] for r in range(2)]
        results.append({"sheets": list(doc.Sheets.ElementNames), "rows": rows})
        doc.close(True)
    print(json.dumps(results, ensure_ascii=False))
    try:
        desktop.terminate()
    except Exception:
        pass
finally:
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
