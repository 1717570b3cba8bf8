"""Every figure of the calibration: published vs predicted, fitted or held out, with tolerances.

Every figure compares a published value with what the DEPLOYED model produces: the cohort of a
specialty applies to its programs, gets the interviews the model predicts and matches through
the same shared shock. A figure is *gated* when it has a tolerance written down before fitting
(3 points of match rate, 1 rank, 3 Step 2 CK points, each widened to 1.96 standard errors of
the published figure): fitted and held-out specialty rows are both gated, so ``smartpick
calibrate --check`` fails when either misses. Comparison rows are reported as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from smartpick.catalog.program import Program
from smartpick.model.calibration.cohort import PublishedSpecialty
from smartpick.model.calibration.fit_match import ApplyContext, SpecialtyFit, deployed
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
    """The deployed model fed a specialty's published cohort (Step 2 CK distribution)."""

    specialty: str
    rate: float
    ranks_matched: float
    ranks_unmatched: float
    step2_matched: float
    step2_unmatched: float
    mean_ranks_matched: float
    mean_ranks_unmatched: float


def specialty_fit(params: ModelParams, name: str) -> SpecialtyFit:
    sp = params.specialty(name)
    return SpecialtyFit(sp.alpha, sp.gamma, sp.step2_slope)


def predict_cohort(params: ModelParams, pub: PublishedSpecialty, ctx: ApplyContext
                   ) -> CohortPrediction:
    """What the deployed model gives the published cohort of ``pub`` (interviews predicted)."""
    d = deployed(pub, specialty_fit(params, pub.specialty), params.coef["sigma_m"], ctx)
    return CohortPrediction(pub.specialty, d.rate, d.median_ranks_matched,
                            d.median_ranks_unmatched, d.median_step2_matched,
                            d.median_step2_unmatched, d.mean_ranks_matched,
                            d.mean_ranks_unmatched)


def median_tolerance(target: float, sd: float, n: int) -> float:
    """The target, widened to 1.96 standard errors of a published median of ``n`` values."""
    return max(target, 1.96 * 1.2533 * sd / np.sqrt(max(n, 1)))


def rate_tolerance(pub: PublishedSpecialty) -> float:
    """3 points, widened to 1.96 standard errors of the published rate (written before fitting)."""
    n = pub.matched + pub.unmatched
    return max(RATE_TOL, 1.96 * float(np.sqrt(pub.match_rate * (1 - pub.match_rate) / n)))


def cohort_figures(params: ModelParams, pubs: dict[str, PublishedSpecialty],
                   contexts: dict[str, ApplyContext]) -> list[Figure]:
    """Published vs deployed per specialty; fitted and held-out rows are both gated."""
    out: list[Figure] = []
    for name, pub in sorted(pubs.items()):
        if not pub.usable:
            continue
        held = params.specialty(name).source != "fitted"
        pred = predict_cohort(params, pub, contexts[name])
        n = pub.matched + pub.unmatched
        out.append(Figure(f"match_rate/{name}", pub.match_rate, pred.rate, held,
                          rate_tolerance(pub), True, "share", CO_SOURCE, f"n={n}", RATE_TOL))
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
                       median_tolerance(target, q.sd, q.n), True, unit, CO_SOURCE,
                       f"n={q.n}", target)
                for kind, q, predicted, target, unit in rows]
        out.append(Figure(f"contiguous_ranks_mean_matched/{name}", pub.ranks["matched"].mean,
                          pred.mean_ranks_matched, held, None, False, "ranks", CO_SOURCE,
                          "comparison: the deployed model's interviews of matched applicants"))
    return out


def overall_figure(params: ModelParams, pubs: dict[str, PublishedSpecialty],
                   contexts: dict[str, ApplyContext]) -> Figure:
    usable = [p for p in pubs.values() if p.usable]
    sizes = np.array([p.matched + p.unmatched for p in usable], float)
    published = float(np.dot([p.match_rate for p in usable], sizes) / sizes.sum())
    predicted = float(np.dot([predict_cohort(params, p, contexts[p.specialty]).rate
                              for p in usable], sizes) / sizes.sum())
    return Figure("match_rate/all published specialties (applicant-weighted)", published,
                  predicted, True, RATE_TOL, False, "share", CO_SOURCE,
                  "includes the held-out specialties", RATE_TOL)


def specialty_contexts(params: ModelParams, programs: Iterable[Program],
                       pubs: dict[str, PublishedSpecialty]) -> dict[str, ApplyContext]:
    """How each published cohort applies, from the catalog and the given parameters."""
    from smartpick.model.calibration.calibrate import placeholder_programs
    from smartpick.model.calibration.contexts import apply_context

    by_spec: dict[str, list[Program]] = {}
    for p in programs:
        by_spec.setdefault(str(p.value("specialty")), []).append(p)
    out = {}
    for name, pub in pubs.items():
        if pub.usable:
            own = by_spec.get(name) or placeholder_programs(name, 50)
            arrays = build_program_arrays(own, params, name)
            out[name] = apply_context(arrays, dict(params.coef), params.reference)
    return out


def im_arrays(params: ModelParams, programs: Iterable[Program]) -> ProgramArrays:
    own = [p for p in programs if p.value("specialty") == IM]
    return build_program_arrays(own, params, IM)
