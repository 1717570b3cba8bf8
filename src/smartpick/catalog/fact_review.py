"""Reviewing requirement facts: what waits for a person, and recording what they decide.

A fact waits for review when the automatic reader found it (``extracted``) or when another
source disagrees with it (an unresolved ``conflict``). A decision is added to the reviews file
(:mod:`smartpick.catalog.reviews`) and applied to the catalog at once, the same way
``smartpick db build`` applies it, so a rebuild gives the same result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, or_, select

from smartpick.catalog import schema
from smartpick.catalog.build import build, reset_field
from smartpick.catalog.database import engine_for
from smartpick.catalog.fields import PAGE_FIELDS, Status
from smartpick.catalog.importer import known_program_ids
from smartpick.catalog.page_facts import apply_folder
from smartpick.catalog.program import Fact
from smartpick.catalog.reviews import (
    Review,
    export_reviews,
    import_reviews,
    latest,
    make_review,
    read_reviews,
    record,
    reviews_path,
    show,
)
from smartpick.catalog.store import Catalog
from smartpick.errors import InputError, NotFoundError, ValidationProblem
from smartpick.settings import Settings


@dataclass(frozen=True)
class ReviewItem:
    """One requirement fact of one program, with the decisions taken on it."""

    program_id: str
    name: str
    specialty: str
    fact: Fact
    decisions: list[Review] = field(default_factory=list)

    @property
    def waiting(self) -> bool:
        return self.fact.status is Status.EXTRACTED or bool(self.fact.conflict)

    def to_dict(self) -> dict[str, Any]:
        return {"program_id": self.program_id, "name": self.name,
                "specialty": self.specialty, "field": self.fact.field,
                **self.fact.to_dict(), "waiting": self.waiting,
                "decisions": [d.to_dict() for d in self.decisions]}


def waiting(catalog: Catalog, data_dir: Path, specialty: str | None = None) -> list[ReviewItem]:
    """Requirement facts that are extracted or disputed, by program and field."""
    f = schema.program_facts
    disputed = f.c.conflict.is_not(None) & (f.c.conflict != "")
    stmt = select(f.c.program_id, f.c.field).where(
        f.c.field.in_(PAGE_FIELDS), or_(f.c.status == Status.EXTRACTED.value, disputed))
    with catalog.engine.connect() as conn:
        keys = [(str(p), str(n)) for p, n in conn.execute(stmt)]
    items = _items(catalog, data_dir, keys)
    if specialty:
        items = [i for i in items if i.specialty.lower() == specialty.strip().lower()]
    return items


def _items(catalog: Catalog, data_dir: Path, keys: list[tuple[str, str]]) -> list[ReviewItem]:
    history = read_reviews(reviews_path(data_dir))
    programs = {p.program_id: p for p in catalog.get_many({k[0] for k in keys})}
    order = {name: i for i, name in enumerate(PAGE_FIELDS)}
    out = []
    for program_id, name in sorted(keys, key=lambda k: (k[0], order.get(k[1], 99))):
        program = programs[program_id]
        out.append(ReviewItem(program_id, str(program.value("name") or ""),
                              str(program.value("specialty") or ""), program.fact(name),
                              [r for r in history if r.program_id == program_id
                               and r.field == name]))
    return out


def item(catalog: Catalog, data_dir: Path, program_id: str, name: str) -> ReviewItem:
    """One fact with its decisions (NotFoundError for an unknown program or field)."""
    if name not in PAGE_FIELDS:
        raise InputError("not a requirement field", [ValidationProblem(
            "field", f"expected one of {', '.join(PAGE_FIELDS)}, got {name!r}")])
    catalog.get(program_id)
    return _items(catalog, data_dir, [(program_id, name)])[0]


def decide(settings: Settings, catalog: Catalog, program_id: str, name: str, decision: str,
           reviewer: str, value: Any = None, qualifier: str = "", note: str = "",
           source: str = "") -> Review:
    """Record a decision on the current fact and apply it to the catalog."""
    current = item(catalog, settings.data_dir, program_id, name).fact
    if not current.known and not source:
        raise NotFoundError(f"{program_id} has no {name} fact to {decision}; give the page "
                            "it was read from to record a value")
    if decision == "accept" or (decision == "reject" and value is None):
        value = current.value
    with catalog.engine.connect() as conn:
        known = known_program_ids(conn)
    review = make_review(program_id, name, source or current.source, decision, value, reviewer,
                         note, qualifier, known_ids=known)
    record(settings.data_dir, review)
    with engine_for(settings.database_url).begin() as conn:
        refresh(conn, settings.data_dir, program_id, name)
    return review


def refresh(conn: Connection, data_dir: Path, program_id: str, name: str) -> None:
    """Recompute one fact from the shipped files and the decisions, as a build would."""
    reset_field(conn, data_dir, program_id, name)
    apply_folder(conn, data_dir / "requirements", latest(read_reviews(reviews_path(data_dir))),
                 only=(program_id, name))


def import_file(settings: Settings, catalog: Catalog, path: Path) -> int:
    """Merge a shared reviews file (all or nothing), then rebuild; return decisions added."""
    with catalog.engine.connect() as conn:
        known = known_program_ids(conn)
    added = import_reviews(settings.data_dir, path, known)
    if added:
        build(settings)
    return added


def export_file(settings: Settings, path: Path) -> int:
    return export_reviews(settings.data_dir, path)


__all__ = ["Catalog", "ReviewItem", "Settings", "decide", "export_file", "import_file", "item",
           "refresh", "reviews_path", "show", "waiting"]
