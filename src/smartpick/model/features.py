"""The applicant as the model sees it: a small, validated, plain record of numbers.

:class:`ApplicantFeatures` is what the interview and match models read. It is built by hand
(tests, calibration cohorts) or from a validated profile with :func:`features_from_profile`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Literal

from smartpick.errors import InputError, ValidationProblem

VisaNeed = Literal["none", "j1", "h1b", "j1_or_h1b"]
ApplicantType = Literal["non_us_img", "us_img", "us_md", "us_do"]
SignalKind = Literal["none", "silver", "gold"]

VISA_NEEDS: tuple[str, ...] = ("none", "j1", "h1b", "j1_or_h1b")
APPLICANT_TYPES: tuple[str, ...] = ("non_us_img", "us_img", "us_md", "us_do")
SIGNAL_KINDS: tuple[str, ...] = ("none", "silver", "gold")


@dataclass(frozen=True)
class ApplicantFeatures:
    """The facts about one applicant that change a program's response.

    Months are calendar months (fractions allowed). ``step1`` is a numeric Step 1 score where the
    applicant sat the older scored exam, else ``None`` (pass/fail).
    """

    step2ck: float
    step1: float | None = None
    failed_attempts: int = 0
    years_since_graduation: float = 1.0
    visa: VisaNeed = "none"
    applicant_type: ApplicantType = "non_us_img"
    usce_hands_on_months: float = 0.0
    usce_in_specialty_months: float = 0.0
    usce_recent_months: float = 0.0
    us_letters: int = 0
    publications: int = 0
    abstracts: int = 0
    presentations: int = 0
    tie_states: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise InputError("applicant features are not valid", problems)

    def with_(self, **changes: object) -> ApplicantFeatures:
        """A copy with some facts changed (what-ifs, effect sizes)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def needs_visa(self) -> bool:
        return self.visa != "none"


_RANGES: dict[str, tuple[float, float]] = {
    "step2ck": (180.0, 300.0),
    "failed_attempts": (0.0, 10.0),
    "years_since_graduation": (-1.0, 40.0),
    "usce_hands_on_months": (0.0, 120.0),
    "usce_in_specialty_months": (0.0, 120.0),
    "usce_recent_months": (0.0, 120.0),
    "us_letters": (0.0, 20.0),
    "publications": (0.0, 1000.0),
    "abstracts": (0.0, 1000.0),
    "presentations": (0.0, 1000.0),
}


def _problems(f: ApplicantFeatures) -> list[ValidationProblem]:
    problems = [
        ValidationProblem(name, f"must be a number between {lo:g} and {hi:g}")
        for name, (lo, hi) in _RANGES.items()
        if not _in_range(getattr(f, name), lo, hi)
    ]
    if f.step1 is not None and not _in_range(f.step1, 140.0, 300.0):
        problems.append(ValidationProblem("step1", "must be a score between 140 and 300, or None"))
    if f.visa not in VISA_NEEDS:
        problems.append(ValidationProblem("visa", f"must be one of {', '.join(VISA_NEEDS)}"))
    if f.applicant_type not in APPLICANT_TYPES:
        problems.append(
            ValidationProblem("applicant_type", f"must be one of {', '.join(APPLICANT_TYPES)}")
        )
    return problems


def _in_range(value: object, lo: float, hi: float) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and lo <= value <= hi
