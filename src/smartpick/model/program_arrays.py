"""Programs as NumPy arrays, with unknown facts spread over the nodes of their priors.

Every program gets ``M`` nodes (``M`` = the priors' node count). A known fact has the same
value at every node; an unknown fact takes the prior's quantile nodes, in a fixed per-fact
order (a Latin-hypercube quadrature over the unknown facts, so two unknown facts are not
lined up quantile for quantile). Scoring averages over the nodes with equal weights.
Numeric facts are stored centred on the specialty's prior median, so a program at the median
contributes nothing and the specialty intercept describes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from smartpick.catalog.program import Program
from smartpick.catalog.specialties import normalise
from smartpick.errors import InputError, ValidationProblem
from smartpick.model.params import ModelParams
from smartpick.model.priors import (
    VISA_COMBOS,
    centre,
    logit_share,
    numeric_value,
    prior_for,
    program_type_group,
    visa_combo,
)

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

_TRANSFORMS = {
    "pct_img": (logit_share, 0.0),
    "interviews_per_position": (lambda v: float(np.log(min(max(v, 0.5), 80.0))), 2.5),
    "positions": (lambda v: float(np.log(min(max(v, 1.0), 120.0))), 2.4),
    "fill_rate_2024": (lambda v: float(min(max(v, 0.0), 1.2)), 1.0),
}


@dataclass(frozen=True)
class ProgramArrays:
    """Facts of J programs at M quadrature nodes, plus per-program specialty parameters."""

    program_ids: tuple[str, ...]
    specialties: tuple[str, ...]
    img: FloatArray  # (J, M) centred logit of the IMG share
    ipp: FloatArray  # (J, M) centred log interviews per position
    pos: FloatArray  # (J, M) centred log positions
    fill: FloatArray  # (J, M) centred 2024 fill rate
    j1: BoolArray  # (J, M) takes J-1
    h1b: BoolArray  # (J, M) sponsors H-1B
    states: tuple[str, ...]
    alpha: FloatArray  # (J,) interview intercept of the program's specialty
    gamma: FloatArray  # (J,) match intercept of the program's specialty
    step2_slope: FloatArray  # (J,) match-layer Step 2 CK slope of the specialty
    unknown: dict[str, BoolArray]  # fact name -> (J,) unknown mask

    @property
    def n_programs(self) -> int:
        return len(self.program_ids)

    @property
    def n_nodes(self) -> int:
        return int(self.img.shape[1])

    def visa_ok(self, visa: str) -> BoolArray:
        """(J, M): the program can take an applicant with this visa need."""
        if visa == "none":
            return np.ones_like(self.j1)
        if visa == "j1":
            return self.j1
        if visa == "h1b":
            return self.h1b
        return self.j1 | self.h1b


def build_program_arrays(
    programs: Sequence[Program], params: ModelParams, specialty: str | None = None
) -> ProgramArrays:
    """Arrays for ``programs``; ``specialty`` overrides the programs' own specialty field."""
    m = int(params.priors["nodes"])
    perms = [np.random.default_rng(1000 + i).permutation(m) for i in range(len(_TRANSFORMS) + 1)]
    levels = [(perm + 0.5) / m for perm in perms]
    specs = [_specialty_of(p, specialty, i) for i, p in enumerate(programs)]
    numeric = {name: np.zeros((len(programs), m)) for name in _TRANSFORMS}
    unknown = {name: np.zeros(len(programs), bool) for name in (*_TRANSFORMS, "visa")}
    visa_idx = np.zeros((len(programs), m), dtype=int)
    for j, (p, spec) in enumerate(zip(programs, specs, strict=True)):
        for f, name in enumerate(_TRANSFORMS):
            numeric[name][j], unknown[name][j] = _numeric_nodes(p, spec, name, params, levels[f])
        visa_idx[j], unknown["visa"][j] = _visa_nodes(p, spec, params, levels[-1])
    combos = np.array(VISA_COMBOS)[visa_idx]
    sp = [params.specialty(s) for s in specs]
    return ProgramArrays(
        program_ids=tuple(p.program_id for p in programs),
        specialties=tuple(specs),
        img=numeric["pct_img"], ipp=numeric["interviews_per_position"],
        pos=numeric["positions"], fill=numeric["fill_rate_2024"],
        j1=np.isin(combos, ("j1_h1b", "j1")), h1b=np.isin(combos, ("j1_h1b", "h1b")),
        states=tuple(str(p.value("state") or "") for p in programs),
        alpha=np.array([s.alpha for s in sp]), gamma=np.array([s.gamma for s in sp]),
        step2_slope=np.array([s.step2_slope for s in sp]),
        unknown=unknown,
    )


def _specialty_of(p: Program, override: str | None, index: int) -> str:
    name = override or p.value("specialty")
    if not name:
        raise InputError(
            "a program has no specialty",
            [ValidationProblem(f"programs[{index}].specialty", f"{p.program_id}: unknown")],
        )
    return normalise(str(name))


def _numeric_nodes(
    p: Program, spec: str, name: str, params: ModelParams, levels: FloatArray
) -> tuple[FloatArray, bool]:
    transform, default_centre = _TRANSFORMS[name]
    mid = transform_centre(params, spec, name, default_centre)
    value = numeric_value(p, name)
    if value is not None:
        return np.full(len(levels), transform(value) - mid), False
    nodes = _prior_nodes(p, spec, name, params)
    if not nodes:
        return np.zeros(len(levels)), True
    picked = np.quantile(np.asarray(nodes, float), levels)
    return np.array([transform(float(v)) for v in picked]) - mid, True


def transform_centre(params: ModelParams, spec: str, name: str, default: float) -> float:
    transform = _TRANSFORMS[name][0]
    raw = centre(params.priors, spec, name, float("nan"))
    return default if raw != raw else transform(raw)


def _prior_nodes(p: Program, spec: str, name: str, params: ModelParams) -> list[float]:
    if name == "pct_img":
        group = program_type_group(p.value("program_type"))
        by_type = prior_for(params.priors, spec, "pct_img_by_type")
        if group in by_type:
            return list(by_type[group]["nodes"])
    return list(prior_for(params.priors, spec, name).get("nodes", []))


def _visa_nodes(
    p: Program, spec: str, params: ModelParams, levels: FloatArray
) -> tuple[NDArray[np.int_], bool]:
    known = visa_combo(p)
    if known is not None:
        return np.full(len(levels), VISA_COMBOS.index(known)), False
    probs = dict(prior_for(params.priors, spec, "visa").get("p", {"none": 1.0}))
    j1, h1b = p.value("visa_j1"), p.value("visa_h1b")
    weights = np.array([
        probs.get(c, 0.0) * _consistent(c, j1, h1b) for c in VISA_COMBOS
    ])
    if weights.sum() <= 0:
        weights = np.array([_consistent(c, j1, h1b) for c in VISA_COMBOS], float)
    cdf = np.cumsum(weights / weights.sum())
    return np.minimum(np.searchsorted(cdf, levels), len(VISA_COMBOS) - 1), True


def _consistent(combo: str, j1: object, h1b: object) -> float:
    has_j1, has_h1b = combo in ("j1_h1b", "j1"), combo in ("j1_h1b", "h1b")
    ok = (j1 is None or bool(j1) == has_j1) and (h1b is None or bool(h1b) == has_h1b)
    return 1.0 if ok else 0.0


def take(arrays: ProgramArrays, index: NDArray[np.int_]) -> ProgramArrays:
    """The programs at ``index`` (in that order)."""
    idx = np.asarray(index, dtype=int)
    return ProgramArrays(
        program_ids=tuple(arrays.program_ids[i] for i in idx),
        specialties=tuple(arrays.specialties[i] for i in idx),
        img=arrays.img[idx], ipp=arrays.ipp[idx], pos=arrays.pos[idx], fill=arrays.fill[idx],
        j1=arrays.j1[idx], h1b=arrays.h1b[idx],
        states=tuple(arrays.states[i] for i in idx),
        alpha=arrays.alpha[idx], gamma=arrays.gamma[idx], step2_slope=arrays.step2_slope[idx],
        unknown={k: v[idx] for k, v in arrays.unknown.items()},
    )


def typical_list(arrays: ProgramArrays, visa: str, n: int, seed: int) -> NDArray[np.int_]:
    """A seeded random list of ``n`` programs, those likely to take the visa first."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(arrays.n_programs)
    fits = arrays.visa_ok(visa).mean(axis=1)[order] >= 0.5
    ranked = np.concatenate([order[fits], order[~fits]])
    result: NDArray[np.int_] = ranked[: min(n, arrays.n_programs)]
    return result
