"""The JSON API under ``/api`` (and ``/healthz``), documented at ``/openapi.json``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response

from smartpick.catalog.search import TYPE_CHOICES, VISA_CHOICES, ProgramQuery
from smartpick.plan.result import PlanResult
from smartpick.services import answers
from smartpick.web.planning import run_plan_json
from smartpick.web.schemas import (
    ERROR_RESPONSES,
    CheckRequest,
    ExtractRequest,
    Health,
    PlanRequest,
    ProgramPage,
    SavedAnswer,
    SaveRequest,
    UsceRequest,
)
from smartpick.web.state import AppState, app_state
from smartpick.web.state import save_profile as store_profile

router = APIRouter(responses=ERROR_RESPONSES)
State = Annotated[AppState, Depends(app_state)]
Visa = Annotated[str | None, Query(description=" | ".join(VISA_CHOICES),
                                   pattern="^(" + "|".join(VISA_CHOICES) + ")$")]
ProgramType = Annotated[str | None, Query(alias="type", description=" | ".join(TYPE_CHOICES),
                                          pattern="^(" + "|".join(TYPE_CHOICES) + ")$")]
ProgramIdPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9]{1,20}$")]
Token = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{16,64}$")]


@router.get("/healthz", response_model=Health, tags=["service"])
def healthz(state: State) -> dict[str, Any]:
    """Up, with the catalog readable."""
    state.catalog.ensure_built()
    return {"status": "ok", "programs": sum(state.catalog.specialty_counts().values())}


@router.get("/api/programs", response_model=ProgramPage, tags=["catalog"])
def list_programs(
    state: State,
    specialty: Annotated[str | None, Query(max_length=100)] = None,
    state_codes: Annotated[list[str], Query(alias="state", max_length=60)] = [],  # noqa: B006
    visa: Visa = None,
    program_type: ProgramType = None,
    min_img_share: Annotated[float | None, Query(ge=0, le=100)] = None,
    min_positions: Annotated[int | None, Query(ge=0, le=1000)] = None,
    max_positions: Annotated[int | None, Query(ge=0, le=1000)] = None,
    include_merged: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """Programs matching the CLI's filters, every field with its provenance, paginated."""
    query = ProgramQuery(specialty=specialty, states=tuple(state_codes), visa=visa,
                         program_type=program_type, min_img_share=min_img_share,
                         min_positions=min_positions, max_positions=max_positions,
                         include_merged=include_merged, limit=limit, offset=offset)
    programs = state.catalog.search(query)
    return {"total": state.catalog.count(query), "limit": limit, "offset": offset,
            "programs": [p.to_dict() for p in programs]}


@router.get("/api/programs/{program_id}", tags=["catalog"])
def get_program(state: State, program_id: ProgramIdPath) -> dict[str, Any]:
    """One program: every field with value, status, source, date, method and qualifier."""
    return answers.program_detail(state.catalog, program_id)


@router.post("/api/check", response_model=answers.CheckAnswer, tags=["eligibility"])
def check(state: State, body: CheckRequest) -> answers.CheckAnswer:
    """Eligible, ineligible or unverified for each program, with one reason per rule."""
    season = state.planner.season(body.season)
    return answers.CheckAnswer(season=season.year, verdicts=answers.check_programs(
        state.catalog, body.profile, body.program_ids, season))


@router.post("/api/usce", tags=["eligibility"])
def usce(state: State, body: UsceRequest) -> dict[str, Any]:
    """USCE ledger metrics and the gap report for the target specialties."""
    season = state.planner.season(body.season)
    return answers.usce_report(state.catalog, body.profile, season, body.specialties)


EXTRACT_TIME_LIMIT = 2.0  # seconds; reading is linear, 50,000 characters take well under this


@router.post("/api/extract", tags=["eligibility"])
def extract(body: ExtractRequest) -> dict[str, Any]:
    """Requirements stated in a program page's text, each with its evidence.

    Runs in the server's worker threads (off the event loop), in time linear in the text
    (at most 50,000 characters), and gives up with a 422 after a time bound.
    """
    return answers.extracted(body.text, EXTRACT_TIME_LIMIT)


@router.post("/api/plan", response_model=PlanResult, tags=["plan"],
             responses={503: {"description": "the planner is busy (see Retry-After)"}})
async def plan(state: State, body: PlanRequest) -> Response:
    """The plan for a profile, with what-ifs (see docs/api.md); computed off the event loop."""
    return Response(await run_plan_json(state, body), media_type="application/json")


@router.post("/api/profiles", response_model=SavedAnswer, status_code=201, tags=["profiles"])
def save_profile(state: State, request: Request, body: SaveRequest) -> dict[str, Any]:
    """Save a profile; the answer holds its secret link and the owner key to delete it.
    At most 32 KB of JSON, 20 saves an hour per client; kept 180 days."""
    link = store_profile(state, request, body.profile.model_dump(mode="json", exclude_none=True))
    return {"token": link.token, "url": f"/p/{link.token}", "owner_key": link.owner_key}


@router.get("/api/profiles/{token}", tags=["profiles"])
def load_profile(state: State, token: Token) -> dict[str, Any]:
    return {"profile": state.saved.load(token)}


@router.delete("/api/profiles/{token}", status_code=204, tags=["profiles"])
def delete_profile(state: State, token: Token,
                   x_owner_key: Annotated[str, Header(max_length=64)]) -> Response:
    """Delete a saved profile; needs the owner key given when it was saved."""
    state.saved.delete(token, x_owner_key)
    return Response(status_code=204)
