"""The program browser (FREIDA-like filters) and the program page with every fact's source."""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from smartpick.catalog.fields import FIELDS
from smartpick.catalog.search import TYPE_CHOICES, VISA_CHOICES, ProgramQuery
from smartpick.errors import InputError, ValidationProblem
from smartpick.services import answers
from smartpick.web.state import AppState, app_state
from smartpick.web.views.profile import shown

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]
PAGE_SIZE = 50
GROUP_TITLES = {"identity": "Identity", "place": "Place", "program": "Program",
                "visa": "Visa", "requirements": "Requirements",
                "availability": "Open to applications"}


LABELS = {"min_img_share": "Min. IMG share", "min_positions": "Positions from",
          "max_positions": "Positions to", "page": "Page"}
LIMITS = {"min_img_share": (0.0, 100.0), "min_positions": (0.0, 1000.0),
          "max_positions": (0.0, 1000.0), "page": (1.0, 10_000.0)}


def _number(raw: str | None, name: str, problems: list[ValidationProblem]) -> float | None:
    """A finite number within LIMITS[name]; otherwise a problem in words and None."""
    if raw is None or not raw.strip():
        return None
    low, high = LIMITS[name]
    try:
        value = float(raw[:40])
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not low <= value <= high:
        problems.append(ValidationProblem(
            LABELS[name], f"enter a number from {low:g} to {high:g} (got {raw[:20]!r})"))
        return None
    return value


def _whole(value: float | None) -> int | None:
    return None if value is None else int(value)


def _query(params: dict[str, Any]) -> tuple[ProgramQuery, list[ValidationProblem]]:
    problems: list[ValidationProblem] = []
    share = _number(params.get("min_img_share"), "min_img_share", problems)
    low, high = (_whole(_number(params.get(name), name, problems))
                 for name in ("min_positions", "max_positions"))
    page = _whole(_number(params.get("page"), "page", problems)) or 1
    query = ProgramQuery(
        specialty=params.get("specialty") or None,
        states=tuple(s for s in params.get("state", []) if s),
        visa=params.get("visa") or None, program_type=params.get("type") or None,
        min_img_share=share, min_positions=low, max_positions=high, limit=PAGE_SIZE,
        offset=(min(page, 10_000) - 1) * PAGE_SIZE)
    return query, problems


@router.get("/programs", response_class=HTMLResponse)
def browse(request: Request, state: State,
           state_codes: Annotated[list[str], Query(alias="state")] = []) -> Response:  # noqa: B006
    params: dict[str, Any] = dict(request.query_params)
    params["state"] = state_codes
    query, problems = _query(params)
    programs, total = [], 0
    try:
        query.validated()
    except InputError as err:
        problems += err.problems
    if not problems:
        programs, total = state.catalog.search(query), state.catalog.count(query)
    context = {"programs": programs, "total": total, "query": query, "params": params,
               "problems": shown(problems), "page": query.offset // PAGE_SIZE + 1,
               "pages": max(1, -(-total // PAGE_SIZE)),
               "specialties": sorted(state.catalog.specialty_counts()),
               "visa_choices": VISA_CHOICES, "type_choices": TYPE_CHOICES}
    name = "_program_rows.html" if request.headers.get("hx-request") else "programs.html"
    return state.templates.TemplateResponse(request, name, context)


@router.get("/programs/{program_id}", response_class=HTMLResponse)
def program_page(request: Request, state: State,
                 program_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9]{1,20}$")]) -> Response:
    detail = answers.program_detail(state.catalog, program_id)
    groups: dict[str, list[dict[str, Any]]] = {}
    for spec in FIELDS:
        fact = detail["fields"][spec.name]
        groups.setdefault(spec.group, []).append({"name": spec.name, "label": spec.label, **fact})
    fields = detail["fields"]
    key = [{"name": name, "label": KEY_FACTS[name], **fields[name]}
           for name in KEY_FACTS if name in fields]
    requirements = [fact for fact in groups.get("requirements", [])
                    if fact.get("value") is not None]
    return state.templates.TemplateResponse(request, "program.html", {
        "program": detail, "name": fields["name"]["value"] or program_id, "key": key,
        "requirements": requirements,
        "groups": [(GROUP_TITLES.get(g, g), facts) for g, facts in groups.items()]})


KEY_FACTS = {"program_type": "Type", "positions": "First-year positions",
             "pct_img": "Residents who are IMGs (%)", "visa_j1": "Takes J-1 visa",
             "visa_h1b": "Sponsors H-1B visa", "interviews_per_position":
             "Interviews per position", "fill_rate_2024": "Filled in the 2024 Match",
             "website": "Program website", "requirements_url": "Requirements page"}
