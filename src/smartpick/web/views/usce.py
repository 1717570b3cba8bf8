"""The USCE page: the ledger as counted, its metrics and the gap report."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from smartpick.services import answers
from smartpick.web.state import AppState, app_state
from smartpick.web.views.profile import render_form, submitted, validated

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]


@router.get("/usce", response_class=HTMLResponse)
def usce_start(request: Request, state: State) -> Response:
    """Reload or Back on the page: it is made again from the profile this tab keeps (the page
    turns its entry into this GET, so the browser never offers to resend the form)."""
    return state.templates.TemplateResponse(request, "replay.html", {
        "path": "/usce", "what": "USCE report", "title": "US clinical experience"})


@router.post("/usce", response_class=HTMLResponse)
async def usce_page(request: Request, state: State) -> Response:
    data = await submitted(request)
    profile, problems = validated(data)
    if profile is None:
        return render_form(request, state, data, problems, status=422)
    season = state.planner.season(None)
    report = answers.usce_report(state.catalog, profile, season)
    carried = json.dumps(profile.model_dump(mode="json", exclude_none=True))
    return state.templates.TemplateResponse(request, "usce.html", {
        "report": report, "profile_json": carried, "season": season})
