"""P(match at a program | interviewed there), and P(match anywhere) for a list of programs.

The match layer is fitted to NRMP Charting Outcomes 2026 (non-US IMGs): per specialty an
intercept and a Step 2 CK slope such that, fed the published distributions of contiguous ranks
and Step 2 CK, the model reproduces the published match rate and the matched / unmatched
medians. The applicant's latent shock is shared with the interview layer, so
P(match | interview) conditions on having been invited (strong applicants are over-represented
among the interviewed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from smartpick.model.features import ApplicantFeatures
from smartpick.model.interview import Misses, Signals
from smartpick.model.logits import (
    draw_coef,
    interview_logits,
    match_logits,
    miss_counts,
    point_coef,
    shock_scale,
    sigmoid,
    signal_codes,
)
from smartpick.model.params import ModelParams, SpecialtyParams, load_params
from smartpick.model.program_arrays import ProgramArrays

if TYPE_CHECKING:
    from smartpick.model.calibration.cohort import PublishedSpecialty
    from smartpick.model.calibration.fit_match import ApplyContext

FloatArray = NDArray[np.float64]
GH_NODES = 9
DRAW_NODES = 5  # shock nodes for the interval's parameter draws (speed; intervals only)


def shock_nodes(n: int = GH_NODES) -> tuple[FloatArray, FloatArray]:
    """Gauss-Hermite nodes and weights for a standard normal shock."""
    x, w = np.polynomial.hermite_e.hermegauss(n)
    return x, w / w.sum()


class MatchModel:
    """Match probabilities given interview, and for whole lists, with intervals."""

    def __init__(self, params: ModelParams | None = None, level: float = 0.8) -> None:
        self.params = params or load_params()
        self.level = level
        self.gamma_: dict[str, float] = {}

    def fit(self, published: dict[str, PublishedSpecialty], contexts: dict[str, ApplyContext],
            held_out: frozenset[str] = frozenset(), sigma_m: float | None = None) -> MatchModel:
        """Refit both intercepts of the Charting Outcomes specialties through the shared shock.

        ``contexts`` say how each cohort applies (see ``model.calibration.contexts``). Held-out
        specialties get both intercepts from the regressions on the fitted ones: nothing of
        theirs, not even an earlier fit, survives.
        """
        from smartpick.model.calibration.fit_match import fit_match_layer, predicted_fit

        mfit = fit_match_layer(published, set(held_out), contexts, {}, sigma_m)
        specialties = dict(self.params.specialties)
        for name, f in mfit.fits.items():
            old = specialties.get(name, SpecialtyParams(0.0, 0.0, 0.0, "fitted"))
            specialties[name] = replace(old, alpha=f.alpha, gamma=f.gamma, step2_slope=f.slope,
                                        source="fitted")
        alphas, gammas = list(mfit.alpha.values()), list(mfit.gamma.values())
        for name in held_out:
            pub = published.get(name)
            old = specialties.get(name, SpecialtyParams(0.0, 0.0, 0.0, "held_out"))
            guess = predicted_fit(pub, mfit, mfit.sigma_m, contexts.get(name),
                                  (float(np.median(alphas)), float(np.median(gammas))))
            specialties[name] = replace(old, alpha=guess.alpha, gamma=guess.gamma,
                                        step2_slope=guess.slope, source="held_out")
        self.params = replace(self.params, specialties=specialties,
                              coef={**self.params.coef, "sigma_m": mfit.sigma_m})
        self.gamma_ = mfit.gamma
        return self

    def _joint(
        self, features: ApplicantFeatures, arrays: ProgramArrays, coef: Mapping[str, Any],
        signals: Signals, misses: Misses, nodes: int = GH_NODES,
    ) -> tuple[FloatArray, FloatArray]:
        """E_nodes[q] and r at each shock node, both shaped (..., J, H)."""
        sig = signal_codes(signals, arrays.n_programs)
        miss = miss_counts(misses, arrays.n_programs)
        ref = self.params.reference
        x, _ = shock_nodes(nodes)
        # single precision for the (..., J, M, H) block: ample for probabilities, twice as fast
        eta_i = interview_logits(features, arrays, coef, ref, sig, miss).astype(np.float32)
        shock_i = (np.asarray(shock_scale(features, coef))[..., None] * x).astype(np.float32)
        q = sigmoid(eta_i[..., None] + shock_i).mean(axis=-2, dtype=np.float64)
        eta_m = match_logits(features, arrays, coef, ref, sig, miss)[..., None]
        r = sigmoid(eta_m + np.asarray(coef["sigma_m"])[..., None] * x)[..., 0, :]
        return q, r

    def predict_proba(
        self, features: ApplicantFeatures, arrays: ProgramArrays,
        signals: Signals = None, preferred_misses: Misses = None,
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """(p, lo, hi) per program: P(match at the program | interviewed there)."""
        _, w = shock_nodes()
        q, r = self._joint(features, arrays, point_coef(self.params), signals, preferred_misses)
        p = ((q * r) @ w) / (q @ w)
        qd, rd = self._joint(features, arrays, draw_coef(self.params), signals, preferred_misses,
                             DRAW_NODES)
        wd = shock_nodes(DRAW_NODES)[1]
        cond = ((qd * rd) @ wd) / (qd @ wd)
        tail = (1.0 - self.level) / 2.0
        lo, hi = np.quantile(cond, [tail, 1.0 - tail], axis=0)
        return p, np.minimum(lo, p), np.maximum(hi, p)

    def p_any(
        self, features: ApplicantFeatures, arrays: ProgramArrays,
        signals: Signals = None, preferred_misses: Misses = None, interval: bool = True,
    ) -> tuple[float, float, float]:
        """(p, lo, hi): P(matching at one or more programs) when applying to all of ``arrays``.

        With ``interval=False`` only the point is computed (lo = hi = p).
        """
        _, w = shock_nodes()
        q, r = self._joint(features, arrays, point_coef(self.params), signals, preferred_misses)
        p = float(_p_any(q, r) @ w)
        if not interval:
            return p, p, p
        qd, rd = self._joint(features, arrays, draw_coef(self.params), signals, preferred_misses,
                             DRAW_NODES)
        per_draw = _p_any(qd, rd) @ shock_nodes(DRAW_NODES)[1]
        tail = (1.0 - self.level) / 2.0
        lo, hi = np.quantile(per_draw, [tail, 1.0 - tail])
        return p, min(float(lo), p), max(float(hi), p)


    def p_any_given_interview(self, features: ApplicantFeatures, arrays: ProgramArrays
                              ) -> tuple[float, float]:
        """(P(match somewhere), P(at least one interview)) for the list ``arrays`` (points).

        Their ratio is the chance of matching among applicants who get to rank a program,
        which is how NRMP counts its "active applicants".
        """
        _, w = shock_nodes()
        q, r = self._joint(features, arrays, point_coef(self.params), None, None)
        none = np.exp(np.log1p(-np.clip(q, 0.0, 1.0 - 1e-12)).sum(axis=-2))
        return float(_p_any(q, r) @ w), float((1.0 - none) @ w)

    def log_miss_by_draw(
        self, features: ApplicantFeatures, arrays: ProgramArrays,
        signals: Signals = None, preferred_misses: Misses = None,
    ) -> FloatArray:
        """log P(no match at any of ``arrays`` | parameter draw, shock node): shape (B, H).

        Given a parameter draw and the applicant's shock, programs match independently, each
        averaged over the prior nodes of its unknown facts. Programs of several specialties
        share the draws and the shock, so their results add up; then
        ``1 - exp(total) @ shock_nodes()[1]`` is P(match | draw), one value per draw.
        """
        q, r = self._joint(features, arrays, draw_coef(self.params), signals, preferred_misses)
        return np.log1p(-np.clip(q * r, 0.0, 1.0 - 1e-12)).sum(axis=-2)


def _p_any(q: FloatArray, r: FloatArray) -> FloatArray:
    """1 - prod_j (1 - E_m[q] r) at each shock node: shape (..., H)."""
    success = q * r  # (..., J, H)
    return 1.0 - np.exp(np.log1p(-np.clip(success, 0.0, 1.0 - 1e-12)).sum(axis=-2))
