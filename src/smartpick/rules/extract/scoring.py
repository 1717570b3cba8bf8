"""How an extracted requirement is scored against a hand label.

A prediction for a field is correct when its value equals the label's and its qualifier agrees
with the label's ``preferred_fields`` (preferred iff the field is listed there, or the value is
itself ``"preferred"``). Values are compared as follows:

- numbers: equal within 1 point for scores (``step1_min``, ``step2ck_min``), within 0.05 for
  years and months;
- yes/no fields: case-insensitive equality;
- ``step3_required``: one of ``yes``, ``no``, ``preferred``, ``yes-h1b`` (any value naming H-1B);
- ``usce_required``: one of ``yes``, ``no``, ``preferred``;
- ``ecfmg_required_by``: the *timing category* of the leading phrase: ``application``,
  ``interview``, ``ranking`` (rank list, match list, the Match), ``start`` (start of training,
  appointment, orientation), ``date`` (a calendar date), ``visa``, or ``unspecified``
  (required, timing not stated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_SCORE_FIELDS = {"step1_min", "step2ck_min"}
_NUMBER_FIELDS = _SCORE_FIELDS | {
    "yog_max_years", "yog_min_year", "max_attempts", "usce_min_months",
    "usce_recency_months", "lor_min",
}
_VALUE_IS_QUALIFIER = {"usce_required", "step3_required"}
_MONTH = re.compile(
    r"^(january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\b"
)
_ECFMG_CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("unspecified", re.compile(r"^required\b")),
    ("application", re.compile(r"^appl")),
    ("interview", re.compile(r"^interview")),
    ("ranking", re.compile(r"^(rank|match|ranking|submission of)")),
    ("start", re.compile(r"^(start|beginning|begin|appointment|residency start|orientation)")),
    ("visa", re.compile(r"^visa")),
)


def normalise(field_name: str, value: Any) -> Any:
    """The comparable form of a label or prediction (``None`` stays ``None``)."""
    if value is None:
        return None
    if field_name in _NUMBER_FIELDS:
        return float(value)
    text = str(value).strip().lower()
    if field_name == "step3_required":
        return "yes-h1b" if re.search(r"h-?1", text) else text.split()[0]
    if field_name == "usce_required":
        return text.split()[0]
    if field_name == "ecfmg_required_by":
        return ecfmg_category(text)
    return text


def ecfmg_category(text: str) -> str:
    """The timing category of an ECFMG value ("application, or by Feb 1" -> application)."""
    head = re.split(r"[,(;]", text.strip().lower(), maxsplit=1)[0].strip()
    if _MONTH.match(head):
        return "date"
    for name, pattern in _ECFMG_CATEGORIES:
        if pattern.search(head):
            return name
    return "unspecified"


def values_match(field_name: str, gold: Any, predicted: Any) -> bool:
    """Whether two values (in corpus convention) count as the same requirement."""
    a, b = normalise(field_name, gold), normalise(field_name, predicted)
    if a is None or b is None:
        return False
    if field_name in _NUMBER_FIELDS:
        tolerance = 1.0 if field_name in _SCORE_FIELDS else 0.05
        return bool(abs(a - b) <= tolerance)
    return bool(a == b)


def gold_is_preferred(field_name: str, gold: Any, preferred_fields: list[str]) -> bool:
    if field_name in _VALUE_IS_QUALIFIER and normalise(field_name, gold) == "preferred":
        return True
    return field_name in preferred_fields


@dataclass
class FieldTally:
    """True positives, false positives and false negatives of one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score_row(
    tallies: dict[str, FieldTally],
    row: dict[str, Any],
    predicted: dict[str, tuple[Any, bool]],
    fields: tuple[str, ...],
    check_qualifier: bool = True,
) -> None:
    """Add one labelled row to ``tallies``; ``predicted`` maps field -> (value, preferred).

    ``check_qualifier=False`` scores values only (strict/preferred ignored)."""
    preferred_fields = list(row.get("preferred_fields") or [])
    for name in fields:
        tally = tallies.setdefault(name, FieldTally())
        gold = row.get(name)
        guess = predicted.get(name)
        correct = (
            gold is not None and guess is not None
            and values_match(name, gold, guess[0])
            and (not check_qualifier
                 or gold_is_preferred(name, gold, preferred_fields) == guess[1])
        )
        if correct:
            tally.tp += 1
            continue
        if guess is not None:
            tally.fp += 1
        if gold is not None:
            tally.fn += 1
        if guess is not None or gold is not None:
            tally.errors.append(f"{row.get('id')}: gold={gold!r} predicted={guess!r}")
