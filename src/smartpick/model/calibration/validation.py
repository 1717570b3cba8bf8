"""Validation that cannot flatter: figures the fits never saw, each against a baseline.

- **Leave one specialty out**, for every usable Charting Outcomes specialty: its two intercepts
  come from the regressions on the other fitted specialties (its own fit discarded), and the
  deployed model's match rate is compared with the published one. The shared ``sigma_m`` is
  kept from the full fit (a stated shortcut: it sits at its lower bound).
- **Held-out programs**: a seeded fifth of the IM programs with a known IMG share was kept out
  of the program fit and of the share prior. Their shares are hidden (as they are for half
  the IM catalog and every program elsewhere) and the intake the model implies is compared
  with the observed share (rank correlation, calibration by decile), against a baseline that
  predicts the share from program type and 2024 fill alone.
- **Held-out applicant records**: log loss and Brier score of the interview rate per
  application, against a baseline that knows only the applicant type.
- **Interval coverage by simulation**: data are simulated from the fitted model (the Internal
  Medicine cohort's outcomes at its published size), the match intercept is refitted on each
  simulated data set, and the stated 80% interval of the match rate must cover the true rate.
- **Assumption sensitivity apart from statistical uncertainty**: the reference applicant's
  P(match) interval with only the assumed coefficients drawn, and with only the fitted ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from scipy import special, stats

from smartpick.catalog.program import Program
from smartpick.model.calibration.cohort import PublishedSpecialty
from smartpick.model.calibration.effects import REFERENCE_APPLICANT, reference_list
from smartpick.model.calibration.figures import specialty_fit
from smartpick.model.calibration.fit_match import (
    ApplyContext,
    MatchFit,
    _regression,
    deployed,
    predicted_fit,
    rate_regression,
    rate_spread,
)
from smartpick.model.calibration.fit_program import (
    BASELINE,
    TypeLevel,
    fit_share_model,
    implied_shares,
    known_share,
)
from smartpick.model.calibration.reliability import RecordPrediction
from smartpick.model.coefficients import COEFFICIENTS
from smartpick.model.match import MatchModel
from smartpick.model.params import ModelParams
from smartpick.model.program_arrays import ProgramArrays, build_program_arrays

FloatArray = NDArray[np.float64]
IM = "Internal Medicine"
SHARE_FACTS = ("pct_img", "pct_do", "pct_usmd")
RANK_TARGET = 0.8
SIM_DRAWS = 200
LEVEL = 0.8


@dataclass(frozen=True)
class LosoRow:
    specialty: str
    published: float
    predicted: float
    held_out: bool  # a held-out specialty (never fitted) rather than a fitted one left out
    lo: float = 0.0  # 80% interval of the prediction (spread of the others' rate regression)
    hi: float = 1.0

    @property
    def covered(self) -> bool:
        return self.lo <= self.published <= self.hi

    @property
    def error(self) -> float:
        return self.predicted - self.published


def leave_one_out(params: ModelParams, pubs: dict[str, PublishedSpecialty],
                  contexts: dict[str, ApplyContext]) -> list[LosoRow]:
    fitted = {n: specialty_fit(params, n) for n, p in pubs.items()
              if p.usable and params.specialty(n).source == "fitted"}
    sigma_m = params.coef["sigma_m"]
    out = []
    for name, pub in sorted(pubs.items()):
        if not pub.usable or name not in contexts:
            continue
        train = [pubs[n] for n in fitted if n != name]
        reg_a = _regression(train, {n: f.alpha for n, f in fitted.items()})
        reg_g = _regression(train, {n: f.gamma for n, f in fitted.items()})
        alphas = [fitted[p.specialty].alpha for p in train]
        gammas = [fitted[p.specialty].gamma for p in train]
        slope = float(np.mean([fitted[p.specialty].slope for p in train]))
        train_fit = MatchFit({}, sigma_m, 0.0, 0.0, slope, reg_g, reg_a, rate_regression(train))
        fit = predicted_fit(pub, train_fit, sigma_m, contexts[name],
                            (float(np.median(alphas)), float(np.median(gammas))))
        rate = deployed(pub, fit, sigma_m, contexts[name]).rate
        half = stats.norm.ppf(0.5 + LEVEL / 2.0) * rate_spread(train)
        lo, hi = special.expit(special.logit(rate) + np.array([-half, half]))
        out.append(LosoRow(name, pub.match_rate, rate, name not in fitted, float(lo),
                           float(hi)))
    return out


def loso_rmse(rows: Sequence[LosoRow]) -> tuple[float, float]:
    errors = np.array([r.error for r in rows])
    return float(np.sqrt(np.mean(errors**2))), float(np.abs(errors).max())


@dataclass(frozen=True)
class ShareCheck:
    n_programs: int
    rank_model: float
    rank_prior: float
    rank_baseline: float
    deciles: list[tuple[float, float, float]]  # implied, baseline, observed mean per decile
    log_loss_model: float
    log_loss_baseline: float


def _hidden(p: Program) -> Program:
    return replace(p, facts={k: v for k, v in p.facts.items() if k not in SHARE_FACTS})


def share_holdout(params: ModelParams, programs: Sequence[Program]) -> ShareCheck | None:
    """The held-out IM programs, their shares hidden: implied intake vs observed share."""
    meta = params.meta.get("program_fit", {})
    held_ids = set(meta.get("held_out_programs", []))
    held = [p for p in programs if p.program_id in held_ids and known_share(p) is not None]
    train = [p for p in programs if p.program_id not in held_ids and known_share(p) is not None]
    if len(held) < 10 or not train:
        return None
    observed = np.array([known_share(p)[0] for p in held])  # type: ignore[index]
    hidden = [_hidden(p) for p in held]
    # scored in the market the fit saw (its programs and the hidden ones): applicants choose
    # among all of them, so the held-out programs are not the only ones on every list
    market = build_program_arrays([*train, *hidden], params, IM)
    levels = [TypeLevel(d["applicant_type"], tuple(d["eta"]), tuple(d["visa"]),
                        tuple(d["share"]), int(d["n_apps"])) for d in meta["levels"]]
    implied = implied_shares(market, dict(params.coef), levels,
                             np.array(meta["kappa"]))[len(train):, 0]
    arrays = build_program_arrays(hidden, params, IM)
    prior = np.array([float(np.mean(special.expit(arrays.img[j] + _centre(params))))
                      for j in range(len(held))])
    base_model = fit_share_model(train, BASELINE)
    baseline = special.expit(np.array([base_model.mean(_hidden(p)) for p in held]))
    order = np.argsort(implied)
    deciles = [(float(implied[c].mean()), float(baseline[c].mean()), float(observed[c].mean()))
               for c in np.array_split(order, 10) if len(c)]
    return ShareCheck(len(held), _spearman(implied, observed), _spearman(prior, observed),
                      _spearman(baseline, observed), deciles,
                      _share_log_loss(implied, observed), _share_log_loss(baseline, observed))


def _centre(params: ModelParams) -> float:
    from smartpick.model.program_arrays import transform_centre

    return transform_centre(params, IM, "pct_img", 0.0)


def _spearman(a: FloatArray, b: FloatArray) -> float:
    return float(stats.spearmanr(a, b).statistic)


def _share_log_loss(p: FloatArray, share: FloatArray) -> float:
    q = np.clip(p, 1e-4, 1 - 1e-4)
    return float(-np.mean(share * np.log(q) + (1 - share) * np.log1p(-q)))


@dataclass(frozen=True)
class RecordScore:
    n_records: int
    log_loss_model: float
    log_loss_baseline: float
    brier_model: float
    brier_baseline: float


def record_scores(fit: Sequence[RecordPrediction], held: Sequence[RecordPrediction]
                  ) -> RecordScore:
    """Per-application log loss and per-record Brier of the interview rate, held-out records."""
    rate = {}
    for kind in {r.applicant_type for r in fit}:
        rows = [r for r in fit if r.applicant_type == kind]
        rate[kind] = sum(r.interviews for r in rows) / sum(r.applications for r in rows)
    pooled = sum(r.interviews for r in fit) / sum(r.applications for r in fit)
    n = np.array([r.applications for r in held], float)
    y = np.array([r.interviews for r in held], float)
    p_model = np.clip(np.array([r.expected for r in held]) / n, 1e-4, 1 - 1e-4)
    p_base = np.clip(np.array([rate.get(r.applicant_type, pooled) for r in held]), 1e-4,
                     1 - 1e-4)

    def loss(p: FloatArray) -> float:
        return float(-np.sum(y * np.log(p) + (n - y) * np.log1p(-p)) / n.sum())

    def brier(p: FloatArray) -> float:
        return float(np.mean((y / n - p) ** 2))

    return RecordScore(len(held), loss(p_model), loss(p_base), brier(p_model), brier(p_base))


@dataclass(frozen=True)
class Coverage:
    draws: int
    covered: float  # share of simulated data sets whose 80% interval covers the true rate
    mean_width: float


def simulated_coverage(params: ModelParams, pub: PublishedSpecialty, ctx: ApplyContext,
                       seed: int, draws: int = SIM_DRAWS) -> Coverage:
    """Refit the match intercept on data simulated from the model; does the interval cover?

    The published cohort size ``n`` (applicants with an interview) is kept; each simulated
    data set has ``Binomial(n, true rate)`` matches; the intercept is refitted so the deployed
    rate equals the simulated one, and the interval spans the shipped ``m_shift`` spread
    (times the specialty's ``gamma_se``) around the refitted intercept (80%, linear in the
    intercept near the fit).
    """
    rng = np.random.default_rng(seed)
    base = specialty_fit(params, pub.specialty)
    sigma_m = params.coef["sigma_m"]
    n = pub.matched + pub.unmatched
    true = deployed(pub, base, sigma_m, ctx).rate
    h = 0.05
    slope = (deployed(pub, replace(base, gamma=base.gamma + h), sigma_m, ctx).rate - true) / h
    spread = float(np.std(params.draws.get("m_shift", [0.0]))) \
        * params.specialty(pub.specialty).gamma_se
    z = stats.norm.ppf(0.5 + LEVEL / 2.0)
    hits, widths = [], []
    for _ in range(draws):
        rate = rng.binomial(n, true) / n  # the refit moves the intercept to the simulated rate
        half = z * spread * slope  # the interval of the rate, linear in the intercept
        hits.append(rate - half <= true <= rate + half)
        widths.append(2 * half)
    return Coverage(draws, float(np.mean(hits)), float(np.mean(widths)))


@dataclass(frozen=True)
class Sensitivity:
    point: float
    assumed_only: tuple[float, float]
    fitted_only: tuple[float, float]
    both: tuple[float, float]


def assumption_sensitivity(params: ModelParams, arrays: ProgramArrays) -> Sensitivity:
    """The reference applicant's P(match) spread: assumptions vs statistical uncertainty."""
    f = REFERENCE_APPLICANT
    chosen = reference_list(arrays, f, coef=dict(params.coef))
    assumed = {c.name for c in COEFFICIENTS if c.origin == "assumed"}

    def interval(keep: set[str]) -> tuple[float, float]:
        draws = {k: (v if k in keep else [params.coef.get(k, 0.0)] * len(v))
                 for k, v in params.draws.items()}
        _, lo, hi = MatchModel(replace(params, draws=draws)).p_any(f, chosen)
        return lo, hi

    point = MatchModel(params).p_any(f, chosen, interval=False)[0]
    return Sensitivity(point, interval(assumed), interval(set(params.draws) - assumed),
                       interval(set(params.draws)))


NAMED_PROGRAMS = {"1402411169": "Massachusetts General Hospital",
                  "1400521064": "University of California (San Francisco)",
                  "1401821138": "University of Iowa Hospitals and Clinics",
                  "1403511273": "Harlem Hospital Center"}


@dataclass(frozen=True)
class ProgramExample:
    name: str
    pct_img: float | None
    p_non_us_img: float
    p_us_md: float


def program_examples(params: ModelParams, programs: Sequence[Program]
                     ) -> list[ProgramExample]:
    """P(interview) at named IM programs for a reference non-US IMG and a typical US MD."""
    from smartpick.model.features import ApplicantFeatures
    from smartpick.model.interview import InterviewModel

    found = [p for p in programs if p.program_id in NAMED_PROGRAMS]
    if not found:
        return []
    arrays = build_program_arrays(found, params, IM)
    us_md = ApplicantFeatures(step2ck=250, applicant_type="us_md", years_since_graduation=0)
    img = InterviewModel(params).predict_proba(REFERENCE_APPLICANT, arrays)[0]
    md = InterviewModel(params).predict_proba(us_md, arrays)[0]
    return [ProgramExample(NAMED_PROGRAMS[p.program_id], p.value("pct_img"), float(img[j]),
                           float(md[j])) for j, p in enumerate(found)]


def specialty_medians(params: ModelParams, programs: Sequence[Program]
                      ) -> dict[str, float]:
    """Median P(interview) of a US IMG (Step 2 CK 238, 2 months of hands-on USCE) by specialty.

    The Family Medicine vs Internal Medicine comparison of the plan for a US IMG.
    """
    from smartpick.model.features import ApplicantFeatures
    from smartpick.model.interview import InterviewModel

    f = ApplicantFeatures(step2ck=238, applicant_type="us_img", years_since_graduation=3,
                          usce_hands_on_months=2, usce_in_specialty_months=2,
                          usce_recent_months=2, us_letters=1)
    out = {}
    for name in ("Internal Medicine", "Family Medicine"):
        own = [p for p in programs if p.value("specialty") == name]
        if own:
            p = InterviewModel(params).predict_proba(f, build_program_arrays(own, params, name))[0]
            out[name] = float(np.median(p))
    return out
