"""US clinical experience (USCE) rules: required or preferred, months, hands-on, recency."""

from __future__ import annotations

import re
from collections.abc import Iterator

from smartpick.rules.extract.cues import USCE as USCE_CUE
from smartpick.rules.extract.cues import owned_by
from smartpick.rules.extract.result import Finding, as_number, finding
from smartpick.rules.extract.text import (
    NUMBER,
    SOFT_CUE,
    Sentence,
    faq_answer,
    is_soft,
    parse_number,
)

_US = r"(?:(?-i:U\.\s?S\.?(?:\s?A\.?)?|US|USA)|United States|American)"
USCE = re.compile(
    r"\bUSCE\b|"
    rf"(?<![\w.]){_US}[- ]?(?:(?!residency|research|work)\w+[ -]){{0,2}}?"
    r"(?:clinical[ -]|hands-on[ -])?"
    r"(?:experience|rotations?|clerkships?|clinicals?)\b|"
    r"\b(?:clinical|hands-on|medical)\s+(?:\w+\s+){0,2}"
    r"(?:experience|training|rotations?|clerkships?|electives?)\b[^.;]{0,40}?"
    rf"\b(?:in|within|at)\s+(?:either\s+)?(?:a\s+|an\s+|the\s+)?{_US}(?![\w])|"
    rf"\bclinical {_US} experience\b|\bexperience in (?:the\s+)?{_US}(?![\w])",
    re.I,
)
# Every form of USCE above names the US or says "USCE": one quick search skips the rest.
_US_WORDS = re.compile(r"(?-i:U\.\s?S|US)|(?i:usce|united states|american)")
_LETTER_FROM_USCE = re.compile(
    r"\bsupporting letters?\b|\bletters? of support\b|"
    r"\bletters? of recommendation from (?:that|this|the|your|such) (?:experience|rotation)",
    re.I,
)
_OBSERVERSHIP = re.compile(r"\bobservers?hips?\b|\bshadowing\b", re.I)
_NEGATED_NEED = re.compile(
    r"\b(?:not|no|n't)\b.{0,40}?\b(?:requir\w*|needed|necessary|mandatory)\b", re.I
)
_HANDS_ON = re.compile(
    r"\bhands[- ]on\b|\bdirect patient (?:care|contact)\b|\bmore than observerships?\b|"
    r"\bobservers?hips?\b[^.]{0,40}\b(?:not|no)\b|"
    r"\b(?:not|no|n't|excluding|exclude[sd]?)\b(?!\s+offer)[^.]{0,40}\bobservers?hips?\b",
    re.I,
)
_OBSERVERSHIPS_COUNT = re.compile(
    r"\bobservers?hips? (?:are|is|will be|may be) (?:also )?(?:accepted|acceptable|counted|"
    r"considered|included|sufficient)\b|\bincluding observerships?\b|"
    r"\bobservers?hips? (?:also |will |may |can |do |does )?(?:count|qualify|satisfy)\b(?! not)|"
    r"\b(?:may|can) (?:also )?include observerships?\b",
    re.I,
)
_RECENCY = re.compile(
    r"\b(?:within|in)\s+(?:the\s+)?(?:past|last|previous|preceding)\s+(" + NUMBER + r")?"
    r"\s*(months?|years?)\b",
    re.I,
)
_DURATION = re.compile(
    r"\b(" + NUMBER + r")\+?(?:\s*(?:-|to)\s*" + NUMBER + r")?(?:\s*\(\s*\w+\s*\))?(?:\s+|-)"
    r"(?:full\s+)?(months?|weeks?|years?)\b",
    re.I,
)
_EXCLUDED_WITHOUT = re.compile(
    r"\bwithout\b[^.;]{0,80}\b(?:not|never|cannot)\s+(?:be\s+)?"
    r"(?:considered|eligible|reviewed|accepted|interviewed|ranked)\b",
    re.I,
)
_MONTHS_PER = {"month": 1.0, "week": 0.25, "year": 12.0}


def find_usce(sentences: list[Sentence]) -> Iterator[Finding]:
    """Findings for the ``usce_*`` fields and US letters tied to USCE.

    When the US experience only names where a letter comes from ("letters from mentors in
    US rotations are encouraged"), the sentence is about letters, not a USCE rule.
    """
    previous_usce = False
    for sentence in sentences:
        if sentence.is_question:
            continue
        mention = USCE.search(sentence.text) if _US_WORDS.search(sentence.text) else None
        if _letter_source(sentence.text, mention):
            yield finding("lor_us_required", "yes", sentence, is_soft(sentence))
            previous_usce = True
            continue
        if previous_usce and _LETTERS_FROM_THESE.search(sentence.text):
            yield finding("lor_us_required", "yes", sentence, is_soft(sentence))
        about_usce = bool(mention or (_US_WORDS.search(sentence.context)
                                      and USCE.search(sentence.context)))
        yield from _hands_on(sentence, about_usce)
        previous_usce = bool(mention)
        if not about_usce:
            continue
        value = _required(sentence) or _answered(sentence)
        if value is None:
            continue
        yield finding("usce_required", value, sentence, value == "preferred",
                      _REQUIRED_RANK.get(value, 1) if _stated(sentence) else 1)
        if value != "no":
            yield from _amounts(sentence, unclaimed=mention is None)


_REQUIRED_RANK = {"yes": 3, "preferred": 3, "no": 2}
_LETTER_BEFORE = re.compile(r"\bletters?\b[^.;]{0,80}\bfrom\b[^.;]{0,60}$", re.I)
_LETTERS_FROM_THESE = re.compile(
    r"\bletters?\b[^.;]{0,40}\bfrom (?:these|those|such|that|this) "
    r"(?:experiences?|rotations?|electives?)\b",
    re.I,
)


def _letter_source(text: str, mention: re.Match[str] | None) -> bool:
    """The US experience (first named at ``mention``) is named only as the source of a
    letter."""
    return bool(mention and _LETTER_BEFORE.search(text, 0, mention.start()))


def _stated(sentence: Sentence) -> bool:
    """A sentence with a verb states its rule; a bare list line or heading only implies one."""
    return bool(re.search(r"\b(?:is|are|be|must|should|need\w*|requir\w*|prefer\w*|"
                          r"encourag\w*|have|has|will|do|does|accept\w*|consider\w*)\b",
                          sentence.text, re.I))


def _required(sentence: Sentence) -> str | None:
    text = sentence.text
    if is_soft(sentence):
        return "preferred"
    if _NEGATED_NEED.search(text) and not re.match(r"\s*no\b,", text, re.I):
        return "no"
    if re.search(r"\b(must|require[sd]?|required|requirement|mandatory|need|only)\b", text, re.I):
        return "yes"
    if _EXCLUDED_WITHOUT.search(text):
        return "yes"
    if sentence.line_start and USCE.search(text) and _DURATION.search(text):
        return "yes"
    if sentence.line_start and re.match(rf"\s*(?:\d+[.)]\s*)?(?:\w+\s+)?(?:clinical\s+)?"
                                        rf"(?:medical\s+)?(?:experience|{_US})", text, re.I):
        return "yes"
    return None


_ASKS_NEED = re.compile(r"\b(?:require\w*|need\w*|necessary|mandatory|must)\b", re.I)
_ASKS_COUNT = re.compile(
    r"\b(?:count\w*|accept\w*|consider\w*|qualif\w*|suffic\w*|satisf\w*|fulfil\w*)\b", re.I
)


def _answered(sentence: Sentence) -> str | None:
    """A bare Yes/No answering "Is US clinical experience required?"."""
    answer = faq_answer(sentence)
    if answer and _ASKS_NEED.search(sentence.context) and not _OBSERVERSHIP.search(
        sentence.context
    ):
        return answer
    return None


def _amounts(sentence: Sentence, unclaimed: bool = False) -> Iterator[Finding]:
    """Months, recency and US letters of a USCE rule; with ``unclaimed``, the sentence
    answers a question about USCE, and a duration near no other field's cue is its own."""
    text = sentence.text
    soft = is_soft(sentence)
    recency = _RECENCY.search(text)
    if recency and not owned_by(text, recency.start(), recency.end(), USCE_CUE):
        recency = None
    if recency:
        number = parse_number(recency.group(1) or "one")
        if number:
            months = number * _MONTHS_PER[recency.group(2).lower().rstrip("s")]
            yield finding("usce_recency_months", as_number(months), sentence, soft)
        text = text[: recency.start()] + " " * len(recency.group(0)) + text[recency.end() :]
    duration = next((d for d in _DURATION.finditer(text)
                     if owned_by(text, d.start(), d.end(), USCE_CUE, unclaimed=unclaimed)), None)
    if duration:
        number = parse_number(duration.group(1))
        if number:
            months = number * _MONTHS_PER[duration.group(2).lower().rstrip("s")]
            yield finding("usce_min_months", as_number(months), sentence, soft)
    if _LETTER_FROM_USCE.search(text) and not soft:
        yield finding("lor_us_required", "yes", sentence, False)


def _hands_on(sentence: Sentence, about_usce: bool) -> Iterator[Finding]:
    text = sentence.text
    answer = faq_answer(sentence)
    if answer and _OBSERVERSHIP.search(sentence.context) and _ASKS_COUNT.search(
        sentence.context
    ):
        # "Do observerships count?" - "No." means hands-on only; "Yes." means they count
        yield finding("usce_hands_on_only", "yes" if answer == "no" else "no", sentence,
                      False, 2)
        return
    if not (about_usce or _OBSERVERSHIP.search(text)):
        return
    if _OBSERVERSHIPS_COUNT.search(text) and not _HANDS_ON.search(text):
        yield finding("usce_hands_on_only", "no", sentence, bool(SOFT_CUE.search(text)))
    elif _HANDS_ON.search(text):
        soft = is_soft(sentence)
        yield finding("usce_hands_on_only", "yes", sentence, soft, 1 if soft else 2)
