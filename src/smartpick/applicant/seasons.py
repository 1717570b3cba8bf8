"""The application season's calendar, kept as data (``data/seasons/<year>.yaml``).

A season is named for its Match year: season 2026 opens ERAS in June 2025, programs receive
applications in September 2025, Match Day is in March 2026 and training starts July 2026.
Each milestone date is ``reported`` (with its source) or ``estimated`` (with the method).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from smartpick.errors import DataError, NotFoundError, ValidationProblem
from smartpick.settings import load_settings

DEFAULT_SEASON = 2026
MILESTONES: tuple[str, ...] = (
    "eras_opens",
    "applicants_submit",
    "programs_receive",
    "rank_list_deadline",
    "match_day",
    "training_starts",
)


@dataclass(frozen=True)
class Milestone:
    name: str
    label: str
    date: date
    status: str  # "reported" or "estimated"
    source: str = ""
    method: str = ""
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "date": self.date.isoformat(),
                "status": self.status, "source": self.source or None,
                "method": self.method or None, "note": self.note or None}


@dataclass(frozen=True)
class Season:
    year: int
    label: str
    milestones: tuple[Milestone, ...]

    def milestone(self, name: str) -> Milestone:
        for m in self.milestones:
            if m.name == name:
                return m
        raise KeyError(name)

    def date(self, name: str) -> dt.date:
        return self.milestone(name).date

    @property
    def application_date(self) -> dt.date:
        """When programs receive applications: the default reference date for USCE recency."""
        return self.date("programs_receive")

    @property
    def application_year(self) -> int:
        return self.application_date.year


def seasons_dir(data_dir: Path | None = None) -> Path:
    return (data_dir or load_settings().data_dir) / "seasons"


def available_seasons(data_dir: Path | None = None) -> list[int]:
    return sorted(int(p.stem) for p in seasons_dir(data_dir).glob("*.yaml") if p.stem.isdigit())


def load_season(year: int | None = None, data_dir: Path | None = None) -> Season:
    """The calendar of season ``year`` (default :data:`DEFAULT_SEASON`)."""
    return _load(year or DEFAULT_SEASON, seasons_dir(data_dir))


@functools.lru_cache(maxsize=16)
def _load(year: int, folder: Path) -> Season:
    file = folder / f"{year}.yaml"
    if not file.is_file():
        known = ", ".join(str(y) for y in available_seasons(folder.parent)) or "none"
        raise NotFoundError(f"no calendar for season {year}",
                            [ValidationProblem("season", f"known seasons: {known}")])
    raw = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    try:
        return _parse(raw, year)
    except (KeyError, TypeError, ValueError) as err:
        raise DataError(f"season calendar {file} cannot be read: {err}") from None


def _parse(raw: dict[str, Any], year: int) -> Season:
    items = raw["milestones"]
    missing = [name for name in MILESTONES if name not in items]
    if missing:
        raise ValueError(f"missing milestones {missing}")
    milestones = tuple(_milestone(name, items[name]) for name in MILESTONES)
    return Season(year=int(raw.get("season", year)), label=str(raw.get("label", year)),
                  milestones=milestones)


def _milestone(name: str, item: dict[str, Any]) -> Milestone:
    when = item["date"]
    if not isinstance(when, date):
        when = date.fromisoformat(str(when))
    status = str(item["status"])
    if status not in {"reported", "estimated"}:
        raise ValueError(f"{name}: status must be reported or estimated")
    if status == "reported" and not item.get("source"):
        raise ValueError(f"{name}: a reported date needs its source")
    if status == "estimated" and not item.get("method"):
        raise ValueError(f"{name}: an estimated date needs its method")
    return Milestone(name, str(item.get("label", name)), when, status,
                     str(item.get("source", "")), str(item.get("method", "")),
                     str(item.get("note", "")))
