"""The deferred-acceptance engine: kernel = reference = the `matching` package, and stable."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from market_strategies import named_markets
from matching.games import HospitalResident

from smartpick.errors import InputError
from smartpick.market import blocking_pairs, from_preferences, match
from smartpick.market.arrays import Market

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _named(result_assignment: np.ndarray, applicants: list, programs: list) -> dict:
    return {
        a: programs[p]
        for a, p in zip(applicants, result_assignment.tolist(), strict=True)
        if p >= 0
    }


def _package_solution(applicant_prefs: dict, program_prefs: dict, capacities: dict) -> dict:
    # The package cannot hold zero-capacity hospitals or empty lists: leave them out.
    open_ = {p: c for p, c in capacities.items() if c > 0}
    residents = {a: [p for p in ps if p in open_] for a, ps in applicant_prefs.items()}
    residents = {a: ps for a, ps in residents.items() if ps}
    hospitals = {p: [a for a in program_prefs[p] if a in residents] for p in open_}
    hospitals = {p: ranked for p, ranked in hospitals.items() if ranked}
    open_ = {p: open_[p] for p in hospitals}
    residents = {a: [p for p in ps if p in open_] for a, ps in residents.items()}
    residents = {a: ps for a, ps in residents.items() if ps}
    if not residents:
        return {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(residents, hospitals, open_)
        solution = game.solve(optimal="resident")
    return {str(r): str(h) for h, rs in solution.items() for r in rs}


@PROPERTY
@given(named_markets())
def test_kernel_equals_python_reference(case: tuple) -> None:
    market, _, _ = from_preferences(*case)
    kernel = match(market, "kernel")
    python = match(market, "python")
    assert kernel.assignment.tolist() == python.assignment.tolist()
    assert kernel.proposals == python.proposals


@PROPERTY
@given(named_markets())
def test_result_equals_matching_package_and_is_stable(case: tuple) -> None:
    market, applicants, programs = from_preferences(*case)
    result = match(market)
    assert _named(result.assignment, applicants, programs) == _package_solution(*case)
    assert blocking_pairs(market, result.assignment) == []
    assert np.all(result.filled(market.n_programs) <= market.capacity)


def test_applicants_get_their_best_stable_program() -> None:
    # Both programs prefer b; a and b both want x first; x has one seat.
    market, apps, progs = from_preferences(
        {"a": ["x", "y"], "b": ["x", "y"], "c": ["y"]},
        {"x": ["b", "a"], "y": ["a", "c", "b"]},
        {"x": 1, "y": 1},
    )
    result = match(market)
    assert _named(result.assignment, apps, progs) == {"b": "x", "a": "y"}


def test_zero_capacity_program_takes_nobody() -> None:
    market, apps, progs = from_preferences(
        {"a": ["x", "y"]}, {"x": ["a"], "y": ["a"]}, {"x": 0, "y": 2}
    )
    assert _named(match(market, "python").assignment, apps, progs) == {"a": "y"}
    assert _named(match(market).assignment, apps, progs) == {"a": "y"}


def test_a_program_that_does_not_rank_the_applicant_cannot_take_it() -> None:
    market, _, _ = from_preferences({"a": ["x"]}, {"x": []}, {"x": 5})
    assert match(market).assignment.tolist() == [-1]


@pytest.mark.parametrize(
    ("applicants", "programs", "capacities", "needle"),
    [
        ({"a": ["x", "nowhere"]}, {"x": ["a"]}, {"x": 1}, "unknown program 'nowhere'"),
        ({"a": ["x"]}, {"x": ["a"]}, {"x": -1}, "negative capacity"),
        ({"a": ["x", "x"]}, {"x": ["a"]}, {"x": 1}, "ranks program 'x' twice"),
        ({"a": ["x"]}, {"x": ["a", "a"]}, {"x": 1}, "ranks applicant 'a' twice"),
        ({"a": ["x"]}, {"x": ["a", "ghost"]}, {"x": 1}, "unknown applicant 'ghost'"),
    ],
)
def test_bad_named_input_fails_with_a_clear_message(
    applicants: dict, programs: dict, capacities: dict, needle: str
) -> None:
    with pytest.raises(InputError) as caught:
        from_preferences(applicants, programs, capacities)
    assert needle in caught.value.message
    assert caught.value.problems


def _arrays(program: list[int], rank: list[int], capacity: list[int], ptr: list[int]) -> Market:
    def ints(values: list[int]) -> np.ndarray:
        return np.array(values, dtype=np.int64)

    return Market(ints(capacity), ints(ptr), ints(program), ints(rank))


@pytest.mark.parametrize(
    ("market", "needle"),
    [
        (_arrays([0, 3], [0, 0], [1, 1], [0, 2]), "ranks unknown program 3"),
        (_arrays([0, 0], [0, 1], [1], [0, 2]), "applicant 0 lists program 0 twice"),
        (_arrays([0], [0], [-2], [0, 1]), "negative capacity -2"),
        (_arrays([0, 0], [0, 0], [2], [0, 1, 2]), "program 0 lists rank 0 twice"),
    ],
)
def test_bad_arrays_are_refused_before_matching(market: Market, needle: str) -> None:
    with pytest.raises(InputError, match=needle):
        match(market)
