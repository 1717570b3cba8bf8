"""What the rules need to know about an applicant, computed once per applicant and season.

Also holds the thresholds that decide when an *unknown* program rule is a risk: a rule no source
gives for a program makes the verdict ``unverified`` only if the applicant would fail it at a
value programs commonly state. The values come from the labelled program statements described
in docs/eligibility.md (121 program pages): about one program in ten that states a limit is
stricter than these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from smartpick.applicant.profile import Profile
from smartpick.applicant.seasons import Season, load_season
from smartpick.applicant.usce import counted_months


@dataclass(frozen=True)
class RiskThresholds:
    years_since_graduation: float = 2.0  # more years: an unknown YOG limit might exclude
    score: int = 240  # a lower (or missing) score: an unknown minimum might exclude
    usce_months: float = 3.0  # fewer counted months: an unknown minimum might exclude
    recency_months: float = 12.0  # no USCE in this window: an unknown recency rule might
    letters: int = 3  # fewer letters: an unknown minimum might exclude


RISK = RiskThresholds()


@dataclass(frozen=True)
class ApplicantContext:
    profile: Profile
    season: Season
    reference_date: date
    risk: RiskThresholds = RISK
    _months: dict[tuple[bool, float | None], float] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def usce_months(self, *, hands_on_only: bool = False,
                    within_months: float | None = None) -> float:
        """Months of the applicant's USCE that count by the reference date, hands-on only
        and within a window as a program's rules ask (worked out once per kind of rule)."""
        key = (hands_on_only, within_months)
        found = self._months.get(key)
        if found is None:
            found = self._months[key] = counted_months(
                self.profile.usce, self.reference_date, hands_on_only=hands_on_only,
                within_months=within_months)
        return found

    @property
    def years_since_graduation(self) -> int:
        """Whole years from the graduation year to the year programs receive applications."""
        return self.season.application_year - self.profile.graduation_year

    @cached_property
    def letters(self) -> int | None:
        """Letters the applicant will have: ``letters_total``, else the known US letters."""
        if self.profile.letters_total is not None:
            return self.profile.letters_total
        return self.us_letters or None

    @cached_property
    def us_letters(self) -> int:
        """US letters from rotations that end by the reference date."""
        return sum(1 for e in self.profile.usce if e.us_letter and e.end <= self.reference_date)


def applicant_context(profile: Profile, season: Season | None = None,
                      reference_date: date | None = None) -> ApplicantContext:
    """The context for checking ``profile`` in ``season`` (default: the current season)."""
    season = season or load_season()
    return ApplicantContext(profile, season, reference_date or season.application_date)
