"""Turning errors into answers: 422 with one message per field, 404, never a traceback.

API paths (``/api/...``) answer JSON ``{"detail": ..., "problems": [{"field", "message"}]}``.
Pages never answer JSON and never a dead end: a refused profile request (422, 413, 429) shows
the profile form with the message on top (the page restores what was typed from the browser's
copy), a live-validation request gets the message for its problem box, and other pages get a
page with the way back.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request as StarletteRequest
from starlette.types import Scope

from smartpick.errors import DataError, NotFoundError, SmartPickError, ValidationProblem
from smartpick.web.state import app_state

FORM_PATHS = ("/profile", "/plan", "/usce", "/p/")
JSON_PATHS = ("/api/", "/openapi.json", "/healthz")

STATUS_BY_ERROR: tuple[tuple[type[SmartPickError], int], ...] = (
    (NotFoundError, 404), (DataError, 503), (SmartPickError, 422))
SOURCES = {"body", "query", "path", "header", "cookie"}


def field_name(loc: tuple[Any, ...]) -> str:
    """``('body', 'profile', 'usce', 0, 'end')`` -> ``profile.usce[0].end``."""
    parts = list(loc[1:] if loc and loc[0] in SOURCES else loc)
    name = ""
    for part in parts:
        if isinstance(part, int):
            name += f"[{part}]"
        elif part not in ("[key]",) and not str(part).startswith(("function-", "constrained-")):
            name += f".{part}" if name else str(part)
    return name or "(body)"


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "literal_error":
        return f"must be one of {error.get('ctx', {}).get('expected', '')}"
    return str(error.get("msg", "invalid value")).removeprefix("Value error, ")


def problems_from(errors: list[dict[str, Any]]) -> list[ValidationProblem]:
    """One problem per field (the first message for each)."""
    seen: dict[str, ValidationProblem] = {}
    for error in errors:
        name = field_name(tuple(error.get("loc", ())))
        seen.setdefault(name, ValidationProblem(name, _message(error)))
    return list(seen.values())


def problem_payload(message: str, problems: list[ValidationProblem]) -> dict[str, Any]:
    return {"detail": message,
            "problems": [{"field": p.field, "message": p.message} for p in problems]}


def page_answer(request: StarletteRequest, status: int, message: str,
                problems: list[ValidationProblem]) -> Response:
    """The HTML answer of a page route (see the module's docstring)."""
    from smartpick.web.views.profile import render_form, shown

    state = app_state(request)
    path = request.url.path
    notice = message if not problems else ""
    if request.headers.get("hx-request"):
        items = shown(problems) or [{"field": "", "label": "", "message": message}]
        return state.templates.TemplateResponse(request, "_problems.html", {
            "problems": items}, status_code=status)
    if status != 404 and path.startswith(FORM_PATHS):
        return render_form(request, state, {}, problems, status=status,
                           notice=notice)
    if path == "/extract":
        return state.templates.TemplateResponse(request, "extract.html", {
            "text": "", "found": None, "notice": message,
            "problems": shown(problems)}, status_code=status)
    return state.templates.TemplateResponse(request, "error.html", {
        "status": status, "message": message, "problems": shown(problems)}, status_code=status)


def page_refusal(scope: Scope, status: int, message: str) -> Response | None:
    """For the limits middleware: the page's answer to a 413 or 429, None on JSON paths."""
    if str(scope.get("path", "")).startswith(JSON_PATHS) or "app" not in scope:
        return None
    return page_answer(StarletteRequest(scope), status, message, [])


def _answer(request: Request, status: int, message: str,
            problems: list[ValidationProblem]) -> Response:
    if request.url.path.startswith(JSON_PATHS):
        return JSONResponse(problem_payload(message, problems), status_code=status)
    return page_answer(request, status, message, problems)


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = problems_from(list(exc.errors()))
    return _answer(request, 422, "invalid request", problems)


async def _smartpick(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SmartPickError)
    status = next(code for kind, code in STATUS_BY_ERROR if isinstance(exc, kind))
    return _answer(request, status, exc.message, exc.problems)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    response = _answer(request, exc.status_code, str(exc.detail), [])
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(SmartPickError, _smartpick)
    app.add_exception_handler(StarletteHTTPException, _http)
