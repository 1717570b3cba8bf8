"""The profile as an HTML form: flat field names (``exams.step2ck``, ``usce[0].end``) to the
nested mapping of the profile contract, and back.

Form names are the same paths that validation problems name, so each message lands next to
its field. Empty inputs are left out (the contract's defaults apply); fields whose name starts
with ``_`` are the page's own controls, not profile data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from smartpick.errors import InputError, ValidationProblem

LIST_FIELDS = frozenset({"preferences.states", "preferences.avoid_states",
                         "preferences.program_types", "usce[].cases"})
_PART = re.compile(r"([^.\[\]]+)|\[(\d{1,3})\]")
PERCENT_FIELDS = frozenset({"target_p_match"})  # typed as a percentage on the page
LINE_FIELDS = frozenset({"usce[].cases"})  # a textarea, one item a line
MAX_PARTS = 6  # the deepest profile field, ``exams.failed_attempts_by_exam.step1``, has 3
MAX_DEPTH = 12  # nesting of a carried or imported profile (the contract needs 4)
MAX_NAME = 100


def split_path(name: str) -> list[str | int]:
    """``usce[1].end`` -> ``['usce', 1, 'end']``; a name of more than MAX_PARTS parts (no
    profile field has one) raises InputError instead of building a deep mapping."""
    if len(name) > MAX_NAME:
        raise InputError("invalid form", [ValidationProblem(
            name[:40] + "…", "not a field of the profile form")])
    parts: list[str | int] = [int(index) if index else key
                              for key, index in _PART.findall(name)]
    if len(parts) > MAX_PARTS:
        raise InputError("invalid form", [ValidationProblem(
            name[:40] + "…", "not a field of the profile form")])
    return parts


def depth(data: Any, limit: int = MAX_DEPTH) -> int:
    """How deeply ``data`` nests lists and mappings, counted without recursion (stops at
    ``limit + 1``)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        if isinstance(node, dict):
            stack.extend((value, level + 1) for value in node.values())
        elif isinstance(node, list):
            stack.extend((value, level + 1) for value in node)
    return deepest


def check_depth(data: Any, where: str) -> None:
    """InputError when ``data`` nests deeper than any profile can."""
    if depth(data) > MAX_DEPTH:
        raise InputError("invalid profile", [ValidationProblem(
            where, f"nested more than {MAX_DEPTH} levels deep; not a SmartPick profile")])


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
        shape = re.sub(r"\[\d+\]", "[]", name)
        if shape in LINE_FIELDS:
            lists.setdefault(name, []).extend(
                line.strip() for line in value.splitlines() if line.strip())
            continue
        if shape in LIST_FIELDS:
            lists.setdefault(name, []).append(value)
            continue
        _put_field(data, name, _from_percent(value) if name in PERCENT_FIELDS else value)
    for name, values in lists.items():
        _put_field(data, name, values)
    if isinstance(data.get("usce"), list):
        data["usce"] = [row for row in data["usce"] if row]
    if isinstance(data.get("targets"), list):  # a role alone is not a target
        data["targets"] = [row for row in data["targets"] if row and "specialty" in row]
    return data


def _from_percent(text: str) -> str | float:
    """``"40"`` or ``"40%"`` -> 0.4; anything else is left for validation to name."""
    try:
        number = float(text.removesuffix("%").strip())
    except ValueError:
        return text
    return round(number / 100, 6) if math.isfinite(number) else text


def _to_percent(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{100 * value:g}"
    return value


def form_values(data: Any) -> dict[str, Any]:
    """The values the form shows for ``data``: :func:`flatten`, percentages as typed."""
    values = flatten(data)
    for name in PERCENT_FIELDS & values.keys():
        values[name] = _to_percent(values[name])
    return values


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """``{'exams': {'step2ck': 250}}`` -> ``{'exams.step2ck': 250}`` (lists of values kept).

    Walks without recursion and keeps only the first MAX_DEPTH levels, so no input can
    exhaust the stack."""
    out: dict[str, Any] = {}
    stack: list[tuple[str, Any, int]] = [(prefix, data, 0)]
    while stack:
        name, node, level = stack.pop()
        if level > MAX_DEPTH:
            continue
        if isinstance(node, dict):
            stack.extend((f"{name}.{key}" if name else str(key), value, level + 1)
                         for key, value in reversed(list(node.items())))
        elif isinstance(node, list) and re.sub(r"\[\d+\]", "[]", name) not in LIST_FIELDS:
            stack.extend((f"{name}[{index}]", value, level + 1)
                         for index, value in reversed(list(enumerate(node))))
        else:
            out[name] = node
    return out


def slot_id(field: str) -> str:
    """An HTML id for the message slot of ``field`` (letters, digits and dashes only)."""
    return "err-" + re.sub(r"[^A-Za-z0-9]+", "-", field).strip("-")
