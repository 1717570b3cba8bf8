"""A program as the rest of SmartPick sees it: values with their provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from smartpick.catalog.fields import FIELD_BY_NAME, FIELDS, UNRESOLVED, Qualifier, Status


@dataclass(frozen=True)
class Fact:
    """One field value of one program, with where it comes from."""

    field: str
    value: Any
    status: Status
    source: str = ""
    as_of: str = ""  # ISO date (YYYY-MM-DD) or year-month, as precise as the source
    method: str = ""  # how a derived/estimated value was obtained
    qualifier: Qualifier | None = None  # requirement fields: strict or preferred
    conflict: str = ""  # other sources' differing values ("" when the sources agree)
    as_of_status: str = ""  # "estimated" when the date is a guess; "" = the source's own date
    note: str = ""  # flags in words, e.g. "possibly outdated: the page names Step 2 CS"

    @property
    def disputed(self) -> bool:
        """Sources disagree on this value and neither is clearly newer."""
        return self.conflict.startswith(UNRESOLVED)

    @property
    def known(self) -> bool:
        return self.status is not Status.UNKNOWN and self.value is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "status": self.status.value,
            "source": self.source or None,
            "as_of": self.as_of or None,
            "method": self.method or None,
            "qualifier": self.qualifier.value if self.qualifier else None,
            "as_of_status": self.as_of_status or None,
            "note": self.note or None,
            "conflict": self.conflict or None,
        }


def unknown(name: str) -> Fact:
    return Fact(field=name, value=None, status=Status.UNKNOWN)


@dataclass
class Program:
    """A program (or NRMP track) of the catalog.

    ``program_id`` is the NRMP program code (9 characters, e.g. ``1102140C0``) for NRMP
    tracks, or the 10-digit ACGME id for programs known from the program survey.
    """

    program_id: str
    kind: str  # "acgme_program" or "nrmp_track"
    facts: dict[str, Fact] = field(default_factory=dict)
    merged_into: str | None = None  # an NRMP track whose data lives on a survey program

    def fact(self, name: str) -> Fact:
        if name not in FIELD_BY_NAME:
            raise KeyError(f"unknown field {name!r}")
        return self.facts.get(name) or unknown(name)

    def value(self, name: str) -> Any:
        return self.fact(name).value

    def __getitem__(self, name: str) -> Any:
        return self.value(name)

    def to_dict(self) -> dict[str, Any]:
        """Every field with its provenance, unknown ones included."""
        return {
            "program_id": self.program_id,
            "kind": self.kind,
            "merged_into": self.merged_into,
            "fields": {spec.name: self.fact(spec.name).to_dict() for spec in FIELDS},
        }

    def flat(self) -> dict[str, Any]:
        """Plain values only (for tables and CSV)."""
        row: dict[str, Any] = {"program_id": self.program_id, "kind": self.kind}
        row.update({spec.name: self.value(spec.name) for spec in FIELDS})
        return row


TRACK_TYPES = {"C": "Categorical", "M": "Primary", "P": "Preliminary", "A": "Advanced",
               "R": "Reserved (physician)"}


def track_summary(track: Program) -> dict[str, Any]:
    """One NRMP track of a program as its page and the API list it: code, type, title,
    positions with their year, and the rule that linked it."""
    name = str(track["name"] or "")
    return {"program_id": track.program_id, "track": track["track"],
            "track_type": TRACK_TYPES.get(str(track["track"] or ""), track["track"]),
            "title": name.split(": ", 1)[-1], "specialty": track["specialty"],
            "positions": track["positions"], "positions_year": track["positions_year"],
            "positions_source": track.fact("positions").source or None,
            "link_rule": track["link_rule"],
            "link_method": track.fact("link_rule").method or None}
