"""Interview intercepts of specialties other than Internal Medicine, from contiguous ranks.

Outside Internal Medicine there are no applicant records, but Charting Outcomes gives the
distribution of contiguous ranks (interviews ranked) of non-US IMGs. The intercept is set so
that the published cohort (its Step 2 CK distribution; other facts at the reference), applying
to ``N`` programs of the specialty, gets the published mean number of ranks among applicants
with at least one. Assumptions, stated in the report: ``N = min(120, 0.6 x programs)`` (120 is
the ERAS 2015 mean of applications per IMG, ``application_behaviour.csv``), and 65% of the
cohort needs a J-1 (the share among IMG records that state a visa need).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, special

from smartpick.model.calibration.cohort import PublishedSpecialty, build_cohort
from smartpick.model.calibration.fit_interview import program_terms
from smartpick.model.match import shock_nodes
from smartpick.model.program_arrays import ProgramArrays
from smartpick.model.strength import step2_z

FloatArray = NDArray[np.float64]
MAX_APPLICATIONS = 120
APPLY_SHARE = 0.6
VISA_SHARE = 0.65


def applications(n_programs: int) -> int:
    return max(1, min(MAX_APPLICATIONS, round(APPLY_SHARE * n_programs)))


def mean_ranks(alpha: float, pub: PublishedSpecialty, arrays: ProgramArrays,
               coef: dict[str, float], reference: dict[str, float], n_apps: int) -> float:
    """Predicted mean interviews among cohort members with at least one."""
    return _ranks_function(pub, arrays, coef, reference, n_apps)(alpha)


def _ranks_function(pub: PublishedSpecialty, arrays: ProgramArrays, coef: dict[str, float],
                    reference: dict[str, float], n_apps: int) -> Callable[[float], float]:
    cohort = build_cohort(pub)
    x, w = shock_nodes()
    z = coef["i_step2"] * np.array([step2_z(s, reference) for s in cohort.step2])
    shocks = z[:, None] + coef["sigma_i"] * x[None, :]
    parts = []
    for visa, share in (("j1", VISA_SHARE), ("none", 1.0 - VISA_SHARE)):
        terms = program_terms(arrays, coef, "non_us_img", visa)
        n_ok = min(n_apps, terms.share_ok * terms.n_programs)
        parts.append((terms, n_ok, share * cohort.weight[:, None] * w[None, :]))

    def mean(alpha: float) -> float:
        expected, any_rank = 0.0, 0.0
        for terms, n_ok, weight in parts:
            base = alpha + shocks
            q = (n_ok * special.expit(base[..., None] + terms.ok).mean(-1)
                 + (n_apps - n_ok) * special.expit(base[..., None] + terms.bad).mean(-1)) / n_apps
            expected += float(np.sum(weight * n_apps * q))
            any_rank += float(np.sum(weight * (1.0 - (1.0 - q) ** n_apps)))
        return expected / any_rank

    return mean


def published_mean_ranks(pub: PublishedSpecialty) -> float:
    r = pub.match_rate
    return r * pub.ranks["matched"].mean + (1.0 - r) * pub.ranks["not_matched"].mean


def alpha_from_ranks(pub: PublishedSpecialty, arrays: ProgramArrays, coef: dict[str, float],
                     reference: dict[str, float], n_apps: int) -> float:
    target = published_mean_ranks(pub)
    mean = _ranks_function(pub, arrays, coef, reference, n_apps)

    def gap(alpha: float) -> float:
        return mean(alpha) - target

    lo, hi = -12.0, 6.0
    if gap(lo) > 0:
        return lo
    if gap(hi) < 0:  # the published mean is out of reach with N applications
        return hi
    return float(optimize.brentq(gap, lo, hi, xtol=1e-6))
