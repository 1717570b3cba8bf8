"""Jinja filters that show values the same way on every page."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

from smartpick.catalog.states import STATE_NAMES


def show(value: Any) -> str:
    """A fact's value in words; unknown is said, never left blank."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0")
    return str(value)


def pct(value: Any, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{100 * float(value):.{digits}f}%"


def usd(value: Any) -> str:
    return "–" if value is None else f"${float(value):,.0f}"


def install(env: Environment) -> None:
    env.filters.update(show=show, pct=pct, usd=usd)
    env.globals["state_names"] = STATE_NAMES
