"""Pictures of a plan as PNG (for the PDF): the P(match)-versus-cost curve and the US map."""

from __future__ import annotations

import io
import re
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import Polygon

from smartpick.plan.result import CurvePoint
from smartpick.report.usmap import shapes

_RING = re.compile(r"M([^Z]+)Z")


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def curve_png(curve: list[CurvePoint], chosen_n: int) -> bytes:
    """P(match) against ERAS cost for each list length; the chosen length marked."""
    figure, axes = plt.subplots(figsize=(7, 3.4))
    costs = [float(p.cost_usd) for p in curve]
    chances = [p.p_match for p in curve]
    axes.plot(costs, chances, color="#1f5fbf", linewidth=2)
    chosen = [p for p in curve if p.n == chosen_n]
    if chosen:
        axes.scatter([chosen[0].cost_usd], [chosen[0].p_match], color="#a32020", zorder=3,
                     label=f"your list: {chosen_n} programs")
        axes.legend(loc="lower right", frameon=False)
    axes.set_xlabel("ERAS application fees (USD)")
    axes.set_ylabel("P(match)")
    axes.set_ylim(0, 1)
    axes.grid(alpha=0.3)
    return _png(figure)


def rings(d: str) -> list[list[tuple[float, float]]]:
    """The closed rings of an SVG path made of M, L and Z only."""
    return [[(float(x), float(y)) for x, y in (pt.split(",") for pt in body.split("L"))]
            for body in _RING.findall(d)]


def map_png(points: list[tuple[float, float]], highlight: set[str] | None = None) -> bytes:
    """The US states with a dot at each (x, y) canvas position."""
    data = shapes()
    figure, axes = plt.subplots(figsize=(7, 4.4))
    for state in data["states"]:
        colour = "#d6e4fa" if highlight and state["code"] in highlight else "#e8ecf3"
        for ring in rings(state["d"]):
            axes.add_patch(Polygon(ring, closed=True, facecolor=colour, edgecolor="white",
                                   linewidth=0.6))
    if points:
        axes.scatter([p[0] for p in points], [p[1] for p in points], s=18, color="#1f5fbf",
                     alpha=0.8, edgecolors="white", linewidths=0.5, zorder=3)
    _, _, width, height = data["view_box"]
    axes.set_xlim(-60, width)
    axes.set_ylim(height, 0)
    axes.set_aspect("equal")
    axes.axis("off")
    return _png(figure)
