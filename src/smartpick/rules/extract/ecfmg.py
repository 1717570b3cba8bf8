"""ECFMG certification: by when a program needs it.

The timing is read from the words right after "certified/certificate/certification" in a
sentence naming the ECFMG ("certified before the rank order list", "by April 1"). A sentence
without timing still says the certificate is required; when it is an item of an application
checklist ("Copy of your ECFMG certificate"), it is needed with the application.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice

from smartpick.rules.extract.result import Finding, finding
from smartpick.rules.extract.text import (
    Sentence,
    clause_around,
    clause_bounds,
    faq_answer,
    is_soft,
)

APPLICATION = "application"
INTERVIEW = "interview"
RANKING = "ranking"
START = "start of training"
VISA = "visa processing"
UNTIMED = "required (timing not stated)"

MAX_MENTIONS = 8  # certificate words read per sentence
_LEAD_REACH = 160  # characters before a certificate word searched for "before you start"
_NEGATION_REACH = 120  # characters before it searched for "not required"
_LEAD_SPLIT = re.compile(r",|\band\b|\bor\b")

_ECFMG = re.compile(r"\bE\.?C\.?F\.?M\.?G\b|\bEducational Commission\b", re.I)
_CERT = re.compile(r"\bcertif\w*", re.I)
_SKIP = re.compile(r"\bif available\b|\bstatus report\b", re.I)
_NEGATED = re.compile(r"\b(?:not|n't)\s+(?:require|need|necessary)\w*\b[^.]{0,40}$", re.I)
_NEGATED_AFTER = re.compile(
    r"\s*(?:is|are|will)\s+(?:not|n't)\s+(?:be\s+)?(?:required|needed|necessary)", re.I
)
_WINDOW_END = re.compile(
    r";|\.\s|\s+and\s+(?:you|must|have|should|will|a)\b|\s+but\s+(?!applicants|you will)", re.I
)
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)"
)
_TIMINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("date", re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b")),
    (APPLICATION, re.compile(r"\bappl(?:y|ying|ication|ications)\b(?!\s+year)", re.I)),
    (INTERVIEW, re.compile(r"\binterview\w*", re.I)),
    (RANKING, re.compile(r"\brank\w*|\bmatch list\b|\b(?:the|NRMP) match\b", re.I)),
    (START, re.compile(
        r"\b(?:start\w*|begin\w*|commenc\w*|orientation|appointment|intern year)\b|"
        r"\b(?:prior to|before)\s+(?:the\s+)?residency\b", re.I)),
    (VISA, re.compile(r"\bvisa\b", re.I)),
)
_REFERS_BACK = re.compile(r"\b(?:the|this|that|your|such a)\s+certific\w*", re.I)
_TIMING_LEAD = re.compile(
    r"\b(?:before|prior to|by|until|to|cannot|can't|not)\s+(?:\w+\s+){0,3}?"
    r"(?:start\w*|begin\w*|commenc\w*|rank\w*|interview\w*)\b[^.;]*$",
    re.I,
)
_VERB = re.compile(r"\b(requires?|must|should|has|have|is|are|be|obtain\w*)\b", re.I)
# "a current ECFMG certificate", "certification must be verified": held when applying
_HELD_NOW = re.compile(r"\b(?:current|verified|verify)\b", re.I)
_SUBMIT = re.compile(r"\b(?:submit|include|upload|send|attach)\b[^.]{0,30}\bcertif", re.I)
_CHECKLIST = re.compile(
    r"^\s*(?:\d+[.)]\s*|-\s*)?(?:a\s+)?(?:cop(?:y|ies) of (?:(?:your|the|an?)\s+)?)?"
    r"(?:(?:current|valid|currently)[, ]+)*(?:ECFMG|E\.C\.F\.M\.G|Educational Commission)|"
    r"\bapplication (?:includes|must include)|\bcomplete application\b",
    re.I,
)


def find_ecfmg(sentences: list[Sentence]) -> Iterator[Finding]:
    """Findings for ``ecfmg_required_by``; stated timing outranks an untimed requirement.

    A sentence right after one naming the ECFMG certificate that speaks of "the/this
    certificate" continues its topic ("..., if available. If not, you need the certificate
    before orientation.").
    """
    previous = ""
    for index, sentence in enumerate(sentences):
        text = sentence.text
        if index:
            previous = sentences[index - 1].text
        if sentence.is_question:
            continue
        if not _ECFMG.search(text) and _ECFMG.search(previous) and _REFERS_BACK.search(text):
            yield from _timed_only(sentence)
            continue
        if not _ECFMG.search(text) and _ECFMG.search(sentence.context):
            yield from _answer(sentence)
            continue
        if _SKIP.search(text) or not _ECFMG.search(text):
            continue
        certificates = [m for m in _mentions(text) if not _negated(text, m)]
        if not certificates:
            continue
        first = certificates[0]
        soft = is_soft(sentence, clause_around(text, first.start(), first.end()))
        timed = next((t for t in map(lambda m: _timing_around(text, m), certificates) if t),
                     None)
        if timed:
            yield finding("ecfmg_required_by", timed, sentence, soft, 2)
        else:
            checklist = (_CHECKLIST.search(text) and not _VERB.search(text)) or _SUBMIT.search(
                text
            )
            held = _HELD_NOW.search(clause_around(text, first.start(), first.end(), 60))
            value = APPLICATION if checklist or held else UNTIMED
            yield finding("ecfmg_required_by", value, sentence, soft, 1)


def _answer(sentence: Sentence) -> Iterator[Finding]:
    """The answer to a question about the certificate: its own timing ("By the rank list
    deadline."), or for a bare "Yes", the timing the question asks about ("... to apply?")."""
    answer = faq_answer(sentence)
    if not sentence.line_start or answer == "no" or _SKIP.search(sentence.context):
        return
    soft = is_soft(sentence)
    timing = _timing(sentence.text, 0)
    if timing is None and answer == "yes":
        asked = [m for m in _mentions(sentence.context) if not _negated(sentence.context, m)]
        timing = next((t for t in (_timing_around(sentence.context, m) for m in asked) if t),
                      None)
        if timing is None and asked:
            yield finding("ecfmg_required_by", UNTIMED, sentence, soft, 1)
    if timing:
        yield finding("ecfmg_required_by", timing, sentence, soft, 2)


def _timed_only(sentence: Sentence) -> Iterator[Finding]:
    text = sentence.text
    for certificate in _mentions(text):
        timing = None if _negated(text, certificate) else _timing_around(text, certificate)
        if timing:
            soft = is_soft(sentence, clause_around(text, certificate.start(), certificate.end()))
            yield finding("ecfmg_required_by", timing, sentence, soft, 2)
            return


def _mentions(text: str) -> list[re.Match[str]]:
    """The first few certificate words of a sentence: the timing is read next to them."""
    return list(islice(_CERT.finditer(text), MAX_MENTIONS))


def _timing_around(text: str, certificate: re.Match[str]) -> str | None:
    """Timing after the certificate word, else a timing phrase before it in its clause
    ("you cannot start residency without this certificate")."""
    after = _timing(text, certificate.end())
    if after:
        return after
    left, _ = clause_bounds(text, certificate.start(), certificate.end())
    left = max(left, certificate.start() - _LEAD_REACH)
    clause = text[left : certificate.end()]
    before = clause[: max(0, clause.find(certificate.group(0)))]
    before = _LEAD_SPLIT.split(before)[-1]
    lead = _TIMING_LEAD.search(before)
    return _timing(before, lead.start()) if lead else None


def _negated(text: str, certificate: re.Match[str]) -> bool:
    """"not required to be certified" / "certification is not required" """
    after = text[certificate.end() : certificate.end() + 30]
    before = max(0, certificate.start() - _NEGATION_REACH)
    return bool(_NEGATED.search(text, before, certificate.start())
                or _NEGATED_AFTER.match(after))


def _timing(text: str, start: int) -> str | None:
    window = text[start : start + 200]
    cut = _WINDOW_END.search(window)
    if cut:
        window = window[: cut.start()]
    best: tuple[int, str] | None = None
    for name, pattern in _TIMINGS:
        match = pattern.search(window)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), match.group(0) if name == "date" else name)
    return best[1] if best else None
