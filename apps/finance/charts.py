# SPDX-License-Identifier: EUPL-1.2
"""Server-side SVG charts (matplotlib). Every chart is shown with its data table beside it.

Every chart is drawn inside :func:`_chart_style`, the one place that sets matplotlib's options: among
them ``text.parse_math`` off, so that a name such as "Förening $x$" is drawn as written and never parsed
as mathematics (which fails on unbalanced dollars, and would break the page for everyone).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import matplotlib

matplotlib.use("Agg")
from django.utils.html import format_html  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402
from matplotlib.typing import RcKeyType  # noqa: E402

# Okabe–Ito: distinguishable with colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

# The options of every chart. Text is text: names and labels come from users, never mathtext (a "$"
# pair would be typeset, an odd one raises). SVG text stays text, so it is searchable and scales.
CHART_RC: dict[RcKeyType, Any] = {"text.parse_math": False, "svg.fonttype": "none"}


@contextmanager
def _chart_style() -> Iterator[None]:
    with plt.rc_context(CHART_RC):
        yield


def _legend_label(name: str) -> str:
    """Matplotlib leaves out of the legend any label starting with "_": keep such a name visible."""
    return f"\u200b{name}" if name.startswith("_") else name


def _kronor(value: float, _pos: int | None) -> str:
    return (
        f"{value / 1_000_000:.1f} mnkr".replace(".", ",")
        if value >= 1_000_000 or value == 0
        else f"{value / 1000:.0f} tkr"
    )


def stacked_bars_svg(years: list[int], series: dict[str, dict[int, Decimal]]) -> str:
    """Stacked bars per year, one colour per series (e.g. partner), as an SVG document."""
    with _chart_style():
        fig, ax = plt.subplots(figsize=(8, 4), dpi=100)
        try:
            positions = list(range(len(years)))
            bottoms = [0.0] * len(years)
            for i, (name, by_year) in enumerate(series.items()):
                # Matplotlib draws in floats; the amounts themselves stay Decimal in the table beside the chart.
                heights = [float(by_year.get(y, Decimal(0))) for y in years]
                ax.bar(positions, heights, bottom=bottoms, label=_legend_label(name), color=PALETTE[i % len(PALETTE)])
                bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
            ax.set_xticks(positions, [str(y) for y in years])
            ax.yaxis.set_major_formatter(FuncFormatter(_kronor))
            ax.spines[["top", "right"]].set_visible(False)
            ax.set_axisbelow(True)
            ax.grid(axis="y", color="#dddddd")
            if series:
                ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
            fig.tight_layout()
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg")
        finally:
            plt.close(fig)
    return buffer.getvalue()


def svg_img(svg: str, *, alt: str) -> str:
    """An <img> with the SVG as a data URI: the page's CSP stays strict (no inline styles) and the same
    image can go into a PDF or a Word file."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return format_html('<img class="chart-img" src="data:image/svg+xml;base64,{}" alt="{}">', data, alt)
