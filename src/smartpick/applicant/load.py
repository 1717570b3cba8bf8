"""Reading a profile from a YAML or JSON file (or a parsed mapping) into a :class:`Profile`.

Bad input raises :class:`~smartpick.errors.InputError` with one
:class:`~smartpick.errors.ValidationProblem` per problem, each naming the field path the way a
user writes it: ``usce[1].end``, ``exams.step2ck``.
"""

from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from smartpick.applicant.profile import Profile
from smartpick.documents import parse_text, read_text
from smartpick.errors import InputError, NotFoundError, ValidationProblem

MAX_PROFILE_BYTES = 1_000_000


def load_profile(path: str | Path) -> Profile:
    """The profile in ``path`` (``.json``, or YAML for any other name)."""
    file = Path(path)
    if not file.is_file():
        raise NotFoundError(f"profile file not found: {file}",
                            [ValidationProblem("PROFILE", f"no such file: {file}")])
    data = _read(file)
    return parse_profile(data, location=str(file))


def parse_profile(data: Any, location: str = "") -> Profile:
    """Validate an already parsed mapping (the API's JSON body, a web form)."""
    if not isinstance(data, dict):
        raise InputError("invalid profile", [ValidationProblem(
            "(profile)", "expected a mapping of fields (applicant_type, graduation_year, ...)",
            location)])
    try:
        return Profile.model_validate(data)
    except ValidationError as err:
        problems = [_problem(e, location) for e in err.errors()]
        raise InputError(f"invalid profile ({len(problems)} problem"
                         f"{'s' if len(problems) != 1 else ''})", problems) from None


def _read(file: Path) -> Any:
    text = read_text(file, "the profile file", MAX_PROFILE_BYTES, "is this a profile?")
    data, _ = parse_text(file, text, "the profile file", "a profile",
                         as_yaml=file.suffix.lower() != ".json")
    return data


def field_path(loc: tuple[int | str, ...]) -> str:
    """``('usce', 1, 'end')`` -> ``usce[1].end``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part != "[key]":
            path += f".{part}" if path else str(part)
    return path or "(profile)"


def _problem(error: Any, location: str) -> ValidationProblem:
    loc = tuple(error["loc"])
    return ValidationProblem(field_path(loc), _message(error, loc), location)


def _message(error: Any, loc: tuple[int | str, ...]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown field" + _suggestion(loc)
    if kind == "missing":
        return "required field is missing"
    if kind.startswith(("date_", "datetime_")):
        return f"{error.get('input')!r} is not a real date (write YYYY-MM-DD)"
    if kind == "literal_error":
        return f"must be one of {error['ctx']['expected']}"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def _suggestion(loc: tuple[int | str, ...]) -> str:
    model = _model_at(loc[:-1])
    if model is None or not isinstance(loc[-1], str):
        return ""
    close = difflib.get_close_matches(loc[-1], list(model.model_fields), n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; allowed: {', '.join(model.model_fields)}"


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model class that validates the mapping found at ``loc``."""
    current: Any = Profile
    for part in loc:
        if isinstance(part, int):
            continue  # list items: the annotation already names the item type
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _model_in(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _model_in(annotation: Any) -> Any:
    """The first model class inside ``list[X]``, ``X | None`` and the like."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
