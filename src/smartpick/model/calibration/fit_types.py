"""Applicant-type offsets from NRMP's 2025 match rates by applicant type.

Charting Outcomes covers non-US IMGs only, and the self-reported records are self-selected
(their own intercept and type offsets describe the people who report, not the nation). The
offsets of US MD seniors, US DO seniors and US IMGs are therefore set so that a typical
applicant of the type (the records' median Step 2 CK and number of applications for the type,
a final-year student for US seniors, no visa) applying to Internal Medicine programs chosen
as the fits assume gets NRMP's 2025 PGY-1 match rate for the type. A one-dimensional solve
per type, after the specialty intercepts are fitted; the non-US IMG rate stays a comparison.
NRMP counts "active applicants" (those who ranked a program), so for IMGs the model's figure
is P(match | at least one interview); nearly every US senior ranks a program, so for them it
is P(match). NRMP's rate counts a match to any PGY-1 position and a real
list often spans specialties, so this is a calibration of the level, stated as such.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy import optimize

from smartpick.model.calibration.applying import chosen_list
from smartpick.model.calibration.records import ApplicationRecord
from smartpick.model.features import ApplicantFeatures
from smartpick.model.match import MatchModel
from smartpick.model.params import ModelParams
from smartpick.model.program_arrays import ProgramArrays, take

NRMP_2025 = {"non_us_img": 0.580, "us_img": 0.678, "us_md": 0.935, "us_do": 0.926}
NRMP_SOURCE = ("NRMP 2025 PGY-1 match rates by applicant type "
               "(data/stats/nrmp_match_rates_by_year_applicant_type.csv)")
FITTED_TYPES = ("us_md", "us_do", "us_img")
LIST_SEED = 7
US_SENIORS = frozenset({"us_md", "us_do"})


def typical_applicant(kind: str, records: list[ApplicationRecord]) -> tuple[ApplicantFeatures,
                                                                             int]:
    """The records' median applicant of a type (Step 2 CK, applications) and its list size."""
    own = [r for r in records if r.features.applicant_type == kind] or records
    step2 = float(np.median([r.features.step2ck for r in own]))
    apps = int(np.median([r.applications for r in own]))
    f = ApplicantFeatures(
        step2ck=step2, applicant_type=kind,  # type: ignore[arg-type]
        visa="j1" if kind == "non_us_img" else "none",
        years_since_graduation=0.0 if kind in US_SENIORS else 3.0,
        usce_hands_on_months=4, usce_in_specialty_months=3, usce_recent_months=3,
        us_letters=2, publications=2, abstracts=2, presentations=2)
    return f, apps


def p_match_typical(params: ModelParams, kind: str, arrays: ProgramArrays,
                    records: list[ApplicationRecord]) -> float:
    """P(match | at least one interview) of the type's typical applicant.

    Non-US IMGs mix the reference visa need (65% need a J-1, the rest none).
    """
    f, apps = typical_applicant(kind, records)
    need = params.reference.get("needs_visa", 0.65)
    groups = ((("j1", need), ("none", 1.0 - need)) if kind == "non_us_img"
              else ((f.visa, 1.0),))
    matched = interviewed = 0.0
    for visa, share in groups:
        chosen = take(arrays, chosen_list(arrays, dict(params.coef), kind, visa, apps,
                                          LIST_SEED))
        p_match, p_interview = MatchModel(params).p_any_given_interview(f.with_(visa=visa),
                                                                        chosen)
        matched += share * p_match
        interviewed += share * p_interview
    if kind in US_SENIORS:  # nearly every US senior ranks a program: NRMP's rate is unconditional
        return matched
    return matched / max(interviewed, 1e-12)


def fit_type_offsets(params: ModelParams, arrays: ProgramArrays,
                     records: list[ApplicationRecord]) -> dict[str, float]:
    """``t_<type>`` for US MD, US DO and US IMG applicants (logit units)."""
    out = {}
    for kind in FITTED_TYPES:
        def gap(t: float, kind: str = kind) -> float:
            trial = replace(params, coef={**params.coef, f"t_{kind}": t})
            return p_match_typical(trial, kind, arrays, records) - NRMP_2025[kind]

        lo, hi = -3.0, 9.0
        out[f"t_{kind}"] = (lo if gap(lo) > 0 else hi if gap(hi) < 0
                            else float(optimize.brentq(gap, lo, hi, xtol=1e-4)))
    return out
