"""Reading a profile from a YAML or JSON file (or a parsed mapping) into a :class:`Profile`.

Bad input raises :class:`~smartpick.errors.InputError` with one
:class:`~smartpick.errors.ValidationProblem` per problem, each naming the field path the way a
user writes it: ``usce[1].end``, ``exams.step2ck``.
"""

from __future__ import annotations

import difflib
import json
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from smartpick.applicant.profile import Profile
from smartpick.errors import InputError, NotFoundError, ValidationProblem

MAX_PROFILE_BYTES = 1_000_000


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so the profile's own checks name the field of an
    impossible date (``usce[0].end: 2025-02-30``) instead of the reader failing."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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


def _text(file: Path) -> str:
    try:
        if file.stat().st_size > MAX_PROFILE_BYTES:
            raise InputError("profile file is too large", [ValidationProblem(
                "(file)", f"at most {MAX_PROFILE_BYTES:,} bytes; is this a profile?",
                str(file))])
        return file.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError("profile is not a text file", [ValidationProblem(
            "(file)", f"not UTF-8 text (byte {err.start}); save the profile as UTF-8 YAML or "
            "JSON", str(file))]) from None
    except OSError as err:
        raise InputError("cannot read the profile", [ValidationProblem(
            "(file)", err.strerror or str(err), str(file))]) from None


def _read(file: Path) -> Any:
    text = _text(file)
    try:
        if file.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except RecursionError:
        raise InputError("profile is nested too deeply", [ValidationProblem(
            "(file)", "a profile is a few levels deep at most", str(file))]) from None
    except json.JSONDecodeError as err:
        where = f"{file}:{err.lineno}"
        raise InputError("profile is not valid JSON",
                         [ValidationProblem("(file)", err.msg, where)]) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{file}:{mark.line + 1}" if mark is not None else str(file)
        reason = getattr(err, "problem", None) or str(err)
        raise InputError("profile is not valid YAML",
                         [ValidationProblem("(file)", str(reason), where)]) from None


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
