"""The program browser (FREIDA-like filters) and the program page with every fact's source."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from smartpick.catalog.fields import FIELDS
from smartpick.catalog.search import TYPE_CHOICES, VISA_CHOICES, ProgramQuery
from smartpick.errors import InputError, ValidationProblem
from smartpick.services import answers
from smartpick.web.state import AppState, app_state

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]
PAGE_SIZE = 50
GROUP_TITLES = {"identity": "Identity", "place": "Place", "program": "Program",
                "visa": "Visa", "requirements": "Requirements"}


def _number(raw: str | None, name: str, problems: list[ValidationProblem]) -> float | None:
    if raw is None or not raw.strip():
        return None
    try:
        return float(raw)
    except ValueError:
        problems.append(ValidationProblem(name, f"expected a number, got {raw!r}"))
        return None


def _query(params: dict[str, Any]) -> tuple[ProgramQuery, list[ValidationProblem]]:
    problems: list[ValidationProblem] = []
    share = _number(params.get("min_img_share"), "min_img_share", problems)
    sizes = [_number(params.get(name), name, problems) for name in ("min_positions",
                                                                      "max_positions")]
    low, high = (None if v is None else int(v) for v in sizes)
    page = max(1, int(_number(params.get("page"), "page", problems) or 1))
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
               "problems": problems, "page": query.offset // PAGE_SIZE + 1,
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
    return state.templates.TemplateResponse(request, "program.html", {
        "program": detail, "name": detail["fields"]["name"]["value"] or program_id,
        "groups": [(GROUP_TITLES.get(g, g), facts) for g, facts in groups.items()]})
