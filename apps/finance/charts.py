"""Server-side SVG charts (matplotlib). Every chart is shown with its data table beside it."""

from __future__ import annotations

import base64
import io
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")
from django.utils.html import format_html  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

# Okabe–Ito: distinguishable with colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def _kronor(value: float, _pos) -> str:
    return f"{value / 1_000_000:.1f} mnkr".replace(".", ",") if value >= 1_000_000 or value == 0 else \
        f"{value / 1000:.0f} tkr"


def stacked_bars_svg(years: list[int], series: dict[str, dict[int, Decimal]]) -> str:
    """Stacked bars per year, one colour per series (e.g. partner), as an SVG document."""
    plt.rcParams["svg.fonttype"] = "none"
    fig, ax = plt.subplots(figsize=(8, 4), dpi=100)
    bottoms = [0.0] * len(years)
    for i, (name, by_year) in enumerate(series.items()):
        # Matplotlib draws in floats; the amounts themselves stay Decimal in the table beside the chart.
        heights = [float(by_year.get(y, Decimal(0))) for y in years]
        ax.bar([str(y) for y in years], heights, bottom=bottoms, label=name, color=PALETTE[i % len(PALETTE)])
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    ax.yaxis.set_major_formatter(FuncFormatter(_kronor))
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_axisbelow(True)
    ax.grid(axis="y", color="#dddddd")
    if series:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    return buffer.getvalue()


def svg_img(svg: str, *, alt: str) -> str:
    """An <img> with the SVG as a data URI: the page's CSP stays strict (no inline styles) and the same
    image can go into a PDF or a Word file."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return format_html('<img class="chart-img" src="data:image/svg+xml;base64,{}" alt="{}">', data, alt)
