"""What the extractor returns: one requirement with its value, qualifier and evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from smartpick.catalog.fields import Qualifier
from smartpick.rules.extract.text import Sentence

Value = str | int | float


@dataclass(frozen=True)
class ExtractedRequirement:
    """A requirement read from program text.

    ``value`` follows the labelled corpus's convention (``"yes"``/``"no"`` for visa and
    yes/no fields, numbers for scores, years and months, short phrases for Step 3, USCE and
    ECFMG timing). ``text[start:end] == quote`` for the text the requirement was read from.
    """

    field: str
    value: Value
    qualifier: Qualifier
    start: int
    end: int
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "value": self.value,
            "qualifier": self.qualifier.value,
            "evidence": {"start": self.start, "end": self.end, "quote": self.quote},
        }


@dataclass(frozen=True)
class Finding:
    """A candidate requirement; the extractor keeps the best finding per field."""

    requirement: ExtractedRequirement
    priority: int = 0  # higher wins; ties go to the earlier finding


def finding(
    field: str, value: Value, sentence: Sentence, soft: bool, priority: int = 0
) -> Finding:
    """A finding whose evidence is the whole ``sentence``."""
    qualifier = Qualifier.PREFERRED if soft else Qualifier.STRICT
    requirement = ExtractedRequirement(
        field, value, qualifier, sentence.start, sentence.end, sentence.text
    )
    return Finding(requirement, priority)


def as_number(value: float) -> int | float:
    """3.0 -> 3, 1.5 -> 1.5: numbers print the way the corpus writes them."""
    return int(value) if float(value).is_integer() else value
