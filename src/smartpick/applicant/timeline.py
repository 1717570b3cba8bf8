"""The USCE ledger laid against the season's calendar.

Each rotation "lands" in one of three periods: before programs receive applications (it, and
its letter, can be in the application), before the rank list deadline (it can reach programs
only as an update), or after it (too late for this season's Match).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from smartpick.applicant.profile import Profile, UsceEntry
from smartpick.applicant.seasons import Season
from smartpick.applicant.usce import weeks_to_months, whole_weeks

IN_APPLICATION = "in the application"
AS_UPDATE = "as an update before ranking"
TOO_LATE = "after the rank list deadline"


@dataclass(frozen=True)
class TimelineRow:
    when: date
    what: str
    lands: str = ""  # for ledger entries: which period the entry's end falls in
    detail: str = ""  # source or estimation note for milestones; letter note for entries

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.when.isoformat(), "what": self.what, "lands": self.lands or None,
                "detail": self.detail or None}


@dataclass(frozen=True)
class Timeline:
    season: Season
    rows: tuple[TimelineRow, ...]

    @property
    def end_by(self) -> date:
        """A new rotation must end by this date to be part of the application."""
        return self.season.application_date

    def advice(self) -> str:
        return (f"A new rotation must end by {self.end_by} (programs receive applications) to "
                f"count in the application, with its letter uploaded by then; one ending by "
                f"{self.season.date('rank_list_deadline')} can reach programs only as an update.")

    def to_dict(self) -> dict[str, Any]:
        return {"season": self.season.year, "rows": [r.to_dict() for r in self.rows],
                "new_rotation_must_end_by": self.end_by.isoformat(), "advice": self.advice()}


def lands(entry_end: date, season: Season) -> str:
    if entry_end <= season.application_date:
        return IN_APPLICATION
    if entry_end <= season.date("rank_list_deadline"):
        return AS_UPDATE
    return TOO_LATE


def build_timeline(profile: Profile, season: Season) -> Timeline:
    rows = [_milestone_row(m.date, m.label, m.status, m.source or m.method)
            for m in season.milestones]
    rows += [_entry_row(i, e, season) for i, e in enumerate(profile.usce)]
    rows.sort(key=lambda r: (r.when, r.lands == ""))
    return Timeline(season, tuple(rows))


def _milestone_row(when: date, label: str, status: str, detail: str) -> TimelineRow:
    mark = " (estimated)" if status == "estimated" else ""
    return TimelineRow(when, f"{label}{mark}", detail=detail)


def _entry_row(index: int, entry: UsceEntry, season: Season) -> TimelineRow:
    months = weeks_to_months(whole_weeks(entry.start, entry.end))
    place = f", {entry.state}" if entry.state else ""
    what = (f"usce[{index}] ends: {entry.kind} {entry.specialty}{place}, "
            f"{entry.start} to {entry.end} ({months:g} month{'' if months == 1 else 's'}"
            f"{', hands-on' if entry.hands_on else ''})")
    period = lands(entry.end, season)
    letter = ""
    if entry.us_letter:
        letter = "US letter in time" if period == IN_APPLICATION else "US letter comes late"
    return TimelineRow(entry.end, what, period, letter)
