"""Fitting the interview layer to self-reported Internal Medicine applicant records.

Each record gives applications ``N`` and interviews ``Y``. The model says
``Y ~ Binomial(N, qbar(u))`` averaged over the shared shock ``u``, where ``qbar`` is the mean
interview chance over the programs applied to: an applicant who needs a visa applies first to
the programs that can take it (all of them, up to ``N``) and the rest elsewhere; others apply
across all programs. Program facts enter through their prior nodes (unknown facts included),
compressed to quantiles of the program term for speed.

Fitted: the Internal Medicine intercept, the Step 2 CK, hands-on USCE and years-since-graduation
slopes, the applicant-type offsets and ``sigma_i``. Every other coefficient keeps its stated
(assumed) value. The years-since-graduation slope carries a stated normal prior
(:data:`YOG_PRIOR`): the records alone do not pin it down.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, special

from smartpick.model.calibration.records import ApplicationRecord
from smartpick.model.coefficients import IMG_WEIGHT
from smartpick.model.match import shock_nodes
from smartpick.model.program_arrays import ProgramArrays
from smartpick.model.strength import rest_terms, step2_z

FloatArray = NDArray[np.float64]
FITTED = ("alpha", "i_step2", "i_usce", "i_yog", "t_us_md", "t_us_do", "t_us_img", "log_sigma_i")
BOUNDS = [(-8.0, 4.0), (0.0, 3.0), (0.0, 3.0), (-1.0, 0.0), (-3.0, 6.0), (-3.0, 6.0),
          (-3.0, 6.0), (np.log(0.1), np.log(4.0))]
QUANTILES = 96
# Stated prior on the years-since-graduation slope: the records alone cannot pin it down.
YOG_PRIOR = (-0.10, 0.05)
TYPES = ("non_us_img", "us_img", "us_md", "us_do")


@dataclass(frozen=True)
class ProgramTerms:
    """Quantiles of the program term over (program, node), split by visa fit."""

    ok: FloatArray
    bad: FloatArray
    share_ok: float
    n_programs: int


@dataclass(frozen=True)
class InterviewFit:
    values: dict[str, float]
    cov: FloatArray  # covariance of FITTED (on their fitting scale)
    n_records: int


def program_terms(arrays: ProgramArrays, coef: dict[str, float], applicant_type: str,
                  visa: str) -> ProgramTerms:
    term = IMG_WEIGHT[applicant_type] * coef["p_img"] * arrays.img + coef["p_ipp"] * arrays.ipp
    term = term + coef["p_pos"] * arrays.pos + coef["p_fill"] * arrays.fill
    ok = arrays.visa_ok(visa)
    levels = (np.arange(QUANTILES) + 0.5) / QUANTILES
    bad_values = term[~ok] + coef["p_visa"] if (~ok).any() else np.array([0.0])
    return ProgramTerms(np.quantile(term[ok], levels), np.quantile(bad_values, levels),
                        float(ok.mean()), arrays.n_programs)


def design(rec: ApplicationRecord, coef: dict[str, float], reference: dict[str, float]
           ) -> FloatArray:
    """Columns: Step 2 z, USCE gain, YOG deviation, type dummies, fixed (assumed) rest."""
    f = rec.features
    fixed_coef = {**coef, "i_usce": 0.0, "i_yog": 0.0, "t_us_md": 0.0, "t_us_do": 0.0,
                  "t_us_img": 0.0}
    usce = np.log1p(f.usce_hands_on_months) - np.log1p(reference["usce_hands_on_months"])
    return np.array([
        step2_z(f.step2ck, reference), usce,
        f.years_since_graduation - reference["years_since_graduation"],
        float(f.applicant_type == "us_md"), float(f.applicant_type == "us_do"),
        float(f.applicant_type == "us_img"), rest_terms(f, fixed_coef, reference),
    ])


def qbar(theta: FloatArray, x: FloatArray, terms: ProgramTerms, apps: FloatArray) -> FloatArray:
    """Mean interview chance over programs applied to, at each shock node: (R, H)."""
    sigma = np.exp(theta[7])
    applicant = theta[0] + x[:, :6] @ theta[1:7] + x[:, 6]
    base = applicant[:, None] + sigma * shock_nodes()[0][None, :]
    mean_ok = special.expit(base[..., None] + terms.ok).mean(-1)
    mean_bad = special.expit(base[..., None] + terms.bad).mean(-1)
    n_ok = terms.share_ok * terms.n_programs
    first = np.minimum(apps, n_ok)[:, None]
    return (first * mean_ok + (apps[:, None] - first) * mean_bad) / apps[:, None]


def log_likelihood(theta: FloatArray, groups: list[tuple[FloatArray, ProgramTerms, FloatArray,
                                                         FloatArray]]) -> float:
    _, w = shock_nodes()
    total = 0.0
    for x, terms, apps, ivs in groups:
        q = np.clip(qbar(theta, x, terms, apps), 1e-9, 1 - 1e-9)
        logpmf = (special.gammaln(apps + 1) - special.gammaln(ivs + 1)
                  - special.gammaln(apps - ivs + 1))[:, None] \
            + ivs[:, None] * np.log(q) + (apps - ivs)[:, None] * np.log1p(-q)
        total += float(special.logsumexp(logpmf, b=w[None, :], axis=1).sum())
    return total


def log_posterior(theta: FloatArray, groups: list[tuple[FloatArray, ProgramTerms, FloatArray,
                                                         FloatArray]]) -> float:
    """Log-likelihood plus the stated normal prior on the years-since-graduation slope."""
    mean, sd = YOG_PRIOR
    return log_likelihood(theta, groups) - 0.5 * ((theta[3] - mean) / sd) ** 2


def group_records(records: list[ApplicationRecord], arrays: ProgramArrays,
                  coef: dict[str, float], reference: dict[str, float]
                  ) -> list[tuple[FloatArray, ProgramTerms, FloatArray, FloatArray]]:
    groups = []
    for kind in TYPES:
        for visa in ("none", "j1"):
            rs = [r for r in records
                  if r.features.applicant_type == kind and r.features.visa == visa]
            if not rs:
                continue
            x = np.array([design(r, coef, reference) for r in rs])
            groups.append((x, program_terms(arrays, coef, kind, visa),
                           np.array([r.applications for r in rs], float),
                           np.array([r.interviews for r in rs], float)))
    return groups


def fit_interview_layer(records: list[ApplicationRecord], arrays: ProgramArrays,
                        coef: dict[str, float], reference: dict[str, float]) -> InterviewFit:
    groups = group_records(records, arrays, coef, reference)
    x0 = np.array([-3.0, coef["i_step2"], coef["i_usce"], coef["i_yog"], coef["t_us_md"],
                   coef["t_us_do"], coef["t_us_img"], np.log(coef["sigma_i"])])
    res = optimize.minimize(lambda t: -log_posterior(t, groups), x0, method="L-BFGS-B",
                            bounds=BOUNDS)
    cov = _covariance(res.x, groups)
    return InterviewFit(dict(zip(FITTED, map(float, res.x), strict=True)), cov, len(records))


def _covariance(theta: FloatArray, groups: list[tuple[FloatArray, ProgramTerms, FloatArray,
                                                      FloatArray]]) -> FloatArray:
    """Inverse of the numerical Hessian of the negative log-likelihood (ridged)."""
    k, h = len(theta), 1e-3
    hess = np.zeros((k, k))

    def f(t: FloatArray) -> float:
        return -log_posterior(t, groups)

    for i in range(k):
        for j in range(i, k):
            ei, ej = np.eye(k)[i] * h, np.eye(k)[j] * h
            hess[i, j] = hess[j, i] = (f(theta + ei + ej) - f(theta + ei - ej)
                                       - f(theta - ei + ej) + f(theta - ei - ej)) / (4 * h * h)
    vals, vecs = np.linalg.eigh(hess)
    vals = np.maximum(vals, 1.0)  # at most unit variance on the fitting scale
    result: FloatArray = (vecs / vals) @ vecs.T
    return result


def fitted_coef(ifit: InterviewFit) -> dict[str, float]:
    """The fitted coefficients under their model names (the intercept excluded)."""
    v = ifit.values
    out = {k: v[k] for k in FITTED if k not in ("alpha", "log_sigma_i")}
    out["sigma_i"] = float(np.exp(v["log_sigma_i"]))
    return out
