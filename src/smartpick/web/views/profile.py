"""The profile page: the profile contract as a form with a USCE ledger editor, inline
validation per field, import and export as a file, and optional saving behind a secret link."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from smartpick.applicant.load import parse_profile
from smartpick.applicant.profile import Profile
from smartpick.catalog.search import TYPE_CHOICES
from smartpick.documents import parse_text
from smartpick.errors import InputError, ValidationProblem
from smartpick.report.words import field_label, plain_message
from smartpick.web.forms import check_depth, form_values, profile_from_form, slot_id
from smartpick.web.saved import KEEP_DAYS
from smartpick.web.state import AppState, app_state, save_profile

router = APIRouter(include_in_schema=False)
State = Annotated[AppState, Depends(app_state)]
Token = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{16,64}$")]
OWNER_COOKIE = "smartpick_owner"


async def submitted(request: Request) -> dict[str, Any]:
    """The profile mapping from the submitted form (or from its ``_profile_json`` field)."""
    form = await request.form()
    carried = form.get("_profile_json")
    if isinstance(carried, str) and carried.strip():
        try:
            data = json.loads(carried)
        except (json.JSONDecodeError, RecursionError):
            raise InputError("the carried profile is not valid JSON", [
                ValidationProblem("(profile)", "start again from the profile page")]) from None
        check_depth(data, "(profile)")
        return data if isinstance(data, dict) else {}
    return profile_from_form((k, v) for k, v in form.multi_items() if isinstance(v, str))


def validated(data: dict[str, Any]) -> tuple[Profile | None, list[ValidationProblem]]:
    """The profile, or the problems, one per field. A non-US IMG must choose a visa on the
    page (the contract's default "none" would silently drop every visa rule)."""
    problems: list[ValidationProblem] = []
    if data.get("applicant_type") == "non_us_img" and not data.get("visa"):
        problems.append(ValidationProblem(
            "visa", "choose the visa you need; most non-US IMGs need J-1 or H-1B "
                    "(choose None only with a green card)"))
    try:
        profile = parse_profile(data)
    except InputError as err:
        return None, problems + err.problems
    except RecursionError:
        return None, [ValidationProblem("(profile)", "nested too deeply")]
    return (None, problems) if problems else (profile, [])


def shown(problems: list[ValidationProblem]) -> list[dict[str, str]]:
    """Problems as the page shows them: the field in words, the message in plain words."""
    return [{"field": p.field, "label": field_label(p.field),
             "message": (PERCENT_MESSAGE if p.field == "target_p_match"
                         else plain_message(p.message))}
            for p in problems]


PERCENT_MESSAGE = "enter a chance from 1 to 99 (percent), or leave it empty"


def render_form(request: Request, state: AppState, data: dict[str, Any],
                problems: list[ValidationProblem], status: int = 200,
                **extra: Any) -> Response:
    """The profile page filled with ``data`` and each problem next to its field."""
    context = {"data": data, "values": form_values(data), "problems": shown(problems),
               "errors": {p["field"]: p["message"] for p in shown(problems)},
               "slot_id": slot_id, "from_server": bool(data),
               "posted": request.method == "POST",
               "specialties": sorted(state.catalog.specialty_counts()),
               "program_types": [t for t in TYPE_CHOICES if t != "other"], **extra}
    return state.templates.TemplateResponse(request, "profile.html", context,
                                            status_code=status)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, state: State) -> Response:
    return state.templates.TemplateResponse(request, "home.html", {})


@router.get("/profile", response_class=HTMLResponse)
def profile_page(request: Request, state: State) -> Response:
    return render_form(request, state, {}, [])


@router.post("/profile/validate", response_class=HTMLResponse)
async def validate(request: Request, state: State) -> Response:
    """Problems for the summary box, plus one out-of-band message slot per form field."""
    form = await request.form()
    data = profile_from_form((k, v) for k, v in form.multi_items() if isinstance(v, str))
    _, problems = validated(data)
    fields = {k for k in form if not k.startswith("_")} | {p.field for p in problems}
    return state.templates.TemplateResponse(request, "_validation.html", {
        "problems": shown(problems), "errors": {p["field"]: p["message"] for p in shown(problems)},
        "fields": sorted(fields), "slot_id": slot_id})


@router.post("/profile/edit", response_class=HTMLResponse)
async def edit(request: Request, state: State) -> Response:
    """The form filled with the profile a plan or USCE page carried ("Edit profile")."""
    data = await submitted(request)
    _, problems = validated(data)
    return render_form(request, state, data, problems)


@router.post("/profile/export")
async def export(request: Request, state: State) -> Response:
    data = await submitted(request)
    profile, problems = validated(data)
    if profile is None:
        return render_form(request, state, data, problems, status=422)
    body = json.dumps(profile.model_dump(mode="json", exclude_none=True), indent=2)
    return Response(body, media_type="application/json", headers={
        "content-disposition": 'attachment; filename="smartpick-profile.json"'})


@router.post("/profile/import", response_class=HTMLResponse)
async def import_file(request: Request, state: State,
                      file: UploadFile | None = None) -> Response:
    """The form filled from a profile file. The page then replaces its history entry with
    GET /profile, so Back and reload never ask to resend the file."""
    raw = await file.read() if file is not None else b""
    if not raw:
        problem = ValidationProblem("file", "choose a profile file first, then press Import")
        return render_form(request, state, {}, [problem], status=422)
    try:
        name = PurePath(file.filename or "profile").name if file else "profile"
        data, _ = parse_text(name, raw.decode("utf-8"), "the profile file", "a profile",
                             as_yaml=True)
        check_depth(data, "file")
    except UnicodeDecodeError:
        problem = ValidationProblem("file", "not a SmartPick profile file (JSON or YAML)")
        return render_form(request, state, {}, [problem], status=422)
    except InputError as err:  # what is wrong with the file, and where
        where = err.problems[0].location if err.problems else ""
        why = err.problems[0].message if err.problems else err.message
        problem = ValidationProblem("file", f"not a SmartPick profile file (JSON or YAML): "
                                    f"{why}" + (f" ({where})" if where else ""))
        return render_form(request, state, {}, [problem], status=422)
    data = data if isinstance(data, dict) else {}
    _, problems = validated(data)
    return render_form(request, state, data, problems, status=422 if problems else 200,
                       imported=True)


@router.post("/profile/save", response_class=HTMLResponse)
async def save(request: Request, state: State) -> Response:
    data = await submitted(request)
    profile, problems = validated(data)
    if profile is None:
        return render_form(request, state, data, problems, status=422)
    link = save_profile(state, request, profile.model_dump(mode="json", exclude_none=True))
    response = state.templates.TemplateResponse(request, "saved.html", {"link": link})
    response.set_cookie(OWNER_COOKIE, link.owner_key, path=f"/p/{link.token}", httponly=True,
                        samesite="strict", max_age=KEEP_DAYS * 24 * 3600)
    return response


@router.get("/p/{token}", response_class=HTMLResponse)
def saved_profile(request: Request, state: State, token: Token) -> Response:
    """The saved profile in the form. The owner key stays in its HttpOnly cookie: the page
    only says whether this browser holds it."""
    data = state.saved.load(token)
    return render_form(request, state, data, [], saved_token=token,
                       owner_here=bool(request.cookies.get(OWNER_COOKIE)))


@router.post("/p/{token}/delete", response_class=HTMLResponse)
def delete_saved(request: Request, state: State, token: Token,
                 owner_key: Annotated[str, Form(max_length=64)] = "") -> Response:
    """Delete with the owner key typed in, or else the one this browser's cookie holds."""
    state.saved.delete(token, owner_key or request.cookies.get(OWNER_COOKIE, "")[:64])
    response = state.templates.TemplateResponse(request, "deleted.html", {})
    response.delete_cookie(OWNER_COOKIE, path=f"/p/{token}")
    return response
