"""The applicant as the model sees it: a small, validated, plain record of numbers.

:class:`ApplicantFeatures` is what the interview and match models read. It is built by hand
(tests, calibration cohorts) or from a validated profile with :func:`features_from_profile`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Literal

from smartpick.errors import InputError, ValidationProblem

if TYPE_CHECKING:
    from smartpick.applicant.profile import Profile

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


def features_from_profile(
    profile: Profile, specialty: str, reference_date: date
) -> ApplicantFeatures:
    """The model's view of a validated profile, for applications in ``specialty``.

    USCE months come from the ledger as of ``reference_date`` (the season's application date):
    hands-on months, hands-on months in ``specialty``, hands-on months in the last 12 months,
    and US letters from rotations that ended in time. Tie states are the states of the ledger's
    rotations and the states the applicant prefers.
    """
    from smartpick.applicant.usce import usce_metrics
    from smartpick.catalog.specialties import canonical

    if profile.exams.step2ck is None or profile.exams.step2ck == "pass":
        raise InputError("a Step 2 CK score is needed to estimate chances",
                         [ValidationProblem("exams.step2ck", "no score given")])
    name = canonical(specialty)
    metrics = usce_metrics(profile, reference_date)
    step1 = profile.exams.step1
    ties = {e.state for e in profile.usce if e.state} | set(profile.preferences.states)
    return ApplicantFeatures(
        step2ck=float(profile.exams.step2ck),
        step1=float(step1) if isinstance(step1, int) else None,
        failed_attempts=profile.exams.failed_attempts,
        years_since_graduation=years_since(profile.graduation_year, reference_date),
        visa=profile.visa,
        applicant_type=profile.applicant_type,
        usce_hands_on_months=metrics.hands_on_months,
        usce_in_specialty_months=metrics.hands_on_months_by_specialty.get(name, 0.0),
        usce_recent_months=metrics.recent_hands_on_months.get(12, 0.0),
        us_letters=metrics.us_letters,
        publications=profile.research.publications,
        abstracts=profile.research.abstracts,
        presentations=profile.research.presentations,
        tie_states=frozenset(ties),
    )


def years_since(graduation_year: int, reference_date: date) -> float:
    """Years from a mid-year graduation to ``reference_date`` (0 before graduating)."""
    return max(reference_date.year - graduation_year + (reference_date.month - 6) / 12.0, 0.0)
