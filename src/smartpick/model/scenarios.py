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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
    sigmoid,
    signal_codes,
)
from smartpick.model.params import ModelParams, load_params
from smartpick.model.program_arrays import ProgramArrays

Outcome = Literal["bool", "prob"]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class _Draws:
    """Scenario draws resolved to unsignalled logits, shape (S, J) each."""

    eta_i: FloatArray
    eta_m: FloatArray
    coef: dict[str, FloatArray]  # per-scenario coefficients, shape (S, 1)
    uniform: FloatArray  # (S, J) uniforms for yes/no outcomes


def draw_scenarios(
    features: ApplicantFeatures, programs: ProgramArrays, n_scenarios: int, seed: int,
    signals: Signals = None, preferred_misses: Misses = None,
    params: ModelParams | None = None, outcome: Outcome = "bool",
) -> NDArray[np.bool_] | FloatArray:
    """An (S, J) array: success at each program in each of ``n_scenarios`` joint scenarios."""
    d = _draw(features, programs, params or load_params(), n_scenarios, seed, preferred_misses)
    codes = signal_codes(signals, programs.n_programs)
    return _outcome(d, codes, outcome)


def draw_signal_scenarios(
    features: ApplicantFeatures, programs: ProgramArrays, n_scenarios: int, seed: int,
    preferred_misses: Misses = None, params: ModelParams | None = None,
    outcome: Outcome = "bool",
) -> dict[str, NDArray[np.bool_] | FloatArray]:
    """The same scenarios with no signal, a silver and a gold signal at every program."""
    d = _draw(features, programs, params or load_params(), n_scenarios, seed, preferred_misses)
    n = programs.n_programs
    return {kind: _outcome(d, np.full(n, code), outcome)
            for code, kind in enumerate(SIGNAL_KINDS)}


def _draw(f: ApplicantFeatures, arrays: ProgramArrays, prm: ModelParams, n: int, seed: int,
          misses: Misses) -> _Draws:
    if n < 1:
        raise InputError("need at least one scenario",
                         [ValidationProblem("n_scenarios", "must be 1 or more")])
    rng = np.random.default_rng(seed)
    none = signal_codes(None, arrays.n_programs)
    miss = miss_counts(misses, arrays.n_programs)
    coef = draw_coef(prm)
    shape = (prm.n_draws, arrays.n_programs, arrays.n_nodes)
    eta_i = np.broadcast_to(interview_logits(f, arrays, coef, prm.reference, none, miss), shape)
    eta_m = np.broadcast_to(match_logits(f, arrays, coef, prm.reference, none, miss)[..., 0],
                            shape[:2])
    b = rng.integers(prm.n_draws, size=n)
    u = rng.standard_normal(n)[:, None]
    node = rng.integers(arrays.n_nodes, size=(n, arrays.n_programs))
    cols = np.arange(arrays.n_programs)[None, :]
    picked = {k: v[b, 0] for k, v in coef.items()}  # (S, 1)
    return _Draws(
        eta_i=eta_i[b[:, None], cols, node] + picked["sigma_i"] * u,
        eta_m=eta_m[b[:, None], cols] + picked["sigma_m"] * u,
        coef=picked, uniform=rng.random((n, arrays.n_programs)),
    )


def _outcome(d: _Draws, codes: NDArray[np.int_], outcome: Outcome
             ) -> NDArray[np.bool_] | FloatArray:
    gold, silver = (codes == 2)[None, :], (codes == 1)[None, :]
    c = d.coef
    q = sigmoid(d.eta_i + c["p_gold"] * gold + c["p_silver"] * silver)
    r = sigmoid(d.eta_m + c["m_gold"] * gold)
    success: FloatArray = q * r
    if outcome == "prob":
        return success
    drawn: NDArray[np.bool_] = d.uniform < success
    return drawn
