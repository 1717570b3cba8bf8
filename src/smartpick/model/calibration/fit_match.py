"""Fitting the match-given-interview layer to Charting Outcomes 2026 (non-US IMGs).

For a cohort row with ``K`` contiguous ranks and Step 2 CK ``S`` the model says
``P(match) = E_u[1 - (1 - r)^K]`` with ``r = sigmoid(gamma_s + slope_s * zs2 + sigma_m * u)``:
each ranked program is a chance ``r``, and the shared shock ``u`` makes the chances of one
applicant move together. Per fitted specialty an intercept ``gamma_s`` and a slope ``slope_s``
(shrunk towards a shared slope, never below 0) are estimated by penalised maximum likelihood on
the rebuilt cohorts (labels = the published matched / unmatched groups); ``sigma_m`` is shared.
Each intercept is then moved so the predicted rate equals the published rate exactly.

Held-out specialties are not fitted: their intercept comes from a regression of the fitted
intercepts on the specialty's applicants per position (all applicants and non-US IMGs), and
their slope is the shared slope.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import optimize

from smartpick.model.calibration.cohort import Cohort, PublishedSpecialty, build_cohort
from smartpick.model.match import shock_nodes
from smartpick.model.strength import STEP2_SCALE

FloatArray = NDArray[np.float64]
SLOPE_PRIOR_SD = 0.5
STEP2_CENTER = 245.0


@dataclass(frozen=True)
class MatchFit:
    gamma: dict[str, float]
    slope: dict[str, float]
    shared_slope: float
    sigma_m: float
    sigma_m_se: float
    gamma_se: float
    regression: tuple[float, float, float]  # intercept, log(all/pos), log(img/pos)


def p_match_given_ranks(
    gamma: float, slope: float, sigma: float, ranks: FloatArray, step2: FloatArray
) -> FloatArray:
    x, w = shock_nodes()
    eta = gamma + slope * (step2 - STEP2_CENTER) / STEP2_SCALE
    r = 1.0 / (1.0 + np.exp(-(eta[:, None] + sigma * x[None, :])))
    result: FloatArray = (1.0 - (1.0 - r) ** ranks[:, None]) @ w
    return result


Target = tuple[float, float]  # published mean Step 2 CK of the matched, and its standard error


def _nll(theta: FloatArray, cohorts: list[Cohort], sizes: list[int], targets: list[Target]
         ) -> tuple[float, FloatArray]:
    """Penalised negative log-likelihood and its gradient.

    Penalties: the per-specialty slopes' spread around the shared slope, and the distance of
    the predicted matched mean Step 2 CK from the published mean (in standard errors).
    """
    n = len(cohorts)
    gammas, slopes, shared, sigma = theta[:n], theta[n:2 * n], theta[2 * n], np.exp(theta[-1])
    dev = (slopes - shared) / SLOPE_PRIOR_SD
    total = 0.5 * float(np.sum(dev**2))
    grad = np.zeros_like(theta)
    grad[n:2 * n] = dev / SLOPE_PRIOR_SD
    grad[2 * n] = -float(np.sum(dev)) / SLOPE_PRIOR_SD
    x, w = shock_nodes()
    for i, (c, size, (target, se)) in enumerate(zip(cohorts, sizes, targets, strict=True)):
        z = (c.step2 - STEP2_CENTER) / STEP2_SCALE
        r = 1.0 / (1.0 + np.exp(-((gammas[i] + slopes[i] * z)[:, None] + sigma * x[None, :])))
        miss = (1.0 - r) ** c.ranks[:, None]
        pm = np.clip((1.0 - miss) @ w, 1e-9, 1 - 1e-9)
        total -= size * float(np.sum(c.weight * (c.matched * np.log(pm)
                                                 + (1.0 - c.matched) * np.log1p(-pm))))
        dp = c.ranks[:, None] * r * miss * w  # d pm / d eta at each shock node
        score = -size * c.weight * (c.matched / pm - (1.0 - c.matched) / (1.0 - pm))
        wm = c.weight * pm
        mean_s = float(wm @ c.step2) / float(wm.sum())
        total += 0.5 * ((mean_s - target) / se) ** 2
        score = score + (mean_s - target) / se**2 * c.weight * (c.step2 - mean_s) / wm.sum()
        grad[i] += float(score @ dp.sum(1))
        grad[n + i] += float(score @ (dp.sum(1) * z))
        grad[-1] += float(score @ (dp @ (sigma * x)))
    return total, grad


def _value(theta: FloatArray, cohorts: list[Cohort], sizes: list[int], targets: list[Target]
           ) -> float:
    return _nll(theta, cohorts, sizes, targets)[0]


def _target(p: PublishedSpecialty) -> Target:
    q = p.step2["matched"]
    return q.mean, max(q.sd, 1.0) / np.sqrt(max(q.n, 1))


def fit_match_layer(pubs: dict[str, PublishedSpecialty], held_out: set[str]) -> MatchFit:
    fitted = [p for name, p in sorted(pubs.items()) if p.usable and name not in held_out]
    cohorts = [build_cohort(p) for p in fitted]
    sizes = [p.matched + p.unmatched for p in fitted]
    targets = [_target(p) for p in fitted]
    n = len(fitted)
    x0 = np.r_[np.full(n, -1.3), np.full(n, 0.2), 0.2, np.log(0.4)]
    bounds = [(-6.0, 3.0)] * n + [(0.0, 2.0)] * n + [(0.0, 2.0), (np.log(0.05), np.log(3.0))]
    res = optimize.minimize(_nll, x0, args=(cohorts, sizes, targets), jac=True, method="L-BFGS-B",
                           bounds=bounds)
    sigma = float(np.exp(res.x[-1]))
    gamma = {p.specialty: _match_rate_exactly(res.x[i], res.x[n + i], sigma, c, p.match_rate)
             for i, (p, c) in enumerate(zip(fitted, cohorts, strict=True))}
    slope = {p.specialty: float(res.x[n + i]) for i, p in enumerate(fitted)}
    sigma_se, gamma_se = _standard_errors(res.x, cohorts, sizes, targets)
    return MatchFit(gamma, slope, float(res.x[2 * n]), sigma, sigma_se, gamma_se,
                    _regression(fitted, gamma))


def _match_rate_exactly(g0: float, slope: float, sigma: float, c: Cohort, rate: float) -> float:
    def gap(g: float) -> float:
        pm = p_match_given_ranks(g, slope, sigma, c.ranks, c.step2)
        return float(np.sum(c.weight * pm)) - rate

    return float(optimize.brentq(gap, g0 - 4.0, g0 + 4.0, xtol=1e-8))


def _standard_errors(theta: FloatArray, cohorts: list[Cohort], sizes: list[int],
                     targets: list[Target]) -> tuple[float, float]:
    """Curvature-based standard errors of sigma_m and (median over specialties) of gamma."""
    n = len(cohorts)
    idx = [2 * n + 1, *range(n)]
    h = 1e-3
    se = []
    for i in idx:
        step = np.zeros_like(theta)
        step[i] = h
        args = (cohorts, sizes, targets)
        curv = (_value(theta + step, *args) - 2 * _value(theta, *args)
                + _value(theta - step, *args)) / h**2
        se.append(1.0 / np.sqrt(max(curv, 1e-6)))
    sigma_se = float(np.exp(theta[-1]) * se[0])
    return sigma_se, float(np.median(se[1:]))


def specialty_covariates(p: PublishedSpecialty) -> FloatArray:
    return np.array([1.0, np.log(max(p.applicants_per_position, 0.05)),
                     np.log(max(p.img_applicants_per_position, 0.01))])


def _regression(fitted: list[PublishedSpecialty], gamma: dict[str, float]
                ) -> tuple[float, float, float]:
    x = np.array([specialty_covariates(p) for p in fitted])
    y = np.array([gamma[p.specialty] for p in fitted])
    w = np.sqrt(np.array([p.matched + p.unmatched for p in fitted], float))
    coef, *_ = np.linalg.lstsq(x * w[:, None], y * w, rcond=None)
    return float(coef[0]), float(coef[1]), float(coef[2])


def predicted_gamma(fit: MatchFit, p: PublishedSpecialty | None) -> float:
    """The regression's intercept for a specialty (the median fitted one when ``p`` is None)."""
    if p is None:
        return float(np.median(list(fit.gamma.values())))
    return float(np.dot(fit.regression, specialty_covariates(p)))
