"""Priors of program facts, learned from the programs where the facts are known.

For each specialty (and across all specialties, for specialties with too few known values) a
numeric fact is summarised by ``NODES`` quantile nodes of its known values; the IMG share also
by program type. The visa policy is a distribution over the four combinations of (J-1, H-1B).
A program whose fact is unknown is scored at every node of its prior (a quadrature over the
empirical distribution), never at a single guess.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from smartpick.catalog.program import Program
from smartpick.catalog.specialties import normalise

NODES = 8
MIN_KNOWN = 12  # fewer known values than this: fall back to the all-specialty prior
NUMERIC = ("pct_img", "interviews_per_position", "positions", "fill_rate_2024")
VISA_COMBOS = ("j1_h1b", "j1", "h1b", "none")
ALL = "*"


def program_type_group(value: object) -> str:
    """One of university / community_university / community / other."""
    text = str(value or "").casefold()
    if "university" in text and "community" in text:
        return "community_university"
    if "community" in text:
        return "community"
    if "university" in text:
        return "university"
    return "other" if text else ""


def interviews_per_position(p: Program) -> float | None:
    ipp = p.value("interviews_per_position")
    if ipp is None:
        done, pos = p.value("interviews_conducted"), p.value("positions")
        ipp = done / pos if done and pos else None
    return float(ipp) if ipp and ipp > 0 else None  # zero interviews reported = not reported


def numeric_value(p: Program, name: str) -> float | None:
    if name == "interviews_per_position":
        return interviews_per_position(p)
    value = p.value(name)
    if value is None or isinstance(value, bool):
        return None
    if name == "positions" and value <= 0:
        return None
    return float(value)


def visa_combo(p: Program) -> str | None:
    """The (J-1, H-1B) combination of ``p`` when both are known, else None."""
    if p.value("visa_none_sponsored") is True:
        return "none"
    j1, h1b = p.value("visa_j1"), p.value("visa_h1b")
    if j1 is None or h1b is None:
        return None
    return {(True, True): "j1_h1b", (True, False): "j1", (False, True): "h1b"}.get(
        (bool(j1), bool(h1b)), "none"
    )


def quantile_nodes(values: Sequence[float], nodes: int = NODES) -> list[float]:
    levels = (np.arange(nodes) + 0.5) / nodes
    return [round(float(v), 4) for v in np.quantile(np.asarray(values, float), levels)]


def learn_priors(programs: Iterable[Program], nodes: int = NODES) -> dict[str, Any]:
    """Priors per specialty (and ``"*"`` for all), as plain JSON-ready data."""
    groups: dict[str, list[Program]] = {ALL: []}
    for p in programs:
        groups[ALL].append(p)
        spec = p.value("specialty")
        if spec:
            groups.setdefault(normalise(str(spec)), []).append(p)
    return {"nodes": nodes, "by_specialty": {k: _group_prior(v, nodes) for k, v in groups.items()}}


def _group_prior(programs: list[Program], nodes: int) -> dict[str, Any]:
    out: dict[str, Any] = {"n_programs": len(programs)}
    for name in NUMERIC:
        known = [v for v in (numeric_value(p, name) for p in programs) if v is not None]
        if len(known) >= MIN_KNOWN:
            out[name] = {"n": len(known), "nodes": quantile_nodes(known, nodes)}
    by_type: dict[str, Any] = {}
    for group in ("university", "community_university", "community", "other"):
        known = [v for p in programs
                 if program_type_group(p.value("program_type")) == group
                 and (v := numeric_value(p, "pct_img")) is not None]
        if len(known) >= MIN_KNOWN:
            by_type[group] = {"n": len(known), "nodes": quantile_nodes(known, nodes)}
    if by_type:
        out["pct_img_by_type"] = by_type
    combos = [c for c in (visa_combo(p) for p in programs) if c is not None]
    if len(combos) >= MIN_KNOWN:
        out["visa"] = {"n": len(combos),
                       "p": {c: round(combos.count(c) / len(combos), 4) for c in VISA_COMBOS}}
    return out


def prior_for(priors: dict[str, Any], specialty: str, name: str) -> dict[str, Any]:
    """The prior of fact ``name`` in ``specialty``, falling back to the all-specialty prior."""
    by = priors["by_specialty"]
    own = by.get(specialty, {})
    return own.get(name) or by.get(ALL, {}).get(name) or {}


def centre(priors: dict[str, Any], specialty: str, name: str, default: float) -> float:
    nodes = prior_for(priors, specialty, name).get("nodes")
    return float(np.median(nodes)) if nodes else default


def logit_share(pct: float) -> float:
    share = min(max(pct / 100.0, 0.02), 0.98)
    return math.log(share / (1.0 - share))
