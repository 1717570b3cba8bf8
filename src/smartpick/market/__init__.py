"""NRMP-style match simulation: deferred acceptance over compact arrays, stability checks,
supplemental lists, couples, and synthetic national markets."""

from smartpick.market.arrays import Market, from_preferences, from_scores, validate
from smartpick.market.engine import MatchResult, match
from smartpick.market.stability import blocking_pairs

__all__ = [
    "Market",
    "MatchResult",
    "blocking_pairs",
    "from_preferences",
    "from_scores",
    "match",
    "validate",
]
