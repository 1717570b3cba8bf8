"""The applicant's side of the logit: Step 2 CK, and everything else measured from a reference.

``zs2`` is Step 2 CK in units of 15 points from the centre; ``rest`` sums the other applicant
terms (USCE, years since graduation, attempts, letters, research, Step 1, applicant type),
each measured from the reference applicant of :data:`~smartpick.model.coefficients.REFERENCE`.
All terms are monotone in the direction their sign constraint states.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from smartpick.model.features import ApplicantFeatures

STEP2_SCALE = 15.0
LETTER_CAP = 3
# US graduates train in US hospitals: their clinical experience and letters are part of the
# applicant-type offset, so the USCE and letter terms do not apply to them.
US_GRADUATES = frozenset({"us_md", "us_do"})


def research_items(f: ApplicantFeatures) -> float:
    return float(f.publications + f.abstracts + f.presentations)


def step2_z(step2ck: float, reference: Mapping[str, float]) -> float:
    return (step2ck - reference["step2_center"]) / STEP2_SCALE


def rest_terms(
    f: ApplicantFeatures, coef: Mapping[str, float], reference: Mapping[str, float]
) -> float:
    """Sum of the non-Step-2 applicant terms, in logit units, relative to the reference."""
    ref = reference
    total = coef["i_yog"] * (max(f.years_since_graduation, 0.0) - ref["years_since_graduation"])
    total += coef["i_fail"] * f.failed_attempts
    total += coef["i_research"] * _log_gain(research_items(f), ref["research_items"])
    if f.step1 is not None:
        total += coef["i_step1"] * (f.step1 - ref["step1_center"]) / STEP2_SCALE
    if f.applicant_type not in US_GRADUATES:
        total += _usce_terms(f, coef, ref)
    total += coef.get("i_visa", 0.0) * (float(f.needs_visa) - ref.get("needs_visa", 0.0))
    return total + type_offset(f.applicant_type, coef)


# Range of hands-on USCE months in the applicant records that fit the USCE slope (5th to
# 95th percentile of the IMG records): outside it the effect is held at the edge, and the plan
# says the figure is an extrapolation.
USCE_SUPPORT = (2.0, 12.0)


def usce_in_support(months: float) -> float:
    lo, hi = USCE_SUPPORT
    return min(max(months, lo), hi)


def _usce_terms(
    f: ApplicantFeatures, coef: Mapping[str, float], ref: Mapping[str, float]
) -> float:
    hands_on = usce_in_support(f.usce_hands_on_months)
    total = coef["i_usce"] * _log_gain(hands_on, ref["usce_hands_on_months"])
    total += coef["i_inspec"] * _log_gain(
        f.usce_in_specialty_months, ref["usce_in_specialty_months"]
    )
    total += coef["i_recent"] * _log_gain(f.usce_recent_months, ref["usce_recent_months"])
    return total + coef["i_letters"] * (min(f.us_letters, LETTER_CAP) - ref["us_letters"])


def type_offset(applicant_type: str, coef: Mapping[str, float]) -> float:
    key = f"t_{applicant_type}"
    return coef.get(key, 0.0)


def _log_gain(value: float, reference: float) -> float:
    return math.log1p(max(value, 0.0)) - math.log1p(reference)


def extrapolation_notes(f: ApplicantFeatures) -> list[str]:
    """Where this applicant lies outside the data the model's slopes were fitted on."""
    notes = []
    lo, hi = USCE_SUPPORT
    months = f.usce_hands_on_months
    if f.applicant_type not in US_GRADUATES and not lo <= months <= hi:
        notes.append(
            f"extrapolation: {months:g} months of hands-on USCE is outside the {lo:g}-{hi:g} "
            f"months of the applicant records the USCE effect was fitted on; the chances "
            f"count it as {usce_in_support(months):g} months")
    if f.years_since_graduation > YOG_SUPPORT_MAX:
        notes.append(
            f"extrapolation: {f.years_since_graduation:.0f} years since graduation is beyond "
            f"the {YOG_SUPPORT_MAX:g} years of nearly all applicant records; the effect of "
            "the years keeps its fitted slope there")
    return notes


YOG_SUPPORT_MAX = 8.0  # 95th percentile of the IMG records' years since graduation
