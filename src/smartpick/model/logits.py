"""The two linear predictors of the model, for one applicant against many programs.

- interview: ``alpha_j + i_step2 * zs2 + rest + program terms (at each node) + sigma_i * u``
- match given interview: ``gamma_j + slope_j * zs2 + m_rest * rest + m_pref * misses
  + m_gold * gold + sigma_m * u``

``u`` is the applicant's shared latent shock (standard normal). Coefficients can be floats
(point estimates) or arrays of shape (B, 1, 1) (parameter draws); results broadcast to
(J, M) or (B, J, M).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smartpick.errors import InputError, ValidationProblem
from smartpick.model.coefficients import IMG_WEIGHT
from smartpick.model.features import SIGNAL_KINDS, ApplicantFeatures
from smartpick.model.params import ModelParams
from smartpick.model.program_arrays import ProgramArrays
from smartpick.model.strength import US_GRADUATES, rest_terms, step2_z

Coef = Mapping[str, Any]
IntArray = NDArray[np.int_]


def point_coef(params: ModelParams) -> dict[str, float]:
    return dict(params.coef)


def draw_coef(params: ModelParams) -> dict[str, NDArray[np.float64]]:
    """Coefficient draws shaped (B, 1, 1) so they broadcast over (J, M)."""
    return {k: np.asarray(v, float)[:, None, None] for k, v in params.draws.items()}


def signal_codes(signals: Sequence[str] | IntArray | None, n: int) -> IntArray:
    """Signals per program as 0 (none), 1 (silver), 2 (gold)."""
    if signals is None:
        return np.zeros(n, dtype=int)
    arr = np.asarray(signals)
    if arr.shape != (n,):
        raise InputError("signals do not match the programs",
                         [ValidationProblem("signals", f"expected {n} entries, got {arr.size}")])
    if arr.dtype.kind in "iu":
        return arr.astype(int)
    bad = sorted({str(s) for s in arr if str(s) not in SIGNAL_KINDS})
    if bad:
        raise InputError("unknown signal kind",
                         [ValidationProblem("signals", f"{bad}; use none, silver or gold")])
    return np.array([SIGNAL_KINDS.index(str(s)) for s in arr], dtype=int)


def miss_counts(misses: Sequence[int] | IntArray | None, n: int) -> NDArray[np.float64]:
    if misses is None:
        return np.zeros(n)
    arr = np.asarray(misses, dtype=float)
    if arr.shape != (n,) or (arr < 0).any():
        raise InputError("preferred-rule misses do not match the programs",
                         [ValidationProblem("preferred_misses",
                                            f"expected {n} counts >= 0")])
    return arr


def interview_logits(
    f: ApplicantFeatures, arrays: ProgramArrays, coef: Coef, reference: Mapping[str, float],
    signals: IntArray, misses: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Interview logit at u = 0, shape (J, M) or (B, J, M)."""
    applicant = coef["i_step2"] * step2_z(f.step2ck, reference) + rest_terms(f, coef, reference)
    open_ = coef.get("p_open", 0.0)
    prog = (IMG_WEIGHT[f.applicant_type] * coef["p_img"] + open_) * arrays.img
    prog = prog + coef["p_ipp"] * arrays.ipp + coef["p_pos"] * arrays.pos
    prog = prog + coef["p_fill"] * arrays.fill
    if f.needs_visa:
        prog = prog + coef["p_visa"] * (~arrays.visa_ok(f.visa))
    per_program = _tie_mask(f, arrays) * coef["p_tie"] + coef["p_pref"] * misses[:, None]
    per_program = per_program + coef["p_gold"] * (signals == 2)[:, None]
    per_program = per_program + coef["p_silver"] * (signals == 1)[:, None]
    base = arrays.alpha[:, None] + coef["i_shift"] + applicant
    result: NDArray[np.float64] = base + prog + per_program
    return result


def match_logits(
    f: ApplicantFeatures, arrays: ProgramArrays, coef: Coef, reference: Mapping[str, float],
    signals: IntArray, misses: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Match-given-interview logit at u = 0, shape (J, 1) or (B, J, 1)."""
    zs2 = step2_z(f.step2ck, reference)
    se = 1.0 if arrays.gamma_se is None else arrays.gamma_se[:, None]
    out = arrays.gamma[:, None] + coef["m_shift"] * se + arrays.step2_slope[:, None] * zs2
    out = out + coef["m_rest"] * rest_terms(f, coef, reference)
    out = out + coef["m_pref"] * misses[:, None] + coef["m_gold"] * (signals == 2)[:, None]
    result: NDArray[np.float64] = out
    return result


def _tie_mask(f: ApplicantFeatures, arrays: ProgramArrays) -> NDArray[np.float64]:
    if not f.tie_states:
        return np.zeros((arrays.n_programs, 1))
    return np.array([s in f.tie_states for s in arrays.states], dtype=float)[:, None]


def shock_scale(f: ApplicantFeatures, coef: Coef) -> Any:
    """The spread of the applicant's shock in the interview layer (US graduates: their own)."""
    if f.applicant_type in US_GRADUATES:
        return coef["sigma_i"] * coef.get("s_us", 1.0)
    return coef["sigma_i"]


def marginal_sigmoid(eta: NDArray[np.float64], sigma: Any) -> NDArray[np.float64]:
    """E[sigmoid(eta + sigma * u)] for u ~ N(0, 1), by the probit approximation."""
    scaled = eta / np.sqrt(1.0 + np.pi * np.square(sigma) / 8.0)
    return sigmoid(scaled)


def sigmoid(x: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
    """The logistic function 1 / (1 + e^-x) (an overflow of e^-x gives exactly 0)."""
    with np.errstate(over="ignore"):
        result: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))
    return result
