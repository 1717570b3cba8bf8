"""Synthetic national markets shaped like the NRMP Main Match, drawn with NumPy only.

The model (see docs/market.md):

- Programs keep their NRMP PGY-1 track and specialty; positions are the 2024 quotas scaled
  to the 2025 total (stochastic rounding). Each program has a desirability ``d ~ N(0, 1)``,
  fixed across replicates of one seed.
- Each applicant has a type, a latent quality ``q = offset[type] + N(0, 1)``, one preferred
  specialty drawn from the type's demand, and a rank-list length
  ``1 + Poisson(exp(a[type] + b z))`` where ``z`` is the applicant's standardised quality
  (stronger applicants get more interviews) and ``a`` is set so the mean length is
  ``mean_ranks[type]``.
- Interviews are assortative: the applicant's programs are drawn without replacement from a
  window of its specialty's programs (sorted by desirability) centred on a percentile that
  follows its quality with correlation ``assortativity``.
- The applicant ranks its programs by ``d + N(0, 1)``; programs rank the applicants who rank
  them by ``q + program_noise * N(0, 1)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtr

from smartpick.market.arrays import IntArray, Market, from_scores, order_within
from smartpick.market.shape import NationalShape

FloatArray = NDArray[np.float64]

# Mean rank-list length by type. Non-US IMG: Charting Outcomes 2026 contiguous ranks
# (4.3 = the matched and unmatched means weighted by cohort size); the others are
# assumptions (US seniors rank about a dozen programs).
DEFAULT_MEAN_RANKS: tuple[float, ...] = (12.0, 11.0, 5.5, 4.3, 4.5)


@dataclass(frozen=True)
class MarketParameters:
    quality_offset: tuple[float, ...]
    mean_ranks: tuple[float, ...] = DEFAULT_MEAN_RANKS
    interview_slope: float = 0.6  # b: how strongly list length grows with quality
    assortativity: float = 0.8
    window_share: float = 0.25  # share of the specialty's programs an applicant considers
    program_noise: float = 0.5
    max_ranks: int = 40
    backup_share: float = 0.3  # share of applicants who also rank a second specialty


@dataclass(frozen=True)
class SyntheticMarket:
    market: Market
    applicant_type: IntArray
    applicant_specialty: IntArray
    quality: FloatArray
    program_specialty: IntArray


@dataclass(frozen=True)
class Programs:
    """The program side of one seed: capacities and desirability, fixed across replicates."""

    capacity: IntArray
    desirability: FloatArray
    spec_ptr: IntArray  # CSR: programs of specialty s, best first
    spec_prog: IntArray


def draw_programs(shape: NationalShape, rng: np.random.Generator) -> Programs:
    scale = shape.positions_2025 / shape.quota.sum()
    raw = shape.quota * scale
    capacity = (np.floor(raw) + (rng.random(len(raw)) < raw % 1)).astype(np.int64)
    desirability = rng.normal(size=len(capacity))
    order = np.lexsort((-desirability, shape.program_specialty))
    counts = np.bincount(shape.program_specialty, minlength=len(shape.specialties))
    spec_ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return Programs(capacity, desirability, spec_ptr, order.astype(np.int64))


def draw_market(
    shape: NationalShape,
    programs: Programs,
    n_applicants: int,
    params: MarketParameters,
    rng: np.random.Generator,
) -> SyntheticMarket:
    """One national market of ``n_applicants`` over ``programs``."""
    kind = _types(shape, n_applicants)
    quality = np.asarray(params.quality_offset)[kind] + rng.normal(size=n_applicants)
    z = (quality - quality.mean()) / max(float(quality.std()), 1e-9)
    specialty = _specialties(shape, kind, rng)
    length = _list_lengths(kind, z, params, rng)
    backup = _specialties(shape, kind, rng)
    backup_length = np.where(
        (rng.random(n_applicants) < params.backup_share) & (backup != specialty),
        (length + 1) // 2,
        0,
    )
    first = _interviews(programs, specialty, z, length, params, rng)
    second = _interviews(programs, backup, z, backup_length, params, rng)
    owner = np.concatenate([first[0], second[0]])
    order = np.argsort(owner, kind="stable")
    program = np.concatenate([first[1], second[1]])[order]
    rank_first = np.concatenate([np.ones(len(first[1])), np.zeros(len(second[1]))])[order]
    length = np.bincount(owner, minlength=n_applicants)
    ptr = np.concatenate([[0], np.cumsum(length)]).astype(np.int64)
    applicant = np.repeat(np.arange(n_applicants), length)
    utility = programs.desirability[program] + rng.normal(size=len(program)) + 10 * rank_first
    program = program[order_within(applicant, utility)]
    score = quality[applicant] + params.program_noise * rng.normal(size=len(program))
    market = from_scores(programs.capacity, ptr, program, score)
    return SyntheticMarket(market, kind, specialty, quality, shape.program_specialty)


def _types(shape: NationalShape, n: int) -> IntArray:
    """Applicant types in proportion to 2025 (largest-remainder rounding)."""
    share = shape.type_counts / shape.type_counts.sum() * n
    counts = np.floor(share).astype(np.int64)
    counts[np.argsort(counts - share)[: n - counts.sum()]] += 1
    return np.repeat(np.arange(len(counts)), counts)


def _specialties(shape: NationalShape, kind: IntArray, rng: np.random.Generator) -> IntArray:
    cumulative = np.cumsum(shape.demand, axis=1)
    u = rng.random(len(kind))
    chosen = (u[:, None] > cumulative[kind]).sum(axis=1)
    return np.minimum(chosen, shape.demand.shape[1] - 1).astype(np.int64)


def _list_lengths(
    kind: IntArray, z: FloatArray, params: MarketParameters, rng: np.random.Generator
) -> IntArray:
    b = params.interview_slope
    a = np.log(np.maximum(np.asarray(params.mean_ranks) - 1, 1e-6)) - b * b / 2
    extra = rng.poisson(np.exp(a[kind] + b * z))
    return np.minimum(1 + extra, params.max_ranks).astype(np.int64)


def _interviews(
    programs: Programs,
    specialty: IntArray,
    z: FloatArray,
    length: IntArray,
    params: MarketParameters,
    rng: np.random.Generator,
) -> tuple[IntArray, IntArray]:
    """(applicant, program) entries: ``length`` distinct programs of each applicant's
    ``specialty``, from a window of its programs around the applicant's quality percentile.
    """
    n_spec = np.diff(programs.spec_ptr)[specialty]
    length = np.minimum(length, n_spec)
    rho = params.assortativity
    target = ndtr(rho * z + np.sqrt(1 - rho * rho) * rng.normal(size=len(z)))
    window = np.minimum(n_spec, np.maximum(2 * length, np.ceil(params.window_share * n_spec)))
    window = window.astype(np.int64)
    centre = np.round((1 - target) * n_spec - window / 2).astype(np.int64)
    start = np.clip(centre, 0, n_spec - window)
    applicant = np.repeat(np.arange(len(length)), length)
    u = np.sort(applicant + rng.random(len(applicant))) - applicant
    ptr = np.concatenate([[0], np.cumsum(length)])
    within = np.arange(len(applicant)) - ptr[applicant]
    room = (window - length + 1)[applicant]
    offset = np.floor(u * room).astype(np.int64) + within
    base = programs.spec_ptr[specialty] + start
    return applicant, programs.spec_prog[base[applicant] + offset]
