"""Requirement extraction from program text: rules, patterns and a small clause grammar.

``extract_requirements(text)`` reads a program's eligibility prose (lists, FAQ pairs,
paragraphs) and returns one :class:`ExtractedRequirement` per field it finds: the value, whether
the page states it as a rule (``strict``) or a preference (``preferred``), and the evidence
(character offsets and the quoted sentence). Each field family has its own module; this one
splits the text into sentences, runs the finders and keeps the best finding per field.
No model and no network: the same text always gives the same answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from smartpick.errors import InputError, ValidationProblem
from smartpick.rules.extract.ecfmg import find_ecfmg
from smartpick.rules.extract.exams import find_attempts, find_scores, find_step3
from smartpick.rules.extract.graduation import find_graduation
from smartpick.rules.extract.letters import find_letters
from smartpick.rules.extract.result import ExtractedRequirement, Finding
from smartpick.rules.extract.text import Collapsed, Sentence, split_sentences
from smartpick.rules.extract.usce import find_usce
from smartpick.rules.extract.visa import find_visa, resolve_visa

__all__ = [
    "EXTRACTED_FIELDS", "METHOD", "ExtractedRequirement", "ReadingTooSlow", "extract_requirements",
]

METHOD = "extracted:smartpick-rules v1"

EXTRACTED_FIELDS: tuple[str, ...] = (
    "visa_j1", "visa_h1b", "visa_none_sponsored", "yog_max_years", "yog_min_year",
    "step1_min", "step2ck_min", "step3_required", "max_attempts", "usce_required",
    "usce_min_months", "usce_hands_on_only", "usce_recency_months", "ecfmg_required_by",
    "lor_min", "lor_us_required",
)

Finder = Callable[[list[Sentence]], Iterable[Finding]]
_FINDERS: tuple[Finder, ...] = (
    find_visa, find_graduation, find_scores, find_step3, find_attempts, find_usce,
    find_ecfmg, find_letters,
)


class ReadingTooSlow(InputError):
    """The text took longer to read than the caller allows."""


def extract_requirements(
    text: str, time_limit: float | None = None
) -> list[ExtractedRequirement]:
    """The requirements stated in ``text``, at most one per field, in field order.

    Reading takes time linear in the length of the text. Runs of spaces and tabs read as one
    space (the evidence offsets still point into ``text``). With ``time_limit`` (seconds),
    reading stops with :class:`ReadingTooSlow` once that time has passed.
    """
    collapsed = Collapsed.of(text)
    sentences = split_sentences(collapsed.text)
    if time_limit is not None:
        sentences = _Paced(sentences, time.monotonic() + time_limit, time_limit)
    findings = [f for finder in _FINDERS for f in finder(sentences)]
    best = _best_per_field(resolve_visa(findings))
    return [_in_original(best[name], collapsed, text)
            for name in EXTRACTED_FIELDS if name in best]


def _in_original(
    found: ExtractedRequirement, collapsed: Collapsed, text: str
) -> ExtractedRequirement:
    start = collapsed.original_offset(found.start)
    end = collapsed.original_offset(found.end - 1) + 1 if found.end > found.start else start
    return replace(found, start=start, end=end, quote=text[start:end])


class _Paced(list[Sentence]):
    """Sentences that stop being handed out once the reading deadline has passed."""

    def __init__(self, sentences: list[Sentence], deadline: float, limit: float) -> None:
        super().__init__(sentences)
        self.deadline = deadline
        self.limit = limit

    def __iter__(self) -> Iterator[Sentence]:
        for index, sentence in enumerate(super().__iter__()):
            if index % 32 == 0 and time.monotonic() > self.deadline:
                raise ReadingTooSlow("text too slow to read", [ValidationProblem(
                    "text", f"reading stopped after {self.limit:g} s; send a shorter text")])
            yield sentence


def _best_per_field(findings: list[Finding]) -> dict[str, ExtractedRequirement]:
    """The best finding per field; a field whose top findings disagree is left out."""
    best: dict[str, Finding] = {}
    for item in findings:
        name = item.requirement.field
        current = best.get(name)
        if current is None or _outranks(item, current):
            best[name] = item
    return {
        name: item.requirement for name, item in best.items()
        if not _contested(item, findings)
    }


def _contested(chosen: Finding, findings: list[Finding]) -> bool:
    """Another finding of the same rank gives the field a different value: abstain."""
    return any(
        other.requirement.field == chosen.requirement.field
        and other.priority == chosen.priority
        and other.requirement.value != chosen.requirement.value
        for other in findings
    )


def _outranks(challenger: Finding, current: Finding) -> bool:
    if challenger.priority != current.priority:
        return challenger.priority > current.priority
    return challenger.requirement.start < current.requirement.start
