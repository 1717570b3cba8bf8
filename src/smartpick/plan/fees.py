"""The ERAS fee table as data, per season, and the cost of an application list.

ERAS charges per program and per specialty: the tier counter restarts in every specialty.
For the 2026 season (Match 2026) the first 30 programs of a specialty cost $11 each and every
further program $30 (AAMC, official). Earlier seasons had a flat fee for the first ten programs
of a specialty and then rising per-program fees; those rows come from the table too, with the
confidence it states. The other fees of a season (USMLE transcript, ECFMG token for IMGs,
NRMP registration) are charged once and are shown apart from the list's cost.

Source: ``data/stats/fees_eras_nrmp_ecfmg.csv`` (see its ``source`` column).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from smartpick.errors import DataError, NotFoundError, ValidationProblem
from smartpick.settings import default_data_dir

FEE_FILE = "stats/fees_eras_nrmp_ecfmg.csv"
_RESIDENCY = "AAMC ERAS residency"


@dataclass(frozen=True)
class FeeTier:
    """Programs ``first``..``last`` (1-based, ``last`` None = no end) of one specialty."""

    first: int
    last: int | None
    fee_usd: int
    flat: bool  # one fee covers the whole tier (charged with its first program)

    def covers(self, n: int) -> bool:
        return n >= self.first and (self.last is None or n <= self.last)


@dataclass(frozen=True)
class FeeSchedule:
    """The per-specialty ERAS application fee tiers of one season."""

    season_label: str
    first_season: int
    last_season: int
    tiers: tuple[FeeTier, ...]
    confidence: str
    source: str

    def marginal(self, n: int) -> int:
        """The fee charged for the ``n``-th program (1-based) of one specialty."""
        for tier in self.tiers:
            if tier.covers(n):
                if tier.flat:
                    return tier.fee_usd if n == tier.first else 0
                return tier.fee_usd
        raise DataError(f"fee table {self.season_label!r} has no tier for program {n}")

    def total(self, n: int) -> int:
        """The fee for ``n`` programs of one specialty."""
        return sum(self.marginal(k) for k in range(1, n + 1))

    def list_cost(self, counts: dict[str, int]) -> int:
        """The fee for a list given its number of programs per specialty."""
        return sum(self.total(n) for n in counts.values())


@dataclass(frozen=True)
class FixedFee:
    """A fee charged once per season, apart from the per-program fees."""

    item: str
    payer: str
    fee_usd: int
    basis: str
    season_label: str
    confidence: str
    source: str
    img_only: bool = False


@dataclass(frozen=True)
class FeeTable:
    """What a season costs: the per-program schedule and the fixed fees."""

    season: int
    schedule: FeeSchedule
    fixed: tuple[FixedFee, ...]

    @property
    def rule_season_note(self) -> str:
        if self.schedule.first_season <= self.season <= self.schedule.last_season:
            return f"ERAS fees of season {self.season} ({self.schedule.confidence})"
        return (
            f"ERAS fees of {self.schedule.season_label} used for season {self.season} "
            f"(latest held; {self.schedule.confidence})"
        )

    def fixed_total(self, img: bool) -> int:
        return sum(f.fee_usd for f in self.fixed if img or not f.img_only)


def _season_span(label: str) -> tuple[int, int]:
    """Years a season label covers: 'ERAS 2024/2025 ...' -> (2024, 2025)."""
    years = [int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", label.split("(")[0])]
    if not years:
        raise DataError(f"fee table season {label!r} names no year")
    return min(years), max(years)


def _read_rows(data_dir: Path) -> list[dict[str, str]]:
    path = data_dir / FEE_FILE
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    except OSError as err:
        raise DataError(f"cannot read the fee table {path}: {err}") from err


def _schedules(rows: list[dict[str, str]]) -> list[FeeSchedule]:
    by_label: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        if row["payer_service"] == _RESIDENCY and row["fee_item"] == "application fee":
            by_label.setdefault(row["season"], []).append(row)
    return [_schedule(label, tier_rows) for label, tier_rows in by_label.items()]


def _schedule(label: str, rows: list[dict[str, str]]) -> FeeSchedule:
    tiers = tuple(
        sorted(
            (
                FeeTier(
                    first=int(r["tier_from_programs"]),
                    last=int(r["tier_to_programs"]) if r["tier_to_programs"] else None,
                    fee_usd=int(r["fee_usd"]),
                    flat="flat" in r["fee_basis"],
                )
                for r in rows
            ),
            key=lambda t: t.first,
        )
    )
    first, last = _season_span(label)
    sources = sorted({r["source"] for r in rows})
    return FeeSchedule(label, first, last, tiers, rows[0]["confidence"], " ; ".join(sources))


_FIXED_ITEMS: dict[str, str] = {
    "USMLE transcript fee": "USMLE transcript",
    "ERAS residency token (IMGs only)": "ECFMG ERAS token",
    "standard registration fee (includes 20 ranks on primary ROL)": "NRMP registration",
}


def _fixed(rows: list[dict[str, str]]) -> tuple[FixedFee, ...]:
    fees = []
    for row in rows:
        name = _FIXED_ITEMS.get(row["fee_item"])
        if name is None:
            continue
        fees.append(
            FixedFee(
                item=name,
                payer=row["payer_service"],
                fee_usd=int(row["fee_usd"]),
                basis=row["fee_basis"],
                season_label=row["season"],
                confidence=row["confidence"],
                source=row["source"],
                img_only="IMGs only" in row["fee_item"],
            )
        )
    return tuple(fees)


@lru_cache(maxsize=8)
def _load(data_dir: Path) -> tuple[list[FeeSchedule], tuple[FixedFee, ...]]:
    rows = _read_rows(data_dir)
    return _schedules(rows), _fixed(rows)


def available_seasons(data_dir: Path | None = None) -> list[str]:
    schedules, _ = _load(data_dir or default_data_dir())
    return [s.season_label for s in schedules]


def fee_table(season: int, data_dir: Path | None = None) -> FeeTable:
    """The fee table for a Match season: the latest schedule that started by that season."""
    schedules, fixed = _load(data_dir or default_data_dir())
    held = [s for s in schedules if s.first_season <= season]
    if not held:
        labels = ", ".join(s.season_label for s in schedules)
        raise NotFoundError(
            f"no ERAS fee table for season {season}",
            [ValidationProblem("season", f"fee tables held: {labels}")],
        )
    schedule = max(held, key=lambda s: (s.last_season, s.first_season))
    return FeeTable(season=season, schedule=schedule, fixed=fixed)
