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

Needing a visa. Programs that cannot take the applicant's visa are left out of the list (the
planner) or scored with ``p_visa`` (the fits); FREIDA's empty visa list is its own category.
What is left is the applicant-side term ``i_visa``: how much less a program that CAN take the
visa wants an applicant who needs one. NRMP publishes no rate by visa need, but its 2025 rates
bound it: non-US IMGs (58.0%) are an average over those who need a visa (the reference share,
65%, an assumption) and those who do not, and a non-US IMG who needs no visa is taken to match
like a US IMG (67.8%). Then the visa-needing non-US IMGs matched at
(58.0 - 0.35 x 67.8) / 0.65 = 52.7%, 0.63 logits below 67.8%: the largest gap NRMP allows if
citizenship itself is worth nothing (:func:`published_visa_gap`). ``i_visa`` is fitted so the
model's typical non-US IMG (records' median Step 2 CK and applications, P(match | an
interview) as NRMP counts) shows that gap between J-1 and no visa, with the gap's spread
:data:`GAP_SPREAD` (citizenship may be worth something either way; the visa share is
assumed), a normal prior around 0 (:data:`VISA_PRIOR`, shrinking toward no effect) and a hard
bound (:data:`VISA_BOUND`). The gap, not the two levels, is fitted: the model's non-US IMG
level comes from Charting Outcomes' Internal Medicine rate, NRMP's from any PGY-1 position.
The self-reported records also compare IMGs who need a visa with those who do not, but there
"needs no visa" means a US citizen or resident: the contrast mixes citizenship with the visa,
rests on 62 fit records and is not borne out by the held-out ones, so it stays the records'
own (see ``fit_interview``). ``t_us_img`` is then set on the US IMG rate like the other
offsets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, special

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
VISA_PRIOR = (0.0, 0.5)  # normal prior of i_visa (logit units): shrink toward no effect
# i_visa >= -1: at -1 (interview odds at a visa-taking program cut 2.7-fold, ranking odds
# 1.6-fold through m_rest) the model's typical J-1 applicant falls about 1.1 logits below the
# same applicant needing no visa, beyond the 0.82 logits NRMP's 2025 rates would allow even if
# only half of the non-US IMGs needed a visa; the calibration report shows the gap.
VISA_BOUND = -1.0
GAP_SPREAD = 0.3  # spread of the published gap (t_us_img's prior spread; the visa share)
LIST_SEED = 7
US_SENIORS = frozenset({"us_md", "us_do"})
FloatArray = NDArray[np.float64]


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


@dataclass(frozen=True)
class VisaFit:
    """``i_visa`` with its standard error, and the J-1 vs no-visa gap it gives (logits)."""

    i_visa: float
    se: float
    gap_model: float
    gap_published: float
    p_none: float  # P(match | an interview), typical non-US IMG needing no visa
    p_j1: float  # the same applicant needing a J-1


def published_visa_gap(need_share: float) -> tuple[float, float, float]:
    """NRMP 2025: (no-visa rate, visa-needing rate, logit gap) if a non-US IMG needing no visa
    matches like a US IMG and ``need_share`` of the non-US IMGs need a visa."""
    none = NRMP_2025["us_img"]
    visa = (NRMP_2025["non_us_img"] - (1.0 - need_share) * none) / need_share
    return none, visa, float(special.logit(none) - special.logit(visa))


def typical_visa_rates(params: ModelParams, arrays: ProgramArrays,
                       records: list[ApplicationRecord]) -> dict[str, float]:
    """P(match | an interview) of the typical non-US IMG needing no visa, a J-1 or an H-1B."""
    f, apps = typical_applicant("non_us_img", records)
    out = {}
    for visa in ("none", "j1", "h1b"):
        chosen = take(arrays, chosen_list(arrays, dict(params.coef), "non_us_img", visa, apps,
                                          LIST_SEED))
        p_match, p_interview = MatchModel(params).p_any_given_interview(f.with_(visa=visa),
                                                                        chosen)
        out[visa] = p_match / max(p_interview, 1e-12)
    return out


def fit_visa(params: ModelParams, arrays: ProgramArrays, records: list[ApplicationRecord]
             ) -> VisaFit:
    """``i_visa``: the model's J-1 vs no-visa gap against NRMP's (module docstring)."""
    _, _, published = published_visa_gap(params.reference.get("needs_visa", 0.65))

    def rates(v: float) -> dict[str, float]:
        return typical_visa_rates(replace(params, coef={**params.coef, "i_visa": v}), arrays,
                                  records)

    def gap(v: float) -> float:
        r = rates(v)
        return float(special.logit(r["none"]) - special.logit(r["j1"]))

    def objective(x: FloatArray) -> float:
        v = float(x[0])
        return 0.5 * (((gap(v) - published) / GAP_SPREAD) ** 2
                      + ((v - VISA_PRIOR[0]) / VISA_PRIOR[1]) ** 2)

    res = optimize.minimize(objective, np.array([-0.3]), method="L-BFGS-B",
                            bounds=[(VISA_BOUND, 0.0)])
    v = float(res.x[0])
    r = rates(v)
    return VisaFit(v, _curvature_se(objective, res.x, 0), gap(v), published, r["none"],
                   r["j1"])


def _curvature_se(f: Callable[[FloatArray], float], x: FloatArray, i: int,
                  h: float = 0.02) -> float:
    step = np.zeros_like(x)
    step[i] = h
    curv = (f(x + step) - 2 * f(x) + f(x - step)) / h**2
    return float(1.0 / np.sqrt(max(curv, 1e-6)))


def fit_type_offsets(params: ModelParams, arrays: ProgramArrays,
                     records: list[ApplicationRecord]) -> dict[str, float]:
    """``t_<type>`` for US MD, US DO and US IMG applicants (logit units), given ``i_visa``."""
    out = {}
    for kind in FITTED_TYPES:
        def gap(t: float, kind: str = kind) -> float:
            trial = replace(params, coef={**params.coef, f"t_{kind}": t})
            return p_match_typical(trial, kind, arrays, records) - NRMP_2025[kind]

        lo, hi = -3.0, 9.0
        out[f"t_{kind}"] = (lo if gap(lo) > 0 else hi if gap(hi) < 0
                            else float(optimize.brentq(gap, lo, hi, xtol=1e-4)))
    return out
