"""Every coefficient of the model: its meaning, its sign constraint and where its value comes from.

A coefficient is either ``fitted`` (estimated by ``smartpick calibrate`` from published figures
or applicant records) or ``assumed`` (no source gives it; the value below and its spread are
stated assumptions and are shown as such in the calibration report). Sign constraints make the
model monotone where it must be: more Step 2 CK or USCE never lowers a chance, more years since
graduation or a failed attempt never raises one, and a program that fits the applicant's visa
need never scores lower than one that does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Sign = Literal["+", "-", "any"]
Origin = Literal["fitted", "assumed"]


@dataclass(frozen=True)
class CoefSpec:
    name: str
    value: float  # starting value (fitted) or the assumed value
    sd: float  # spread of the assumption (assumed) or a floor for draws (fitted)
    sign: Sign
    origin: Origin
    meaning: str


_C = CoefSpec

COEFFICIENTS: tuple[CoefSpec, ...] = (
    # applicant, interview layer (logit units)
    _C("i_step2", 0.6, 0.1, "+", "fitted", "per 15 points of Step 2 CK"),
    _C("i_usce", 0.35, 0.1, "+", "fitted", "per log(1 + hands-on USCE months)"),
    _C("i_yog", -0.12, 0.04, "-", "fitted", "per year since graduation"),
    _C("t_us_md", 2.0, 0.3, "any", "fitted", "US MD senior vs non-US IMG (NRMP 2025 rate)"),
    _C("t_us_do", 1.5, 0.3, "any", "fitted", "US DO senior vs non-US IMG (NRMP 2025 rate)"),
    _C("t_us_img", 0.0, 0.3, "any", "fitted",
       "US IMG vs a non-US IMG who needs no visa (NRMP 2025 rate)"),
    _C("i_visa", -0.3, 0.5, "-", "fitted",
       "applicant needs a visa, at a program that can take it (bounded at -1)"),
    _C("i_inspec", 0.15, 0.08, "+", "assumed", "per log(1 + in-specialty USCE months)"),
    _C("i_recent", 0.15, 0.08, "+", "assumed", "per log(1 + USCE months in the last 12)"),
    _C("i_letters", 0.15, 0.07, "+", "assumed", "per US letter (up to 3)"),
    _C("i_research", 0.05, 0.05, "+", "assumed", "per log(1 + research items)"),
    _C("i_step1", 0.1, 0.05, "+", "assumed", "per 15 points of a numeric Step 1"),
    _C("i_fail", -1.1, 0.3, "-", "assumed", "per failed exam attempt"),
    _C("sigma_i", 1.0, 0.15, "+", "fitted", "spread of the shared applicant shock (interview)"),
    _C("s_us", 1.0, 0.2, "+", "fitted", "US graduates' shock spread, as a multiple of sigma_i"),
    # program, interview layer
    _C("p_img", 0.8, 0.2, "+", "fitted",
       "per logit of the program's IMG share, IMG applicants (on top of p_open)"),
    _C("p_open", 0.3, 0.15, "+", "fitted",
       "per logit of the program's IMG share, every applicant (competitiveness)"),
    _C("p_ipp", 0.4, 0.15, "+", "fitted", "per log interviews per position"),
    _C("p_pos", 0.2, 0.1, "+", "fitted", "per log PGY-1 positions"),
    _C("p_fill", -1.0, 0.4, "-", "fitted", "per unit of the 2024 fill rate (unfilled is easier)"),
    _C("p_visa", -3.0, 0.7, "-", "assumed", "program cannot take the applicant's visa"),
    _C("p_tie", 0.4, 0.2, "+", "assumed", "program in a state the applicant is tied to"),
    _C("p_gold", 1.1, 0.3, "+", "assumed", "gold (or single-tier) program signal"),
    _C("p_silver", 0.6, 0.2, "+", "assumed", "silver program signal"),
    _C("p_pref", -0.5, 0.2, "-", "assumed", "per preferred requirement the applicant misses"),
    # match given interview
    _C("m_rest", 0.5, 0.15, "+", "assumed", "share of non-score strength carried into ranking"),
    _C("m_pref", -0.25, 0.1, "-", "assumed", "per preferred requirement missed, ranking"),
    _C("m_gold", 0.2, 0.15, "+", "assumed", "gold signal, ranking"),
    _C("sigma_m", 0.4, 0.1, "+", "fitted", "spread of the shared applicant shock (match)"),
    # uncertainty of the specialty intercepts (point value 0; draws only)
    _C("i_shift", 0.0, 0.15, "any", "fitted", "shift of every interview intercept"),
    _C("m_shift", 0.0, 1.0, "any", "fitted",
       "shift of every match intercept, in units of its standard error"),
)

SPEC_BY_NAME: dict[str, CoefSpec] = {c.name: c for c in COEFFICIENTS}

# Reference applicant: the non-score terms are measured from it, so the specialty intercepts
# describe this applicant (the typical non-US IMG of the published cohorts).
REFERENCE: dict[str, float] = {
    "years_since_graduation": 3.0,
    "usce_hands_on_months": 4.0,
    "usce_in_specialty_months": 3.0,
    "usce_recent_months": 3.0,
    "us_letters": 2.0,
    "research_items": 6.0,
    "step2_center": 245.0,
    "step1_center": 235.0,
    "needs_visa": 0.65,  # share of the published non-US IMG cohorts taken to need a visa
}

# How strongly a program's IMG share matters, by applicant type (US graduates do not compete
# for IMG slots).
IMG_WEIGHT: dict[str, float] = {"non_us_img": 1.0, "us_img": 0.8, "us_md": 0.0, "us_do": 0.0}
