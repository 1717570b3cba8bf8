"""The plan page: the list, P(match) with its interval, the curve, the map, exclusions,
what-ifs and downloads (CSV, XLSX, PDF)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from smartpick.applicant.profile import Profile
from smartpick.report.pdf import plan_pdf
from smartpick.report.tabular import plan_csv, plan_xlsx
from smartpick.report.usmap import shapes
from smartpick.web.figures import curve_figure, excluded_by_rule
from smartpick.web.planning import (
    STANDARD_WHAT_IFS,
    PlanOptions,
    make_plan,
    plan_places,
    plan_sources,
)
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


def _options(profile: Profile, what_if: tuple[str, ...]) -> PlanOptions:
    return PlanOptions(budget_usd=profile.budget_usd, target_p_match=profile.target_p_match,
                       what_if=what_if)


@router.get("/plan")
def plan_start() -> Response:
    return RedirectResponse("/profile", status_code=303)


@router.post("/plan", response_class=HTMLResponse)
async def plan_page(request: Request, state: State) -> Response:
    data = await submitted(request)
    profile, problems = validated(data)
    if profile is None:
        return render_form(request, state, data, problems, status=422)
    what_if = await _what_ifs(request)
    plan = make_plan(state, profile, _options(profile, what_if))
    return state.templates.TemplateResponse(request, "plan.html", _context(state, plan, {
        "profile_json": json.dumps(profile.model_dump(mode="json", exclude_none=True)),
        "what_if_asked": what_if, "what_if_choices": STANDARD_WHAT_IFS,
        "preferred": set(profile.preferences.states)}))


def _context(state: AppState, plan: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    programs = plan.get("programs", [])
    return {"plan": plan, "curve": curve_figure(plan.get("curve", []), len(programs)),
            "map": shapes(), "places": plan_places(state.catalog, plan),
            "excluded_groups": excluded_by_rule(plan.get("excluded", [])), **extra}


@router.post("/plan/export.{fmt}")
async def export(request: Request, state: State,
                 fmt: Annotated[str, Path(pattern="^(csv|xlsx|pdf)$")]) -> Response:
    data = await submitted(request)
    profile, problems = validated(data)
    if profile is None:
        return render_form(request, state, data, problems, status=422)
    plan = make_plan(state, profile, _options(profile, await _what_ifs(request)))
    body: bytes | str
    if fmt == "csv":
        body = plan_csv(plan)
    elif fmt == "xlsx":
        body = plan_xlsx(plan, plan_sources(state.catalog, plan))
    else:
        points = [(p["x"], p["y"]) for p in plan_places(state.catalog, plan)]
        body = plan_pdf(plan, points, plan_sources(state.catalog, plan))
    return Response(body, media_type=MEDIA[fmt], headers={
        "content-disposition": f'attachment; filename="smartpick-plan.{fmt}"'})
