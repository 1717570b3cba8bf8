"""Read requirements: paste a program page's text, see what it requires and where it says so."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from smartpick.services import answers
from smartpick.web.state import AppState, app_state

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]
MAX_TEXT = 50_000


def highlighted(text: str, requirements: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    """The text cut into (piece, field or None) so that evidence quotes can be marked."""
    spans = sorted((r["evidence"]["start"], r["evidence"]["end"], r["field"])
                   for r in requirements)
    pieces: list[tuple[str, str | None]] = []
    cursor = 0
    for start, end, field in spans:
        if start < cursor:
            continue
        pieces += [(text[cursor:start], None), (text[start:end], field)]
        cursor = end
    pieces.append((text[cursor:], None))
    return [p for p in pieces if p[0]]


@router.get("/extract", response_class=HTMLResponse)
def extract_page(request: Request, state: State) -> Response:
    return state.templates.TemplateResponse(request, "extract.html", {"text": "", "found": None})


@router.post("/extract", response_class=HTMLResponse)
def extract_text(request: Request, state: State,
                 text: Annotated[str, Form(max_length=MAX_TEXT)]) -> Response:
    found = answers.extracted(text)["requirements"]
    return state.templates.TemplateResponse(request, "extract.html", {
        "text": text, "found": found, "pieces": highlighted(text, found)})
