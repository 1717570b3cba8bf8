"""``smartpick calibrate``: refit every parameter, deterministically, from shipped data.

Order: priors of program facts (catalog) -> match layer (Charting Outcomes, some specialties
held out) -> interview layer (applicant records, a share held out) -> interview intercepts of
the other specialties (contiguous ranks) -> parameter draws. The result is a
:class:`~smartpick.model.params.ModelParams`, saved as the package's ``params.json``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from smartpick.catalog.fields import Status
from smartpick.catalog.program import Fact, Program
from smartpick.catalog.specialties import CANONICAL
from smartpick.model.calibration.catalog_rows import CATALOG_FILE, load_catalog_programs
from smartpick.model.calibration.cohort import PublishedSpecialty, load_published
from smartpick.model.calibration.fit_interview import (
    FITTED,
    InterviewFit,
    fit_interview_layer,
    fitted_coef,
)
from smartpick.model.calibration.fit_match import MatchFit, fit_match_layer, predicted_gamma
from smartpick.model.calibration.records import ApplicationRecord, load_records, split
from smartpick.model.calibration.specialty_alpha import alpha_from_ranks, applications
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
    coef = {c.name: c.value for c in COEFFICIENTS}
    match_fit = fit_match_layer(pubs, set(HELD_OUT_SPECIALTIES))
    counts = Counter(str(p.value("specialty")) for p in programs if p.value("specialty"))
    specs = _match_specialties(pubs, match_fit, set(counts))
    draft = ModelParams(VERSION, coef, {}, specs, priors, dict(REFERENCE))
    records = load_records(stats)
    rec_fit, rec_held = split(records, HELD_OUT_RECORD_SHARE, seed)
    im_arrays = _arrays(programs, draft, IM)
    ifit = fit_interview_layer(rec_fit, im_arrays, coef, dict(REFERENCE))
    coef.update(fitted_coef(ifit), sigma_m=match_fit.sigma_m)
    specs = _with_alphas(specs, pubs, programs, draft, coef, ifit, counts)
    meta = _meta(seed, match_fit, ifit, rec_fit, rec_held, programs, catalog or CATALOG_FILE)
    params = ModelParams(VERSION, coef, _draws(coef, ifit, match_fit, seed), specs, priors,
                         dict(REFERENCE), meta)
    return Calibration(params, pubs, rec_fit, rec_held, programs)


def _match_specialties(pubs: dict[str, PublishedSpecialty], fit: MatchFit,
                       catalog_names: set[str]) -> dict[str, SpecialtyParams]:
    """Match-layer parameters for every specialty known by name, in CO, or in the catalog."""
    out: dict[str, SpecialtyParams] = {}
    for name in sorted(set(CANONICAL) | set(pubs) | catalog_names):
        pub = pubs.get(name)
        if name in fit.gamma:
            out[name] = SpecialtyParams(0.0, fit.gamma[name], fit.slope[name], "fitted")
            continue
        source = "held_out" if name in HELD_OUT_SPECIALTIES else "predicted"
        out[name] = SpecialtyParams(0.0, predicted_gamma(fit, pub), fit.shared_slope, source)
    return out


def placeholder_programs(specialty: str, n: int) -> list[Program]:
    """``n`` programs of ``specialty`` whose facts are all unknown (scored over the priors)."""
    fact = Fact("specialty", specialty, Status.REPORTED)
    return [Program(f"{specialty}-{i}", "placeholder", {"specialty": fact}) for i in range(n)]


def _arrays(programs: list[Program], params: ModelParams, specialty: str) -> ProgramArrays:
    own = [p for p in programs if p.value("specialty") == specialty]
    return build_program_arrays(own or placeholder_programs(specialty, 50), params, specialty)


def _with_alphas(specs: dict[str, SpecialtyParams], pubs: dict[str, PublishedSpecialty],
                 programs: list[Program], draft: ModelParams, coef: dict[str, float],
                 ifit: InterviewFit, counts: Counter[str]) -> dict[str, SpecialtyParams]:
    out = {}
    for name, sp in specs.items():
        pub, n = pubs.get(name), counts.get(name, 0)
        alpha = ifit.values["alpha"]
        if name != IM and pub is not None and pub.usable:
            arrays = _arrays(programs, draft, name)
            alpha = alpha_from_ranks(pub, arrays, coef, dict(REFERENCE), applications(n))
        out[name] = SpecialtyParams(alpha, sp.gamma, sp.step2_slope, sp.source, n)
    return out


def _draws(coef: dict[str, float], ifit: InterviewFit, mfit: MatchFit, seed: int
           ) -> dict[str, list[float]]:
    rng = np.random.default_rng(seed + 1)
    theta = np.array([ifit.values[k] for k in FITTED])
    fitted = rng.multivariate_normal(theta, ifit.cov, size=N_DRAWS, method="eigh")
    draws: dict[str, np.ndarray] = {}
    for spec in COEFFICIENTS:
        draws[spec.name] = _clip_sign(rng.normal(spec.value, spec.sd, N_DRAWS), spec.sign)
    for i, name in enumerate(FITTED):
        if name == "alpha":
            draws["i_shift"] = fitted[:, i] - theta[i]
        elif name == "log_sigma_i":
            draws["sigma_i"] = np.exp(fitted[:, i])
        else:
            draws[name] = _clip_sign(fitted[:, i], SPEC_BY_NAME[name].sign)
    draws["sigma_m"] = np.abs(rng.normal(mfit.sigma_m, mfit.sigma_m_se, N_DRAWS))
    draws["m_shift"] = rng.normal(0.0, mfit.gamma_se, N_DRAWS)
    draws["p_gold"] = np.maximum(draws["p_gold"], draws["p_silver"])  # gold never below silver
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
        "match_regression": [round(x, 5) for x in mfit.regression],
        "interview_fit": {k: round(v, 5) for k, v in ifit.values.items()},
        "interview_se": {k: round(float(np.sqrt(ifit.cov[i, i])), 5)
                         for i, k in enumerate(FITTED)},
    }
