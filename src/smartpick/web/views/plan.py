"""The plan page: the list, P(match) with its interval, the curve, the map, exclusions,
what-ifs and downloads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from smartpick.web.state import AppState, app_state
from smartpick.web.views.profile import render_form, submitted, validated

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]


@router.get("/plan")
def plan_start() -> Response:
    return RedirectResponse("/profile", status_code=303)


@router.post("/plan", response_class=HTMLResponse)
async def plan_page(request: Request, state: State) -> Response:
    data = await submitted(request)
    profile, problems = validated(data)
    if profile is None:
        return render_form(request, state, data, problems, status=422)
    return state.templates.TemplateResponse(request, "error.html", {
        "status": 503, "message": "the planner is not available in this build",
        "problems": []}, status_code=503)
