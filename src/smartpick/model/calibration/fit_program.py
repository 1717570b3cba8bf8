"""The program side, fitted on who actually matched where (FREIDA resident shares, IM).

Residents are matched applicants. For an Internal Medicine program ``j`` FREIDA gives the shares
of IMG, DO and US MD residents. The model implies an intake: applicants of type ``T`` put ``j``
on their list with probability ``pi_Tj`` (:mod:`.applying`), get an interview with chance
``q_Tj`` and then match in a way that does not depend on the program, so the intake of type
``T`` is proportional to ``exp(kappa_T) * pi_Tj * q_Tj`` (``kappa_T`` absorbs the national pool
of the type and its ranking chances). The program coefficients (IMG share for IMGs and for
everyone, interviews per position, positions, 2024 fill) and the ``kappa`` are fitted so the
implied shares reproduce the observed ones of the fitting programs: a multinomial likelihood
with one class of PGY-1 positions as the count, and the stated values as normal priors.

The IMG share is also a fact the model reads. Where it is unknown (about half of the IM
catalog, every program elsewhere) the prior is a regression of its empirical logit on what is
known everywhere: program type, 2024 fill, interviews per position, positions, the visa list
(an empty list is its own category) and the state's mean share; its residuals are the nodes.

A seeded fifth of the IM programs with a known share is held out of both fits; the validation
hides their shares and compares the intake the model implies with the observed shares, against
a baseline regression on program type and fill alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import optimize

from smartpick.catalog.program import Program
from smartpick.model.calibration.applying import inclusion, program_term
from smartpick.model.logits import marginal_sigmoid
from smartpick.model.params import ModelParams
from smartpick.model.priors import (
    logit_share,
    numeric_value,
    program_type_group,
    visa_combo,
    visa_listed_empty,
)
from smartpick.model.program_arrays import ProgramArrays, build_program_arrays
from smartpick.model.share_prior import STATE_SHRINK, ShareModel, raw_covariates, share_row

FloatArray = NDArray[np.float64]
HOLD_SHARE = 0.2
PROGRAM_COEF = ("p_img", "p_open", "p_ipp", "p_pos", "p_fill")
TYPES = ("img", "do", "md")
FULL = ("type", "fill", "ipp", "positions", "visa", "state")
BASELINE = ("type", "fill")


def known_share(p: Program) -> tuple[float, float, float] | None:
    img, do, md = (numeric_value(p, k) for k in ("pct_img", "pct_do", "pct_usmd"))
    if img is None or do is None or md is None or img + do + md <= 0:
        return None
    total = img + do + md
    return img / total, do / total, md / total


def split_programs(programs: Sequence[Program], seed: int
                   ) -> tuple[list[Program], list[Program]]:
    """(fit, held out): a seeded fifth of the programs with a known share is held out."""
    known = [p for p in programs if known_share(p) is not None]
    order = np.random.default_rng(seed + 12).permutation(len(known))
    n_hold = round(HOLD_SHARE * len(known))
    held = {known[i].program_id for i in order[:n_hold]}
    return [p for p in known if p.program_id not in held], [known[i] for i in order[:n_hold]]


def _target(p: Program) -> float:
    share = known_share(p)
    assert share is not None
    return logit_share(100.0 * share[0], numeric_value(p, "positions"))


def fit_share_model(programs: Sequence[Program], parts: tuple[str, ...], nodes: int = 8
                    ) -> ShareModel:
    ys = np.array([_target(p) for p in programs])
    national = float(ys.mean())
    sums: dict[str, list[float]] = {}
    for p, y in zip(programs, ys, strict=True):
        sums.setdefault(str(p.value("state") or ""), []).append(float(y))
    state = {s: (sum(v) + STATE_SHRINK * national) / (len(v) + STATE_SHRINK)
             for s, v in sums.items()}
    raws = [raw_covariates(p) for p in programs]
    means = {k: float(np.mean([r[k] for r in raws if r[k] is not None] or [0.0]))
             for k in ("fill", "ipp", "positions")}
    groups = [program_type_group(p.value("program_type")) for p in programs]
    for g in ("university", "community_university", "community"):
        means[f"type_{g}"] = float(np.mean([float(x == g) for x in groups if x] or [0.0]))
    combos = [("empty" if visa_listed_empty(p) else visa_combo(p)) for p in programs]
    for k in ("j1", "j1_h1b", "empty"):
        means[f"visa_{k}"] = float(np.mean([float(c == k) for c in combos if c] or [0.0]))
    draft = ShareModel(parts, [], [], state, national, means)
    x = np.array([share_row(p, draft) for p in programs])
    coef, *_ = np.linalg.lstsq(x, ys, rcond=None)
    resid = ys - x @ coef
    levels = (np.arange(nodes) + 0.5) / nodes
    return replace(draft, coef=[float(c) for c in coef],
                   residual_nodes=[float(v) for v in np.quantile(resid, levels)])


@dataclass(frozen=True)
class TypeLevel:
    """A typical applicant of one type for the intake: logit level, list size, visa mix."""

    applicant_type: str
    eta: tuple[float, ...]  # per visa group
    visa: tuple[str, ...]
    share: tuple[float, ...]
    n_apps: int


def implied_shares(arrays: ProgramArrays, coef: dict[str, float], levels: Sequence[TypeLevel],
                   kappa: FloatArray) -> FloatArray:
    """(J, 3): the IMG / DO / MD shares of each program's intake, averaged over fact nodes."""
    lam = []
    for level, k in zip(levels, np.r_[0.0, kappa], strict=True):
        total = np.zeros((arrays.n_programs, arrays.n_nodes))
        for eta, visa, share in zip(level.eta, level.visa, level.share, strict=True):
            term = program_term(arrays, coef, level.applicant_type, visa)
            pi = inclusion(term, level.n_apps)
            spread = coef["sigma_i"] * (coef.get("s_us", 1.0)
                                        if level.applicant_type in ("us_md", "us_do") else 1.0)
            total += share * pi[:, None] * marginal_sigmoid(eta + term, spread)
        lam.append(np.exp(k) * total)
    stacked = np.stack(lam, axis=-1)  # (J, M, 3)
    result: FloatArray = (stacked / stacked.sum(-1, keepdims=True)).mean(axis=1)
    return result


@dataclass(frozen=True)
class ProgramFit:
    coef: dict[str, float]
    kappa: list[float]
    se: dict[str, float]
    n_programs: int


def fit_program_side(programs: Sequence[Program], params: ModelParams,
                     levels: Sequence[TypeLevel], prior: dict[str, tuple[float, float]]
                     ) -> ProgramFit:
    arrays = build_program_arrays(programs, params, "Internal Medicine")
    observed = np.array([known_share(p) for p in programs], float)
    weight = np.array([numeric_value(p, "positions") or 10.0 for p in programs])

    def unpack(theta: FloatArray) -> dict[str, float]:
        return {**params.coef, **dict(zip(PROGRAM_COEF, map(float, theta[:5]), strict=True))}

    def nll(theta: FloatArray) -> float:
        s = implied_shares(arrays, unpack(theta), levels, theta[5:])
        ll = float(np.sum(weight[:, None] * observed * np.log(np.clip(s, 1e-9, 1.0))))
        pen = sum(((theta[i] - prior[n][0]) / prior[n][1]) ** 2
                  for i, n in enumerate(PROGRAM_COEF))
        return -ll + 0.5 * pen

    x0 = np.r_[[prior[n][0] for n in PROGRAM_COEF], 0.0, 0.0]
    bounds = [(0.0, 3.0), (0.0, 3.0), (0.0, 2.0), (0.0, 2.0), (-3.0, 0.0), (-15, 15), (-15, 15)]
    res = optimize.minimize(nll, x0, method="L-BFGS-B", bounds=bounds)
    fitted = implied_shares(arrays, unpack(res.x), levels, res.x[5:])
    pearson = float(np.sum(weight[:, None] * (observed - fitted) ** 2 / np.clip(fitted, 1e-6, 1)))
    dispersion = max(pearson / max(2 * len(programs) - len(res.x), 1), 1.0)
    se = [v * float(np.sqrt(dispersion)) for v in _se(nll, res.x)]  # overdispersion-scaled
    return ProgramFit({n: float(res.x[i]) for i, n in enumerate(PROGRAM_COEF)},
                      [float(v) for v in res.x[5:]],
                      {n: se[i] for i, n in enumerate(PROGRAM_COEF)}, len(programs))


def _se(f: Any, theta: FloatArray, h: float = 1e-3) -> list[float]:
    out = []
    for i in range(5):
        step = np.zeros_like(theta)
        step[i] = h
        curv = (f(theta + step) - 2 * f(theta) + f(theta - step)) / h**2
        out.append(float(1.0 / np.sqrt(max(curv, 1e-6))))
    return out


def type_levels(coef: dict[str, float], own: dict[str, float], reference: dict[str, float],
                records: Sequence[Any]) -> list[TypeLevel]:
    """Typical IMG, DO and MD applicants at the records' level (their own intercept, offsets).

    The IMGs mix the reference visa need (65% J-1); step 2 CK and list sizes are the records'
    medians for the type.
    """
    from smartpick.model.calibration.fit_types import typical_applicant
    from smartpick.model.strength import rest_terms, step2_z

    level_coef: dict[str, float] = dict(coef)
    level_coef.update({k: own[k] for k in ("t_us_md", "t_us_do") if k in own})
    alpha = own.get("alpha", -5.0)
    need = reference.get("needs_visa", 0.65)
    out = []
    for kind, label in (("non_us_img", "img"), ("us_do", "do"), ("us_md", "md")):
        f, apps = typical_applicant(kind, list(records))
        groups = ((("j1", need), ("none", 1.0 - need)) if label == "img"
                  else (("none", 1.0),))
        etas = tuple(alpha + coef["i_step2"] * step2_z(f.step2ck, reference)
                     + rest_terms(f.with_(visa=visa), level_coef, reference)
                     for visa, _ in groups)
        out.append(TypeLevel(kind, etas, tuple(v for v, _ in groups),
                             tuple(s for _, s in groups), apps))
    return out
