"""The plan for a request: the planner's JSON contract (``smartpick plan --format json``)."""

from __future__ import annotations

from typing import Any

from smartpick.errors import DataError
from smartpick.web.schemas import PlanRequest
from smartpick.web.state import AppState


class PlannerUnavailable(DataError):
    """This build has no planner yet."""


def planner_available() -> bool:
    return False


def plan_answer(state: AppState, body: PlanRequest) -> dict[str, Any]:
    raise PlannerUnavailable("the planner is not available in this build")
