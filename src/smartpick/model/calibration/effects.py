"""Effect sizes and whole-list comparisons for a reference applicant in Internal Medicine.

The reference applicant is the typical non-US IMG of the published cohorts (Step 2 CK 245, three
years since graduation, four months of hands-on USCE, needs a J-1) applying to a seeded random
list of 120 Internal Medicine programs (those likely to take the visa first). Each effect
changes one fact and reports the interview odds ratio and P(match) before and after, each with
its 80% interval over the parameter draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from smartpick.model.calibration.applying import chosen_list
from smartpick.model.calibration.figures import Figure
from smartpick.model.calibration.fit_types import (
    FITTED_TYPES,
    NRMP_2025,
    NRMP_SOURCE,
    p_match_typical,
    typical_applicant,
)
from smartpick.model.calibration.records import ApplicationRecord
from smartpick.model.features import ApplicantFeatures
from smartpick.model.interview import InterviewModel
from smartpick.model.match import MatchModel
from smartpick.model.params import ModelParams, load_params
from smartpick.model.program_arrays import ProgramArrays, take

LIST_SIZE = 120
LIST_SEED = 7
REFERENCE_APPLICANT = ApplicantFeatures(
    step2ck=245, years_since_graduation=3, visa="j1", applicant_type="non_us_img",
    usce_hands_on_months=4, usce_in_specialty_months=3, usce_recent_months=3, us_letters=2,
    publications=2, abstracts=2, presentations=2,
)
NO_USCE = REFERENCE_APPLICANT.with_(usce_hands_on_months=0, usce_in_specialty_months=0,
                                    usce_recent_months=0)


@dataclass(frozen=True)
class Effect:
    name: str
    interview_or: tuple[float, float, float]  # point, lo, hi
    p_match_before: tuple[float, float, float]
    p_match_after: tuple[float, float, float]
    published: str
    basis: str  # "fitted", "assumed" or "fitted + stated prior"

    def to_json(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(self).items()}


def reference_list(arrays: ProgramArrays, f: ApplicantFeatures, n: int = LIST_SIZE,
                   coef: dict[str, float] | None = None) -> ProgramArrays:
    """The applicant's seeded list, chosen as the fits assume (see ``applying``)."""
    c = coef if coef is not None else dict(load_params().coef)
    return take(arrays, chosen_list(arrays, c, f.applicant_type, f.visa, n, LIST_SEED))


def _odds_ratio(params: ModelParams, arrays: ProgramArrays, before: ApplicantFeatures,
                after: ApplicantFeatures, signal: str | None = None) -> tuple[float, float, float]:
    """Interview odds ratio at the median program (point and 80% interval over draws)."""
    from smartpick.model.logits import draw_coef, interview_logits, point_coef, signal_codes

    n = arrays.n_programs
    sig_after = signal_codes([signal] * n if signal else None, n)
    none = signal_codes(None, n)
    misses = np.zeros(n)
    ref = params.reference
    diffs = []
    for coef in (point_coef(params), draw_coef(params)):
        a = interview_logits(after, arrays, coef, ref, sig_after, misses)
        b = interview_logits(before, arrays, coef, ref, none, misses)
        diffs.append(np.median(a - b, axis=(-2, -1)))
    lo, hi = np.quantile(np.exp(diffs[1]), [0.1, 0.9])
    return float(np.exp(diffs[0])), float(lo), float(hi)


def _p_any(model: MatchModel, f: ApplicantFeatures, arrays: ProgramArrays
           ) -> tuple[float, float, float]:
    return model.p_any(f, reference_list(arrays, f, coef=dict(model.params.coef)))


def effect_sizes(params: ModelParams, arrays: ProgramArrays) -> list[Effect]:
    model = MatchModel(params)
    ref = REFERENCE_APPLICANT
    with_usce = NO_USCE.with_(usce_hands_on_months=3, usce_in_specialty_months=3,
                              usce_recent_months=3)
    usce2 = ref.with_(usce_hands_on_months=2, usce_in_specialty_months=2, usce_recent_months=2)
    usce6 = ref.with_(usce_hands_on_months=6, usce_in_specialty_months=6, usce_recent_months=6)
    cases = [
        ("hands-on USCE 2 -> 6 months (inside the records' 2-12 months)", usce2, usce6,
         "none published (Charting Outcomes 2026 has no USCE data)",
         "fitted + stated prior (hands-on) + assumed (in-specialty, recent)"),
        ("3 months of recent hands-on in-specialty USCE (from none): EXTRAPOLATION, hands-on "
         "held at 2 months below the records' range", NO_USCE, with_usce,
         "none published; 1 of 89 usable IMG records has 0 months",
         "extrapolation (bounded): assumed in-specialty and recent terms only"),
        ("needs a J-1 (vs the same non-US IMG needing no visa)", ref.with_(visa="none"), ref,
         "NRMP 2025: US IMGs 67.8% vs non-US IMGs 58.0%; at most 67.8% vs 52.7% by visa need",
         "fitted (NRMP 2025 gap, prior toward 0, bound -1) + assumed (p_visa)"),
        ("needs an H-1B (vs the same non-US IMG needing no visa)", ref.with_(visa="none"),
         ref.with_(visa="h1b"), "JGME 2022: 63.7% of IM programs take a J-1, 22% an H-1B",
         "as the J-1 row; fewer programs can take the visa (FREIDA visa lists)"),
        ("5 more years since graduation (3 -> 8)", ref, ref.with_(years_since_graduation=8),
         "none published as an effect size", "fitted + stated prior"),
        ("one failed exam attempt", ref, ref.with_(failed_attempts=1),
         "P(match) 25% for non-US IMGs who took Step 1 twice (older Charting Outcomes, LOW "
         "confidence infographic)", "assumed"),
    ]
    out = [Effect(name, _odds_ratio(params, arrays, before, after), _p_any(model, before, arrays),
                  _p_any(model, after, arrays), published, basis)
           for name, before, after, published, basis in cases]
    for kind in ("gold", "silver"):
        p_before = _interview_at_median(params, arrays, ref, None)
        p_after = _interview_at_median(params, arrays, ref, kind)
        out.append(Effect(f"a {kind} signal to one program (P(interview) there)",
                          _odds_ratio(params, arrays, ref, ref, kind), p_before, p_after,
                          "none in the shipped statistics", "assumed"))
    return out


def _interview_at_median(params: ModelParams, arrays: ProgramArrays, f: ApplicantFeatures,
                         signal: str | None) -> tuple[float, float, float]:
    sig = [signal] * arrays.n_programs if signal else None
    p, lo, hi = InterviewModel(params).predict_proba(f, arrays, signals=sig)
    i = int(np.argsort(p)[len(p) // 2])
    return float(p[i]), float(lo[i]), float(hi[i])


def applicant_type_figures(params: ModelParams, arrays: ProgramArrays,
                           records: list[ApplicationRecord]) -> list[Figure]:
    """P(match) in IM for a typical applicant of each type vs NRMP's 2025 rates."""
    out = []
    for kind, published in NRMP_2025.items():
        f, apps = typical_applicant(kind, records)
        p = p_match_typical(params, kind, arrays, records)
        fitted = kind in FITTED_TYPES
        out.append(Figure(
            f"p_match_any/{kind} typical applicant (Step 2 CK {f.step2ck:.0f}), IM, "
            f"{apps} applications", published, p, not fitted, 0.03 if fitted else None,
            fitted, "share", NRMP_SOURCE,
            ("fitted: sets the type offset" if fitted else "comparison only: not fitted")
            + "; NRMP's rate is any PGY-1 position, the list is Internal Medicine only"))
    return out


def failed_attempt_figure(effects: list[Effect]) -> Figure:
    e = next(x for x in effects if x.name.startswith("one failed"))
    return Figure("p_match_any/reference non-US IMG with one failed attempt, 120 IM programs",
                  0.25, e.p_match_after[0], True, None, False, "share",
                  "older Charting Outcomes via medrookie.com (img_factors_pd_survey_visa.csv, "
                  "LOW confidence)", "comparison only; i_fail is an assumption")
