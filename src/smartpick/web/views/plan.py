"""The plan page: the list, P(match) with its interval, the curve, the map, exclusions,
what-ifs and downloads (CSV, XLSX, PDF)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from smartpick.applicant.profile import Profile
from smartpick.errors import InputError
from smartpick.plan.result import PlanResult
from smartpick.report.usmap import shapes
from smartpick.services.planner import PlanRequest
from smartpick.web.figures import curve_figure, excluded_by_rule
from smartpick.web.planning import STANDARD_WHAT_IFS, plan_places, plan_sources, run_plan
from smartpick.web.state import AppState, app_state
from smartpick.web.views.profile import render_form, submitted, validated

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "pdf": "application/pdf"}


async def _what_ifs(request: Request) -> tuple[str, ...]:
    form = await request.form()
    asked = [v for v in form.getlist("_what_if") if isinstance(v, str) and v.strip()]
    return tuple(dict.fromkeys(w.strip()[:80] for w in asked[:10]))


def _request(profile: Profile, what_if: tuple[str, ...]) -> PlanRequest:
    return PlanRequest(profile=profile, what_if=list(what_if))


@router.get("/plan", response_class=HTMLResponse)
def plan_start(request: Request, state: State) -> Response:
    """Reload or Back on the page: it is made again from the profile this tab keeps (the page
    turns its entry into this GET, so the browser never offers to resend the form)."""
    return state.templates.TemplateResponse(request, "replay.html", {
        "path": "/plan", "what": "plan", "title": "Your application plan"})


@router.post("/plan", response_class=HTMLResponse)
async def plan_page(request: Request, state: State) -> Response:
    data = await submitted(request)
    profile, problems = validated(data)
    if profile is None:
        return render_form(request, state, data, problems, status=422)
    what_if = await _what_ifs(request)
    try:
        plan = await run_plan(state, _request(profile, what_if))
    except InputError as refused:  # e.g. a budget below the once-a-season fees
        return render_form(request, state, data, refused.problems, status=422,
                           notice=refused.message)
    return state.templates.TemplateResponse(request, "plan.html", _context(plan, {
        "profile_json": json.dumps(profile.model_dump(mode="json", exclude_none=True)),
        "what_if_asked": what_if, "what_if_choices": STANDARD_WHAT_IFS,
        "preferred": set(profile.preferences.states)}))


def _context(plan: PlanResult, extra: dict[str, Any]) -> dict[str, Any]:
    return {"plan": plan,
            "curve": curve_figure([c.model_dump() for c in plan.curve], len(plan.programs)),
            "map": shapes(), "places": plan_places(plan),
            "excluded_groups": excluded_by_rule([e.model_dump() for e in plan.excluded]),
            **extra}


@router.post("/plan/export.{fmt}")
async def export(request: Request, state: State,
                 fmt: Annotated[str, Path(pattern="^(csv|xlsx|pdf)$")]) -> Response:
    data = await submitted(request)
    profile, problems = validated(data)
    if profile is None:
        return render_form(request, state, data, problems, status=422)
    plan = await run_plan(state, _request(profile, await _what_ifs(request)))
    body = await run_in_threadpool(_export, plan, fmt)  # the PDF's pictures take a while
    return Response(body, media_type=MEDIA[fmt], headers={
        "content-disposition": f'attachment; filename="smartpick-plan.{fmt}"'})


def _export(plan: PlanResult, fmt: str) -> bytes | str:
    if fmt == "csv":
        from smartpick.report.tabular import plan_csv

        return plan_csv(plan)
    if fmt == "xlsx":
        from smartpick.report.tabular import plan_xlsx

        return plan_xlsx(plan, plan_sources(plan))
    from smartpick.report.pdf import plan_pdf

    points = [(float(p["x"]), float(p["y"])) for p in plan_places(plan)]
    return plan_pdf(plan, points, plan_sources(plan))
