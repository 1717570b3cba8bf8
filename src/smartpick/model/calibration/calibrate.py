"""``smartpick calibrate``: refit every parameter, deterministically, from shipped data.

Order: priors of program facts (catalog) -> interview layer (applicant records, a share held
out) -> both layers of every Charting Outcomes specialty through the shared shock (interview
and match intercepts from contiguous ranks and outcomes; some specialties held out) ->
regressions for the specialties not fitted -> parameter draws. The result is a
:class:`~smartpick.model.params.ModelParams`, saved as the package's ``params.json``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from smartpick.catalog.fields import Status
from smartpick.catalog.program import Fact, Program
from smartpick.catalog.specialties import CANONICAL
from smartpick.model.calibration.catalog_rows import CATALOG_FILE, load_catalog_programs
from smartpick.model.calibration.cohort import PublishedSpecialty, load_published
from smartpick.model.calibration.contexts import apply_context
from smartpick.model.calibration.fit_interview import (
    FITTED,
    NUISANCE,
    InterviewFit,
    fit_interview_layer,
    fitted_coef,
)
from smartpick.model.calibration.fit_match import (
    ApplyContext,
    MatchFit,
    as_predicted,
    fit_match_layer,
    gamma_se_of,
    predicted_fit,
)
from smartpick.model.calibration.fit_program import (
    FULL,
    PROGRAM_COEF,
    fit_program_side,
    fit_share_model,
    split_programs,
    type_levels,
)
from smartpick.model.calibration.fit_types import VISA_BOUND, fit_type_offsets, fit_visa
from smartpick.model.calibration.records import ApplicationRecord, load_records, split
from smartpick.model.coefficients import COEFFICIENTS, REFERENCE, SPEC_BY_NAME
from smartpick.model.params import ModelParams, SpecialtyParams
from smartpick.model.priors import learn_priors
from smartpick.model.program_arrays import ProgramArrays, build_program_arrays

VERSION = "2026.1"
SEED = 2026
N_DRAWS = 16
HELD_OUT_SPECIALTIES = frozenset({"Psychiatry", "Neurology", "Anesthesiology",
                                  "Emergency Medicine"})
HELD_OUT_RECORD_SHARE = 0.3
VISA_PASSES = 2
IM = "Internal Medicine"


@dataclass(frozen=True)
class Calibration:
    params: ModelParams
    published: dict[str, PublishedSpecialty]
    records_fit: list[ApplicationRecord]
    records_held: list[ApplicationRecord]
    programs: list[Program]


def calibrate(data_dir: Path, seed: int = SEED, catalog: Path | None = None) -> Calibration:
    stats = data_dir / "stats"
    pubs = load_published(stats)
    programs = load_catalog_programs(catalog or data_dir / CATALOG_FILE)
    priors = learn_priors(programs)
    im_programs = [p for p in programs if p.value("specialty") == IM]
    share_fit, share_held = split_programs(im_programs, seed)
    priors["by_specialty"][IM]["pct_img_model"] = fit_share_model(share_fit, FULL).to_json()
    coef = {c.name: c.value for c in COEFFICIENTS}
    counts = Counter(str(p.value("specialty")) for p in programs if p.value("specialty"))
    names = sorted(set(CANONICAL) | set(pubs) | set(counts))
    draft = ModelParams(VERSION, coef, {}, {n: SpecialtyParams(0.0, 0.0, 0.0, "draft")
                                            for n in names}, priors, dict(REFERENCE))
    records = load_records(stats)
    rec_fit, rec_held = split(records, HELD_OUT_RECORD_SHARE, seed)
    im_arrays = _arrays(programs, draft, IM)
    ifit = fit_interview_layer(rec_fit, im_arrays, coef, dict(REFERENCE))
    coef.update(fitted_coef(ifit))
    levels = type_levels(coef, ifit.values, dict(REFERENCE), records)
    prior = {n: (SPEC_BY_NAME[n].value, SPEC_BY_NAME[n].sd) for n in PROGRAM_COEF}
    pfit = fit_program_side(share_fit, replace(draft, coef=coef), levels, prior)
    coef.update(pfit.coef)
    ifit = fit_interview_layer(rec_fit, im_arrays, coef, dict(REFERENCE))
    coef.update(fitted_coef(ifit))
    for _ in range(VISA_PASSES):  # the intercepts and the visa term depend on each other
        contexts = {n: apply_context(_arrays(programs, draft, n), coef, dict(REFERENCE))
                    for n, p in pubs.items() if p.usable}
        match_fit = fit_match_layer(pubs, set(HELD_OUT_SPECIALTIES), contexts, {})
        coef["sigma_m"] = match_fit.sigma_m
        specs = _specialties(names, pubs, match_fit, counts, ifit.values["alpha"], contexts)
        fitted_params = ModelParams(VERSION, coef, {}, specs, priors, dict(REFERENCE))
        im_fitted = _arrays(programs, fitted_params, IM)
        vfit = fit_visa(fitted_params, im_fitted, records)
        coef["i_visa"] = vfit.i_visa
    fitted_params = ModelParams(VERSION, coef, {}, specs, priors, dict(REFERENCE))
    coef.update(fit_type_offsets(fitted_params, im_fitted, records))
    meta = _meta(seed, match_fit, ifit, rec_fit, rec_held, programs, catalog or CATALOG_FILE)
    meta["visa_fit"] = {"i_visa": round(vfit.i_visa, 5), "se": round(vfit.se, 5),
                        "gap_model": round(vfit.gap_model, 5),
                        "gap_published": round(vfit.gap_published, 5),
                        "p_none": round(vfit.p_none, 5), "p_j1": round(vfit.p_j1, 5),
                        "records_r_visa": round(ifit.values["r_visa"], 5),
                        "records_r_visa_se": round(float(np.sqrt(
                            ifit.cov[FITTED.index("r_visa"), FITTED.index("r_visa")])), 5)}
    meta["program_fit"] = {
        "kappa": [round(k, 5) for k in pfit.kappa], "se": pfit.se,
        "n_programs": pfit.n_programs,
        "levels": [vars(v) for v in levels],  # those the kappa were fitted with
        "held_out_programs": sorted(p.program_id for p in share_held),
    }
    spreads = {**pfit.se, "i_visa": vfit.se}
    params = ModelParams(VERSION, coef, _draws(coef, ifit, match_fit, seed, spreads), specs,
                         priors, dict(REFERENCE), meta)
    return Calibration(params, pubs, rec_fit, rec_held, programs)


def _specialties(names: list[str], pubs: dict[str, PublishedSpecialty], fit: MatchFit,
                 counts: Counter[str], im_alpha: float, contexts: dict[str, ApplyContext]
                 ) -> dict[str, SpecialtyParams]:
    """Parameters of every specialty known by name, in Charting Outcomes, or in the catalog.

    Fitted specialties keep their fit; the others (held out, suppressed in Charting Outcomes,
    or absent from it) take their intercepts as :func:`predicted_fit` says (regressions on
    applicants per position, or the fitted specialties' medians where no published row gives
    the covariates).
    """
    median_alpha = float(np.median(list(fit.alpha.values()) or [im_alpha]))
    median_gamma = float(np.median(list(fit.gamma.values())))
    out: dict[str, SpecialtyParams] = {}
    for name in names:
        n = counts.get(name, 0)
        if name in fit.fits:
            f = fit.fits[name]
            out[name] = SpecialtyParams(f.alpha, f.gamma, f.slope, "fitted", n,
                                        round(fit.gamma_se_by[name], 5))
            continue
        pub = pubs.get(name)
        source = "held_out" if name in HELD_OUT_SPECIALTIES else "predicted"
        ctx = contexts.get(name)
        guess = predicted_fit(pub, fit, fit.sigma_m, ctx, (median_alpha, median_gamma))
        se = fit.rate_spread  # on the logit scale, about that of gamma
        if pub is not None and ctx is not None:
            se = gamma_se_of(as_predicted(pub, fit), guess, fit.sigma_m, ctx, fit.rate_spread)
        out[name] = SpecialtyParams(guess.alpha, guess.gamma, guess.slope, source, n,
                                    round(se, 5))
    return out


def placeholder_programs(specialty: str, n: int) -> list[Program]:
    """``n`` programs of ``specialty`` whose facts are all unknown (scored over the priors)."""
    fact = Fact("specialty", specialty, Status.REPORTED)
    return [Program(f"{specialty}-{i}", "placeholder", {"specialty": fact}) for i in range(n)]


def _arrays(programs: list[Program], params: ModelParams, specialty: str) -> ProgramArrays:
    own = [p for p in programs if p.value("specialty") == specialty]
    return build_program_arrays(own or placeholder_programs(specialty, 50), params, specialty)


def _draws(coef: dict[str, float], ifit: InterviewFit, mfit: MatchFit, seed: int,
           program_se: dict[str, float]) -> dict[str, list[float]]:
    rng = np.random.default_rng(seed + 1)
    theta = np.array([ifit.values[k] for k in FITTED])
    fitted = rng.multivariate_normal(theta, ifit.cov, size=N_DRAWS, method="eigh")
    draws: dict[str, np.ndarray] = {}
    for spec in COEFFICIENTS:
        center = coef.get(spec.name, spec.value)  # fitted ones: around the fitted value
        draws[spec.name] = _clip_sign(rng.normal(center, spec.sd, N_DRAWS), spec.sign)
    for i, name in enumerate(FITTED):
        if name == "alpha":
            draws["i_shift"] = fitted[:, i] - theta[i]
        elif name == "log_sigma_i":
            draws["sigma_i"] = np.exp(fitted[:, i])
        elif name == "log_s_us":
            draws["s_us"] = np.exp(fitted[:, i])
        elif name in ("t_us_md", "t_us_do"):  # records' own offsets: their spread only
            draws[name] = coef[name] + fitted[:, i] - theta[i]
        elif name in NUISANCE:
            continue
        else:
            draws[name] = _clip_sign(fitted[:, i], SPEC_BY_NAME[name].sign)
    draws["sigma_m"] = np.abs(rng.normal(mfit.sigma_m, mfit.sigma_m_se, N_DRAWS))
    for name, se in program_se.items():
        draws[name] = _clip_sign(rng.normal(coef[name], se, N_DRAWS), SPEC_BY_NAME[name].sign)
    draws["m_shift"] = rng.normal(0.0, 1.0, N_DRAWS)  # times each specialty's gamma_se
    draws["p_gold"] = np.maximum(draws["p_gold"], draws["p_silver"])  # gold never below silver
    draws["i_visa"] = np.clip(draws["i_visa"], VISA_BOUND, 0.0)
    return {k: [round(float(x), 5) for x in v] for k, v in sorted(draws.items())}


def _clip_sign(values: np.ndarray, sign: str) -> np.ndarray:
    if sign == "+":
        return np.maximum(values, 0.0)
    if sign == "-":
        return np.minimum(values, 0.0)
    return values


def _meta(seed: int, mfit: MatchFit, ifit: InterviewFit, rec_fit: list[ApplicationRecord],
          rec_held: list[ApplicationRecord], programs: list[Program], catalog: Path
          ) -> dict[str, Any]:
    return {
        "seed": seed,
        "catalog": str(catalog),
        "n_catalog_programs": len(programs),
        "held_out_specialties": sorted(HELD_OUT_SPECIALTIES),
        "records_fit": [r.record for r in rec_fit],
        "records_held_out": [r.record for r in rec_held],
        "match_shared_slope": round(mfit.shared_slope, 5),
        "match_regression": [round(x, 5) for x in mfit.regression_gamma],
        "interview_regression": [round(x, 5) for x in mfit.regression_alpha],
        "rate_regression": [round(x, 5) for x in mfit.regression_rate],
        "rate_spread": round(mfit.rate_spread, 5),
        "interview_fit": {**{k: round(v, 5) for k, v in ifit.values.items()},
                          "t_us_img": SPEC_BY_NAME["t_us_img"].value},
        "interview_se": {k: round(float(np.sqrt(ifit.cov[i, i])), 5)
                         for i, k in enumerate(FITTED)},
    }
