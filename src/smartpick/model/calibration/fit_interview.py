"""Fitting the interview layer to self-reported Internal Medicine applicant records.

Each record gives applications ``N`` and interviews ``Y``. The model says
``Y ~ Binomial(N, qbar(u))`` averaged over the shared shock ``u``, where ``qbar`` is the mean
interview chance over the programs applied to, chosen as :mod:`.applying` describes
(in proportion to the odds of an interview, so visa holders go to sponsoring programs and IMGs
to IMG-friendly ones). Program facts enter through their prior nodes (unknown facts included),
compressed to quantiles of the program term over the applied programs.

Fitted: the Step 2 CK, hands-on USCE and years-since-graduation slopes, the US MD and US DO
offsets and ``sigma_i``, with a records' own intercept (a nuisance: the shipped Internal
Medicine intercept comes from Charting Outcomes, see :mod:`.fit_match`) and the records' own
contrast between IMGs who need a visa and IMGs who do not (``r_visa``, also a nuisance). The
records cannot tell a US IMG from a non-US IMG who needs no visa, so that contrast mixes
citizenship with the visa; the shipped ``i_visa`` and ``t_us_img`` are fitted on NRMP's rates
instead (:mod:`.fit_types`). Every other coefficient keeps its stated value. The
years-since-graduation and hands-on USCE slopes carry stated normal priors
(:data:`YOG_PRIOR`, :data:`USCE_PRIOR`): the records alone do not pin them down.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, special

from smartpick.model.calibration.applying import applied_terms
from smartpick.model.calibration.records import ApplicationRecord
from smartpick.model.match import shock_nodes
from smartpick.model.program_arrays import ProgramArrays
from smartpick.model.strength import US_GRADUATES, rest_terms, step2_z, usce_in_support

FloatArray = NDArray[np.float64]
FITTED = ("alpha", "i_step2", "i_usce", "i_yog", "t_us_md", "t_us_do", "r_visa", "log_sigma_i",
          "log_s_us")
# Records' own terms: fitted with the slopes, never shipped as coefficients.
NUISANCE = ("alpha", "t_us_md", "t_us_do", "r_visa")
BOUNDS = [(-8.0, 4.0), (0.0, 3.0), (0.0, 3.0), (-1.0, 0.0), (-3.0, 6.0), (-3.0, 6.0),
          (-3.0, 0.0), (np.log(0.1), np.log(4.0)), (np.log(0.2), np.log(2.0))]
# Stated priors on slopes the records alone cannot pin down (89 usable IMG records; all but
# one report some USCE, most 2-12 months).
YOG_PRIOR = (-0.10, 0.05)
USCE_PRIOR = (0.35, 0.15)
TYPES = ("non_us_img", "us_img", "us_md", "us_do")
_ZEROED = ("i_usce", "i_yog", "t_us_md", "t_us_do", "i_visa", "t_us_img")


@dataclass(frozen=True)
class RecordInputs:
    """Design rows, applied-program terms (R, Q), applications and interviews of records."""

    x: FloatArray
    terms: FloatArray
    apps: FloatArray
    ivs: FloatArray


@dataclass(frozen=True)
class InterviewFit:
    values: dict[str, float]
    cov: FloatArray  # covariance of FITTED (on their fitting scale)
    n_records: int


def design(rec: ApplicationRecord, coef: dict[str, float], reference: dict[str, float]
           ) -> FloatArray:
    """Columns: Step 2 z, USCE gain, YOG deviation, US MD, US DO, visa need, fixed rest."""
    f = rec.features
    fixed_coef = {**coef, **dict.fromkeys(_ZEROED, 0.0)}
    usce = np.log1p(usce_in_support(f.usce_hands_on_months)) \
        - np.log1p(reference["usce_hands_on_months"])
    if f.applicant_type in US_GRADUATES:
        usce = 0.0
    return np.array([
        step2_z(f.step2ck, reference), usce,
        f.years_since_graduation - reference["years_since_graduation"],
        float(f.applicant_type == "us_md"), float(f.applicant_type == "us_do"),
        float(f.needs_visa) - reference.get("needs_visa", 0.0),
        rest_terms(f, fixed_coef, reference),
    ])


def qbar(theta: FloatArray, x: FloatArray, terms: FloatArray) -> FloatArray:
    """Mean interview chance over the programs applied to, at each shock node: (R, H)."""
    us = x[:, 3] + x[:, 4]  # US MD or US DO: their own spread
    sigma = np.exp(theta[7] + theta[8] * us)
    applicant = theta[0] + x[:, :6] @ theta[1:7] + x[:, 6]
    base = applicant[:, None] + sigma[:, None] * shock_nodes()[0][None, :]
    result: FloatArray = special.expit(base[..., None] + terms[:, None, :]).mean(-1)
    return result


def log_likelihood(theta: FloatArray, data: RecordInputs) -> float:
    _, w = shock_nodes()
    q = np.clip(qbar(theta, data.x, data.terms), 1e-9, 1 - 1e-9)
    apps, ivs = data.apps, data.ivs
    logpmf = (special.gammaln(apps + 1) - special.gammaln(ivs + 1)
              - special.gammaln(apps - ivs + 1))[:, None] \
        + ivs[:, None] * np.log(q) + (apps - ivs)[:, None] * np.log1p(-q)
    return float(special.logsumexp(logpmf, b=w[None, :], axis=1).sum())


def log_posterior(theta: FloatArray, data: RecordInputs) -> float:
    """Log-likelihood plus the stated normal priors on the YOG and USCE slopes."""
    (mean, sd), (umean, usd) = YOG_PRIOR, USCE_PRIOR
    return log_likelihood(theta, data) - 0.5 * ((theta[3] - mean) / sd) ** 2 \
        - 0.5 * ((theta[2] - umean) / usd) ** 2


def record_inputs(records: list[ApplicationRecord], arrays: ProgramArrays,
                  coef: dict[str, float], reference: dict[str, float]) -> RecordInputs:
    cache: dict[tuple[str, str, int], FloatArray] = {}
    terms = []
    for r in records:
        key = (r.features.applicant_type, r.features.visa, r.applications)
        if key not in cache:
            cache[key] = applied_terms(arrays, coef, *key)
        terms.append(cache[key])
    return RecordInputs(np.array([design(r, coef, reference) for r in records]).reshape(-1, 7),
                        np.array(terms).reshape(len(records), -1),
                        np.array([r.applications for r in records], float),
                        np.array([r.interviews for r in records], float))


def fit_interview_layer(records: list[ApplicationRecord], arrays: ProgramArrays,
                        coef: dict[str, float], reference: dict[str, float]) -> InterviewFit:
    groups = record_inputs(records, arrays, coef, reference)
    x0 = np.array([-3.0, coef["i_step2"], coef["i_usce"], coef["i_yog"], coef["t_us_md"],
                   coef["t_us_do"], -0.5, np.log(coef["sigma_i"]), 0.0])
    res = optimize.minimize(lambda t: -log_posterior(t, groups), x0, method="L-BFGS-B",
                            bounds=BOUNDS)
    cov = _covariance(res.x, groups)
    return InterviewFit(dict(zip(FITTED, map(float, res.x), strict=True)), cov, len(records))


def _covariance(theta: FloatArray, groups: RecordInputs) -> FloatArray:
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
    skip = ("log_sigma_i", "log_s_us", *NUISANCE)
    out = {k: v[k] for k in FITTED if k not in skip}
    out["sigma_i"] = float(np.exp(v["log_sigma_i"]))
    out["s_us"] = float(np.exp(v["log_s_us"]))
    return out
