"""A program's requirements, read from its catalog facts.

Each known requirement carries its value (normalised), whether it is ``strict`` (a cutoff) or
``preferred`` (a stated preference), and where it comes from. A field no source gives is absent
from :class:`Requirements`: unknown is a value of its own, never a silent default.

Strictness: the fact's qualifier when the catalog has one; otherwise strict, except where the
value itself says preferred (``usce_required: preferred``, ``step3_required: preferred``).

Trust: only a requirement that is ``reported`` (a program or official body said it, or a person
read it on the program's page), with no unresolved conflict, can exclude an applicant; so can
an ``extracted`` one from a reader path listed in :data:`PROVEN_READER_METHODS` (a path shown
to reach at least 0.97 precision on text it was not developed on; none is listed yet). Any
other requirement the applicant fails makes the program ``unverified``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from smartpick.catalog.fields import (
    FIELD_BY_NAME,
    OLDER,
    PAGE_FIELDS,
    REQUIREMENT_FIELDS,
    Qualifier,
    coerce,
)
from smartpick.catalog.program import Fact, Program


class Strictness(StrEnum):
    STRICT = "strict"
    PREFERRED = "preferred"


YES, NO, FOR_H1B = "yes", "no", "for_h1b"
EXCLUDING_STATUSES = frozenset({"reported"})
# reader methods proven >= 0.97 precision on unseen text; their extracted facts may exclude
PROVEN_READER_METHODS: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Requirement:
    """One known requirement of one program."""

    field: str
    value: Any
    strictness: Strictness
    source: str = ""
    as_of: str = ""
    status: str = "reported"
    method: str = ""
    conflict: str = ""  # another source's differing value, unresolved
    as_of_status: str = ""  # "estimated" when the date is a guess
    note: str = ""  # flags in words ("possibly outdated: ...")

    @property
    def strict(self) -> bool:
        return self.strictness is Strictness.STRICT

    @property
    def can_exclude(self) -> bool:
        """True when failing this rule may exclude: a trusted status and no open conflict.

        Only facts a program's page states are held to this; whether a program is open at all
        (``open_status``) is the catalog's own rule and excludes as the catalog states it.
        """
        if self.field not in PAGE_FIELDS:
            return True
        if self.conflict:
            return False
        return self.status in EXCLUDING_STATUSES or (
            self.status == "extracted" and self.method in PROVEN_READER_METHODS)

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "value": self.value, "strictness": self.strictness.value,
                "source": self.source or None, "as_of": self.as_of or None,
                "as_of_status": self.as_of_status or None, "status": self.status,
                "conflict": self.conflict or None, "note": self.note or None}


@dataclass(frozen=True)
class Requirements:
    """The known requirements of a program, by catalog field name."""

    program_id: str
    items: dict[str, Requirement] = field(default_factory=dict)
    unreadable: dict[str, Any] = field(default_factory=dict)  # values we could not interpret

    def get(self, name: str) -> Requirement | None:
        return self.items.get(name)

    def value(self, name: str) -> Any:
        req = self.items.get(name)
        return None if req is None else req.value

    def to_dict(self) -> dict[str, Any]:
        return {"program_id": self.program_id,
                "requirements": {k: r.to_dict() for k, r in self.items.items()},
                "unreadable": self.unreadable}


def requirements_of(program: Program) -> Requirements:
    """The requirement model of ``program`` built from its facts."""
    items: dict[str, Requirement] = {}
    unreadable: dict[str, Any] = {}
    for name in REQUIREMENT_FIELDS:
        fact = program.fact(name)
        if not fact.known:
            continue
        try:
            value, preferred = _normalise(name, fact.value)
        except ValueError:
            unreadable[name] = fact.value
            continue
        items[name] = Requirement(name, value, _strictness(fact, preferred),
                                  fact.source, fact.as_of, fact.status.value, fact.method,
                                  _open_conflict(fact.conflict), fact.as_of_status, fact.note)
    return Requirements(program.program_id, items, unreadable)


def _open_conflict(conflict: str) -> str:
    """A disagreement settled by a clearly newer source (``older: ...``) is no conflict."""
    return "" if conflict.startswith(OLDER) else conflict


def _strictness(fact: Fact, value_says_preferred: bool) -> Strictness:
    if fact.qualifier is Qualifier.PREFERRED or value_says_preferred:
        return Strictness.PREFERRED
    return Strictness.STRICT


def _normalise(name: str, raw: Any) -> tuple[Any, bool]:
    """(value, the value itself says 'preferred'); ValueError when unreadable."""
    if name == "usce_required":
        return _yes_no_preferred(raw)
    if name == "step3_required":
        return _step3(raw)
    if name == "ecfmg_required_by":
        return str(raw).strip(), False
    return coerce(FIELD_BY_NAME[name], raw), False


def _yes_no_preferred(raw: Any) -> tuple[str, bool]:
    if isinstance(raw, bool):
        return (YES if raw else NO), False
    text = str(raw).strip().lower()
    if text in {"yes", "required", "true"}:
        return YES, False
    if text in {"no", "not required", "false"}:
        return NO, False
    if text.startswith("prefer"):
        return YES, True
    raise ValueError(f"expected yes / no / preferred, got {raw!r}")


def _step3(raw: Any) -> tuple[str, bool]:
    text = str(raw).strip().lower().replace("-", "").replace(" ", "")
    if "h1b" in text:
        return FOR_H1B, False
    return _yes_no_preferred(raw)
