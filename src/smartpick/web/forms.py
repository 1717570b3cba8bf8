"""The profile as an HTML form: flat field names (``exams.step2ck``, ``usce[0].end``) to the
nested mapping of the profile contract, and back.

Form names are the same paths that validation problems name, so each message lands next to
its field. Empty inputs are left out (the contract's defaults apply); fields whose name starts
with ``_`` are the page's own controls, not profile data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from smartpick.errors import InputError, ValidationProblem

LIST_FIELDS = frozenset({"preferences.states", "preferences.avoid_states",
                         "preferences.program_types"})
_PART = re.compile(r"([^.\[\]]+)|\[(\d{1,3})\]")


def split_path(name: str) -> list[str | int]:
    """``usce[1].end`` -> ``['usce', 1, 'end']``."""
    return [int(index) if index else key for key, index in _PART.findall(name)]


def _put(target: dict[str, Any], path: list[str | int], value: Any) -> None:
    node: Any = target
    for part, following in pairwise(path):
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(part, int):
            while len(node) <= part:
                node.append(None)
            node[part] = node[part] if node[part] is not None else empty
            node = node[part]
        else:
            node = node.setdefault(part, empty)
    last = path[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
        node[last] = value
    else:
        node[last] = value


def _put_field(data: dict[str, Any], name: str, value: Any) -> None:
    path = split_path(name)
    if not path:
        return
    try:
        _put(data, path, value)
    except (AttributeError, TypeError, IndexError):
        raise InputError("invalid form", [ValidationProblem(
            name, "conflicts with another field of the form")]) from None


def profile_from_form(items: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The nested profile mapping from (name, value) pairs of a submitted form."""
    data: dict[str, Any] = {}
    lists: dict[str, list[str]] = {}
    for name, raw in items:
        value = raw.strip() if isinstance(raw, str) else raw
        if name.startswith("_") or value == "" or not isinstance(value, str):
            continue
        if name in LIST_FIELDS:
            lists.setdefault(name, []).append(value)
            continue
        _put_field(data, name, value)
    for name, values in lists.items():
        _put_field(data, name, values)
    if isinstance(data.get("usce"), list):
        data["usce"] = [row for row in data["usce"] if row]
    if isinstance(data.get("targets"), list):  # a role alone is not a target
        data["targets"] = [row for row in data["targets"] if row and "specialty" in row]
    return data


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """``{'exams': {'step2ck': 250}}`` -> ``{'exams.step2ck': 250}`` (lists of values kept)."""
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(data, list) and prefix not in LIST_FIELDS:
        for index, value in enumerate(data):
            out.update(flatten(value, f"{prefix}[{index}]"))
    else:
        out[prefix] = data
    return out


def slot_id(field: str) -> str:
    """An HTML id for the message slot of ``field`` (letters, digits and dashes only)."""
    return "err-" + re.sub(r"[^A-Za-z0-9]+", "-", field).strip("-")
