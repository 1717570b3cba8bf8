"""Plans for the web face: run in the app's bounded pool, never on the event loop.

The plan itself is the planner's :class:`~smartpick.plan.result.PlanResult`; the page adds
map positions, projected from the coordinates the plan carries.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException

from smartpick.plan.result import PlanResult
from smartpick.report.usmap import project
from smartpick.services.planner import PlanRequest
from smartpick.services.pool import PoolFull
from smartpick.web.state import AppState

STANDARD_WHAT_IFS = ("usce:+3m-hands-on", "step3:pass", "budget:+1000")


async def run_plan(state: AppState, request: PlanRequest) -> PlanResult:
    """The plan for ``request``, computed in the pool; 503 with Retry-After when it is full."""
    try:
        return await state.pool.plan(state.planner, request)
    except PoolFull as full:
        raise _busy(full) from None


async def run_plan_json(state: AppState, request: PlanRequest) -> bytes:
    """The plan as JSON bytes (serialised by the worker, not the event loop)."""
    try:
        return await state.pool.plan_json(state.planner, request)
    except PoolFull as full:
        raise _busy(full) from None


def _busy(full: PoolFull) -> HTTPException:
    return HTTPException(503, full.message, headers={"Retry-After": str(full.retry_after)})


def plan_places(plan: PlanResult) -> list[dict[str, Any]]:
    """Map positions (canvas x, y) of the chosen programs that have coordinates."""
    places: list[dict[str, Any]] = []
    for rank, program in enumerate(plan.programs, start=1):
        spot = project(program.latitude, program.longitude)
        if spot:
            places.append({"rank": rank, "program_id": program.program_id,
                           "x": round(spot[0], 1), "y": round(spot[1], 1),
                           "name": program.name})
    return places


def plan_sources(plan: PlanResult) -> list[tuple[str, str]]:
    """Every (source, as-of date) behind a fact of the chosen programs."""
    return [(s.source, s.as_of) for s in plan.sources]
