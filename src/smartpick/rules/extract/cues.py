"""Which field a number belongs to: the nearest field cue in its clause.

One sentence often states several rules ("graduated within 5 years and at least 3 months of
US clinical experience"). A number is read for a field only when that field's cue is the
nearest cue to it, in the same clause, within a reach; a tie between two fields, or no cue
near enough, means abstaining.
"""

from __future__ import annotations

import re

from smartpick.rules.extract.text import clause_bounds

GRADUATION = "graduation"
USCE = "usce"
EXAMS = "exams"
LETTERS = "letters"

CUES: dict[str, re.Pattern[str]] = {
    GRADUATION: re.compile(
        r"\bgraduat\w*|\bgrads?\b|\bout of (?:medical )?school\b|\bYOG\b|"
        r"\bmedical school\b|\bschool of medicine\b|\bM\.?D\.?\b|\bdegree\b",
        re.I,
    ),
    USCE: re.compile(
        r"\bUSCE\b|\bclinical\b|\bhands[- ]on\b|\bexperience\b|\brotations?\b|"
        r"\bexternships?\b|\bobservers?hips?\b|\belectives?\b|\bclerkships?\b",
        re.I,
    ),
    EXAMS: re.compile(r"\bUSMLE\b|\bCOMLEX\b|\bSteps?\b|\battempts?\b|\bexams?\b", re.I),
    LETTERS: re.compile(r"\bletters?\b|\bLOR'?s?\b|\breferences?\b", re.I),
}


def owner(text: str, start: int, end: int, reach: int = 90) -> str | None:
    """The field family whose cue is nearest to ``text[start:end]`` in its clause."""
    left, right = clause_bounds(text, start, end)
    distances: dict[str, int] = {}
    for family, pattern in CUES.items():
        for match in pattern.finditer(text, left, right):
            if match.start() < end and match.end() > start:
                continue
            gap = start - match.end() if match.end() <= start else match.start() - end
            if gap <= reach:
                distances[family] = min(distances.get(family, reach + 1), gap)
    if not distances:
        return None
    nearest = min(distances.values())
    winners = [family for family, gap in distances.items() if gap == nearest]
    return winners[0] if len(winners) == 1 else None


def owned_by(
    text: str, start: int, end: int, family: str, reach: int = 90, unclaimed: bool = False
) -> bool:
    """Whether the number at ``text[start:end]`` belongs to ``family``; with ``unclaimed``,
    a number no field's cue is near also counts (the topic came from the question)."""
    found = owner(text, start, end, reach)
    return found == family or (unclaimed and found is None and not _any_cue(text, start, end))


def _any_cue(text: str, start: int, end: int) -> bool:
    left, right = clause_bounds(text, start, end)
    return any(p.search(text, left, right) for p in CUES.values())
