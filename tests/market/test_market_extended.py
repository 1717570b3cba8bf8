"""Supplemental lists and couples."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from market_strategies import named_markets

from smartpick.errors import InputError
from smartpick.market import from_preferences, match
from smartpick.market.extended import ExtendedMarket
from smartpick.market.roth_peranson import Blocking, match_extended

PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(named_markets())
def test_singles_only_equals_deferred_acceptance(case: tuple) -> None:
    applicant_prefs, program_prefs, capacities = case
    market, applicants, programs = from_preferences(*case)
    expected = {a: None for a in applicants}
    for a, p in zip(applicants, match(market).assignment.tolist(), strict=True):
        expected[a] = programs[p] if p >= 0 else None
    result = match_extended(ExtendedMarket(capacities, program_prefs, applicant_prefs))
    assert result.stable
    assert result.assignment == expected


def _radiology_market(extra_single: bool) -> ExtendedMarket:
    singles = {"ana": ["RAD-A"], "ben": ["PRELIM"]}
    program_prefs = {"RAD-A": ["ana"], "PRELIM": ["ana", "ben"]}
    if extra_single:
        singles["cy"] = ["RAD-A"]
        program_prefs["RAD-A"] = ["cy", "ana"]
    return ExtendedMarket(
        capacities={"RAD-A": 1, "PRELIM": 1},
        program_prefs=program_prefs,
        singles=singles,
        supplemental={"ana": ["PRELIM"]},
        advanced=frozenset({"RAD-A"}),
    )


def test_supplemental_list_gives_the_advanced_matcher_a_pgy1_year() -> None:
    result = match_extended(_radiology_market(extra_single=False))
    assert result.stable
    assert result.assignment == {"ana": "RAD-A", "ben": None}
    assert result.supplemental == {"ana": "PRELIM"}


def test_losing_the_advanced_track_withdraws_the_supplemental_place() -> None:
    result = match_extended(_radiology_market(extra_single=True))
    assert result.stable
    assert result.assignment == {"ana": None, "ben": "PRELIM", "cy": "RAD-A"}
    assert result.supplemental == {"ana": None}


def test_couple_matches_together_or_not_at_all() -> None:
    market = ExtendedMarket(
        capacities={"IM-BOS": 1, "PED-BOS": 1, "IM-NYC": 1, "PED-NYC": 1},
        program_prefs={
            "IM-BOS": ["solo", "kim"],
            "PED-BOS": ["lee"],
            "IM-NYC": ["kim"],
            "PED-NYC": ["lee"],
        },
        singles={"solo": ["IM-BOS"]},
        couples={("kim", "lee"): [("IM-BOS", "PED-BOS"), ("IM-NYC", "PED-NYC")]},
    )
    result = match_extended(market)
    assert result.stable
    assert result.assignment == {"solo": "IM-BOS", "kim": "IM-NYC", "lee": "PED-NYC"}


def _roth_market() -> ExtendedMarket:
    # Roth's classic instance: every outcome has a blocking couple or single.
    return ExtendedMarket(
        capacities={"h1": 1, "h2": 1},
        program_prefs={"h1": ["m1", "s"], "h2": ["s", "m2"]},
        singles={"s": ["h1", "h2"]},
        couples={("m1", "m2"): [("h1", "h2")]},
    )


def test_market_without_stable_outcome_is_reported_not_hidden() -> None:
    result = match_extended(_roth_market())
    assert not result.stable
    assert "no stable outcome" in result.message
    # s holds h2 while h1, its first choice, has a free seat and would take it
    assert result.assignment == {"s": "h2", "m1": None, "m2": None}
    assert result.blocking == (Blocking(("s",), ("h1",), "primary", 1),)


def test_running_out_of_rounds_gives_a_settled_outcome_and_what_blocks_it() -> None:
    result = match_extended(_roth_market(), max_rounds=2)
    assert not result.stable
    assert result.message == "no stable outcome found in 2 rounds"
    assert result.assignment == {"s": "h1", "m1": None, "m2": None}
    assert result.blocking == (Blocking(("m1", "m2"), ("h1", "h2"), "couple", 1),)


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"singles": {"a": ["X", "Y"]}}, "unknown program 'Y'"),
        ({"capacities": {"X": -3}}, "negative capacity -3"),
        ({"singles": {"a": ["X", "X"]}}, "ranks program 'X' twice"),
        ({"couples": {("a", "b"): [("X", None)]}}, "appears twice"),
        ({"supplemental": {"a": ["X"]}, "advanced": frozenset({"X"})}, "names advanced program"),
        ({"couples": {("c", "d"): [("X", "Z")]}}, "unknown program 'Z'"),
    ],
)
def test_bad_extended_input_fails_with_a_clear_message(changes: dict, needle: str) -> None:
    base = {"capacities": {"X": 1}, "program_prefs": {"X": ["a"]}, "singles": {"a": ["X"]}}
    with pytest.raises(InputError, match=needle):
        match_extended(ExtendedMarket(**{**base, **changes}))
