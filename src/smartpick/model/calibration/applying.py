"""Which programs an applicant applies to, as the fits see it.

Applicants do not apply at random: they aim at programs that interview people like them (an
IMG at IMG-friendly programs, a visa holder at sponsoring ones). The fits assume that an
applicant sending ``N`` applications includes program ``j`` with probability
``pi_j = min(1, c * exp(CHOICE * t_j))``, where ``t_j`` is the program's term in the
applicant's interview logit and ``c`` makes the ``pi_j`` add up to ``N`` (sampling in
proportion to the odds of an interview, CHOICE = 1, a stated assumption). The interview
chance averaged over the applied programs then uses the program terms weighted by ``pi``;
the interview intercept fitted this way describes the programs applicants actually choose,
not an average program.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from smartpick.model.coefficients import IMG_WEIGHT
from smartpick.model.program_arrays import ProgramArrays

FloatArray = NDArray[np.float64]
CHOICE = 1.0
QUANTILES = 16


def program_term(arrays: ProgramArrays, coef: dict[str, float], applicant_type: str,
                 visa: str) -> FloatArray:
    """The program part of the interview logit, (J, M), for an applicant of this type and visa."""
    term = (IMG_WEIGHT[applicant_type] * coef["p_img"] + coef["p_open"]) * arrays.img
    term = term + coef["p_ipp"] * arrays.ipp + coef["p_pos"] * arrays.pos
    term = term + coef["p_fill"] * arrays.fill
    if visa != "none":
        term = term + coef["p_visa"] * ~arrays.visa_ok(visa)
    result: FloatArray = term
    return result


def inclusion(term: FloatArray, n_apps: float) -> FloatArray:
    """Probability that each program is on a list of ``n_apps`` (J,), from its terms (J, M)."""
    value = np.exp(CHOICE * (term.mean(axis=1) - term.max()))
    n = min(float(n_apps), float(len(value)))
    lo, hi = -80.0, 80.0
    for _ in range(80):  # bisection on log c: sum(min(1, c * v)) = n
        mid = 0.5 * (lo + hi)
        if np.minimum(1.0, np.exp(mid) * value).sum() < n:
            lo = mid
        else:
            hi = mid
    result: FloatArray = np.minimum(1.0, np.exp(hi) * value)
    return result


def applied_terms(arrays: ProgramArrays, coef: dict[str, float], applicant_type: str,
                  visa: str, n_apps: float, quantiles: int = QUANTILES) -> FloatArray:
    """``quantiles`` values of the program term over the programs applied to (equal weights)."""
    term = program_term(arrays, coef, applicant_type, visa)
    pi = np.repeat(inclusion(term, n_apps)[:, None], term.shape[1], axis=1).ravel()
    values = term.ravel()
    order = np.argsort(values)
    cum = np.cumsum(pi[order]) / pi.sum()
    levels = (np.arange(quantiles) + 0.5) / quantiles
    result: FloatArray = values[order][np.minimum(np.searchsorted(cum, levels), len(cum) - 1)]
    return result


def chosen_list(arrays: ProgramArrays, coef: dict[str, float], applicant_type: str, visa: str,
                n_apps: int, seed: int) -> NDArray[np.int_]:
    """A seeded list of ``n_apps`` programs drawn as the fits assume applicants choose.

    Sampling without replacement in proportion to ``exp(CHOICE * t_j)`` (Gumbel top-k).
    """
    term = program_term(arrays, coef, applicant_type, visa).mean(axis=1)
    gumbel = np.random.default_rng(seed).gumbel(size=term.shape)
    order = np.argsort(-(CHOICE * term + gumbel), kind="stable")
    result: NDArray[np.int_] = order[: min(n_apps, arrays.n_programs)]
    return result
