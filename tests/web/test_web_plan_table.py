"""The plan table as an applicant reads it: the visa check on signalled programs for every
applicant who needs a visa, and a place for programs whose city the sources do not give."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi import FastAPI

from smartpick.plan.result import PlannedProgram, PlanResult, Recommendation
from smartpick.web.state import AppState


def _program(**facts: Any) -> PlannedProgram:
    base: dict[str, Any] = dict(
        program_id="P1", name="Lakeside Family Medicine", specialty="Family Medicine",
        state="PA", tier="target", p_interview=0.2, p_interview_interval=(0.1, 0.3),
        marginal_p_match=0.05, signal="signal", verdict="eligible", reasons=[])
    return PlannedProgram(**{**base, **facts})


def _page(app: FastAPI, visa: str, program: PlannedProgram, **extra: Any) -> str:
    state: AppState = app.state.smartpick
    plan = PlanResult(season=2028, p_match=0.3, p_match_interval=(0.2, 0.4),
                      expected_interviews=1.0, cost_usd=11, fixed_fees_usd=315,
                      stop_reason="budget", programs=[program], curve=[], excluded=[],
                      notes=[], **extra)
    return state.templates.env.get_template("plan.html").render(
        plan=plan, profile_json=json.dumps({"visa": visa}), curve=None,
        map={"states": []}, places=[], excluded_groups=[], what_if_asked=(),
        what_if_choices=(), preferred=set())


@pytest.mark.parametrize(("visa", "facts", "flag"), [
    ("j1", {"visa_j1": None, "visa_h1b": True}, "J-1 status unknown"),
    ("h1b", {"visa_j1": True, "visa_h1b": None}, "H-1B status unknown"),
    ("j1_or_h1b", {"visa_j1": None, "visa_h1b": None}, "Visa status unknown"),
])
def test_every_applicant_who_needs_a_visa_is_told_to_check_before_signalling(
        web_app: FastAPI, visa: str, facts: dict[str, Any], flag: str) -> None:
    for signal in ("gold", "signal"):
        page = _page(web_app, visa, _program(signal=signal, **facts))
        assert flag in page


@pytest.mark.parametrize(("visa", "facts"), [
    ("none", {"visa_j1": None, "visa_h1b": None}),
    ("h1b", {"visa_j1": None, "visa_h1b": True}),
    ("j1_or_h1b", {"visa_j1": None, "visa_h1b": True}),
])
def test_no_visa_check_where_the_visa_is_known_or_not_needed(
        web_app: FastAPI, visa: str, facts: dict[str, Any]) -> None:
    assert "status unknown" not in _page(web_app, visa, _program(signal="gold", **facts))


def test_a_program_without_a_city_says_so_next_to_its_state(web_app: FastAPI) -> None:
    page = _page(web_app, "none", _program(city=None))
    assert "Family Medicine · city not given, PA" in page
    assert "Family Medicine, PA" not in page


def test_one_program_is_never_written_1_programs(web_app: FastAPI) -> None:
    rec = Recommendation(n=1, cost_usd=11, p_match=0.001, rest_programs=1, rest_cost_usd=11,
                         rest_adds=0.0005, rule="a rule")
    page = _page(web_app, "none", _program(), recommendation=rec, budget_usd=337.0,
                 program_budget_usd=22.0)
    assert "apply to the first program only" in page
    assert "on the last program of the list would add" in page
    assert "1 programs" not in page
