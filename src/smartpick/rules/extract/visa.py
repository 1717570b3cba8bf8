"""Visa rules: J-1, H-1B and "no visa sponsored" from program text.

A small clause grammar: each sentence is cut into clauses at "but", "however" and semicolons;
a clause that names a visa and carries a negated verb ("do not sponsor", "unable to accept")
says "no" for that visa, otherwise the mention says "yes". An FAQ answer that opens with
"No"/"Yes" answers for the visas its question names. Weaker inferences fill the gaps:
"J-1 only" means no H-1B; "we sponsor no visas" means no J-1 and no H-1B; an exhaustive
eligibility list ("must be a US citizen or permanent resident") means no visa at all.
Explicit statements win over inferences.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from smartpick.rules.extract.result import Finding, finding
from smartpick.rules.extract.text import Sentence

J1 = re.compile(r"(?:\b|(?<=[a-z]))[Jj][- ]?1\b")
H1B = re.compile(r"(?:\b|(?<=[a-z]))[Hh][- ]?1(?:[- ]?[Bb])?\b")
# A break may take the spaces around it, but is entered only at the first of them: no
# backtracking over a whitespace run.
_CLAUSE_BREAK = re.compile(
    r"(?<!\s)\s*(?:;|,?(?<!\s)\s+but\s+|\bhowever\b,?|(?<!\s)\s+-\s+)\s*", re.I
)
_NEGATION = re.compile(r"\b(not|no longer|unable|cannot|never)\b|n't\b", re.I)
_VISA_VERB = re.compile(
    r"\b(sponsor\w*|offer\w*|accept\w*|support\w*|consider\w*|review\w*|provid\w*|originat\w*|"
    r"availab\w*|allow\w*|process\w*|eligib\w*|welcome\w*)\b",
    re.I,
)
_ONLY = re.compile(r"\b(only|sole|solely|exclusively|no exceptions)\b|\bexpected to\b", re.I)
_NO_VISAS = re.compile(
    r"\b(?:not|unable to|cannot|n't)\b[^.]{0,30}?\b(?:sponsor|accept|support|offer)\b[^.]{0,25}?"
    r"\b(?:any|all)\b[^.]{0,30}?\bvisas?\b|\bno visa sponsorship\b|"
    r"\bnot\s+sponsor\s+visas\b",
    re.I,
)
_SOME_VISAS_NOT = re.compile(
    r"\bnot\b[^.]{0,20}\b(?:offer|provide)\b[^.]{0,20}\bvisa sponsorship\b|"
    r"\bvisa sponsorship is only\b[^.]{0,40}\bfellowship\b|"
    r"\b(?:not|unable to|cannot)\b[^.]{0,10}\bsponsor\s*$",
    re.I,
)
_CITIZEN_ONLY = re.compile(r"\bcitizens?\b[^.]{0,60}\bpermanent residen", re.I)
_OTHER_STATUS = re.compile(
    r"\b(visas?|authori[sz]\w*|documentation|refugee|asylee|EAD|work permit|employment|"
    r"green card|J[- ]?1|H[- ]?1)\b",
    re.I,
)
_CITIZEN_RULE = re.compile(r"\b(must|only|required|eligible|minimum)\b", re.I)

EXPLICIT, INFERRED, EXHAUSTIVE = 3, 2, 1
# Every rule below needs one of these words in the sentence (or, for an FAQ answer, in its
# question): one quick search skips the other sentences.
_VISA_WORDS = re.compile(r"[jh][- ]?1|visa|sponsor|citizen", re.I)


def find_visa(sentences: list[Sentence]) -> Iterator[Finding]:
    """Findings for ``visa_j1``, ``visa_h1b`` and ``visa_none_sponsored``."""
    for sentence in sentences:
        if sentence.is_question or not (
            _VISA_WORDS.search(sentence.text) or _VISA_WORDS.search(sentence.context)
        ):
            continue
        yield from _faq_answer(sentence)
        for clause in _CLAUSE_BREAK.split(sentence.text):
            yield from _clause(sentence, clause)
        yield from _no_visas(sentence)
        yield from _citizens_only(sentence)


def resolve_visa(findings: list[Finding]) -> list[Finding]:
    """Drop "no visa sponsored" when some visa is accepted after all."""
    accepted = any(
        f.requirement.field in {"visa_j1", "visa_h1b"} and f.requirement.value == "yes"
        for f in findings
    )
    if not accepted:
        return findings
    return [f for f in findings if f.requirement.field != "visa_none_sponsored"]


def _faq_answer(sentence: Sentence) -> Iterator[Finding]:
    answer = re.match(r"\s*(no|yes)\b", sentence.text, re.I)
    if not answer or not _single_visa_question(sentence.context):
        return
    value = answer.group(1).lower()
    if J1.search(sentence.context):
        yield finding("visa_j1", value, sentence, False, EXPLICIT)
    if H1B.search(sentence.context):
        yield finding("visa_h1b", value, sentence, False, EXPLICIT)


def _single_visa_question(question: str) -> bool:
    """A bare yes/no answers a visa only when the question asks one thing about visas:
    "Do I need a green card? Do you offer J-1?" leaves the "Yes" ambiguous."""
    return question.count("?") == 1 and not _CITIZEN_ONLY.search(question) and not re.search(
        r"\bcitizen", question, re.I
    )


def _clause(sentence: Sentence, clause: str) -> Iterator[Finding]:
    if re.match(r"\s*(no|yes)\s*[,.]?\s*$", clause, re.I):
        return
    j1, h1b = J1.search(clause), H1B.search(clause)
    if j1:
        yield finding("visa_j1", _polarity(clause, j1), sentence, False, EXPLICIT)
    if h1b:
        yield finding("visa_h1b", _polarity(clause, h1b), sentence, False, EXPLICIT)
    if j1 and not h1b and _polarity(clause, j1) == "yes" and _ONLY.search(clause):
        yield finding("visa_h1b", "no", sentence, False, INFERRED)
    if j1 and h1b and _polarity(clause, j1) == _polarity(clause, h1b) == "no":
        yield finding("visa_none_sponsored", "yes", sentence, False, INFERRED)


def _polarity(clause: str, token: re.Match[str]) -> str:
    """"no" when a negated verb governs the visa named at ``token``, else "yes".

    In a conditional ("If you need an H-1B visa, we cannot consider you") the visa sits in
    the condition and the main clause after the comma carries the polarity.
    """
    condition = re.match(r"\s*if\b[^,]*,", clause, re.I)
    if condition and token.end() <= condition.end():
        consequence = clause[condition.end() :]
        return "no" if _NEGATION.search(consequence) else "yes"
    near = clause[: token.start()] + " " + clause[token.end() : token.end() + 30]
    negative = _NEGATION.search(near) and _VISA_VERB.search(clause)
    return "no" if negative or re.search(r"\bno\s+$", clause[: token.start()]) else "yes"


def _no_visas(sentence: Sentence) -> Iterator[Finding]:
    if _NO_VISAS.search(sentence.text):
        yield finding("visa_none_sponsored", "yes", sentence, False, INFERRED)
        yield finding("visa_j1", "no", sentence, False, INFERRED)
        yield finding("visa_h1b", "no", sentence, False, INFERRED)
    elif _SOME_VISAS_NOT.search(sentence.text) or any(
        _SOME_VISAS_NOT.search(c) for c in _CLAUSE_BREAK.split(sentence.text)
    ):
        yield finding("visa_h1b", "no", sentence, False, INFERRED)


def _citizens_only(sentence: Sentence) -> Iterator[Finding]:
    text = sentence.text
    if not _CITIZEN_ONLY.search(text) or _OTHER_STATUS.search(text):
        return
    if not (_CITIZEN_RULE.search(text) or sentence.line_start):
        return
    for field, value in (("visa_none_sponsored", "yes"), ("visa_j1", "no"), ("visa_h1b", "no")):
        yield finding(field, value, sentence, False, EXHAUSTIVE)
