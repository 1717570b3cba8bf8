"""The shape of the national market, read from the shipped data folder.

- Positions: the NRMP 2024 PGY-1 tracks (categorical, preliminary, physician) of
  the NRMP tracks of ``data/catalog/programs.csv``, scaled to the 2025 PGY-1 positions offered
  (``nrmp_match_totals_by_year.csv``). Advanced (PGY-2) tracks are not matched here; the
  demand for their specialties is sent to the preliminary/transitional PGY-1 pool.
- Applicants by type and their 2025 PGY-1 match rates
  (``nrmp_match_rates_by_year_applicant_type.csv``).
  "Other" (prior US graduates, Canadian and Fifth Pathway applicants) is the remainder of
  the 47,208 active applicants; its rate is derived from the matched totals.
- Specialty demand: non-US IMGs by Charting Outcomes 2026 (non-US IMGs ranking each
  specialty first); US applicants by all applicants preferring the specialty minus those.
- Rank-list length of non-US IMGs: Charting Outcomes 2026 contiguous ranks (matched and not).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from smartpick.catalog.specialties import normalise
from smartpick.errors import DataError
from smartpick.settings import default_data_dir

TYPES: tuple[str, ...] = ("US MD senior", "US DO senior", "US IMG", "non-US IMG", "other")
_RATE_GROUPS = {
    "US MD senior": "US MD senior",
    "US DO senior": "US DO senior",
    "US citizen IMG": "US IMG",
    "non-US citizen IMG": "non-US IMG",
}
PGY1_TRACKS = ("C", "P", "M")
PRELIM_POOL = ("Medicine-Preliminary", "Surgery-Preliminary", "Transitional Year")
IMG_TYPES = (2, 3)


@dataclass(frozen=True)
class NationalShape:
    """Everything the generator needs, as plain arrays (one entry per PGY-1 track)."""

    program_code: list[str]
    program_specialty: NDArray[np.int64]  # index into ``specialties``
    quota: NDArray[np.int64]  # 2024 positions
    specialties: list[str]
    type_counts: NDArray[np.int64]  # 2025 active applicants per type (TYPES order)
    target_rate: NDArray[np.float64]  # 2025 PGY-1 match rate per type, percent
    positions_2025: int
    demand: NDArray[np.float64]  # (types, specialties), rows sum to 1
    img_contiguous_ranks: dict[str, float]  # mean for matched / not_matched non-US IMGs

    @property
    def n_applicants_2025(self) -> int:
        return int(self.type_counts.sum())


def load_shape(data_dir: Path | None = None) -> NationalShape:
    """Read the national shape from ``data_dir`` (default: the configured data folder)."""
    root = data_dir or default_data_dir()
    tracks = [r for r in _tracks(root) if _is_pgy1(r)]
    specialties = sorted({normalise(r["specialty"]) for r in tracks})
    index = {s: i for i, s in enumerate(specialties)}
    counts, rates = _applicants(root)
    positions = _total(root, "PGY-1 positions offered")
    quota = np.array([int(r["quota"]) for r in tracks], dtype=np.int64)
    program_specialty = np.array([index[normalise(r["specialty"])] for r in tracks], dtype=np.int64)
    demand = _demand(root, specialties, quota, program_specialty)
    return NationalShape(
        program_code=[r["program_code"] for r in tracks],
        program_specialty=program_specialty,
        quota=quota,
        specialties=specialties,
        type_counts=counts,
        target_rate=rates,
        positions_2025=positions,
        demand=demand,
        img_contiguous_ranks=_contiguous_ranks(root),
    )


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise DataError(f"missing data file {path}")
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _tracks(root: Path) -> list[dict[str, str]]:
    """The catalog's NRMP 2024 tracks (code, specialty, track, level, quota), by code."""
    rows = _rows(root / "catalog" / "programs.csv")
    return [{"program_code": r["program_id"], "specialty": r["specialty"],
             "track_type": r["track"], "pgy_level": r["pgy_level"],
             "quota": r["nrmp_quota_2024"]} for r in rows
            if r["kind"] == "nrmp_track" and r["nrmp_quota_2024"]]  # tracks new after 2024: none


def _is_pgy1(row: dict[str, str]) -> bool:
    return row["track_type"] in PGY1_TRACKS and row["pgy_level"] == "PGY1"


def _total(root: Path, metric: str, year: str = "2025") -> int:
    for row in _rows(root / "stats" / "nrmp_match_totals_by_year.csv"):
        if row["match_year"] == year and row["metric"] == metric:
            return int(float(row["value"]))
    raise DataError(f"nrmp_match_totals_by_year.csv has no {year} {metric!r}")


def _applicants(root: Path) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """2025 active applicants and PGY-1 match rates by type; "other" is the remainder."""
    counts = np.zeros(len(TYPES), dtype=np.int64)
    matched = np.zeros(len(TYPES), dtype=np.int64)
    total = total_matched = 0
    for row in _rows(root / "stats" / "nrmp_match_rates_by_year_applicant_type.csv"):
        if row["match_year"] != "2025":
            continue
        group = row["applicant_group"]
        if group == "all active applicants":
            total, total_matched = int(row["active_applicants"]), int(row["matched_pgy1"])
        elif group in _RATE_GROUPS:
            t = TYPES.index(_RATE_GROUPS[group])
            counts[t], matched[t] = int(row["active_applicants"]), int(row["matched_pgy1"])
    if not total or not counts[:4].all():
        raise DataError("2025 applicant counts by type are incomplete")
    counts[4] = total - counts[:4].sum()
    matched[4] = total_matched - matched[:4].sum()
    return counts, 100.0 * matched / counts


def _demand(
    root: Path, specialties: list[str], quota: NDArray[np.int64], spec: NDArray[np.int64]
) -> NDArray[np.float64]:
    """P(preferred PGY-1 specialty | type), rows in :data:`TYPES` order."""
    positions = np.bincount(spec, weights=quota, minlength=len(specialties))
    img = np.zeros(len(specialties))
    us = positions.copy()  # specialties Charting Outcomes does not cover: by positions
    pgy2_share = _pgy2_share(root)
    prelim = np.array([s in PRELIM_POOL for s in specialties])
    for row in _rows(root / "stats" / "co2026_nonus_img_specialty_summary.csv"):
        name = normalise(row["specialty"])
        img_n = float(row["nonus_img_total"])
        us_n = max(float(row["all_applicants_preferring_specialty"]) - img_n, 1.0)
        share = pgy2_share.get(name, 0.0)
        for vec, n in ((img, img_n), (us, us_n)):
            vec[prelim] += n * share * positions[prelim] / positions[prelim].sum()
            if name in specialties:
                vec[specialties.index(name)] = n * (1 - share)
    img[prelim] += 0.1 * positions[prelim]  # IMGs also seek preliminary years (assumption)
    us_img = 0.5 * img / img.sum() + 0.5 * us / us.sum()
    rows = [us, us, us_img, img, us_img]
    return np.array([r / r.sum() for r in rows])


def _pgy2_share(root: Path) -> dict[str, float]:
    """Share of each specialty's 2024 positions offered in advanced/reserved PGY-2 tracks."""
    pgy1: dict[str, int] = {}
    pgy2: dict[str, int] = {}
    for row in _tracks(root):
        name = normalise(row["specialty"])
        bucket = pgy1 if _is_pgy1(row) else pgy2
        bucket[name] = bucket.get(name, 0) + int(row["quota"])
    return {s: n / (n + pgy1.get(s, 0)) for s, n in pgy2.items()}


def _contiguous_ranks(root: Path) -> dict[str, float]:
    totals: dict[str, list[float]] = {}
    seen: set[tuple[str, str]] = set()
    path = root / "stats" / "co2026_nonus_img_specialty_measure_distributions.csv"
    for row in _rows(path):
        key = (row["specialty"], row["cohort"])
        if row["measure"] != "contiguous_ranks" or row["suppressed"] == "True" or key in seen:
            continue
        seen.add(key)  # the table repeats some rows
        t = totals.setdefault(row["cohort"], [0.0, 0.0])
        t[0] += float(row["n"])
        t[1] += float(row["n"]) * float(row["mean"])
    return {cohort: s / n for cohort, (n, s) in totals.items()}
