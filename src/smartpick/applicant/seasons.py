"""The application season's calendar, kept as data (``data/seasons/<year>.yaml``).

A season is named for its Match year: season 2026 opens ERAS in June 2025, programs receive
applications in September 2025, Match Day is in March 2026 and training starts July 2026.
Each milestone date is ``reported`` (with its source) or ``estimated`` (with the method).

:func:`default_season` is the one place that decides which season a plan, a check or a
timeline is for when none is named: the next season whose application window an applicant
can still meet in full, i.e. the first held season whose ERAS opening is today or later (on
2026-11-30 that is Match 2028, whose ERAS season opens in June 2027). :func:`season_warning`
says when a chosen season's programs have already begun to review applications.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from smartpick.errors import DataError, InputError, NotFoundError, ValidationProblem
from smartpick.settings import default_data_dir, today

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
    return (data_dir or default_data_dir()) / "seasons"


def available_seasons(data_dir: Path | None = None) -> list[int]:
    return sorted(int(p.stem) for p in seasons_dir(data_dir).glob("*.yaml") if p.stem.isdigit())


def load_season(year: int | None = None, data_dir: Path | None = None) -> Season:
    """The calendar of season ``year`` (default: :func:`default_season`)."""
    return _load(year or default_season(data_dir=data_dir), seasons_dir(data_dir))


def default_season(on: dt.date | None = None, data_dir: Path | None = None) -> int:
    """The season to plan for on ``on`` (default: :func:`~smartpick.settings.today`).

    The first held season whose ERAS season opens on ``on`` or later, so that every step of
    its application window is still ahead; past the last held calendar, the latest one.
    """
    when = on or today()
    folder = seasons_dir(data_dir)
    years = available_seasons(data_dir)
    if not years:
        raise DataError(f"no season calendar in {folder}")
    for year in years:
        if _load(year, folder).date("eras_opens") >= when:
            return year
    return years[-1]


def season_warning(season: Season, on: dt.date | None = None) -> str | None:
    """A warning when programs of ``season`` already began reviewing applications by ``on``."""
    when = on or today()
    review = season.application_date
    if when <= review:
        return None
    return (f"Match {season.year}: programs began reviewing applications on {review}, "
            f"before today ({when}); this season's application window has passed.")


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


def check_graduation(profile: Any, season: Season) -> None:
    """Refuse a graduation year after the season's training start: nobody can begin
    residency before graduating (a future year would also look like a fresher graduate)."""
    starts = season.date("training_starts")
    if profile.graduation_year > starts.year:
        raise InputError(
            f"graduation_year {profile.graduation_year} is after Match {season.year}",
            [ValidationProblem("graduation_year", (
                f"training for Match {season.year} starts on {starts}; an applicant must "
                f"have graduated by then (give the year you graduate, {starts.year} at the "
                "latest, or plan a later season with --season)"))])
