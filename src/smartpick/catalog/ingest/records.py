"""The in-memory shape of the ingest: program rows with one provenance entry per field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from smartpick.catalog.fields import FIELD_BY_NAME, Status


@dataclass(frozen=True)
class Source:
    """A data source as listed in ``data/catalog/sources.csv``."""

    source_id: str
    title: str
    url: str
    as_of: str
    licence: str


@dataclass
class FactRecord:
    status: Status
    source_id: str
    as_of: str
    method: str = ""
    conflict: str = ""  # the other sources' differing values, when sources disagree


@dataclass
class ProgramRecord:
    program_id: str
    kind: str
    merged_into: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, FactRecord] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)  # ingest-only clues (not written)

    def put(self, name: str, value: Any, fact: FactRecord) -> None:
        """Set a field value with its provenance; ``None`` values are not stored."""
        if name not in FIELD_BY_NAME:
            raise KeyError(name)
        if value is None or value == "":
            return
        self.values[name] = value
        self.facts[name] = fact
