"""When a program needs ECFMG certification, as a date of the season.

Programs state the timing in their own words ("at the time of application", "before the rank
list deadline", "by the start of training", "January 30"). The first timing word found in the
text decides; a month and day fall in the application year for July-December and in the Match
year for January-June. Text with no recognisable timing gives ``None`` (timing not stated).
"""

from __future__ import annotations

import re
from datetime import date

from smartpick.applicant.seasons import Season

# timing words -> season milestone; the earliest match in the text wins
_KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"\bappl(?:y|ication|icants?)\b", "programs_receive"),
    (r"\binterview", "programs_receive"),
    (r"\brank", "rank_list_deadline"),
    (r"\bmatch\b", "rank_list_deadline"),
    (r"\bstart|\bbegin|\bappointment|\borientation|\bjuly 1\b|\bentry\b", "training_starts"),
)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH_DAY = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(\d{1,2})\b", re.IGNORECASE)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def ecfmg_deadline(text: str, season: Season) -> date | None:
    """The date by which ``text`` asks for ECFMG certification, or ``None`` if not stated."""
    candidates: list[tuple[int, date]] = []
    iso = _ISO.search(text)
    if iso:
        candidates.append((iso.start(), date(*(int(g) for g in iso.groups()))))
    month_day = _MONTH_DAY.search(text)
    if month_day and not (month_day.group(1).lower() == "july" and month_day.group(2) == "1"):
        candidates.append((month_day.start(), _month_day(month_day, season)))
    lowered = text.lower()
    for pattern, milestone in _KEYWORDS:
        found = re.search(pattern, lowered)
        if found:
            candidates.append((found.start(), season.date(milestone)))
    return min(candidates)[1] if candidates else None


def _month_day(found: re.Match[str], season: Season) -> date:
    month = _MONTHS.index(found.group(1).lower()) + 1
    year = season.application_year if month >= 7 else season.year
    try:
        return date(year, month, int(found.group(2)))
    except ValueError:
        return date(year, month, 28)
