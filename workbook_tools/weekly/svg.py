"""Small inline SVG charts for the weekly report, drawn on the server: no script, no web font,
nothing fetched — the report works offline and as an e-mail attachment.

Every chart is one ``<svg>`` with a ``viewBox`` (the page scales it to its width), a ``<title>``
for screen readers, its numbers written beside the bars, and deterministic text (same numbers →
same bytes). Text is escaped; colours are fixed per series.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Sequence

WIDTH = 400
FONT = 13
BAR = 16  # thickness of one bar
GAP = 8  # between categories
PALETTE = ("#4472C4", "#ED7D31", "#70AD47", "#FFC000", "#5B9BD5", "#A5A5A5", "#264478", "#9E480E")
LABEL_MAX = 120  # px reserved at most for category labels


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]


def text_px(text: str) -> int:
    """Rough rendered width: CJK characters a full em, others about 0.6 em."""
    return int(sum(FONT if ord(ch) > 0x2E80 else FONT * 0.6 for ch in text)) + 1


def nice_max(value: float) -> float:
    """The axis end: the smallest 1, 2, 2.5, 5 × 10^n not below ``value`` (1 for nothing)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value)


def fmt(value: float, percent: bool = False) -> str:
    if percent:
        return f"{value:.0%}" if value == value else "—"
    return f"{value:,.0f}"


def _svg(title: str, height: int, body: list[str]) -> str:
    t = escape(title)
    return (f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg" font-size="{FONT}"><title>{t}</title>'
            + "".join(body) + "</svg>")


def _legend(series: Sequence[Series], y: int) -> list[str]:
    out, x = [], 0
    for i, s in enumerate(series):
        out.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
                   f'<text x="{x + 16}" y="{y}">{escape(s.name)}</text>')
        x += 16 + text_px(s.name) + 14
    return out


def hbar_chart(title: str, categories: Sequence[str], series: Sequence[Series], *, stacked: bool = False,
               percent: bool = False) -> str:
    """Horizontal bars, one row per category: grouped (a bar per series) or stacked (total written)."""
    legend = len(series) > 1
    top = 24 if legend else 4
    label_w = min(LABEL_MAX, max((text_px(c) for c in categories), default=0) + 8)
    room = WIDTH - label_w - 56
    per_row = BAR if stacked else BAR * len(series)
    totals = [sum(s.values[i] for s in series) if stacked else max(s.values[i] for s in series)
              for i in range(len(categories))]
    scale = room / (1.0 if percent else nice_max(max(totals, default=0)))
    body = _legend(series, 14) if legend else []
    y = top
    for i, category in enumerate(categories):
        body.append(f'<text x="{label_w - 6}" y="{y + per_row / 2 + 4:.0f}" text-anchor="end">'
                    f'{escape(_clip(category, label_w - 8))}</text>')
        x = label_w
        for j, s in enumerate(series):
            v = s.values[i] if s.values[i] == s.values[i] else 0
            w = max(v * scale, 0)
            by = y if stacked else y + j * BAR
            body.append(f'<rect x="{x:.1f}" y="{by}" width="{w:.1f}" height="{BAR - 2}" '
                        f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(category)} {escape(s.name)}：'
                        f'{fmt(s.values[i], percent)}</title></rect>')
            if not stacked:
                body.append(f'<text x="{x + w + 4:.1f}" y="{by + BAR - 4}">{fmt(s.values[i], percent)}</text>')
            else:
                x += w
        if stacked:
            body.append(f'<text x="{x + 4:.1f}" y="{y + BAR - 4}">{fmt(totals[i], percent)}</text>')
        y += per_row + GAP
    return _svg(title, max(y, top + 20), body)


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series]) -> str:
    """Lines over evenly spaced labels (weeks), the last value of each line written at its end."""
    left, right, top, height = 48, 56, 24 if len(series) > 1 else 8, 200
    bottom = height - 24
    peak = nice_max(max((v for s in series for v in s.values), default=0))
    step = (WIDTH - left - right) / max(len(labels) - 1, 1)
    y_of = lambda v: bottom - (bottom - top) * v / peak  # noqa: E731
    body = _legend(series, 14) if len(series) > 1 else []
    body += _grid(left, right, top, bottom, peak)
    for i, label in enumerate(labels):
        body.append(f'<text x="{left + i * step:.1f}" y="{height - 6}" text-anchor="middle" '
                    f'font-size="11">{escape(label)}</text>')
    for j, s in enumerate(series):
        colour = PALETTE[j % len(PALETTE)]
        points = " ".join(f"{left + i * step:.1f},{y_of(v):.1f}" for i, v in enumerate(s.values))
        body.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        body += [f'<circle cx="{left + i * step:.1f}" cy="{y_of(v):.1f}" r="3" fill="{colour}">'
                 f'<title>{escape(labels[i])} {escape(s.name)}：{fmt(v)}</title></circle>'
                 for i, v in enumerate(s.values)]
        if s.values:
            body.append(f'<text x="{left + (len(s.values) - 1) * step + 6:.1f}" y="{y_of(s.values[-1]) + 4:.1f}">'
                        f'{fmt(s.values[-1])}</text>')
    return _svg(title, height, body)


def column_chart(title: str, labels: Sequence[str], series: Sequence[Series]) -> str:
    """Grouped vertical bars over labels (weeks)."""
    left, right, top, height = 48, 8, 24 if len(series) > 1 else 8, 200
    bottom = height - 24
    peak = nice_max(max((v for s in series for v in s.values), default=0))
    slot = (WIDTH - left - right) / max(len(labels), 1)
    bar = max(2.0, (slot - 4) / max(len(series), 1))
    body = _legend(series, 14) if len(series) > 1 else []
    body += _grid(left, right, top, bottom, peak)
    for i, label in enumerate(labels):
        x0 = left + i * slot + 2
        body.append(f'<text x="{x0 + (slot - 4) / 2:.1f}" y="{height - 6}" text-anchor="middle" '
                    f'font-size="11">{escape(label)}</text>')
        for j, s in enumerate(series):
            h = (bottom - top) * s.values[i] / peak
            body.append(f'<rect x="{x0 + j * bar:.1f}" y="{bottom - h:.1f}" width="{bar - 1:.1f}" height="{h:.1f}" '
                        f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(label)} {escape(s.name)}：'
                        f'{fmt(s.values[i])}</title></rect>')
    return _svg(title, height, body)


def _grid(left: int, right: int, top: int, bottom: int, peak: float) -> list[str]:
    out = []
    for k in range(5):
        v = peak * k / 4
        y = bottom - (bottom - top) * k / 4
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="#ddd"/>'
                   f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{fmt(v)}</text>')
    return out


def _clip(text: str, px: int) -> str:
    """``text`` shortened with … to fit ``px`` (the full text stays in the bar's tooltip)."""
    if text_px(text) <= px:
        return text
    while text and text_px(text + "…") > px:
        text = text[:-1]
    return text + "…"


__all__ = ["Series", "column_chart", "hbar_chart", "line_chart", "nice_max", "text_px"]
