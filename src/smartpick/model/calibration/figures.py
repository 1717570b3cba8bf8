"""Every figure of the calibration: published vs predicted, fitted or held out, with tolerances.

A figure is *gated* when it was used to fit: ``smartpick calibrate --check`` fails when a gated
figure is off by more than its tolerance. Held-out and comparison figures are reported as they
are, whatever they show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from smartpick.catalog.program import Program
from smartpick.model.calibration.cohort import PublishedSpecialty, build_cohort, weighted_median
from smartpick.model.calibration.fit_match import p_match_given_ranks
from smartpick.model.params import ModelParams
from smartpick.model.program_arrays import ProgramArrays, build_program_arrays

CO_SOURCE = "NRMP Charting Outcomes 2026, non-US IMGs (data/stats/co2026_*)"
IM = "Internal Medicine"
RATE_TOL, RANKS_TOL, STEP2_TOL = 0.03, 1.0, 3.0


@dataclass(frozen=True)
class Figure:
    figure: str
    published: float | None
    predicted: float
    held_out: bool
    tolerance: float | None
    gated: bool
    unit: str
    source: str
    note: str = ""
    target: float | None = None  # SmartPick's target tolerance, where one is set

    @property
    def meets_target(self) -> bool | None:
        if self.target is None or self.error is None:
            return None
        return bool(abs(self.error) <= self.target + 1e-9)

    @property
    def error(self) -> float | None:
        return None if self.published is None else float(self.predicted - self.published)

    @property
    def ok(self) -> bool:
        if self.tolerance is None or self.error is None:
            return True
        return bool(abs(self.error) <= self.tolerance + 1e-9)

    def to_json(self) -> dict[str, Any]:
        return {
            "figure": self.figure, "published": _round(self.published),
            "predicted": _round(self.predicted), "held_out": self.held_out,
            "tolerance": _round(self.tolerance), "target": self.target,
            "meets_target": self.meets_target, "gated": self.gated, "ok": self.ok,
            "unit": self.unit,
            "source": self.source, "note": self.note,
        }


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)


@dataclass(frozen=True)
class CohortPrediction:
    specialty: str
    rate: float
    ranks_matched: float
    ranks_unmatched: float
    step2_matched: float
    step2_unmatched: float


def predict_cohort(params: ModelParams, pub: PublishedSpecialty) -> CohortPrediction:
    """The model fed the published cohort of ``pub``: rate and matched / unmatched medians."""
    sp = params.specialty(pub.specialty)
    c = build_cohort(pub)
    pm = p_match_given_ranks(sp.gamma, sp.step2_slope, params.coef["sigma_m"], c.ranks, c.step2)
    wm, wu = c.weight * pm, c.weight * (1.0 - pm)
    return CohortPrediction(
        pub.specialty, float(np.sum(wm)),
        weighted_median(c.ranks, wm), weighted_median(c.ranks, wu),
        weighted_median(c.step2, wm), weighted_median(c.step2, wu),
    )


def median_tolerance(target: float, sd: float, n: int) -> float:
    """The target, widened to 1.96 standard errors of a published median of ``n`` values."""
    return max(target, 1.96 * 1.2533 * sd / np.sqrt(max(n, 1)))


def cohort_figures(params: ModelParams, pubs: dict[str, PublishedSpecialty]) -> list[Figure]:
    out: list[Figure] = []
    for name, pub in sorted(pubs.items()):
        if not pub.usable:
            continue
        held = params.specialty(name).source != "fitted"
        pred = predict_cohort(params, pub)
        n = pub.matched + pub.unmatched
        rate_tol = max(RATE_TOL, 1.96 * float(np.sqrt(pub.match_rate * (1 - pub.match_rate) / n)))
        out.append(Figure(f"match_rate/{name}", pub.match_rate, pred.rate, held, rate_tol,
                          not held, "share", CO_SOURCE, f"n={n}", RATE_TOL))
        rows = [
            ("contiguous_ranks_median_matched", pub.ranks["matched"], pred.ranks_matched,
             RANKS_TOL, "ranks"),
            ("contiguous_ranks_median_unmatched", pub.ranks["not_matched"],
             pred.ranks_unmatched, RANKS_TOL, "ranks"),
            ("step2ck_median_matched", pub.step2["matched"], pred.step2_matched, STEP2_TOL,
             "points"),
            ("step2ck_median_unmatched", pub.step2["not_matched"], pred.step2_unmatched,
             STEP2_TOL, "points"),
        ]
        out += [Figure(f"{kind}/{name}", q.median, predicted, held,
                       median_tolerance(target, q.sd, q.n), not held, unit, CO_SOURCE,
                       f"n={q.n}", target)
                for kind, q, predicted, target, unit in rows]
    return out


def overall_figure(params: ModelParams, pubs: dict[str, PublishedSpecialty]) -> Figure:
    usable = [p for p in pubs.values() if p.usable]
    sizes = np.array([p.matched + p.unmatched for p in usable], float)
    published = float(np.dot([p.match_rate for p in usable], sizes) / sizes.sum())
    predicted = float(np.dot([predict_cohort(params, p).rate for p in usable], sizes)
                      / sizes.sum())
    return Figure("match_rate/all published specialties (applicant-weighted)", published,
                  predicted, True, RATE_TOL, False, "share", CO_SOURCE,
                  "includes the held-out specialties", RATE_TOL)


def im_arrays(params: ModelParams, programs: Iterable[Program]) -> ProgramArrays:
    own = [p for p in programs if p.value("specialty") == IM]
    return build_program_arrays(own, params, IM)
