"""How the published cohort of a specialty applies, for the match-layer fit and its figures.

Charting Outcomes gives no application counts per specialty. Assumptions, stated in the
report: a cohort member sends ``N = min(120, 0.6 x the specialty's programs)`` applications
(120 is the ERAS 2015 mean of applications per IMG, ``application_behaviour.csv``), chosen as
:mod:`.applying` describes, and 65% of the cohort needs a J-1 (the share of IMG records that
state a visa need); the rest needs no visa.
"""

from __future__ import annotations

from smartpick.model.calibration.applying import applied_terms
from smartpick.model.calibration.fit_match import ApplyContext
from smartpick.model.program_arrays import ProgramArrays

MAX_APPLICATIONS = 120
APPLY_SHARE = 0.6
VISA_SHARE = 0.65


def applications(n_programs: int) -> int:
    return max(1, min(MAX_APPLICATIONS, round(APPLY_SHARE * n_programs)))


def apply_context(arrays: ProgramArrays, coef: dict[str, float], reference: dict[str, float],
                  n_apps: int | None = None) -> ApplyContext:
    """The cohort of non-US IMGs applying to ``arrays``' programs (J-1 and no-visa groups)."""
    n = n_apps or applications(arrays.n_programs)
    groups = (("j1", VISA_SHARE, 1.0), ("none", 1.0 - VISA_SHARE, 0.0))
    need = reference.get("needs_visa", 0.0)
    return ApplyContext(
        n_apps=n,
        terms=tuple(applied_terms(arrays, coef, "non_us_img", visa, n) for visa, _, _ in groups),
        share=tuple(share for _, share, _ in groups),
        rest=tuple(coef.get("i_visa", 0.0) * (needs - need) for _, _, needs in groups),
        i_step2=coef["i_step2"], sigma_i=coef["sigma_i"], m_rest=coef["m_rest"],
    )
