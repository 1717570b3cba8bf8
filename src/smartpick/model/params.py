"""The fitted parameters that ship with SmartPick (``params.json`` next to this module).

``smartpick calibrate`` writes the file; planning only reads it (:func:`load_model`). The file
holds point estimates of every coefficient, ``draws`` of them (from the fit's curvature for
fitted coefficients, from a stated spread for assumed ones) that give the intervals, the
per-specialty intercepts, and the learned priors of program facts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smartpick.catalog.specialties import normalise
from smartpick.errors import DataError, NotFoundError, ValidationProblem

PARAMS_PATH = Path(__file__).resolve().parent / "params.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class SpecialtyParams:
    """Intercepts of one specialty: interview (``alpha``) and match-given-interview (``gamma``)."""

    alpha: float
    gamma: float
    step2_slope: float  # match layer, per 15 Step 2 CK points
    source: str  # "fitted", "held_out" or "predicted" (from the specialty regression)
    n_programs: int = 0
    # standard error of gamma: the published rate's sampling error (fitted), the spread of
    # the specialties around the rate regression (held out, predicted); draws of ``m_shift``
    # are in these units
    gamma_se: float = 0.0


@dataclass(frozen=True)
class ModelParams:
    """Everything the interview and match models need at run time."""

    version: str
    coef: dict[str, float]
    draws: dict[str, list[float]]
    specialties: dict[str, SpecialtyParams]
    priors: dict[str, Any]
    reference: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def n_draws(self) -> int:
        return len(next(iter(self.draws.values()))) if self.draws else 0

    def specialty(self, name: str) -> SpecialtyParams:
        key = normalise(name)
        if key not in self.specialties:
            known = ", ".join(sorted(self.specialties))
            raise NotFoundError(
                f"no model parameters for specialty {name!r}",
                [ValidationProblem("specialty", f"known specialties: {known}")],
            )
        return self.specialties[key]

    def draw_matrix(self, names: list[str]) -> NDArray[np.float64]:
        """Draws of ``names`` as a (n_draws, len(names)) array."""
        return np.array([self.draws[n] for n in names], dtype=float).T

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "version": self.version,
            "coef": self.coef,
            "draws": self.draws,
            "specialties": {k: vars(v) for k, v in sorted(self.specialties.items())},
            "priors": self.priors,
            "reference": self.reference,
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelParams:
        if data.get("format") != FORMAT_VERSION:
            raise DataError(f"model parameters have format {data.get('format')!r}, "
                            f"expected {FORMAT_VERSION}; run `smartpick calibrate`")
        return cls(
            version=str(data["version"]),
            coef={k: float(v) for k, v in data["coef"].items()},
            draws={k: [float(x) for x in v] for k, v in data["draws"].items()},
            specialties={k: SpecialtyParams(**v) for k, v in data["specialties"].items()},
            priors=data["priors"],
            reference={k: float(v) for k, v in data["reference"].items()},
            meta=data.get("meta", {}),
        )


def save_params(params: ModelParams, path: Path = PARAMS_PATH) -> None:
    text = json.dumps(params.to_json(), indent=1, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")


def read_params(path: Path) -> ModelParams:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise DataError(f"cannot read model parameters {path}: {err}") from None
    return ModelParams.from_json(data)


@lru_cache(maxsize=4)
def load_params(path: Path = PARAMS_PATH) -> ModelParams:
    """The shipped parameters, read once per process."""
    return read_params(path)
