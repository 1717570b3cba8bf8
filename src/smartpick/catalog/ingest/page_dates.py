"""How old is a program's requirement page? Its own date where it gives one, else an estimate.

A page's own date is, in this order: an "updated" / "revised" date it states, else the
application season it names (a Match year, an academic year, an application cycle, or a
dated deadline), taking the latest season named. A season is dated by the year it starts:
"Match 2017" and a deadline of "February 1, 2017" belong to the season that opened in 2016;
"the 2024-2025 cycle" to 2024. Years that describe an applicant's graduation ("graduated in
2019 or later") are not page dates.

A page without its own date gets an estimated date: the year before the first retired thing
it names stopped existing (Step 2 CS and COMLEX Level 2-PE: 2021; the ECFMG CSA: 2004; a
numeric Step 1 cutoff: Step 1 is pass/fail since January 2022), else the year its copy was
collected (an upper bound). A page naming a retired thing is flagged "possibly outdated",
dated or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COLLECTED = "2026"  # the year the stored copies of the pages were collected
FIRST_SEASON_MONTH = 7  # a date from July on belongs to the season opening that year

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH = r"(?P<month>" + "|".join(m[:3] + r"[a-z]*\.?" for m in _MONTHS) + r")"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?![\d+])"
_UPDATED = re.compile(
    r"(?i)\b(?:last\s+)?(?:updated|revised|modified)\s*(?:on|:)?\s*"
    r"(?:" + _MONTH + r"\s+(?:(?P<day>\d{1,2}),?\s+)?" + _YEAR + r"|"
    r"(?P<iso>(?:19|20)\d\d-\d\d(?:-\d\d)?)|(?P<bare>(?:19|20)\d\d)(?![\d+]))")
_RANGE = re.compile(r"\b(?P<first>(?:19|20)\d\d)\s*[-–/]\s*(?:(?:19|20)\d\d|\d\d)\b")
_AFTER_RANGE_CONTEXT = re.compile(
    r"(?i)^[^.;\n]{0,40}?\b(?:season|cycle|academic year|recruit|applica|interview|match)")
_BEFORE_RANGE_CONTEXT = re.compile(r"(?i)\b(?:AY|academic year|season|cycle)\s*$")
_MATCH = re.compile(r"(?i)\b(?:match(?:\s+day)?\s+(?:of\s+)?" + _YEAR + r"|"
                    r"(?P<year2>(?:19|20)\d\d)\s+(?:NRMP\s+)?match\b)")
_ENTRY = re.compile(r"(?i)\b(?:entry\s+in\s+(?:(?:the\s+)?summer\s+(?:of\s+)?)?"
                    + _YEAR + r"|(?P<year2>(?:19|20)\d\d)\s+academic\s+year|"
                    r"academic\s+year\s+(?P<year3>(?:19|20)\d\d)(?!\s*[-–/]))")
_DATED = re.compile(r"(?i)\b" + _MONTH + r"\s+(?:(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+)?"
                    + _YEAR)
_DEADLINE_YEAR = re.compile(r"(?i)\b(?P<year>(?:19|20)\d\d)\s+application\s+deadline")
_GRADUATION = re.compile(r"(?i)graduat\w*[^.;\n\d]{0,40}$")

# (pattern, what the page names, the year it ended)
RETIRED: tuple[tuple[re.Pattern[str], str, int], ...] = (
    (re.compile(r"\bCS\b|(?i:clinical\s+skills)|\bPE\b"), "Step 2 CS or COMLEX Level 2-PE", 2021),
    (re.compile(r"\bCSA\b|(?i:clinical\s+skills\s+assessment)"), "the ECFMG CSA", 2004),
)
NUMERIC_STEP1 = ("a numeric Step 1 cutoff", 2022)


@dataclass(frozen=True)
class PageDate:
    """A page's date (``as_of``), whether it is estimated, how it was found, and flags."""

    as_of: str
    estimated: bool
    how: str
    retired: tuple[str, ...] = ()  # retired things the page names, with the year they ended

    @property
    def outdated_flag(self) -> str:
        if not self.retired:
            return ""
        return "possibly outdated: the page names " + " and ".join(self.retired)


def date_page(text: str | None, noted: str | None = None,
              numeric_step1: bool = False) -> PageDate:
    """Date a page from its requirement ``text`` and the reader's note about it.

    ``noted`` is what the person who read the page by hand wrote about it (it may name the
    page's season); ``numeric_step1`` is true when the page states a Step 1 score minimum.
    """
    retired = _retired(" ".join(t for t in (text, noted) if t), numeric_step1)
    named = tuple(f"{what} ({_why(what, ended)})" for what, ended in retired)
    own = own_date(text or "")
    if own is not None:
        return PageDate(own[0], False, own[1], named)
    noted_date = own_date(noted or "")
    if noted_date is not None:
        return PageDate(noted_date[0], False, noted_date[1] + ", noted when read by hand", named)
    if retired:
        what, ended = min(retired, key=lambda r: r[1])
        return PageDate(str(ended - 1), True, f"undated; the year before {what} "
                        f"({_why(what, ended)})", named)
    return PageDate(COLLECTED, True, "undated; the year its copy was collected "
                    "(the page may be older)")


def own_date(text: str) -> tuple[str, str] | None:
    """(as_of, how) from an "updated" date or the latest season the text names."""
    updated = _updated(text)
    if updated is not None:
        return updated, "the date the page says it was updated"
    seasons = _seasons(text)
    if not seasons:
        return None
    year, words = max(seasons)
    return str(year), f"the season the page names ({words})"


def _updated(text: str) -> str | None:
    found = None
    for m in _UPDATED.finditer(text):
        if m.group("iso"):
            found = m.group("iso")
        elif m.group("bare"):
            found = m.group("bare")
        else:
            month = _month_number(m.group("month"))
            found = f"{m.group('year')}-{month:02d}" + (
                f"-{int(m.group('day')):02d}" if m.group("day") else "")
    return found


def _seasons(text: str) -> list[tuple[int, str]]:
    """(season start year, the words naming it) for every season the text names."""
    found: list[tuple[int, str]] = []
    for m in _RANGE.finditer(text):
        after, before = text[m.end():], text[:m.start()]
        if _graduation_year(text, m.start()):
            continue
        if _AFTER_RANGE_CONTEXT.match(after) or _BEFORE_RANGE_CONTEXT.search(before):
            found.append((int(m.group("first")), m.group(0).strip()))
    for pattern, shift in ((_MATCH, 1), (_ENTRY, 1), (_DEADLINE_YEAR, 0)):
        for m in pattern.finditer(text):
            year = next(g for g in (m.groupdict().get(k) for k in ("year", "year2", "year3"))
                        if g)
            if not _graduation_year(text, m.start()):
                found.append((int(year) - shift, m.group(0).strip()))
    for m in _DATED.finditer(text):
        if _graduation_year(text, m.start()):
            continue
        month = _month_number(m.group("month"))
        year = int(m.group("year"))
        found.append((year if month >= FIRST_SEASON_MONTH else year - 1, m.group(0).strip()))
    return found


def _graduation_year(text: str, start: int) -> bool:
    """True when the year at ``start`` follows a mention of graduation in the same clause."""
    return _GRADUATION.search(text[max(0, start - 60):start]) is not None


def _month_number(word: str) -> int:
    head = word.lower()[:3]
    return next(i for i, m in enumerate(_MONTHS, start=1) if m.startswith(head))


def _why(what: str, ended: int) -> str:
    if what == NUMERIC_STEP1[0]:
        return f"Step 1 is pass/fail since {ended}"
    return f"ended in {ended}"


def _retired(text: str, numeric_step1: bool) -> list[tuple[str, int]]:
    found = [(what, year) for pattern, what, year in RETIRED if pattern.search(text)]
    if numeric_step1:
        found.append(NUMERIC_STEP1)
    return found
