"""Program signals per specialty and season, as data.

ERAS lets an applicant signal a few programs per specialty: some specialties have one tier
(all signals are "gold" here), others two (gold and silver). The counts come from
``data/stats/eras_program_signals.csv``: the official AAMC list for ERAS 2025, a partial
secondary list for ERAS 2024, and rows for ERAS 2027 and 2028 carried forward from the 2025
list until the AAMC publishes them (their note says so, and so does the plan). A season
without rows uses the latest list held and says so: a 2026 plan uses the 2025 rules,
labelled as such. A specialty missing from the list gets no signals, labelled as unlisted.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from smartpick.catalog.specialties import normalise
from smartpick.errors import DataError
from smartpick.settings import default_data_dir

SIGNAL_FILE = "stats/eras_program_signals.csv"


@dataclass(frozen=True)
class SignalRule:
    """How many gold and silver signals an applicant may send in one specialty."""

    specialty: str
    season: int  # the Match season being planned
    rule_season: int | None  # the season the counts come from (None: specialty unlisted)
    gold: int
    silver: int
    source: str = ""
    note: str = ""

    @property
    def tiered(self) -> bool:
        return self.silver > 0

    @property
    def label(self) -> str:
        if self.rule_season is None:
            return f"{self.specialty}: no signal counts held for season {self.season} or before"
        counts = f"{self.gold} gold + {self.silver} silver" if self.tiered else f"{self.gold}"
        when = (
            f"ERAS {self.rule_season} rules"
            if self.rule_season == self.season
            else f"ERAS {self.rule_season} rules (latest held) used for {self.season}"
        )
        if self.carried_forward:
            when += f" ({self.carried_forward})"
        return f"{self.specialty}: {counts} signals, {when}"

    @property
    def carried_forward(self) -> str:
        """"carried forward from YEAR, not yet published" when the counts are not official."""
        for part in self.note.split(";"):
            if part.strip().startswith("carried forward"):
                return part.strip()
        return ""


@dataclass(frozen=True)
class _Row:
    season: int
    specialty: str
    gold: int
    silver: int
    source: str
    note: str


def _int(text: str) -> int:
    return int(text) if text.strip() else 0


@lru_cache(maxsize=8)
def _rows(data_dir: Path) -> tuple[_Row, ...]:
    path = data_dir / SIGNAL_FILE
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            raw = list(csv.DictReader(handle))
        return tuple(
            _Row(
                season=int(r["match_year"]),
                specialty=normalise(r["specialty"]),
                gold=_int(r["gold_or_single_signals"]),
                silver=_int(r["silver_signals"]),
                source=r["source"],
                note=r["note"].strip(" ;"),
            )
            for r in raw
        )
    except (OSError, KeyError, ValueError) as err:
        raise DataError(f"cannot read the signal table {path}: {err}") from err


def signal_rule(specialty: str, season: int, data_dir: Path | None = None) -> SignalRule:
    """The signal counts for ``specialty`` in ``season`` from the latest list held."""
    name = normalise(specialty)
    rows = _rows(data_dir or default_data_dir())
    usable = [r.season for r in rows if r.season <= season]
    if not usable:
        return SignalRule(name, season, None, 0, 0)
    rule_season = max(usable)
    for row in rows:
        if row.season == rule_season and row.specialty == name:
            return SignalRule(name, season, rule_season, row.gold, row.silver, row.source,
                              row.note)
    return SignalRule(
        name, season, rule_season, 0, 0,
        note=f"not in the ERAS {rule_season} signal list held; no signals assumed",
    )
