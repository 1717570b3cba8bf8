"""The plan page's pictures as SVG coordinates: the P(match)-versus-cost curve and the map."""

from __future__ import annotations

from typing import Any

WIDTH, HEIGHT, PAD = 640, 340, 84  # text of 22 units stays readable on a 360 px phone


def curve_figure(curve: list[dict[str, Any]], chosen_n: int) -> dict[str, Any] | None:
    """Polyline points, the chosen point, and axis ticks on a WIDTH x HEIGHT canvas."""
    if not curve:
        return None
    top_cost = max(float(p["cost_usd"]) for p in curve) or 1.0

    def x(cost: float) -> float:
        return round(PAD + (WIDTH - PAD - 48) * cost / top_cost, 1)

    def y(chance: float) -> float:
        return round(HEIGHT - 56 - (HEIGHT - 56 - 20) * chance, 1)

    points = " ".join(f"{x(float(p['cost_usd']))},{y(float(p['p_match']))}" for p in curve)
    by_n = {int(p["n"]): p for p in curve}

    def at(n: int) -> dict[str, Any] | None:
        point = by_n.get(int(n))
        return point and {"x": x(float(point["cost_usd"])), "y": y(float(point["p_match"])),
                          **point}

    return {"width": WIDTH, "height": HEIGHT, "pad": PAD, "points": points,
            "chosen": at(chosen_n), "at": at,
            "y_ticks": [(y(t / 4), f"{25 * t}%") for t in range(5)],
            "x_ticks": [(x(top_cost * t / 2), f"${top_cost * t / 2:,.0f}") for t in range(3)]}


def excluded_by_rule(excluded: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Exclusions grouped by rule, the largest group first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in excluded:
        groups.setdefault(str(item.get("rule")), []).append(item)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
