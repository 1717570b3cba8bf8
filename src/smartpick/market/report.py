"""National simulation: replicate synthetic markets, match them, summarise against NRMP 2025."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel

from smartpick.batch.engine import Engine, Failure, LocalEngine
from smartpick.errors import DataError
from smartpick.market.engine import match
from smartpick.market.shape import TYPES, NationalShape
from smartpick.market.synthetic import (
    MarketParameters,
    Programs,
    SyntheticMarket,
    draw_market,
    draw_programs,
)

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

    def add(self, r: int, counts: ReplicateCounts) -> None:
        self.applicants[r] = counts.applicants
        self.matched[r] = counts.matched
        self.filled[r] = counts.filled
        self.preferring[r] = counts.preferring
        self.preferred_matched[r] = counts.preferred_matched
        self.cutoff[r] = counts.cutoff


@dataclass(frozen=True)
class ReplicateCounts:
    """What one replicate adds to the summary (small arrays, cheap to send between processes)."""

    applicants: NDArray[np.float64]
    matched: NDArray[np.float64]
    filled: NDArray[np.float64]
    preferring: NDArray[np.float64]
    preferred_matched: NDArray[np.float64]
    cutoff: NDArray[np.float64]

    @classmethod
    def of(
        cls, synthetic: SyntheticMarket, assignment: NDArray[np.int64], shape: NationalShape
    ) -> ReplicateCounts:
        kind, spec = synthetic.applicant_type, synthetic.applicant_specialty
        ok = assignment >= 0
        n_types, n_spec = len(TYPES), len(shape.specialties)
        placed_spec = synthetic.program_specialty[assignment[ok]]
        in_pref = placed_spec == spec[ok]
        percentile = 100.0 * np.argsort(np.argsort(synthetic.quality)) / len(kind)
        cut = np.full(len(shape.program_code), np.inf)
        np.minimum.at(cut, assignment[ok], percentile[ok])
        return cls(
            applicants=np.bincount(kind, minlength=n_types).astype(np.float64),
            matched=np.bincount(kind[ok], minlength=n_types).astype(np.float64),
            filled=np.bincount(placed_spec, minlength=n_spec).astype(np.float64),
            preferring=np.bincount(spec, minlength=n_spec).astype(np.float64),
            preferred_matched=np.bincount(spec[ok][in_pref], minlength=n_spec).astype(np.float64),
            cutoff=np.where(np.isinf(cut), np.nan, cut),
        )


@dataclass(frozen=True)
class MarketStudy:
    """What every replicate of one study shares: the shape, the program side, the parameters.

    It is its own setup (see :mod:`smartpick.batch.engine`): a Dask worker receives it once
    and runs any number of replicates on it."""

    shape: NationalShape
    programs: Programs
    n_applicants: int
    params: MarketParameters

    def __call__(self) -> MarketStudy:
        return self


def run_replicate(study: MarketStudy, seed: np.random.SeedSequence) -> ReplicateCounts:
    """Draw and match one market from its own seed (the same wherever it runs)."""
    rng = np.random.default_rng(seed)
    synthetic = draw_market(study.shape, study.programs, study.n_applicants, study.params, rng)
    assignment = match(synthetic.market, check=False).assignment
    return ReplicateCounts.of(synthetic, assignment, study.shape)


def simulate(
    shape: NationalShape,
    n_applicants: int,
    seed: int,
    replicates: int,
    params: MarketParameters,
    engine: Engine | None = None,
) -> SimulationSummary:
    """Run ``replicates`` markets of one program side (``seed``) and summarise them.

    Each replicate draws from its own child of ``seed`` (``SeedSequence.spawn``), so the
    summary is the same on any ``engine`` (default: this process, in order)."""
    root = np.random.default_rng(seed)
    programs = draw_programs(shape, root)
    study = MarketStudy(shape, programs, n_applicants, params)
    seeds = root.bit_generator.seed_seq.spawn(replicates)  # type: ignore[attr-defined]
    tally = _Tally(shape, replicates)
    for r, counts in (engine or LocalEngine()).run(study, run_replicate, seeds):
        if isinstance(counts, Failure):
            raise DataError(f"replicate {r + 1} of the market study failed: {counts.reason}")
        tally.add(r, counts)
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
