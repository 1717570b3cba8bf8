"""Which field a number belongs to: the nearest field cue in its clause.

One sentence often states several rules ("graduated within 5 years and at least 3 months of
US clinical experience"). A number is read for a field only when that field's cue is the
nearest cue to it, in the same clause, within a reach; a tie between two fields, or no cue
near enough, means abstaining.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

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


@lru_cache(maxsize=256)
def _cue_index(text: str) -> dict[str, tuple[list[int], list[int]]]:
    """Per field family, the start and end offsets of its cues in ``text`` (each sorted):
    found once per sentence, then each number's nearest cue is a binary search away."""
    index = {}
    for family, pattern in CUES.items():
        spans = [(m.start(), m.end()) for m in pattern.finditer(text)]
        index[family] = ([a for a, _ in spans], [b for _, b in spans])
    return index


def owner(text: str, start: int, end: int, reach: int = 90) -> str | None:
    """The field family whose cue is nearest to ``text[start:end]`` in its clause."""
    left, right = clause_bounds(text, start, end)
    distances: dict[str, int] = {}
    for family, (starts, ends) in _cue_index(text).items():
        gaps = []
        before = bisect_right(ends, start) - 1  # the last cue ending at or before the number
        if before >= 0 and starts[before] >= left:
            gaps.append(start - ends[before])
        after = bisect_left(starts, end)  # the first cue starting at or after its end
        if after < len(starts) and ends[after] <= right:
            gaps.append(starts[after] - end)
        nearest = min((g for g in gaps if g <= reach), default=None)
        if nearest is not None:
            distances[family] = nearest
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
    for starts, ends in _cue_index(text).values():
        first = bisect_left(starts, left)
        if first < len(starts) and ends[first] <= right:
            return True
    return False
