"""USMLE rules: minimum Step 1 / Step 2 CK scores, Step 3, and attempt limits.

Scores are 3-digit numbers (180-290) in a sentence about USMLE, Steps or scores. Each score
belongs to the Step named right after it ("210 or higher for Step 2"), else to the nearest
Step named before it, else (a sentence about "scores" in general, or "both parts") to Step 1
and Step 2 CK. A table whose header row names the Steps gives its numbers in order.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from smartpick.rules.extract.result import Finding, finding
from smartpick.rules.extract.text import (
    NUMBER,
    Sentence,
    clause_around,
    faq_answer,
    is_soft,
    parse_number,
)
from smartpick.rules.extract.visa import H1B

_SCORE_FIELD = {1: "step1_min", 2: "step2ck_min"}
MAX_SCORES = 24  # scores read per sentence; a longer run of numbers is a table, not a rule
_STEP_REACH = 120  # characters after a score searched for the Step it belongs to
_ROMAN = {"1": 1, "i": 1, "2": 2, "ii": 2, "3": 3, "iii": 3}
_ONE_STEP = (
    r"(?:iii|ii|i|[123])(?:\b|(?=(?:CK|CS)\b))"
    r"(?:\s*-?\s*(?:CK|CS)\b|\s*\(?Clinical Knowledge\)?)?"
)
_STEP_LIST = re.compile(
    r"\b(?:USMLE\s+)?(?:Steps?|Parts?)\s*(" + _ONE_STEP + r"(?:\s*(?:,|&|and|/|or)\s*(?:Steps?\s*)?"
    + _ONE_STEP + r")*)",
    re.I,
)
_USMLE_LIST = re.compile(r"\bUSMLE\s+([123](?:\s*(?:,|&|and)\s*[123])+)\b", re.I)
_USMLE_III = re.compile(r"\bUSMLE\s+(?:III|3)\b(?!\s*(?:,|&|and)\s*\d)")
_SCORE_TOPIC = re.compile(r"\b(USMLE|Steps?|scores?|scored)\b", re.I)
_SCORE = re.compile(r"(?<![\d/.-])(?:mid-?)?(\d{3})s?\b(?![.-]?\d)", re.I)
_THREE_DIGITS = re.compile(r"\d\d\d")  # no score without one
_COHORT = re.compile(
    r"\b(majority|most of (?:the|our) (?:applicants|candidates|residents)|"
    r"(?:our|current|matched) (?:residents|interns|applicants) (?:have|had|scored))\b",
    re.I,
)
_NOT_A_MINIMUM = re.compile(
    r"\b(no minimum|not have (?:a )?minimum|not require specific|no (?:specific|strict)|"
    r"not use strict|not publish|combined|composite|sum)\b|"
    r"\baverage (?:score )?of\s+\d",
    re.I,
)
# the scores of matched residents are typical values: preferred, not a minimum
_TYPICAL = re.compile(r"\b(?:average|averaged|mean|median)\b", re.I)
_FOLLOWING_STEP = re.compile(
    r"^\s*(?:or (?:higher|better|above|greater|more)\s*)?(?:(?:for|on|in)\s+|\(\s*)"
)


@dataclass(frozen=True)
class StepMention:
    start: int
    end: int
    steps: frozenset[int]
    named_step: bool  # "Step 3" rather than the bare "USMLE 1, 2, 3"


def step_mentions(text: str) -> list[StepMention]:
    """Every Step or list of Steps named in ``text``, in order."""
    found = [
        StepMention(m.start(), m.end(), _steps_in(m.group(1)), True)
        for m in _STEP_LIST.finditer(text)
    ]
    found += [
        StepMention(m.start(), m.end(), _steps_in(m.group(1)), False)
        for m in _USMLE_LIST.finditer(text)
    ]
    if re.search(r"\bboth parts\b", text, re.I):
        found.append(StepMention(len(text), len(text), frozenset({1, 2}), False))
    return sorted((m for m in found if m.steps), key=lambda m: m.start)


def _steps_in(words: str) -> frozenset[int]:
    steps = set()
    for token in re.finditer(r"\b(iii|ii|i|[123])(?:\b|(?=(?:CK|CS)\b))(\s*-?\s*CS\b)?", words,
                             re.I):
        if not token.group(2):
            steps.add(_ROMAN[token.group(1).lower()])
    return frozenset(steps)


def find_scores(sentences: list[Sentence]) -> Iterator[Finding]:
    """Findings for ``step1_min`` and ``step2ck_min``."""
    previous: Sentence | None = None
    for sentence in sentences:
        if _THREE_DIGITS.search(sentence.text) and not sentence.is_question:
            about_scores = _SCORE_TOPIC.search(sentence.topic) or _table_header(previous)
            if about_scores and not _COHORT.search(sentence.text):
                yield from _scores_in(sentence, previous)
        previous = sentence


def _scores_in(sentence: Sentence, previous: Sentence | None) -> Iterator[Finding]:
    text = sentence.text
    mentions = step_mentions(text)
    scores = [m for m in _SCORE.finditer(text) if 180 <= int(m.group(1)) <= 290]
    header = _table_header(previous) if not mentions else []
    plural = re.search(r"\bscores\b", text, re.I)
    first_scores = plural.start() if plural else len(text)
    ends = [m.end for m in mentions]
    for index, match in enumerate(scores[:MAX_SCORES]):
        clause = clause_around(text, match.start(), match.end(), 200)
        if _NOT_A_MINIMUM.search(clause):
            continue
        soft = is_soft(sentence, clause) or bool(_TYPICAL.search(clause))
        value = int(match.group(1)) + (5 if match.group(0).lower().startswith("mid") else 0)
        if header and len(scores) > 1 and index < len(header):
            steps, priority = header[index], 2
        else:
            steps, priority = _steps_for(text, match, mentions, ends, first_scores,
                                         sentence.context)
        for step in sorted(steps & {1, 2}):
            yield finding(_SCORE_FIELD[step], value, sentence, soft, priority)


def _table_header(previous: Sentence | None) -> list[frozenset[int]]:
    if previous is None or _SCORE.search(previous.text):
        return []
    mentions = step_mentions(previous.text)
    return [m.steps for m in mentions] if len(mentions) >= 2 else []


def _steps_for(
    text: str, score: re.Match[str], mentions: list[StepMention], ends: list[int],
    first_scores: int, context: str,
) -> tuple[frozenset[int], int]:
    """``ends`` holds the end of each mention (sorted, as the mentions are); ``first_scores``
    is where the word "scores" first occurs in ``text``."""
    after = text[score.end() : score.end() + _STEP_REACH]
    follow = _FOLLOWING_STEP.match(after)
    if follow:
        named = step_mentions(after[follow.end() :])
        if named and named[0].start == 0:
            return named[0].steps, 2
    before = bisect_right(ends, score.start())
    if before:
        return mentions[before - 1].steps, 2
    if mentions and first_scores + len("scores") > score.start():
        return mentions[0].steps, 1
    asked = [m.steps for m in step_mentions(context)]
    return (frozenset().union(*asked) if asked else frozenset({1, 2})), 1


_STEP3_NOT = re.compile(
    r"\b(?:not|no)\b[^.]{0,20}\brequire|\boptional\b|\bnot (?:necessary|needed|mandatory)\b",
    re.I,
)
_STEP3_SKIP = re.compile(r"\battempts\b|\bcombined\b", re.I)
_DURING_TRAINING = re.compile(
    r"\b(?:of|during|in|within|before the end of|by the end of)\s+(?:your\s+|the\s+)?"
    r"(?:first\s+)?(?:intern(?:ship)? year|PGY-?\s?[123]|residency training|first year of "
    r"(?:residency|training)|first year)\b|\bafter (?:you )?match(?:ing)?\b",
    re.I,
)
_STEP3_WORDS = re.compile(r"3|iii|three", re.I)  # quick test before the Step 3 patterns
_ALL_STEPS = re.compile(r"\ball (?:3|three) steps\b", re.I)


def find_step3(sentences: list[Sentence]) -> Iterator[Finding]:
    """Findings for ``step3_required``: yes, no, preferred or "yes (for H-1B)"."""
    previous = ""
    for sentence in sentences:
        text = sentence.text
        if not sentence.is_question and _STEP3_WORDS.search(text) and _names_step3(
            text
        ) and not _STEP3_SKIP.search(_step3_window(text)):
            value = _step3_value(sentence, bool(H1B.search(text) or H1B.search(previous)))
            if value:
                yield finding("step3_required", value, sentence, value == "preferred")
        previous = text


def _names_step3(text: str) -> bool:
    if _ALL_STEPS.search(text) or _USMLE_III.search(text):
        return True
    return any(3 in m.steps and m.named_step for m in step_mentions(text))


def _step3_window(text: str) -> str:
    """The words around the first mention of Step 3 (60 characters to either side)."""
    mention = _ALL_STEPS.search(text) or _USMLE_III.search(text) or next(
        m for m in _STEP_LIST.finditer(text) if 3 in _steps_in(m.group(1))
    )
    return text[max(0, mention.start() - 60) : mention.end() + 60]


def _step3_value(sentence: Sentence, for_h1b: bool) -> str | None:
    """Step 3 due only during training ("by the end of the intern year") is not needed to
    apply, rank or start: "no"."""
    if _STEP3_NOT.search(sentence.text):
        return "no"
    window = _step3_window(sentence.text)
    if _DURING_TRAINING.search(window):
        return "no"
    if is_soft(sentence, window):
        return "preferred"
    return "yes (for H-1B)" if for_h1b else "yes"


_FIRST = re.compile(
    r"\b(?:first|1st)\s+(?:\w+\s+)?(?:attempts?|try|time)\b|\bsingle attempt\b|"
    r"\bno (?:(?:USMLE|COMLEX|exam|board|Step)\s+)?(?:fails|failures|failed attempts)\b|"
    r"\b(?:not|never)\s+(?:be\s+)?(?:consider|accept|review|rank|interview)\w*\b[^.;]{0,40}"
    r"\b(?:fails?|failures|failed attempts?)\b",
    re.I,
)
_WITHIN = re.compile(
    r"\b(?:within|no more than|not more than|maximum of|max(?:imum)?|up to|at most)\s+"
    r"(?:the\s+)?(?:first\s+)?(" + NUMBER + r")\s+(?:attempts|tries)\b",
    re.I,
)
_MORE_THAN = re.compile(
    r"\bmore than\s+(" + NUMBER + r")\s+(attempts?|times|tries|failures?|fails?|"
    r"failed attempts?)\b",
    re.I,
)
# "one failure allowed", "no more than one fail on USMLE", "and 1 failure on Step 1"
_FAILURES_ALLOWED = re.compile(
    r"(?:\b(?:no more than|not more than|at most|maximum of|up to|only)\s+|(?<![\w-])(?=\d\b))"
    r"(" + NUMBER + r")\s+(?:fails?|failures?|failed attempts?|unsuccessful attempts?)\b",
    re.I,
)
_ATTEMPT_WORDS = re.compile(r"attempt|tries|try|time|fail", re.I)  # one of these in every rule
# "one failed attempt will be considered" (and not "... will not be considered")
_FAILURES_CONSIDERED = re.compile(
    r"\b(" + NUMBER + r")\s+(?:fails?|failures?|failed attempts?|unsuccessful attempts?)\b"
    r"[^.;]{0,40}?\b(?:will be|is|are|may be|can be)\s+(?:considered|accepted|allowed|permitted)\b",
    re.I,
)
# "Do you accept applicants with USMLE failures?" - "No."
_ASKS_FAILURES = re.compile(
    r"\b(?:accept|consider|allow|review)\w*\b[^?]{0,60}\b(?:fail\w*|multiple attempts|"
    r"more than one attempt|re-?takes?)\b",
    re.I,
)
_EXAM = re.compile(r"\b(?:USMLE|COMLEX|Steps?|boards?|exams?|examinations?)\b", re.I)
_ATTEMPTS_SKIP = re.compile(
    r"\bcombined\b|\bno limit\b|\bnot disqualify\b|\bmajority\b|\bmost of (?:the|our)\b",
    re.I,
)


def find_attempts(sentences: list[Sentence]) -> Iterator[Finding]:
    """Findings for ``max_attempts`` (1 = first attempt only)."""
    for sentence in sentences:
        text = sentence.text
        if sentence.is_question:
            continue
        if faq_answer(sentence) == "no" and _ASKS_FAILURES.search(sentence.context):
            yield finding("max_attempts", 1, sentence, is_soft(sentence))
            continue
        if not _ATTEMPT_WORDS.search(text) or _ATTEMPTS_SKIP.search(text):
            continue
        value = _attempts(text)
        if value is not None:
            yield finding("max_attempts", value, sentence, is_soft(sentence))


def _attempts(text: str) -> int | None:
    failures = _FAILURES_ALLOWED.search(text) or _FAILURES_CONSIDERED.search(text)
    if failures and _EXAM.search(text):
        number = parse_number(failures.group(1))
        return int(number) + 1 if number is not None else None
    within = _WITHIN.search(text)
    if within:
        number = parse_number(within.group(1))
        return int(number) if number else None
    more = _MORE_THAN.search(text)
    if more:
        number = parse_number(more.group(1))
        if number is None:
            return None
        return int(number) + (1 if more.group(2).lower().startswith("fail") else 0)
    return 1 if _FIRST.search(text) else None
