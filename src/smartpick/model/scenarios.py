"""Joint scenarios of one applicant's outcomes across programs, for the planner.

Programs read the same application, so outcomes are correlated. Each scenario draws, once:
a parameter draw (model uncertainty), the applicant's latent shock ``u`` (shared by every
program, in both the interview and the match layer), and for every program one node of its
unknown facts (the fact is one value in truth, unknown to us). Given those, each program's
success ``P(interview) * P(match | interview)`` is independent, and is either returned as
that probability (``outcome="prob"``) or drawn as a yes/no outcome (``outcome="bool"``).

Calls with the same seed and programs share every draw (common random numbers), whatever the
signals: outcomes with and without a signal can be compared scenario by scenario, and with
``outcome="bool"`` a signal only ever turns a failure into a success.
:func:`draw_signal_scenarios` returns the three signal variants of one set of scenarios at once.
Results are (S, J) arrays computed program-major: the transpose of each is a contiguous (J, S)
array, which is how the planner reads them (one program's scenarios at a time).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from smartpick.errors import InputError, ValidationProblem
from smartpick.model.features import SIGNAL_KINDS, ApplicantFeatures
from smartpick.model.interview import Misses, Signals
from smartpick.model.logits import (
    draw_coef,
    interview_logits,
    match_logits,
    miss_counts,
    shock_scale,
    sigmoid,
    signal_codes,
)
from smartpick.model.params import ModelParams, load_params
from smartpick.model.program_arrays import ProgramArrays

Outcome = Literal["bool", "prob"]
FloatArray = NDArray[np.float64]


@dataclass
class _Draws:
    """Scenario draws resolved to unsignalled logits, program-major: shape (J, S) each."""

    eta_i: FloatArray
    eta_m: FloatArray
    coef: dict[str, FloatArray]  # per-scenario coefficients, shape (1, S)
    rng: np.random.Generator  # drawn last: the uniforms of yes/no outcomes
    _uniform: FloatArray | None = None

    def uniform(self) -> FloatArray:
        """(J, S) uniforms for yes/no outcomes, drawn once (the same in every variant)."""
        if self._uniform is None:
            self._uniform = self.rng.random((self.eta_i.shape[1], self.eta_i.shape[0])).T
        return self._uniform


def draw_scenarios(
    features: ApplicantFeatures, programs: ProgramArrays, n_scenarios: int, seed: int,
    signals: Signals = None, preferred_misses: Misses = None,
    params: ModelParams | None = None, outcome: Outcome = "bool",
) -> NDArray[np.bool_] | FloatArray:
    """An (S, J) array: success at each program in each of ``n_scenarios`` joint scenarios."""
    d = _draw(features, programs, params or load_params(), n_scenarios, seed, preferred_misses)
    codes = signal_codes(signals, programs.n_programs)[:, None]
    c = d.coef
    q = sigmoid(d.eta_i + c["p_gold"] * (codes == 2) + c["p_silver"] * (codes == 1))
    r = sigmoid(d.eta_m + c["m_gold"] * (codes == 2))
    return _outcome(d, q * r, outcome).T


def draw_signal_scenarios(
    features: ApplicantFeatures, programs: ProgramArrays, n_scenarios: int, seed: int,
    preferred_misses: Misses = None, params: ModelParams | None = None,
    outcome: Outcome = "bool", among: tuple[int, NDArray[np.int64]] | None = None,
) -> dict[str, NDArray[np.bool_] | FloatArray]:
    """The same scenarios with no signal, a silver and a gold signal at every program.

    Each result is (S, J), the transpose of a contiguous program-major (J, S) array.
    ``among = (size, position)``: these programs are some of a call's ``size`` programs, at
    ``position`` in it (-1: not among them); each gets the draws of its unknown facts that it
    gets in that call, so chances of a few programs agree with the whole call's.
    """
    d = _draw(features, programs, params or load_params(), n_scenarios, seed, preferred_misses,
              among)
    c = d.coef
    odds_i, odds_m = np.exp(-d.eta_i), np.exp(-d.eta_m)  # sigmoid(x + k) = 1 / (1 + e^-x e^-k)
    r = _shifted_sigmoid(odds_m, None)
    success = {
        "none": _shifted_sigmoid(odds_i, None) * r,
        "silver": _shifted_sigmoid(odds_i, c["p_silver"]) * r,
        "gold": _shifted_sigmoid(odds_i, c["p_gold"]) * _shifted_sigmoid(odds_m, c["m_gold"]),
    }
    return {kind: _outcome(d, success[kind], outcome).T for kind in SIGNAL_KINDS}


def _shifted_sigmoid(neg_exp: FloatArray, shift: FloatArray | None) -> FloatArray:
    """sigmoid(x + shift) from ``neg_exp = exp(-x)``: one exp serves every shift."""
    out = neg_exp * np.exp(-shift) if shift is not None else neg_exp.copy()
    out += 1.0
    np.reciprocal(out, out=out)
    return out


def _draw(f: ApplicantFeatures, arrays: ProgramArrays, prm: ModelParams, n: int, seed: int,
          misses: Misses, among: tuple[int, NDArray[np.int64]] | None = None) -> _Draws:
    if n < 1:
        raise InputError("need at least one scenario",
                         [ValidationProblem("n_scenarios", "must be 1 or more")])
    rng = np.random.default_rng(seed)
    none = signal_codes(None, arrays.n_programs)
    miss = miss_counts(misses, arrays.n_programs)
    coef = draw_coef(prm)
    eta_i = interview_logits(f, arrays, coef, prm.reference, none, miss)  # (B, J, M)
    eta_m = match_logits(f, arrays, coef, prm.reference, none, miss)[..., 0]  # (B, J)
    shape = (prm.n_draws, arrays.n_programs, arrays.n_nodes)
    eta_i = np.broadcast_to(eta_i, shape)
    eta_m = np.broadcast_to(eta_m, shape[:2])
    b, u = _scenario_draws(rng, n, prm.n_draws)
    if among is None:
        node = rng.integers(arrays.n_nodes, size=(n, arrays.n_programs)).T  # (J, S)
    else:
        size, position = among
        whole, after = _call_nodes(seed, n, prm.n_draws, arrays.n_nodes, size)
        rng.bit_generator.state = after  # as if the whole call's nodes were drawn here
        outside = position < 0
        node = np.empty((arrays.n_programs, n), dtype=whole.dtype)
        node[~outside] = whole[position[~outside]]
        node[outside] = rng.integers(arrays.n_nodes, size=(n, int(outside.sum()))).T
    rows = np.arange(arrays.n_programs)[:, None]
    picked = {k: v[b, 0, 0][None, :] for k, v in coef.items()}  # (1, S)
    eta_i_s = eta_i[b[None, :], rows, node]
    eta_i_s += shock_scale(f, picked) * u
    eta_m_s = eta_m[b[None, :], rows]
    eta_m_s += picked["sigma_m"] * u
    return _Draws(eta_i=eta_i_s, eta_m=eta_m_s, coef=picked, rng=rng)


def _scenario_draws(rng: np.random.Generator, n: int,
                    n_draws: int) -> tuple[NDArray[np.int64], FloatArray]:
    """Each scenario's parameter draw and applicant shock (shape (1, S)), drawn first."""
    return rng.integers(n_draws, size=n), rng.standard_normal(n)[None, :]


@lru_cache(maxsize=8)
def _call_nodes(seed: int, n: int, n_draws: int, n_nodes: int,
                size: int) -> tuple[NDArray[Any], Mapping[str, Any]]:
    """The unknown-fact nodes a call of ``size`` programs draws (program-major, read-only),
    and the generator's state after them: what-ifs read the nodes of a few of those
    programs many times, so they are drawn once."""
    rng = np.random.default_rng(seed)
    _scenario_draws(rng, n, n_draws)  # drawn before the nodes, as in _draw
    whole = rng.integers(n_nodes, size=(n, size)).T.astype(np.min_scalar_type(n_nodes))
    whole.setflags(write=False)
    return whole, rng.bit_generator.state


def _outcome(d: _Draws, success: FloatArray, outcome: Outcome
             ) -> NDArray[np.bool_] | FloatArray:
    if outcome == "prob":
        return success
    drawn: NDArray[np.bool_] = d.uniform() < success
    return drawn
