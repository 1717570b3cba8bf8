"""The shipped model in one object: parameters, the two layers and the scenario sampler."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from smartpick.catalog.program import Program
from smartpick.model.features import ApplicantFeatures
from smartpick.model.interview import InterviewModel, Misses, Signals
from smartpick.model.match import MatchModel
from smartpick.model.params import ModelParams, load_params
from smartpick.model.program_arrays import ProgramArrays, build_program_arrays
from smartpick.model.scenarios import Outcome, draw_scenarios


@dataclass(frozen=True)
class Model:
    """Fitted parameters with the interview and match layers bound to them."""

    params: ModelParams
    interview: InterviewModel
    match: MatchModel

    def arrays(self, programs: Sequence[Program], specialty: str | None = None) -> ProgramArrays:
        return build_program_arrays(programs, self.params, specialty)

    def scenarios(
        self, features: ApplicantFeatures, arrays: ProgramArrays, n_scenarios: int, seed: int,
        signals: Signals = None, preferred_misses: Misses = None, outcome: Outcome = "bool",
    ) -> NDArray[np.bool_] | NDArray[np.float64]:
        return draw_scenarios(features, arrays, n_scenarios, seed, signals, preferred_misses,
                              self.params, outcome)


@lru_cache(maxsize=1)
def load_model() -> Model:
    """The model with the parameters shipped in the package (read once per process)."""
    params = load_params()
    return Model(params, InterviewModel(params), MatchModel(params))
