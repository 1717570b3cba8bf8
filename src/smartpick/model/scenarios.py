"""Joint scenarios of one applicant's outcomes across programs, for the planner.

Programs read the same application, so outcomes are correlated. Each scenario draws, once:
a parameter draw (model uncertainty), the applicant's latent shock ``u`` (shared by every
program, in both the interview and the match layer), and for every program one node of its
unknown facts (the fact is one value in truth, unknown to us). Given those, each program's
success ``P(interview) * P(match | interview)`` is independent, and is either returned as
that probability (``outcome="prob"``) or drawn as a yes/no outcome (``outcome="bool"``).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray

from smartpick.errors import InputError, ValidationProblem
from smartpick.model.features import ApplicantFeatures
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


def draw_scenarios(
    features: ApplicantFeatures, programs: ProgramArrays, n_scenarios: int, seed: int,
    signals: Signals = None, preferred_misses: Misses = None,
    params: ModelParams | None = None, outcome: Outcome = "bool",
) -> NDArray[np.bool_] | NDArray[np.float64]:
    """An (S, J) array: success at each program in each of ``n_scenarios`` joint scenarios."""
    if n_scenarios < 1:
        raise InputError("need at least one scenario",
                         [ValidationProblem("n_scenarios", "must be 1 or more")])
    prm = params or load_params()
    rng = np.random.default_rng(seed)
    success = _success_prob(features, programs, prm, rng, n_scenarios, signals, preferred_misses)
    if outcome == "prob":
        return success
    drawn: NDArray[np.bool_] = rng.random(success.shape) < success
    return drawn


def _success_prob(
    f: ApplicantFeatures, arrays: ProgramArrays, prm: ModelParams, rng: np.random.Generator,
    n: int, signals: Signals, misses: Misses,
) -> NDArray[np.float64]:
    sig = signal_codes(signals, arrays.n_programs)
    miss = miss_counts(misses, arrays.n_programs)
    coef = draw_coef(prm)
    eta_i = interview_logits(f, arrays, coef, prm.reference, sig, miss)  # (B, J, M)
    eta_m = match_logits(f, arrays, coef, prm.reference, sig, miss)[..., 0]  # (B, J)
    b = rng.integers(prm.n_draws, size=n)
    u = rng.standard_normal(n)[:, None]
    node = rng.integers(arrays.n_nodes, size=(n, arrays.n_programs))
    cols = np.arange(arrays.n_programs)[None, :]
    eta_i = np.broadcast_to(eta_i, (prm.n_draws, arrays.n_programs, arrays.n_nodes))
    eta_m = np.broadcast_to(eta_m, (prm.n_draws, arrays.n_programs))
    q = sigmoid(eta_i[b[:, None], cols, node] + coef["sigma_i"][b, 0] * u)
    r = sigmoid(eta_m[b[:, None], cols] + coef["sigma_m"][b, 0] * u)
    result: NDArray[np.float64] = q * r
    return result
