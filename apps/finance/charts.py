# SPDX-License-Identifier: EUPL-1.2
"""Server-side SVG charts, written as SVG text. Every chart is shown with its data table beside it.

The chart is drawn here, not by a plotting library: a stacked bar chart is a few rectangles and labels,
written in well under a millisecond and without the tens of megabytes a plotting library adds to every
worker (issue 9: the portfolio at national scale). Names come from users and are written as escaped SVG
text, never interpreted (a "$" or a leading "_" is shown as typed). Amounts are Decimal; only the
coordinates are floats.

May import: django (html escaping).
"""

from __future__ import annotations

import base64
import math
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.html import format_html

# Okabe–Ito: distinguishable with colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
OTHER_COLOUR = "#999999"

WIDTH, HEIGHT = 800, 400
LEFT, RIGHT, TOP, BOTTOM = 76, 250, 16, 40  # margins: y labels, legend, top, x labels
LEGEND_CHARS = 34  # a longer name is shortened in the legend (in full in its tooltip and in the table)
FONT = "font-family:sans-serif;font-size:12px;fill:#222"


def kronor(value: float) -> str:
    """An axis label: "1,5 mnkr" from a million, "450 tkr" below."""
    if value >= 1_000_000 or value == 0:
        return f"{value / 1_000_000:.1f} mnkr".replace(".", ",")
    return f"{value / 1000:.0f} tkr"


def nice_step(top: float, ticks: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that divides 0…``top`` into about ``ticks`` parts."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _short(name: str) -> str:
    return name if len(name) <= LEGEND_CHARS else name[: LEGEND_CHARS - 1].rstrip() + "…"


def stacked_bars_svg(years: list[int], series: dict[str, dict[int, Decimal]], *, other: str | None = None) -> str:
    """Stacked bars per year, one colour per series (e.g. partner), as an SVG document. ``other``: the name of
    the series that sums the rest (drawn grey, last)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    totals = [
        sum((max(by_year.get(y, Decimal(0)), Decimal(0)) for by_year in series.values()), Decimal(0)) for y in years
    ]
    step = nice_step(float(max(totals, default=Decimal(0))))
    top = step * max(1, math.ceil(float(max(totals, default=Decimal(0))) / step))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}"><rect width="100%" height="100%" fill="#ffffff"/>'
    ]
    ticks = round(top / step)
    for i in range(ticks + 1):
        y = TOP + plot_h - plot_h * i / ticks
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dddddd"/>')
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" style="{FONT}">{escape(kronor(step * i))}</text>'
        )
    slot = plot_w / max(1, len(years))
    bar = slot * 0.6
    colours = {}
    for index, name in enumerate(series):
        colours[name] = OTHER_COLOUR if other is not None and name == other else PALETTE[index % len(PALETTE)]
    for i, year in enumerate(years):
        x = LEFT + slot * i + (slot - bar) / 2
        bottom = 0.0
        for name, by_year in series.items():
            height = float(max(by_year.get(year, Decimal(0)), Decimal(0)))
            if height <= 0:
                continue
            h = plot_h * height / top
            y = TOP + plot_h - plot_h * bottom / top - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colours[name]}">'
                f"<title>{escape(name)} {year}</title></rect>"
            )
            bottom += height
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{TOP + plot_h + 18}" text-anchor="middle" style="{FONT}">{year}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + plot_h}" stroke="#222222"/>'
        f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="#222222"/>'
    )
    legend_x = LEFT + plot_w + 16
    for index, name in enumerate(series):
        y = TOP + 4 + index * 20
        parts.append(
            f'<g><title>{escape(name)}</title><rect x="{legend_x}" y="{y}" width="12" height="12" '
            f'fill="{colours[name]}"/><text x="{legend_x + 18}" y="{y + 11}" style="{FONT}">'
            f"{escape(_short(name))}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def svg_img(svg: str, *, alt: str) -> str:
    """An <img> with the SVG as a data URI: the page's CSP stays strict (no inline styles) and the same
    image can go into a PDF or a Word file."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return format_html('<img class="chart-img" src="data:image/svg+xml;base64,{}" alt="{}">', data, alt)
