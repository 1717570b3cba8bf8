"""The applicant: the validated profile, its USCE ledger metrics and the season calendar."""

from smartpick.applicant.load import load_profile, parse_profile
from smartpick.applicant.profile import Exams, Profile, UsceEntry
from smartpick.applicant.seasons import DEFAULT_SEASON, Milestone, Season, load_season
from smartpick.applicant.usce import WEEKS_PER_MONTH, UsceMetrics, counted_months, usce_metrics

__all__ = [
    "DEFAULT_SEASON",
    "WEEKS_PER_MONTH",
    "Exams",
    "Milestone",
    "Profile",
    "Season",
    "UsceEntry",
    "UsceMetrics",
    "counted_months",
    "load_profile",
    "load_season",
    "parse_profile",
    "usce_metrics",
]
