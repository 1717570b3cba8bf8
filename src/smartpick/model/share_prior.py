"""The prior of an unknown IMG share: a regression on facts known without it.

Fitted by ``smartpick calibrate`` (``model.calibration.fit_program``) on Internal Medicine
programs with a known share; at plan time a program whose share is unknown is scored at
``mean + residual node`` for each of the regression's residual quantiles (logit scale).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from smartpick.catalog.program import Program
from smartpick.model.priors import (
    interviews_per_position,
    numeric_value,
    program_type_group,
    visa_combo,
    visa_listed_empty,
)

FloatArray = NDArray[np.float64]
STATE_SHRINK = 5.0  # pseudo-programs pulling a state's mean share towards the national mean


@dataclass(frozen=True)
class ShareModel:
    """Regression of a program's empirical-logit IMG share on facts known without it."""

    parts: tuple[str, ...]
    coef: list[float]
    residual_nodes: list[float]
    state_mean: dict[str, float]
    national: float
    means: dict[str, float]

    def to_json(self) -> dict[str, Any]:
        return {"parts": list(self.parts), "coef": [round(c, 5) for c in self.coef],
                "residual_nodes": [round(v, 4) for v in self.residual_nodes],
                "state_mean": {k: round(v, 4) for k, v in sorted(self.state_mean.items())},
                "national": round(self.national, 4),
                "means": {k: round(v, 4) for k, v in self.means.items()}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ShareModel:
        return cls(tuple(data["parts"]), list(data["coef"]), list(data["residual_nodes"]),
                   dict(data["state_mean"]), float(data["national"]), dict(data["means"]))

    def mean(self, p: Program) -> float:
        """The regression's mean; a fact unknown here counts at its share among fitted ones."""
        return float(np.dot(self.coef, share_row(p, self)))


def raw_covariates(p: Program) -> dict[str, float | None]:
    ipp = interviews_per_position(p)
    pos = numeric_value(p, "positions")
    fill = numeric_value(p, "fill_rate_2024")
    return {"fill": None if fill is None else min(max(fill, 0.0), 1.2),
            "ipp": None if ipp is None else float(np.log(min(max(ipp, 0.5), 80.0))),
            "positions": None if pos is None else float(np.log(min(max(pos, 1.0), 120.0)))}


def share_row(p: Program, model: ShareModel) -> FloatArray:
    """The regression's covariates of ``p`` (unknown numeric facts at their fitting mean)."""
    raw = raw_covariates(p)
    row: list[float] = [1.0]
    if "type" in model.parts:
        group = program_type_group(p.value("program_type"))
        kinds = ("university", "community_university", "community")
        row += ([model.means.get(f"type_{g}", 0.0) for g in kinds] if not group
                else [float(group == g) for g in kinds])
    for name in ("fill", "ipp", "positions"):
        if name in model.parts:
            value = raw[name]
            row += [model.means[name] if value is None else value, float(value is None)]
    if "visa" in model.parts:
        combo, empty = visa_combo(p), visa_listed_empty(p)
        kinds = ("j1", "j1_h1b", "empty")
        row += ([model.means.get(f"visa_{k}", 0.0) for k in kinds]
                if combo is None and not empty
                else [float(combo == "j1"), float(combo == "j1_h1b"), float(empty)])
    if "state" in model.parts:
        row.append(model.state_mean.get(str(p.value("state") or ""), model.national))
    return np.array(row)
