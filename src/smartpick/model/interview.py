"""P(interview | applicant applies to program): the interview model.

:class:`InterviewModel` scores one applicant against many programs at once. The probability is
averaged over the applicant's latent shock and over the prior nodes of every unknown program
fact; the interval spans the parameter draws and the fact nodes (default 80%).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from smartpick.catalog.specialties import normalise as spec_name
from smartpick.model.features import ApplicantFeatures
from smartpick.model.logits import (
    IntArray,
    draw_coef,
    interview_logits,
    marginal_sigmoid,
    miss_counts,
    point_coef,
    shock_scale,
    signal_codes,
)
from smartpick.model.params import ModelParams, load_params
from smartpick.model.program_arrays import ProgramArrays

if TYPE_CHECKING:
    from smartpick.model.calibration.records import ApplicationRecord

FloatArray = NDArray[np.float64]
Signals = Sequence[str] | IntArray | None
Misses = Sequence[int] | IntArray | None


class InterviewModel:
    """Interview probabilities with intervals, from shipped (or given) parameters."""

    def __init__(self, params: ModelParams | None = None, level: float = 0.8) -> None:
        self.params = params or load_params()
        self.level = level
        self.coef_: dict[str, float] = {}

    def fit(self, records: list[ApplicationRecord], arrays: ProgramArrays,
            specialty: str = "Internal Medicine") -> InterviewModel:
        """Refit the interview layer on applicant records (applications and interviews)."""
        from smartpick.model.calibration.fit_interview import fit_interview_layer, fitted_coef

        ifit = fit_interview_layer(records, arrays, dict(self.params.coef), self.params.reference)
        spec = self.params.specialty(specialty)
        specialties = {**self.params.specialties,
                       spec_name(specialty): replace(spec, alpha=ifit.values["alpha"])}
        self.params = replace(self.params, coef={**self.params.coef, **fitted_coef(ifit)},
                              specialties=specialties)
        self.coef_ = ifit.values
        return self

    def predict_proba(
        self, features: ApplicantFeatures, arrays: ProgramArrays,
        signals: Signals = None, preferred_misses: Misses = None,
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """(p, lo, hi) per program: P(interview | applied), and its interval."""
        sig = signal_codes(signals, arrays.n_programs)
        miss = miss_counts(preferred_misses, arrays.n_programs)
        ref = self.params.reference
        coef = point_coef(self.params)
        eta = interview_logits(features, arrays, coef, ref, sig, miss)
        p = marginal_sigmoid(eta, shock_scale(features, coef)).mean(axis=-1)
        draws = draw_coef(self.params)
        cond = marginal_sigmoid(interview_logits(features, arrays, draws, ref, sig, miss),
                                shock_scale(features, draws))
        lo, hi = interval(cond, self.level)
        return p, np.minimum(lo, p), np.maximum(hi, p)


def interval(cond: FloatArray, level: float) -> tuple[FloatArray, FloatArray]:
    """Quantiles over draws and nodes of (B, J, M) conditional probabilities, per program."""
    flat = np.moveaxis(cond, 1, 0).reshape(cond.shape[1], -1)
    tail = (1.0 - level) / 2.0
    lo, hi = np.quantile(flat, [tail, 1.0 - tail], axis=1)
    return lo, hi
