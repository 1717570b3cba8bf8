"""The review page: an advisor checks requirement facts against their pages and decides.

Lists the facts waiting for review (found by the automatic reader, or disputed by another
source) with the value, what is known about it and the page to check; a decision (accept,
reject, or correct with a value) is recorded with who and when in the reviews file under
``data/reviews/`` and applied to the catalog at once.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from smartpick.catalog import fact_review
from smartpick.catalog.reviews import read_reviews, reviews_path
from smartpick.errors import SmartPickError, ValidationProblem
from smartpick.web.state import AppState, app_state

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]
RECENT = 20
Short = Annotated[str, Form(max_length=200)]


def _page(request: Request, state: State, problems: list[ValidationProblem],
          status_code: int = 200, done: str = "", values: dict[str, str] | None = None
          ) -> Response:
    data_dir = state.settings.data_dir
    items = fact_review.waiting(state.catalog, data_dir)
    recent = list(reversed(read_reviews(reviews_path(data_dir))))[:RECENT]
    context: dict[str, Any] = {"items": items, "recent": recent, "problems": problems,
                               "done": done, "values": values or {}}
    return state.templates.TemplateResponse(request, "facts.html", context,
                                            status_code=status_code)


@router.get("/facts", response_class=HTMLResponse)
def review_page(request: Request, state: State, done: str = "") -> Response:
    return _page(request, state, [], done=done[:200])


@router.post("/facts", response_class=HTMLResponse)
def decide(request: Request, state: State, program_id: Short, field: Short, decision: Short,
           reviewer: Short, value: Short = "", note: Short = "") -> Response:
    values = {"program_id": program_id, "field": field, "decision": decision,
              "reviewer": reviewer, "value": value, "note": note}
    try:
        review = fact_review.decide(state.settings, state.catalog, program_id, field, decision,
                                    reviewer.strip(), value if decision == "correct" else None,
                                    note=note.strip())
    except SmartPickError as err:
        problems = err.problems or [ValidationProblem("decision", err.message)]
        return _page(request, state, problems, 422, values=values)
    done = f"{review.program_id} {review.field}: {review.decision} recorded"
    return RedirectResponse(f"/facts?done={done}", status_code=303)
