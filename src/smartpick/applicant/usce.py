"""US clinical experience (USCE) metrics derived from the profile's ledger.

Durations: an entry lasts ``end - start + 1`` days (both dates included). Days become whole
weeks by rounding to the nearest week (half up), so a Monday-to-Friday week is one week and a
Monday-to-Friday block of twelve weeks is twelve weeks. Weeks become months at
:data:`WEEKS_PER_MONTH` = 4: a four-week rotation block is one month, the convention US
programs use when they state "3 months of USCE".

Everything is measured as of a reference date (default: the day programs receive applications
in the season): the part of an entry after that date is *planned* and does not count yet. A
recency window of N months covers the N calendar months up to and including the reference
date; only the days of an entry inside the window count. Concurrent entries add up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from smartpick.applicant.profile import Profile, UsceEntry

DAYS_PER_WEEK = 7
WEEKS_PER_MONTH = 4
RECENCY_WINDOWS: tuple[int, ...] = (12, 24, 36)


def whole_weeks(start: date, end: date) -> int:
    """Whole weeks from ``start`` to ``end`` (both included); 0 when end precedes start."""
    days = (end - start).days + 1
    if days <= 0:
        return 0
    return (2 * days + DAYS_PER_WEEK) // (2 * DAYS_PER_WEEK)


def weeks_to_months(weeks: float) -> float:
    return weeks / WEEKS_PER_MONTH


def months_before(day: date, months: int) -> date:
    """The same calendar day ``months`` months earlier (clamped to the month's end)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, d)
        except ValueError:
            continue
    raise ValueError(f"cannot step {months} months back from {day}")


def window_start(reference: date, months: float | None) -> date | None:
    """First day of a recency window of ``months`` ending at ``reference`` (None: no window)."""
    if months is None:
        return None
    whole = int(months)
    start = months_before(reference, whole)
    extra_days = round((months - whole) * 30.44)
    return start - timedelta(days=extra_days) + timedelta(days=1)


def entry_months(entry: UsceEntry, reference: date, since: date | None = None) -> float:
    """Months of ``entry`` that fall on or before ``reference`` (and on or after ``since``)."""
    start = max(entry.start, since) if since else entry.start
    return weeks_to_months(whole_weeks(start, min(entry.end, reference)))


def counted_months(
    entries: Iterable[UsceEntry],
    reference: date,
    *,
    hands_on_only: bool = False,
    within_months: float | None = None,
    specialty: str | None = None,
) -> float:
    """Months of USCE that count under a program's rules, as of ``reference``."""
    since = window_start(reference, within_months)
    return sum(
        entry_months(e, reference, since)
        for e in entries
        if (e.hands_on or not hands_on_only) and (specialty is None or e.specialty == specialty)
    )


@dataclass(frozen=True)
class EntryMetrics:
    """One ledger entry, measured."""

    index: int
    kind: str
    specialty: str
    start: date
    end: date
    weeks: int
    months: float  # counted by the reference date
    planned_months: float  # after the reference date
    hands_on: bool
    us_letter: bool
    in_time: bool  # ended by the reference date, so it (and its letter) can be shown

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "kind": self.kind, "specialty": self.specialty,
                "start": self.start.isoformat(), "end": self.end.isoformat(),
                "weeks": self.weeks, "months": self.months,
                "planned_months": self.planned_months, "counts_as_hands_on": self.hands_on,
                "us_letter": self.us_letter, "in_time": self.in_time}


@dataclass(frozen=True)
class UsceMetrics:
    """The ledger's totals as of ``reference_date``."""

    reference_date: date
    total_months: float
    hands_on_months: float
    months_by_specialty: dict[str, float]
    hands_on_months_by_specialty: dict[str, float]
    recent_months: dict[int, float]
    recent_hands_on_months: dict[int, float]
    us_letters: int
    planned_months: float
    entries: tuple[EntryMetrics, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "reference_date": self.reference_date.isoformat(),
            "weeks_per_month": WEEKS_PER_MONTH,
            "total_months": self.total_months,
            "hands_on_months": self.hands_on_months,
            "months_by_specialty": self.months_by_specialty,
            "hands_on_months_by_specialty": self.hands_on_months_by_specialty,
            "recent_months": {str(k): v for k, v in self.recent_months.items()},
            "recent_hands_on_months": {str(k): v for k, v in self.recent_hands_on_months.items()},
            "us_letters": self.us_letters,
            "planned_months": self.planned_months,
            "entries": [e.to_dict() for e in self.entries],
        }


def usce_metrics(profile: Profile, reference_date: date) -> UsceMetrics:
    """Ledger metrics of ``profile`` as of ``reference_date`` (pure: no I/O)."""
    entries = tuple(_entry(i, e, reference_date) for i, e in enumerate(profile.usce))
    ledger = profile.usce
    return UsceMetrics(
        reference_date=reference_date,
        total_months=sum(e.months for e in entries),
        hands_on_months=sum(e.months for e in entries if e.hands_on),
        months_by_specialty=_by_specialty(entries, hands_on_only=False),
        hands_on_months_by_specialty=_by_specialty(entries, hands_on_only=True),
        recent_months={n: counted_months(ledger, reference_date, within_months=n)
                       for n in RECENCY_WINDOWS},
        recent_hands_on_months={
            n: counted_months(ledger, reference_date, within_months=n, hands_on_only=True)
            for n in RECENCY_WINDOWS},
        us_letters=sum(1 for e in entries if e.us_letter and e.in_time),
        planned_months=sum(e.planned_months for e in entries),
        entries=entries,
    )


def _entry(index: int, entry: UsceEntry, reference: date) -> EntryMetrics:
    weeks = whole_weeks(entry.start, entry.end)
    months = entry_months(entry, reference)
    return EntryMetrics(
        index=index, kind=entry.kind, specialty=entry.specialty, start=entry.start,
        end=entry.end, weeks=weeks, months=months,
        planned_months=max(weeks_to_months(weeks) - months, 0.0),
        hands_on=entry.hands_on, us_letter=entry.us_letter, in_time=entry.end <= reference,
    )


def _by_specialty(entries: tuple[EntryMetrics, ...], hands_on_only: bool) -> dict[str, float]:
    totals: dict[str, float] = {}
    for e in entries:
        if e.months > 0 and (e.hands_on or not hands_on_only):
            totals[e.specialty] = totals.get(e.specialty, 0.0) + e.months
    return dict(sorted(totals.items()))
