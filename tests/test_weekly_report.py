"""The demo's weekly HTML report as a person opens it: headless Chromium at 1280 px and 390 px
(every chart visible, sane page height, no sideways scrolling), links that resolve, html5lib
parsing it without errors, nothing fetched from anywhere, and no personal number of the demo
data in it. The 12-week trend charts are checked on a hand-made history."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlparse

import html5lib
import pytest
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from workbook_tools.schema import load_schema
from workbook_tools.weekly import load_config
from workbook_tools.weekly.demo import DEMO_AS_OF, run_demo
from workbook_tools.weekly.report import OfficeStatus, render_report
from workbook_tools.weekly.run import write_report
from workbook_tools.weekly.svg import Series, hbar_chart, nice_max
from workbook_tools.weekly.trends import NO_HISTORY, WeekTrend, last_weeks, trend_charts

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed; .ci/run installs the chromium package")
SENSITIVE_TYPES = {"id_card", "mobile", "phone", "bank_account"}
SVG = "{http://www.w3.org/2000/svg}"

TWELVE = [WeekTrend(f"2026-W{w:02d}", customers=1000 + 16 * i, new=10 + i, changed=5, absent=i % 3,
                    overdue=300 - 10 * i, quarantined=12 - i) for i, w in enumerate(range(36, 48))]

PROBE = """<script>(function () {
  var boxes = [];
  document.querySelectorAll("svg").forEach(function (s) {
    var r = s.getBoundingClientRect(), cs = getComputedStyle(s);
    boxes.push({left: r.left, top: r.top + window.scrollY, width: r.width, height: r.height,
                visible: cs.visibility === "visible" && cs.display !== "none"});
  });
  parent.postMessage(JSON.stringify({svgs: boxes, height: document.documentElement.scrollHeight,
                                     width: document.documentElement.scrollWidth, viewport: window.innerWidth}), "*");
})();</script>"""
FRAME = """<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0">
<script>window.addEventListener("message", function (e) {{ document.getElementById("probe").textContent = e.data; }});
</script><pre id="probe"></pre>
<iframe src="probe.html" style="width:{width}px;height:900px;border:0"></iframe></body></html>"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`make demo` through the library, and the report re-written with a 12-week history."""
    folder = tmp_path_factory.mktemp("demo")
    result = run_demo(folder)
    plain = result.weekly.report.read_text(encoding="utf-8")
    write_report(result.weekly, load_config(folder), DEMO_AS_OF, TWELVE)
    return result, plain, result.weekly.report.read_text(encoding="utf-8")


def sensitive_values(paths: list[Path]) -> set[str]:
    """Every value of the demo workbooks' 身份证号 / 手机 / 电话 / 银行账号 columns, as typed."""
    schema = load_schema()
    labels = {f.label for form in schema.forms for f in form.fields if f.type in SENSITIVE_TYPES}
    aliases = {a for form in schema.forms for f in form.fields if f.type in SENSITIVE_TYPES for a in f.aliases}
    out = set()
    for path in paths:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for r, row in enumerate(rows[:5]):
                columns = [j for j, h in enumerate(row) if str(h).strip().lstrip("*").strip() in labels | aliases]
                if columns:
                    out |= {str(v).strip() for data in rows[r + 1:] for j in columns
                            if j < len(data) and len(str(v := data[j]).strip()) >= 7}
                    break
    return out


def test_no_personal_numbers_in_the_report(demo):
    result, plain, with_trends = demo
    values = sensitive_values(result.samples)
    assert len(values) > 1000  # IDs, mobiles, phones and accounts of 1,200 customers
    digits = {re.sub(r"\D", "", v) for v in values} - {""}
    for page in (plain, with_trends):
        assert [v for v in values if v in page] == []
        runs = re.findall(r"\d[\d\s-]{6,}\d", page)  # every run of digits, spaces and dashes
        flat = {re.sub(r"\D", "", r) for r in runs}
        assert [d for d in digits if len(d) >= 7 and any(d in f for f in flat)] == []


def test_parses_without_errors_and_fetches_nothing(demo):
    _, plain, with_trends = demo
    for page in (plain, with_trends):
        html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)
        assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|url\(|@import|https?://(?!www\.w3\.org/2000/svg)",
                             page, re.I)


def test_links_resolve_to_files(demo):
    result, _, page = demo
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    links = [a.get("href") for a in tree.iter("a")]
    assert len(links) >= len(result.weekly.outputs()) - 1
    for href in links:
        assert not urlparse(href).scheme and not href.startswith("/"), href
        assert (result.weekly.report.parent / unquote(href)).is_file(), href


def test_sections_and_offices(demo):
    result, plain, with_trends = demo
    # the demo's own two weeks come from its history store; the rewritten report has 12 weeks
    assert NO_HISTORY not in plain and "<td>2026-W47</td>" in plain and "<td>2026-W48</td>" in plain
    assert NO_HISTORY not in with_trends
    for title in ("各区域客户数（按客户类别）", "本周客户变动", "各负责业务员逾期未跟进客户数", "各办事处档案质量"):
        assert f"<figcaption>{title}</figcaption>" in plain
    assert plain.count("<svg") == 6 and with_trends.count("<svg") == 6
    assert '<tr><td>2026-W47</td><td class="num">1176</td><td class="num">21</td>' in with_trends
    assert "<td>2026-W35</td>" not in with_trends and "<td>2026-W36</td>" in with_trends
    for region in ("华东", "华南", "华北", "西南"):
        assert re.search(rf"<td>{region}</td>\s*<td class=\"ok\">按时提交</td>", plain)
    overdue = sum(n for _, n in result.weekly.figures.overdue_by_owner)
    assert overdue == result.weekly.summary.overdue


def test_office_that_did_not_submit_is_red():
    context = {"week": "2026-W47", "as_of": "2026-11-22", "config": "archive.yaml", "previous": None,
               "figures": [("客户总数", 3)], "charts": [], "trends": [],
               "offices": [OfficeStatus("华东", files=["华东.xlsx"], rows=3, week="2026-W47"),
                           OfficeStatus("华北", week="2026-W47")],
               "recon": {"rows_read": 3, "customers": 3, "folded": 0, "quarantined": 0, "ok": True},
               "skipped": [], "unknown_owners": [], "outputs": [], "warnings": []}
    page = render_report(context)
    assert NO_HISTORY in page and "<svg" not in page
    assert render_report({**context, "trends": TWELVE}).count("<svg") == 2
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)
    assert re.search(r'<tr class="missing">\s*<td>华北</td>\s*<td class="bad">未提交</td>', page)
    assert re.search(r'<tr>\s*<td>华东</td>\s*<td class="ok">按时提交</td>', page)
    assert "tr.missing td { color: var(--bad)" in page


def test_office_status():
    assert OfficeStatus("华东", week="2026-W47").status == "未提交"
    late = OfficeStatus("华东", files=["华东_客户档案_2026-W46.xlsx"], week="2026-W47")
    assert late.status == "文件周次不符（文件名为 2026-W46）" and not late.on_time
    assert OfficeStatus("华东", files=["华东客户档案.xlsx"], week="2026-W47").on_time


def render_in_chromium(page: Path, width: int, tmp: Path) -> dict:
    """Load ``page`` in an iframe ``width`` px wide (headless windows are at least 500 px wide) and
    return what the probe script measured inside it."""
    probe, frame = page.with_name("probe.html"), page.with_name("frame.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    frame.write_text(FRAME.format(width=width), encoding="utf-8")
    try:
        with tempfile.TemporaryDirectory(prefix="chromium-", dir=tmp) as profile:
            done = subprocess.run(
                [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                 "--hide-scrollbars", f"--window-size={width + 40},900", "--virtual-time-budget=5000",
                 "--dump-dom", frame.as_uri()],
                capture_output=True, text=True, timeout=120)
    finally:
        probe.unlink()
        frame.unlink()
    found = re.search(r'<pre id="probe">(.+?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    return json.loads(html.unescape(found.group(1)))


@needs_chromium
@pytest.mark.parametrize("width", [1280, 390])
def test_every_chart_visible_in_chromium(demo, width, tmp_path):
    result, _, _ = demo
    seen = render_in_chromium(result.weekly.report, width, tmp_path)
    assert seen["viewport"] == width
    assert seen["width"] <= width  # nothing makes the page scroll sideways
    assert 1500 < seen["height"] < (12000 if width > 1000 else 20000), seen["height"]
    assert len(seen["svgs"]) == 6
    for box in seen["svgs"]:
        assert box["visible"] and box["width"] >= min(300, width - 60) and box["height"] >= 40, box
        assert box["left"] >= 0 and box["left"] + box["width"] <= width, box
        assert box["top"] + box["height"] <= seen["height"], box


@needs_chromium
def test_prints_on_a_few_a4_pages(demo, tmp_path):
    """The print stylesheet: Chromium's PDF of the report is a few A4 pages holding every chart."""
    result, _, _ = demo
    pdf = tmp_path / "report.pdf"
    with tempfile.TemporaryDirectory(prefix="chromium-", dir=tmp_path) as profile:
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run",
                        f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                        result.weekly.report.as_uri()], capture_output=True, timeout=120)
    pages = PdfReader(pdf).pages
    assert 2 <= len(pages) <= 5
    assert all(round(float(p.mediabox.width)) == 595 for p in pages)  # A4 portrait (@page)
    text = "".join(p.extract_text() for p in pages)
    for caption in ("各负责业务员逾期未跟进客户数", "各办事处档案质量", "客户总数（2026-W36 至 2026-W47）"):
        assert caption in text


def test_trend_charts_of_twelve_weeks():
    (title, line), (_, bars) = trend_charts(TWELVE)
    assert title == "客户总数（2026-W36 至 2026-W47）"
    line_svg, bar_svg = ET.fromstring(line), ET.fromstring(bars)
    labels = [t.text for t in line_svg.iter(f"{SVG}text")]
    assert [f"W{w}" for w in range(36, 48)] == [x for x in labels if x and x.startswith("W")]
    points = line_svg.find(f"{SVG}polyline").get("points").split()
    ys = [float(p.split(",")[1]) for p in points]
    assert len(points) == 12 and ys == sorted(ys, reverse=True)  # customers grow: the line rises
    assert "1,176" in labels  # the last week's total written at the end of the line
    rects = [r for r in bar_svg.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(rects) == 36
    overdue = [float(r.get("height")) for r in rects if "逾期未跟进" in r.find(f"{SVG}title").text]
    assert overdue == sorted(overdue, reverse=True) and overdue[0] > overdue[-1] > 0
    assert rects[0].find(f"{SVG}title").text == "W36 新增客户：10"


def test_trends_keep_the_last_twelve_weeks():
    older = [WeekTrend(f"2026-W{w:02d}", 900, 1, 0, 0, 0, 0) for w in range(30, 36)]
    assert last_weeks(older + TWELVE) == TWELVE
    assert trend_charts([]) == []


def test_bar_chart_escapes_and_scales():
    svg = ET.fromstring(hbar_chart("<b>", ["A&B", "C"], [Series("n", (3.0, 7.0))]))
    assert svg.find(f"{SVG}title").text == "<b>"
    widths = [float(r.get("width")) for r in svg.iter(f"{SVG}rect")]
    assert widths[1] / widths[0] == pytest.approx(7 / 3)
    assert [nice_max(v) for v in (0, 7, 10, 11, 230, 1192)] == [1, 10, 10, 20, 250, 2000]
