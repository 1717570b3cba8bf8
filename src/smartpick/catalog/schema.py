"""Database tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

``programs`` holds one typed column per catalog field (see :mod:`fields`), so search is
plain SQL. ``program_facts`` holds the provenance of each stored value: one row per
(program, field) with status, source, as-of date, method and, for requirements, whether the
rule is strict or preferred. A field with no fact row is unknown. ``as_of_status`` says
whether the date is the source's own or an estimate; ``note`` carries flags in words
("possibly outdated: ..."); ``conflict`` names another source's differing value while the two
are unresolved (the verdict is then ``unverified``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeEngine

from smartpick.catalog.fields import FIELDS, FieldType

metadata = MetaData()

_TYPES: dict[FieldType, type[TypeEngine[Any]]] = {
    "str": Text, "int": Integer, "float": Float, "bool": Boolean,
}

programs = Table(
    "programs",
    metadata,
    Column("program_id", String(16), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("merged_into", String(16), nullable=True, index=True),
    *(Column(f.name, _TYPES[f.type], nullable=True, index=f.name in {"specialty", "state"})
      for f in FIELDS),
)

program_facts = Table(
    "program_facts",
    metadata,
    Column("program_id", String(16), ForeignKey("programs.program_id", ondelete="CASCADE"),
           primary_key=True),
    Column("field", String(40), primary_key=True),
    Column("status", String(12), nullable=False),
    Column("source", Text, nullable=False, default=""),
    Column("as_of", String(32), nullable=False, default=""),
    Column("method", Text, nullable=False, default=""),
    Column("qualifier", String(12), nullable=True),
    Column("conflict", Text, nullable=True),  # differing values of other sources, if any
    # schema version 3: whether the date is a guess, and flags in words
    Column("as_of_status", String(12), nullable=True),  # "estimated", or NULL: the source's own
    Column("note", Text, nullable=True),  # e.g. "possibly outdated: the page names Step 2 CS"
)

quota_history = Table(
    "quota_history",
    metadata,
    Column("program_code", String(16), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("quota", Integer, nullable=False),
    Column("matched", Integer, nullable=False),
    Column("source", Text, nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("source_id", String(40), primary_key=True),
    Column("title", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("as_of", String(32), nullable=False),
    Column("licence", Text, nullable=False),
)

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", String(32), nullable=False),
)
