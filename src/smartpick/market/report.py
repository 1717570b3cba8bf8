"""National simulation: replicate synthetic markets, match them, summarise against NRMP 2025."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel

from smartpick.market.engine import match
from smartpick.market.shape import TYPES, NationalShape
from smartpick.market.synthetic import MarketParameters, SyntheticMarket, draw_market, draw_programs

NRMP_2025_FILL = 100.0 * 37667 / 40041  # PGY-1 positions filled / offered, NRMP 2025
HEADLINE_TYPES = ("non-US IMG", "US IMG", "US MD senior")


class TypeOutcome(BaseModel):
    applicants: float
    matched: float
    rate: float  # percent, mean over replicates
    rate_sd: float
    nrmp_2025: float
    distance_pp: float


class SpecialtyOutcome(BaseModel):
    specialty: str
    positions: float
    filled: float
    unfilled: float
    applicants_preferring: float
    preferred_match_rate: float | None


class ProgramCutoff(BaseModel):
    """Quality percentile (0-100, national pool) of the weakest applicant matched."""

    program_code: str
    specialty: str
    positions: int
    p10: float | None
    p50: float | None
    p90: float | None


class SimulationSummary(BaseModel):
    applicants: int
    positions: int
    replicates: int
    seed: int
    fill_rate: float
    nrmp_2025_fill_rate: float
    unfilled_positions: float
    by_type: dict[str, TypeOutcome]
    max_headline_distance_pp: float
    by_specialty: list[SpecialtyOutcome]
    program_cutoffs: list[ProgramCutoff]


class _Tally:
    """Per-replicate counts collected while the replicates run."""

    def __init__(self, shape: NationalShape, replicates: int) -> None:
        n_spec, n_prog = len(shape.specialties), len(shape.program_code)
        self.matched = np.zeros((replicates, len(TYPES)))
        self.applicants = np.zeros((replicates, len(TYPES)))
        self.filled = np.zeros((replicates, n_spec))
        self.preferring = np.zeros((replicates, n_spec))
        self.preferred_matched = np.zeros((replicates, n_spec))
        self.cutoff = np.full((replicates, n_prog), np.nan)

    def add(self, r: int, synthetic: SyntheticMarket, assignment: NDArray[np.int64]) -> None:
        kind, spec = synthetic.applicant_type, synthetic.applicant_specialty
        ok = assignment >= 0
        n_types, n_spec = len(TYPES), self.filled.shape[1]
        self.applicants[r] = np.bincount(kind, minlength=n_types)
        self.matched[r] = np.bincount(kind[ok], minlength=n_types)
        placed_spec = synthetic.program_specialty[assignment[ok]]
        self.filled[r] = np.bincount(placed_spec, minlength=n_spec)
        self.preferring[r] = np.bincount(spec, minlength=n_spec)
        in_pref = placed_spec == spec[ok]
        self.preferred_matched[r] = np.bincount(spec[ok][in_pref], minlength=n_spec)
        percentile = 100.0 * np.argsort(np.argsort(synthetic.quality)) / len(kind)
        cut = np.full(self.cutoff.shape[1], np.inf)
        np.minimum.at(cut, assignment[ok], percentile[ok])
        self.cutoff[r] = np.where(np.isinf(cut), np.nan, cut)


def simulate(
    shape: NationalShape,
    n_applicants: int,
    seed: int,
    replicates: int,
    params: MarketParameters,
) -> SimulationSummary:
    """Run ``replicates`` markets of one program side (``seed``) and summarise them."""
    root = np.random.default_rng(seed)
    programs = draw_programs(shape, root)
    tally = _Tally(shape, replicates)
    for r, rng in enumerate(root.spawn(replicates)):
        synthetic = draw_market(shape, programs, n_applicants, params, rng)
        tally.add(r, synthetic, match(synthetic.market, check=False).assignment)
    positions = np.bincount(
        shape.program_specialty, weights=programs.capacity, minlength=len(shape.specialties)
    ).astype(np.float64)
    by_type = _by_type(shape, tally)
    total = int(programs.capacity.sum())
    filled = float(tally.filled.sum(axis=1).mean())
    return SimulationSummary(
        applicants=n_applicants,
        positions=total,
        replicates=replicates,
        seed=seed,
        fill_rate=round(100.0 * filled / max(total, 1), 2),
        nrmp_2025_fill_rate=round(NRMP_2025_FILL, 2),
        unfilled_positions=round(total - filled, 1),
        by_type=by_type,
        max_headline_distance_pp=max(abs(by_type[t].distance_pp) for t in HEADLINE_TYPES),
        by_specialty=_by_specialty(shape, tally, positions),
        program_cutoffs=_cutoffs(shape, tally, programs.capacity),
    )


def _by_type(shape: NationalShape, tally: _Tally) -> dict[str, TypeOutcome]:
    rates = 100.0 * tally.matched / np.maximum(tally.applicants, 1)
    out = {}
    for t, name in enumerate(TYPES):
        rate = float(rates[:, t].mean())
        out[name] = TypeOutcome(
            applicants=float(tally.applicants[:, t].mean()),
            matched=round(float(tally.matched[:, t].mean()), 1),
            rate=round(rate, 2),
            rate_sd=round(float(rates[:, t].std()), 2),
            nrmp_2025=round(float(shape.target_rate[t]), 1),
            distance_pp=round(rate - float(shape.target_rate[t]), 2),
        )
    return out


def _by_specialty(
    shape: NationalShape, tally: _Tally, positions: NDArray[np.float64]
) -> list[SpecialtyOutcome]:
    out = []
    for s, name in enumerate(shape.specialties):
        filled = float(tally.filled[:, s].mean())
        preferring = float(tally.preferring[:, s].mean())
        rate = 100.0 * tally.preferred_matched[:, s].sum() / max(tally.preferring[:, s].sum(), 1)
        out.append(
            SpecialtyOutcome(
                specialty=name,
                positions=float(positions[s]),
                filled=round(filled, 1),
                unfilled=round(float(positions[s]) - filled, 1),
                applicants_preferring=round(preferring, 1),
                preferred_match_rate=round(float(rate), 1) if preferring else None,
            )
        )
    return sorted(out, key=lambda o: -o.positions)


def _cutoffs(
    shape: NationalShape, tally: _Tally, capacity: NDArray[np.int64]
) -> list[ProgramCutoff]:
    seen = ~np.all(np.isnan(tally.cutoff), axis=0)
    q = np.full((3, tally.cutoff.shape[1]), np.nan)
    if seen.any():
        q[:, seen] = np.nanpercentile(tally.cutoff[:, seen], [10, 50, 90], axis=0)
    return [
        ProgramCutoff(
            program_code=code,
            specialty=shape.specialties[int(shape.program_specialty[j])],
            positions=int(capacity[j]),
            p10=_round(q[0, j]),
            p50=_round(q[1, j]),
            p90=_round(q[2, j]),
        )
        for j, code in enumerate(shape.program_code)
    ]


def _round(x: float) -> float | None:
    return None if np.isnan(x) else round(float(x), 1)
