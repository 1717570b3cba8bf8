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


SURVEY_PAGE = "freida.ama-assn.org"
# Share of IMG residents who need no visa, used to read the IMG share of programs with an empty
# visa list (the reference applicant's visa-need share is 0.65).
IMG_NO_VISA_SHARE = 0.35


def visa_listed_empty(p: Program) -> bool:
    """The program answered the FREIDA survey but listed no visa status (an empty list).

    That is a signal, not a gap: such programs take fewer IMGs than programs that list a visa.
    """
    page = str(p.value("source_page") or "")
    return SURVEY_PAGE in page and visa_combo(p) is None \
        and p.value("visa_j1") is None and p.value("visa_h1b") is None


def empty_list_no_sponsor(programs: Sequence[Program]) -> float | None:
    """P(no visa sponsorship | empty visa list), from IMG shares (a moment estimate).

    If a share ``theta`` of empty-list programs sponsor no visa, and such a program takes only
    the IMGs who need none (``IMG_NO_VISA_SHARE`` of the IMG intake), the mean IMG share of
    empty-list programs is ``(1 - theta (1 - f))`` times that of programs listing a visa.
    """
    listed = [v for p in programs if visa_combo(p) in ("j1", "j1_h1b", "h1b")
              and (v := numeric_value(p, "pct_img")) is not None]
    empty = [v for p in programs if visa_listed_empty(p)
             and (v := numeric_value(p, "pct_img")) is not None]
    if len(listed) < MIN_KNOWN or len(empty) < MIN_KNOWN:
        return None
    ratio = float(np.mean(empty)) / max(float(np.mean(listed)), 1e-9)
    return float(min(max((1.0 - ratio) / (1.0 - IMG_NO_VISA_SHARE), 0.0), 1.0))


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
        shares = {c: combos.count(c) / len(combos) for c in VISA_COMBOS}
        out["visa"] = {"n": len(combos), "p": {c: round(v, 4) for c, v in shares.items()}}
        theta = empty_list_no_sponsor(programs)
        if theta is not None:
            empty = {c: (1.0 - theta) * v + (theta if c == "none" else 0.0)
                     for c, v in shares.items()}
            out["visa_empty"] = {"n": sum(visa_listed_empty(p) for p in programs),
                                 "no_sponsor": round(theta, 4),
                                 "p": {c: round(v, 4) for c, v in empty.items()}}
    return out


def prior_for(priors: dict[str, Any], specialty: str, name: str) -> dict[str, Any]:
    """The prior of fact ``name`` in ``specialty``, falling back to the all-specialty prior."""
    by = priors["by_specialty"]
    own = by.get(specialty, {})
    return own.get(name) or by.get(ALL, {}).get(name) or {}


def centre(priors: dict[str, Any], specialty: str, name: str, default: float) -> float:
    nodes = prior_for(priors, specialty, name).get("nodes")
    return float(np.median(nodes)) if nodes else default


RESIDENT_YEARS = 3  # residents counted in a share: about three classes of PGY-1 positions
TYPICAL_POSITIONS = 12.0


def logit_share(pct: float, positions: float | None = None) -> float:
    """Empirical logit of a resident share: ``log((k + 0.5) / (n - k + 0.5))``.

    ``n`` is about three classes of the program's positions, so a share of 0% at a program of
    76 positions reads as stronger evidence than 0% at a program of 6 (no hard clamp).
    """
    size = TYPICAL_POSITIONS if positions is None else min(max(positions, 1.0), 120.0)
    n = RESIDENT_YEARS * size
    k = min(max(pct, 0.0), 100.0) / 100.0 * n
    return math.log((k + 0.5) / (n - k + 0.5))
