"""What-ifs in place: the plan page asks for the what-if table alone, without a reload."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from smartpick.services.planner import PlanBounds, PlanRequest
from smartpick.web.planning import run_plan
from smartpick.web.state import AppState, app_state
from smartpick.web.views.profile import shown, submitted, validated

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]


@router.post("/plan/what-if", response_class=HTMLResponse)
async def what_if_table(request: Request, state: State) -> Response:
    """The what-if table for the carried profile and every what-if asked so far."""
    data = await submitted(request)
    profile, problems = validated(data)
    if profile is None:
        return state.templates.TemplateResponse(request, "_problems.html", {
            "problems": shown(problems)}, status_code=422)
    form = await request.form()
    asked = [v.strip()[:80] for v in form.getlist("_what_if") if isinstance(v, str) and v.strip()]
    what_if = list(dict.fromkeys(asked))[:PlanBounds.max_what_ifs]
    plan = await run_plan(state, PlanRequest(profile=profile, what_if=what_if))
    return state.templates.TemplateResponse(request, "_what_if.html", {"plan": plan})
