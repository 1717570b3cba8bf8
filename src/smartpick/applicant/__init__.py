"""The applicant: the validated profile, its USCE ledger metrics and the season calendar."""

from smartpick.applicant.load import load_profile, parse_profile
from smartpick.applicant.profile import Exams, Profile, UsceEntry
from smartpick.applicant.seasons import (
    Milestone,
    Season,
    default_season,
    load_season,
    season_warning,
)
from smartpick.applicant.usce import WEEKS_PER_MONTH, UsceMetrics, counted_months, usce_metrics

__all__ = [
    "WEEKS_PER_MONTH",
    "Exams",
    "Milestone",
    "Profile",
    "Season",
    "UsceEntry",
    "UsceMetrics",
    "counted_months",
    "default_season",
    "load_profile",
    "load_season",
    "parse_profile",
    "season_warning",
    "usce_metrics",
]
