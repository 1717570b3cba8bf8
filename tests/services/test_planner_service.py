"""The Planner as the faces use it: one plan per request, however many ask at once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from smartpick.applicant.load import load_profile
from smartpick.services import Planner, PlanRequest
from smartpick.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_the_same_request_asked_at_once_is_planned_once(built_catalog: Settings):
    planner = Planner(built_catalog, kept_plans=0)
    request = PlanRequest(profile=load_profile(EXAMPLES / "us_md_im.yaml"), max_programs=10)
    made: list[PlanRequest] = []
    compute = planner._compute

    def slow_compute(asked: PlanRequest):  # the first plan takes a while
        made.append(asked)
        time.sleep(0.5)
        return compute(asked)

    planner._compute = slow_compute  # type: ignore[method-assign]
    answers: list[object] = [None] * 3

    def ask(i: int) -> None:
        answers[i] = planner.plan_json(request)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
        time.sleep(0.05)
    for t in threads:
        t.join()
    assert len(made) == 1
    assert answers[0] == answers[1] == answers[2]
    planner.plan_json(request)  # asked again later (nothing kept): planned again
    assert len(made) == 2


def test_a_failed_plan_fails_every_request_waiting_for_it_and_is_not_kept(
        built_catalog: Settings):
    planner = Planner(built_catalog)
    profile = load_profile(EXAMPLES / "us_md_im.yaml")
    request = PlanRequest(profile=profile.model_copy(update={"targets": []}))
    errors: list[str] = []

    def ask() -> None:
        try:
            planner.plan(request)
        except Exception as err:  # the error each request gets
            errors.append(type(err).__name__)

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == ["InputError", "InputError"]
    assert not planner._making
