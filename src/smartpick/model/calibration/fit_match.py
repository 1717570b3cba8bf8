"""Fitting the match layer through the model used to predict: one shared shock for both layers.

At plan time an applicant's chance at program ``j`` is ``q_j(u) * r_j(u)`` with ONE latent
shock ``u`` in both the interview chance ``q`` and the chance ``r`` of matching once
interviewed. Fitting uses the same structure. A published cohort row (Step 2 CK ``S``,
contiguous ranks ``K``, matched or not) has likelihood

    P(K, matched | S, K >= 1) = E_u[Bin(K; N, qbar(S, u)) * M(K, S, u)^m * (1 - M)^(1 - m)]
                                / E_u[1 - (1 - qbar(S, u))^N]

with ``M = 1 - (1 - r(S, u))^K`` and ``qbar`` the mean interview chance over the ``N``
programs applied to (the specialty's own programs, seen through the catalog and the interview
layer's fitted coefficients). Having many interviews therefore says ``u`` is high, exactly as
it does at prediction time, so strength is not counted twice.

Per fitted specialty: the interview intercept ``alpha_s`` (Internal Medicine keeps the one
fitted on applicant records), the match intercept ``gamma_s`` and a Step 2 CK slope (normal
prior around ``SLOPE_PRIOR``). ``sigma_m`` is shared and found by a one-dimensional search.
Each ``gamma_s`` is then moved so that the deployed model, fed the published cohort's Step 2
CK distribution and predicting its own interview counts, gives the published match rate.

Held-out (and unpublished) specialties are not fitted: their interview intercept comes from a
regression of the fitted ones on the specialty's applicants per position, their match
intercept gives the rate a regression of the fitted specialties' rates on applicants per
position predicts (:func:`predicted_fit`), and their slope is the fitted slopes' mean.
Nothing of a held-out specialty's outcomes (rate, ranks, scores) enters any fit; its
applicants per position do, and so do the Step 2 CK distributions of its matched and
unmatched applicants, pooled by the PREDICTED rate, as the scores of its applicants.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, special

from smartpick.model.calibration.cohort import Cohort, PublishedSpecialty, build_cohort
from smartpick.model.match import shock_nodes
from smartpick.model.strength import STEP2_SCALE

FloatArray = NDArray[np.float64]
SLOPE_PRIOR = (0.3, 0.5)  # normal prior of a specialty's Step 2 CK slope (mean, SD)
STEP2_CENTER = 245.0
STEP2_GRID = 24


@dataclass(frozen=True)
class ApplyContext:
    """How the cohort of one specialty applies: ``n_apps`` programs, visa groups and terms.

    ``terms[g]`` are values of the program term over the programs applied to by group ``g``
    (equal weights), ``share[g]`` the group's share of the cohort and ``rest[g]`` its applicant
    term (visa need) relative to the reference.
    """

    n_apps: int
    terms: tuple[FloatArray, ...]
    share: tuple[float, ...]
    rest: tuple[float, ...]
    i_step2: float
    sigma_i: float
    m_rest: float


@dataclass(frozen=True)
class SpecialtyFit:
    alpha: float
    gamma: float
    slope: float


@dataclass(frozen=True)
class MatchFit:
    fits: dict[str, SpecialtyFit]
    sigma_m: float
    sigma_m_se: float
    gamma_se: float
    shared_slope: float
    regression_gamma: tuple[float, float, float]
    regression_alpha: tuple[float, float, float]
    regression_rate: tuple[float, float] = (0.0, 0.0)
    rate_spread: float = 0.0  # leave-one-out RMSE of the rate regression (logit)
    gamma_se_by: dict[str, float] = field(default_factory=dict)  # fitted specialties

    @property
    def gamma(self) -> dict[str, float]:
        return {k: v.gamma for k, v in self.fits.items()}

    @property
    def slope(self) -> dict[str, float]:
        return {k: v.slope for k, v in self.fits.items()}

    @property
    def alpha(self) -> dict[str, float]:
        return {k: v.alpha for k, v in self.fits.items()}


def qbar_nodes(alpha: float, z: FloatArray, ctx: ApplyContext) -> FloatArray:
    """Mean interview chance over the applied programs: (G, R, H) for Step 2 z of shape (R,)."""
    x, _ = shock_nodes()
    out = []
    for terms, rest in zip(ctx.terms, ctx.rest, strict=True):
        eta = alpha + rest + ctx.i_step2 * z[:, None] + ctx.sigma_i * x[None, :]
        out.append(special.expit(eta[..., None] + terms).mean(-1))
    return np.array(out)


def r_nodes(gamma: float, slope: float, sigma_m: float, z: FloatArray, ctx: ApplyContext
            ) -> FloatArray:
    """P(match at one program | interviewed), per group, Step 2 row and shock node: (G, R, H)."""
    x, _ = shock_nodes()
    return np.array([special.expit(gamma + ctx.m_rest * rest + slope * z[:, None]
                                   + sigma_m * x[None, :]) for rest in ctx.rest])


def _log_binom(k: FloatArray, n: int, q: FloatArray) -> FloatArray:
    q = np.clip(q, 1e-12, 1 - 1e-12)
    result: FloatArray = (special.gammaln(n + 1) - special.gammaln(k + 1)
                          - special.gammaln(n - k + 1) + k * np.log(q) + (n - k) * np.log1p(-q))
    return result


@dataclass(frozen=True)
class _Rows:
    z: FloatArray  # unique Step 2 z values (S,)
    s_index: NDArray[np.int_]  # row -> Step 2 value
    ranks: FloatArray
    matched: FloatArray
    weight: FloatArray  # times the cohort size


def _rows(c: Cohort, size: int) -> _Rows:
    z_all = (c.step2 - STEP2_CENTER) / STEP2_SCALE
    z, idx = np.unique(np.round(z_all, 6), return_inverse=True)
    return _Rows(z, idx, c.ranks, c.matched, c.weight * size)


def _neg_loglik(theta: FloatArray, sigma_m: float, rows: _Rows, ctx: ApplyContext,
                alpha_fixed: float | None) -> float:
    if alpha_fixed is None:
        alpha, gamma, slope = theta
    else:
        alpha, (gamma, slope) = alpha_fixed, theta
    _, w = shock_nodes()
    share = np.asarray(ctx.share)[:, None, None] * w[None, None, :]
    q = qbar_nodes(alpha, rows.z, ctx)[:, rows.s_index]  # (G, R, H)
    r = r_nodes(gamma, slope, sigma_m, rows.z, ctx)[:, rows.s_index]
    k = rows.ranks[None, :, None]
    log_bin = _log_binom(k, ctx.n_apps, q)
    miss = np.exp(k * np.log1p(-np.clip(r, 0, 1 - 1e-12)))
    m = rows.matched[None, :, None]
    outcome = m * (1.0 - miss) + (1.0 - m) * miss
    joint = np.sum(share * np.exp(log_bin) * outcome, axis=(0, 2))
    any_iv = np.sum(share * (1.0 - np.exp(ctx.n_apps * np.log1p(-np.clip(q, 0, 1 - 1e-12)))),
                    axis=(0, 2))
    ll = np.sum(rows.weight * (np.log(np.maximum(joint, 1e-300)) - np.log(any_iv)))
    dev = (slope - SLOPE_PRIOR[0]) / SLOPE_PRIOR[1]
    return float(-ll + 0.5 * dev * dev)


def fit_specialty(pub: PublishedSpecialty, ctx: ApplyContext, sigma_m: float,
                  alpha_fixed: float | None = None, start: SpecialtyFit | None = None
                  ) -> tuple[SpecialtyFit, float]:
    """Penalised maximum likelihood of one specialty's intercepts and slope (given sigma_m)."""
    rows = _rows(build_cohort(pub, grid_step2=STEP2_GRID), pub.matched + pub.unmatched)
    s = start or SpecialtyFit(-3.0, -1.0, SLOPE_PRIOR[0])
    x0 = np.array([s.gamma, s.slope] if alpha_fixed is not None else [s.alpha, s.gamma, s.slope])
    bounds = ([] if alpha_fixed is not None else [(-12.0, 6.0)]) + [(-8.0, 4.0), (0.0, 2.0)]
    res = optimize.minimize(_neg_loglik, x0, args=(sigma_m, rows, ctx, alpha_fixed),
                            method="L-BFGS-B", bounds=bounds)
    alpha = alpha_fixed if alpha_fixed is not None else float(res.x[0])
    gamma, slope = (float(v) for v in res.x[-2:])
    return SpecialtyFit(alpha, gamma, slope), float(res.fun)


@dataclass(frozen=True)
class Deployed:
    """What the deployed model gives a specialty's published cohort (Step 2 CK distribution)."""

    rate: float  # P(match | at least one interview)
    mean_ranks_matched: float
    mean_ranks_unmatched: float
    median_ranks_matched: float
    median_ranks_unmatched: float
    median_step2_matched: float
    median_step2_unmatched: float
    p_any_interview: float


def deployed(pub: PublishedSpecialty, fit: SpecialtyFit, sigma_m: float, ctx: ApplyContext
             ) -> Deployed:
    """The cohort run through the deployed structure: interviews predicted, not given.

    The applicant pool has the published Step 2 CK distribution of the cohort re-weighted by
    ``1 / P(at least one interview | S)``, so that among applicants with an interview the
    distribution is the published one; interview counts are binomial in ``N`` given the shock.
    """
    c = build_cohort(pub, grid_step2=STEP2_GRID)
    z_all = (c.step2 - STEP2_CENTER) / STEP2_SCALE
    z, idx = np.unique(np.round(z_all, 6), return_inverse=True)
    w_s = np.bincount(idx, weights=c.weight, minlength=len(z))
    _, w = shock_nodes()
    q = qbar_nodes(fit.alpha, z, ctx)  # (G, S, H)
    r = r_nodes(fit.gamma, fit.slope, sigma_m, z, ctx)
    k = np.arange(ctx.n_apps + 1, dtype=float)
    pk = np.exp(_log_binom(k[:, None, None, None], ctx.n_apps, q[None]))  # (K, G, S, H)
    mk = 1.0 - (1.0 - r[None]) ** k[:, None, None, None]
    mix = np.asarray(ctx.share)[:, None, None] * w[None, None, :]  # (G, 1, H)
    p_any = np.sum(mix * (1.0 - pk[0]), axis=(0, 2))  # (S,)
    pool = w_s / np.maximum(p_any, 1e-12)
    pool = pool / pool.sum()
    joint_m = np.sum(mix * pk * mk, axis=(1, 3)) * pool  # (K, S): matched with k ranks
    joint_u = np.sum(mix * pk * (1.0 - mk), axis=(1, 3)) * pool
    joint_u[0] = 0.0  # no interview: not in the published cohort
    matched, unmatched = joint_m.sum(), joint_u.sum()
    km, ku = joint_m.sum(1), joint_u.sum(1)
    sm, su = joint_m.sum(0), joint_u.sum(0)
    step2 = STEP2_CENTER + STEP2_SCALE * z
    return Deployed(
        rate=float(matched / (matched + unmatched)),
        mean_ranks_matched=float(k @ km / km.sum()), mean_ranks_unmatched=float(k @ ku / ku.sum()),
        median_ranks_matched=_wmedian(k, km), median_ranks_unmatched=_wmedian(k, ku),
        median_step2_matched=_wmedian(step2, sm), median_step2_unmatched=_wmedian(step2, su),
        p_any_interview=float(pool @ p_any),
    )


def _wmedian(values: FloatArray, weights: FloatArray) -> float:
    cum = np.cumsum(weights) / weights.sum()
    i = int(np.searchsorted(cum, 0.5))
    if abs(cum[i] - 0.5) < 1e-9 and i + 1 < len(values):
        return float(0.5 * (values[i] + values[i + 1]))
    return float(values[min(i, len(values) - 1)])


def exact_rate_gamma(pub: PublishedSpecialty, fit: SpecialtyFit, sigma_m: float,
                     ctx: ApplyContext, rate: float | None = None) -> float:
    """The match intercept at which the deployed model gives ``rate`` (default: published)."""
    target = pub.match_rate if rate is None else rate

    def gap(g: float) -> float:
        return deployed(pub, SpecialtyFit(fit.alpha, g, fit.slope), sigma_m, ctx).rate - target

    lo, hi = fit.gamma - 4.0, fit.gamma + 4.0
    if gap(lo) > 0 or gap(hi) < 0:
        return fit.gamma
    return float(optimize.brentq(gap, lo, hi, xtol=1e-6))


def fit_match_layer(pubs: dict[str, PublishedSpecialty], held_out: set[str],
                    contexts: dict[str, ApplyContext], fixed_alpha: dict[str, float],
                    sigma_m: float | None = None) -> MatchFit:
    """Fit every usable, non-held-out specialty; ``sigma_m`` searched unless given."""
    names = [n for n, p in sorted(pubs.items())
             if p.usable and n not in held_out and n in contexts]

    def fit_all(sm: float) -> tuple[dict[str, SpecialtyFit], float]:
        fits, total = {}, 0.0
        for n in names:
            fits[n], nll = fit_specialty(pubs[n], contexts[n], sm, fixed_alpha.get(n))
            total += nll
        return fits, total

    if sigma_m is None:
        res = optimize.minimize_scalar(lambda ls: fit_all(float(np.exp(ls)))[1],
                                       bounds=(np.log(0.05), np.log(2.5)), method="bounded",
                                       options={"xatol": 0.02})
        sigma_m = float(np.exp(res.x))
        curv = _curvature(lambda s: fit_all(s)[1], sigma_m)
        sigma_se = 1.0 / np.sqrt(max(curv, 1e-6))
    else:
        sigma_se = 0.1
    fits, _ = fit_all(sigma_m)
    fits = {n: SpecialtyFit(f.alpha, exact_rate_gamma(pubs[n], f, sigma_m, contexts[n]),
                            f.slope) for n, f in fits.items()}
    gamma_se = {n: gamma_se_of(pubs[n], fits[n], sigma_m, contexts[n], None) for n in names}
    fitted = [pubs[n] for n in names]
    return MatchFit(fits, sigma_m, float(sigma_se),
                    float(np.median(list(gamma_se.values()))) if gamma_se else 0.2,
                    float(np.mean([f.slope for f in fits.values()])),
                    _regression(fitted, {n: f.gamma for n, f in fits.items()}),
                    _regression([p for p in fitted if p.specialty not in fixed_alpha],
                                {n: f.alpha for n, f in fits.items()}),
                    rate_regression(fitted), rate_spread(fitted), gamma_se)


def _curvature(f: Callable[[float], float], x: float, h: float = 0.02) -> float:
    return float((f(x + h) - 2 * f(x) + f(x - h)) / h**2)


def gamma_se_of(pub: PublishedSpecialty, fit: SpecialtyFit, sigma_m: float, ctx: ApplyContext,
                logit_sd: float | None) -> float:
    """Standard error of a specialty's match intercept, from that of its rate.

    ``logit_sd`` is the rate's standard error on the logit scale (a predicted specialty);
    ``None`` takes the sampling error of the published rate (a fitted one).
    """
    rate = deployed(pub, fit, sigma_m, ctx).rate
    h = 0.05
    up = deployed(pub, SpecialtyFit(fit.alpha, fit.gamma + h, fit.slope), sigma_m, ctx).rate
    slope = max((up - rate) / h, 1e-4)
    if logit_sd is None:
        rate_se = np.sqrt(rate * (1 - rate) / max(pub.matched + pub.unmatched, 1))
    else:
        rate_se = logit_sd * rate * (1 - rate)
    return float(rate_se / slope)


def specialty_covariates(p: PublishedSpecialty) -> FloatArray:
    return np.array([1.0, np.log(max(p.applicants_per_position, 0.05)),
                     np.log(max(p.img_applicants_per_position, 0.01))])


def _regression(fitted: list[PublishedSpecialty], values: dict[str, float]
                ) -> tuple[float, float, float]:
    if len(fitted) < 4:
        mean = float(np.mean([values[p.specialty] for p in fitted])) if fitted else 0.0
        return mean, 0.0, 0.0
    x = np.array([specialty_covariates(p) for p in fitted])
    y = np.array([values[p.specialty] for p in fitted])
    w = np.sqrt(np.array([p.matched + p.unmatched for p in fitted], float))
    coef, *_ = np.linalg.lstsq(x * w[:, None], y * w, rcond=None)
    return float(coef[0]), float(coef[1]), float(coef[2])


def rate_regression(fitted: list[PublishedSpecialty]) -> tuple[float, float]:
    """``logit(rate) = a + b * log(applicants per position)`` over the fitted specialties.

    Unweighted: the specialties differ by far more than a small cohort's sampling error. The
    form (one covariate, no weights) was chosen by leaving each fitted specialty out in turn,
    among the fitted specialties only.
    """
    if len(fitted) < 3:
        return float(np.mean([special.logit(p.match_rate) for p in fitted] or [0.0])), 0.0
    x = np.array([[1.0, np.log(max(p.applicants_per_position, 0.05))] for p in fitted])
    y = np.array([special.logit(p.match_rate) for p in fitted])
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    return float(coef[0]), float(coef[1])


def rate_spread(fitted: list[PublishedSpecialty]) -> float:
    """Leave-one-out RMSE (logit) of :func:`rate_regression`: a predicted rate's error."""
    errors = []
    for i, p in enumerate(fitted):
        a, b = rate_regression(fitted[:i] + fitted[i + 1:])
        guess = a + b * np.log(max(p.applicants_per_position, 0.05))
        errors.append(guess - special.logit(p.match_rate))
    return float(np.sqrt(np.mean(np.square(errors)))) if len(errors) > 3 else 1.0


def predicted_fit(pub: PublishedSpecialty | None, fit: MatchFit, sigma_m: float,
                  ctx: ApplyContext | None, fallback: tuple[float, float]) -> SpecialtyFit:
    """Intercepts of a specialty that is not fitted (held out, or without usable data).

    The interview intercept comes from its regression on the fitted ones. The match intercept
    is set so the deployed model gives the rate that :func:`rate_regression` predicts from the
    specialty's applicants per position: regressing the two intercepts apart loses the rate
    (within a specialty they trade off against each other). Without a published row, or its
    distributions, the intercepts come from their regressions or the fitted medians.
    """
    alpha = predicted(fit.regression_alpha, pub, fallback[0])
    start = SpecialtyFit(alpha, predicted(fit.regression_gamma, pub, fallback[1]),
                         fit.shared_slope)
    if pub is None or ctx is None:
        return start
    own = as_predicted(pub, fit)
    return replace(start, gamma=exact_rate_gamma(own, start, sigma_m, ctx))


def as_predicted(pub: PublishedSpecialty, fit: MatchFit) -> PublishedSpecialty:
    """``pub`` with the rate its applicants per position predict: its applicant pool then
    mixes the matched and unmatched Step 2 CK distributions by that rate, not the published."""
    a, b = fit.regression_rate
    rate = float(special.expit(a + b * np.log(max(pub.applicants_per_position, 0.05))))
    return replace(pub, match_rate=rate)


def predicted(regression: tuple[float, float, float], p: PublishedSpecialty | None,
              fallback: float) -> float:
    """A regression's value for a specialty (``fallback`` when it has no published row)."""
    if p is None:
        return fallback
    return float(np.dot(regression, specialty_covariates(p)))


def p_match_given(ranks: FloatArray, step2: FloatArray, fit: SpecialtyFit, sigma_m: float,
                  ctx: ApplyContext) -> FloatArray:
    """The deployed model's P(match | K ranks, Step 2 CK): the shock's posterior given K."""
    z = (np.asarray(step2, float) - STEP2_CENTER) / STEP2_SCALE
    k = np.asarray(ranks, float)[None, :, None]
    _, w = shock_nodes()
    mix = np.asarray(ctx.share)[:, None, None] * w[None, None, :]
    like = mix * np.exp(_log_binom(k, ctx.n_apps, qbar_nodes(fit.alpha, z, ctx)))
    m = 1.0 - (1.0 - r_nodes(fit.gamma, fit.slope, sigma_m, z, ctx)) ** k
    result: FloatArray = np.sum(like * m, axis=(0, 2)) / np.sum(like, axis=(0, 2))
    return result
