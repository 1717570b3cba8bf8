"""The published non-US IMG applicant cohorts of Charting Outcomes 2026, rebuilt as weighted rows.

NRMP publishes, per specialty, the match rate and for matched and unmatched applicants the
quartiles, mean and SD of contiguous ranks and of Step 2 CK, but not the joint records. A cohort
is rebuilt from those marginals: each group (matched / unmatched) gets ``grid`` quantile rows of
contiguous ranks and of Step 2 CK (independent within the group; an assumption), weighted by the
group's size. The upper tail of contiguous ranks is shaped so that the group mean equals the
published mean. The model is then "fed the published applicant distribution" by scoring these
rows and comparing its match rate and the medians of its matched / unmatched rows with NRMP's.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from smartpick.catalog.specialties import normalise

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Quartiles:
    n: int
    lo: float
    q1: float
    median: float
    q3: float
    hi: float
    mean: float
    sd: float


@dataclass(frozen=True)
class PublishedSpecialty:
    """One specialty row of Charting Outcomes 2026 (non-US IMGs)."""

    specialty: str
    matched: int
    unmatched: int
    match_rate: float  # share, 0..1
    applicants_per_position: float
    img_applicants_per_position: float
    ranks: dict[str, Quartiles]  # "matched" / "not_matched"
    step2: dict[str, Quartiles]

    @property
    def usable(self) -> bool:
        """True when both cohorts' distributions were published (not suppressed)."""
        return len(self.ranks) == 2 and len(self.step2) == 2


@dataclass(frozen=True)
class Cohort:
    """Weighted rows standing for one specialty's published applicants."""

    specialty: str
    ranks: FloatArray
    step2: FloatArray
    matched: FloatArray  # 1.0 / 0.0: the published group the row stands for
    weight: FloatArray  # sums to 1


def load_published(stats_dir: Path) -> dict[str, PublishedSpecialty]:
    """Charting Outcomes 2026 per specialty, keyed by canonical specialty name."""
    dists = _load_distributions(stats_dir / "co2026_nonus_img_specialty_measure_distributions.csv")
    out: dict[str, PublishedSpecialty] = {}
    with (stats_dir / "co2026_nonus_img_specialty_summary.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            name = normalise(row["specialty"])
            out[name] = PublishedSpecialty(
                specialty=name,
                matched=int(row["nonus_img_matched"]),
                unmatched=int(row["nonus_img_not_matched"]),
                match_rate=float(row["nonus_img_match_rate_pct_derived"]) / 100.0,
                applicants_per_position=float(row["all_applicants_per_position"]),
                img_applicants_per_position=float(row["nonus_img_applicants_per_position"]),
                ranks=dists.get((name, "contiguous_ranks"), {}),
                step2=dists.get((name, "step2ck"), {}),
            )
    return out


def _load_distributions(path: Path) -> dict[tuple[str, str], dict[str, Quartiles]]:
    out: dict[tuple[str, str], dict[str, Quartiles]] = {}
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row["suppressed"] == "True" or row["measure"] not in {"contiguous_ranks", "step2ck"}:
                continue
            key = (normalise(row["specialty"]), row["measure"])
            out.setdefault(key, {})[row["cohort"]] = Quartiles(
                n=int(row["n"]), lo=float(row["min"]), q1=float(row["q1"]),
                median=float(row["median"]), q3=float(row["q3"]), hi=float(row["max"]),
                mean=float(row["mean"]), sd=float(row["sd"]),
            )
    return out


def quantile_rows(q: Quartiles, grid: int, match_mean: bool) -> FloatArray:
    """``grid`` values at the mid-quantiles of a distribution given by its five-number summary.

    Linear between quartiles; the upper tail is bent (power ``p >= 1``) so the mean equals the
    published mean when ``match_mean`` is set.
    """
    u = (np.arange(grid) + 0.5) / grid
    knots = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    values = np.array([q.lo, q.q1, q.median, q.q3, q.hi])
    body = np.interp(u, knots, values)
    if not match_mean or q.hi <= q.q3:
        return body
    power = _tail_power(u, body, q)
    tail = u > 0.75
    body[tail] = q.q3 + (q.hi - q.q3) * ((u[tail] - 0.75) / 0.25) ** power
    return body


def _tail_power(u: FloatArray, body: FloatArray, q: Quartiles) -> float:
    tail = u > 0.75
    head_sum = float(body[~tail].sum())

    def mean_at(power: float) -> float:
        t = q.q3 + (q.hi - q.q3) * ((u[tail] - 0.75) / 0.25) ** power
        return (head_sum + float(t.sum())) / len(u)

    lo, hi = 1.0, 40.0
    if mean_at(lo) <= q.mean:
        return lo
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if mean_at(mid) > q.mean else (lo, mid)
    return 0.5 * (lo + hi)


def build_cohort(pub: PublishedSpecialty, grid_ranks: int = 400, grid_step2: int = 40) -> Cohort:
    """Weighted rows reproducing the published marginals of ``pub`` (equal rows merged)."""
    parts = []
    for group, share in (("matched", pub.match_rate), ("not_matched", 1.0 - pub.match_rate)):
        ranks = np.maximum(np.rint(quantile_rows(pub.ranks[group], grid_ranks, True)), 1.0)
        values, counts = np.unique(ranks, return_counts=True)
        step2 = quantile_rows(pub.step2[group], grid_step2, match_mean=False)
        k, s = np.meshgrid(values, step2, indexing="ij")
        w = np.repeat(counts / grid_ranks, grid_step2) * share / grid_step2
        parts.append((k.ravel(), s.ravel(), np.full(k.size, float(group == "matched")), w))
    cols = [np.concatenate([p[i] for p in parts]) for i in range(4)]
    return Cohort(pub.specialty, cols[0], cols[1], cols[2], cols[3])


def weighted_median(values: FloatArray, weights: FloatArray) -> float:
    """The median of ``values`` under ``weights`` (midpoint where the halves meet exactly)."""
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    cum = np.cumsum(w) / w.sum()
    i = int(np.searchsorted(cum, 0.5))
    if abs(cum[i] - 0.5) < 1e-9 and i + 1 < len(v):
        return float(0.5 * (v[i] + v[i + 1]))
    return float(v[i])
