"""Year-of-graduation rules: maximum years since graduation, or earliest graduation year."""

from __future__ import annotations

import re
from collections.abc import Iterator

from smartpick.rules.extract.cues import GRADUATION, owned_by
from smartpick.rules.extract.result import Finding, as_number, finding
from smartpick.rules.extract.text import NUMBER, Sentence, is_soft, parse_number

_TOPIC = re.compile(
    r"\bgraduat\w*|\bgrads?\b|\bmedical school\b|\bschool of medicine\b|"
    r"\bout of (?:medical )?school\b|\byears? (?:since|from|of) graduation\b|"
    r"\bYOG\b",
    re.I,
)
_NO_LIMIT = re.compile(
    r"\bno\b[^.]{0,20}\b(?:cut-?off|limit|maximum|minimum/maximum)\b|"
    r"\bnot have a (?:set )?(?:maximum|cut-?off|limit)\b|\bis not considered\b|"
    r"\bnot\b[^.]{0,15}\brestrict",
    re.I,
)
_PAREN = r"(?:\s*\(\d+\))?"
_UNIT = r"(years?|yrs?|months?)"
_WINDOW = re.compile(
    r"\bwithin\s+(?:the\s+)?(?:(?:past|last|previous)\s+)?(" + NUMBER + r")" + _PAREN
    + r"(?:\s+" + _UNIT + r"|\s*$)",
    re.I,
)
_AT_MOST = re.compile(
    r"(?:\bno more than|\bnot more than|\bless than|\bfewer than|\bup to|\bmaximum of|<|"
    r"\b(?:no|not) (?:greater|older|longer) than|\bat most|"
    r"\b(?:in|of|from) the (?:last|past))\s*(" + NUMBER + r")" + _PAREN + r"\s+" + _UNIT,
    re.I,
)
_OR_LESS = re.compile(
    r"\b(" + NUMBER + r")" + _PAREN + r"\s+" + _UNIT + r"\s+or\s+(?:less|fewer)\b", re.I
)
# "graduated more than 5 years ago will not be considered": the limit, stated as an exclusion
_MORE_THAN = re.compile(r"\bmore than\s+(" + NUMBER + r")" + _PAREN + r"\s+" + _UNIT, re.I)
_EXCLUDED = re.compile(
    r"\b(?:not|never|cannot)\s+(?:be\s+)?(?:consider\w*|eligible|accept\w*|review\w*)|"
    r"\bineligible\b",
    re.I,
)
_CUTOFF = re.compile(
    r"\b(" + NUMBER + r")[- ](years?|months?)[- ](?:cut-?off|limit|window|rule)\b", re.I
)
_CUTOFF_DATE = re.compile(
    r"\bcut-?off\b[^.;]{0,60}?\b((?:19|20)\d\d)\b|"
    r"\b((?:19|20)\d\d)\s*(?:-|to|through)\s*(?:19|20)\d\d\b",
    re.I,
)
_YEAR = re.compile(
    r"\b(?:no earlier than|not earlier than|on or after|after|since|in or after)\s+"
    r"(?:\w+\s+)?((?:19|20)\d\d)\b",
    re.I,
)


_YEAR_OR_LATER = re.compile(
    r"\b((?:19|20)\d\d)(?:\s+(?:or|and)\s+(?:later|after|beyond|newer)|\s+onwards?)\b", re.I
)


def find_graduation(sentences: list[Sentence]) -> Iterator[Finding]:
    """Findings for ``yog_max_years`` and ``yog_min_year``."""
    for sentence in sentences:
        if sentence.is_question or not _TOPIC.search(sentence.topic):
            continue
        if _NO_LIMIT.search(sentence.text):
            continue
        soft = is_soft(sentence)
        year = _min_year(sentence.text) if _TOPIC.search(sentence.text) else None
        if year:
            yield finding("yog_min_year", year, sentence, soft)
        years = _max_years(sentence.text)
        if years is None and sentence.line_start and _ASKS_LIMIT.search(sentence.context):
            years = _answered_years(sentence.text)
        if years is not None:
            yield finding("yog_max_years", as_number(years), sentence, soft)


# "Is there a cut-off for year of graduation?" - "Yes, 5 years."
_ASKS_LIMIT = re.compile(
    r"\b(?:cut-?off|limit|maximum|how (?:long|many years|recent(?:ly)?))\b[^?]*\b"
    r"(?:graduat\w*|YOG)\b|\b(?:graduat\w*|YOG)\b[^?]*\b(?:cut-?off|limit|maximum)\b",
    re.I,
)
_ANSWER_YEARS = re.compile(
    r"\s*(?:A[.:]\s*)?(?:yes\b[,.;:]?\s*)?(?:it is\s+|we (?:have|use) an?\s+)?"
    r"(?:(?:within|up to|no more than|not more than|at most)\s+)?(?:the\s+)?"
    r"(?:(?:last|past)\s+)?(" + NUMBER + r")" + _PAREN + r"[\s-]+" + _UNIT + r"\b",
    re.I,
)


def _answered_years(text: str) -> float | None:
    answer = _ANSWER_YEARS.match(text)
    number = parse_number(answer.group(1)) if answer else None
    if answer is None or not number:
        return None
    return round(number / 12, 2) if answer.group(2).lower().startswith("month") else number


def _min_year(text: str) -> int | None:
    """"no earlier than 2019", "the cut-off date ... is June 30, 2021", "graduates of 2019-2023"."""
    for pattern in (_YEAR, _CUTOFF_DATE, _YEAR_OR_LATER):
        for match in pattern.finditer(text):
            group = next(g for g in range(1, len(match.groups()) + 1) if match.group(g))
            if owned_by(text, match.start(group), match.end(group), GRADUATION):
                return int(match.group(group))
    return None


def _max_years(text: str) -> float | None:
    excluded = bool(_EXCLUDED.search(text))
    for pattern in (_WINDOW, _AT_MOST, _CUTOFF, _OR_LESS, _MORE_THAN):
        if pattern is _MORE_THAN and not excluded:
            continue
        for match in pattern.finditer(text):
            if not owned_by(text, match.start(), match.end(), GRADUATION, 120, True):
                continue
            number = parse_number(match.group(1))
            if number is None or number <= 0:
                continue
            unit = (match.group(2) or "years").lower()
            return round(number / 12, 2) if unit.startswith("month") else number
    return None
