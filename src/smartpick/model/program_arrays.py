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
    visa_listed_empty,
)
from smartpick.model.share_prior import ShareModel

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
    visa_empty: BoolArray | None = None  # (J,) listed on FREIDA with an empty visa list
    gamma_se: FloatArray | None = None  # (J,) standard error of the specialty's gamma

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
    nodes = _PriorNodes(params)
    specs = [_specialty_of(p, specialty, i) for i, p in enumerate(programs)]
    numeric = {name: np.zeros((len(programs), nodes.m)) for name in _TRANSFORMS}
    unknown = {name: np.zeros(len(programs), bool) for name in (*_TRANSFORMS, "visa")}
    visa_idx = np.zeros((len(programs), nodes.m), dtype=int)
    empty = np.array([visa_listed_empty(p) for p in programs], dtype=bool)
    for j, (p, spec) in enumerate(zip(programs, specs, strict=True)):
        for name in _TRANSFORMS:
            numeric[name][j], unknown[name][j] = _numeric_nodes(p, spec, name, nodes)
        visa_idx[j], unknown["visa"][j] = _visa_nodes(p, spec, nodes)
    combos = np.array(VISA_COMBOS)[visa_idx]
    sp = {s: params.specialty(s) for s in set(specs)}
    return ProgramArrays(
        program_ids=tuple(p.program_id for p in programs),
        specialties=tuple(specs),
        img=numeric["pct_img"], ipp=numeric["interviews_per_position"],
        pos=numeric["positions"], fill=numeric["fill_rate_2024"],
        j1=np.isin(combos, ("j1_h1b", "j1")), h1b=np.isin(combos, ("j1_h1b", "h1b")),
        states=tuple(str(p.value("state") or "") for p in programs),
        alpha=np.array([sp[s].alpha for s in specs]), gamma=np.array([sp[s].gamma for s in specs]),
        step2_slope=np.array([sp[s].step2_slope for s in specs]),
        unknown=unknown, visa_empty=empty,
        gamma_se=np.array([sp[s].gamma_se for s in specs], dtype=float),
    )


def _specialty_of(p: Program, override: str | None, index: int) -> str:
    name = override or p.value("specialty")
    if not name:
        raise InputError(
            "a program has no specialty",
            [ValidationProblem(f"programs[{index}].specialty", f"{p.program_id}: unknown")],
        )
    return normalise(str(name))


class _PriorNodes:
    """The quadrature nodes of every prior a build needs, each computed once.

    Nodes depend on the specialty, the fact and (for the IMG share) the program-type group, or
    (for the visa policy) on which of J-1 / H-1B is known; programs sharing those share them.
    """

    def __init__(self, params: ModelParams):
        self.params = params
        self.m = int(params.priors["nodes"])
        perms = [np.random.default_rng(1000 + i).permutation(self.m)
                 for i in range(len(_TRANSFORMS) + 1)]
        self.levels = [(perm + 0.5) / self.m for perm in perms]
        self._centres: dict[tuple[str, str], float] = {}
        self._numeric: dict[tuple[str, str, str], FloatArray | None] = {}
        self._visa: dict[tuple[str, object, object], NDArray[np.int_]] = {}
        self._share: dict[str, ShareModel | None] = {}

    def share_model(self, spec: str) -> ShareModel | None:
        if spec not in self._share:
            data = self.params.priors["by_specialty"].get(spec, {}).get("pct_img_model")
            self._share[spec] = None if data is None else ShareModel.from_json(data)
        return self._share[spec]

    def share_nodes(self, p: Program, spec: str) -> FloatArray | None:
        """Nodes of an unknown IMG share from the specialty's regression, if it has one."""
        model = self.share_model(spec)
        if model is None:
            return None
        resid = np.asarray(model.residual_nodes, float)
        order = np.floor(self.levels[0] * len(resid)).astype(int)
        return model.mean(p) + resid[order] - self.centre(spec, "pct_img")

    def centre(self, spec: str, name: str) -> float:
        key = (spec, name)
        if key not in self._centres:
            self._centres[key] = transform_centre(self.params, spec, name, _TRANSFORMS[name][1])
        return self._centres[key]

    def numeric(self, spec: str, name: str, group: str) -> FloatArray | None:
        """Centred, transformed nodes of an unknown fact (None: no prior at all)."""
        key = (spec, name, group)
        if key not in self._numeric:
            self._numeric[key] = self._numeric_nodes(spec, name, group)
        return self._numeric[key]

    def _numeric_nodes(self, spec: str, name: str, group: str) -> FloatArray | None:
        raw = _prior_nodes(spec, name, group, self.params)
        if not raw:
            return None
        transform = _TRANSFORMS[name][0]
        picked = np.quantile(np.asarray(raw, float), self.levels[list(_TRANSFORMS).index(name)])
        return np.array([transform(float(v)) for v in picked]) - self.centre(spec, name)

    def visa(self, spec: str, j1: object, h1b: object) -> NDArray[np.int_]:
        key = (spec, j1, h1b)
        if key not in self._visa:
            self._visa[key] = _visa_prior_nodes(spec, j1, h1b, self.params, self.levels[-1])
        return self._visa[key]


def _numeric_nodes(p: Program, spec: str, name: str, nodes: _PriorNodes
                   ) -> tuple[FloatArray, bool]:
    value = numeric_value(p, name)
    if value is not None:
        x = (logit_share(value, numeric_value(p, "positions")) if name == "pct_img"
             else _TRANSFORMS[name][0](value))
        return np.full(nodes.m, x - nodes.centre(spec, name)), False
    if name == "pct_img":
        modelled = nodes.share_nodes(p, spec)
        if modelled is not None:
            return modelled, True
    group = program_type_group(p.value("program_type")) if name == "pct_img" else ""
    found = nodes.numeric(spec, name, group)
    return (np.zeros(nodes.m) if found is None else found), True


def transform_centre(params: ModelParams, spec: str, name: str, default: float) -> float:
    transform = _TRANSFORMS[name][0]
    raw = centre(params.priors, spec, name, float("nan"))
    return default if raw != raw else transform(raw)


def _prior_nodes(spec: str, name: str, group: str, params: ModelParams) -> list[float]:
    if name == "pct_img":
        by_type = prior_for(params.priors, spec, "pct_img_by_type")
        if group in by_type:
            return list(by_type[group]["nodes"])
    return list(prior_for(params.priors, spec, name).get("nodes", []))


def _visa_nodes(p: Program, spec: str, nodes: _PriorNodes) -> tuple[NDArray[np.int_], bool]:
    known = visa_combo(p)
    if known is not None:
        return np.full(nodes.m, VISA_COMBOS.index(known)), False
    if visa_listed_empty(p):
        return nodes.visa(spec, "empty", "empty"), True
    return nodes.visa(spec, p.value("visa_j1"), p.value("visa_h1b")), True


def _visa_prior_nodes(spec: str, j1: object, h1b: object, params: ModelParams,
                      levels: FloatArray) -> NDArray[np.int_]:
    if j1 == "empty":  # an empty visa list: its own prior, where the catalog has one
        own = prior_for(params.priors, spec, "visa_empty") or prior_for(params.priors, spec,
                                                                         "visa")
        j1 = h1b = None
        probs = dict(own.get("p", {"none": 1.0}))
    else:
        probs = dict(prior_for(params.priors, spec, "visa").get("p", {"none": 1.0}))
    weights = np.array([
        probs.get(c, 0.0) * _consistent(c, j1, h1b) for c in VISA_COMBOS
    ])
    if weights.sum() <= 0:
        weights = np.array([_consistent(c, j1, h1b) for c in VISA_COMBOS], float)
    cdf = np.cumsum(weights / weights.sum())
    return np.minimum(np.searchsorted(cdf, levels), len(VISA_COMBOS) - 1)


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
        visa_empty=None if arrays.visa_empty is None else arrays.visa_empty[idx],
        gamma_se=None if arrays.gamma_se is None else arrays.gamma_se[idx],
    )


def typical_list(arrays: ProgramArrays, visa: str, n: int, seed: int) -> NDArray[np.int_]:
    """A seeded random list of ``n`` programs, those likely to take the visa first."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(arrays.n_programs)
    fits = arrays.visa_ok(visa).mean(axis=1)[order] >= 0.5
    ranked = np.concatenate([order[fits], order[~fits]])
    result: NDArray[np.int_] = ranked[: min(n, arrays.n_programs)]
    return result
