"""Requirement facts from programs' pages, applied when the catalog is built.

The files under ``data/requirements/`` (import format) are applied in two passes:

1. Facts read by a person (any status but ``extracted``). Where the catalog already holds the
   field from another source with a different value, the two are compared by date: a source
   whose own date is at least a year newer wins, and the other's value is kept in the
   winner's note; otherwise the page's value is kept with the other value as an unresolved
   ``conflict`` (the verdict is then ``unverified``, naming both). A value inferred by
   SmartPick (``derived``/``estimated``) gives way to a value read from the page.
2. Facts from the automatic reader (status ``extracted``) fill only what no one read: never a
   field of a page read by hand (that reading covers the whole page, silences included), and
   never a field the catalog already holds.

An advisor's decision on a fact (:mod:`smartpick.catalog.reviews`, keyed by program, field and
page) takes the place of that fact in either pass: an accepted or corrected value is applied
as ``reported`` with the decision in its method, whatever the file now says, and settles a
disagreement; a rejected one is left out. A decision whose fact is no longer in the files is
still applied (a person read that page).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, select, update

from smartpick.catalog import schema
from smartpick.catalog.fields import Status
from smartpick.catalog.importer import FactUpdate, known_program_ids, read_updates
from smartpick.catalog.reviews import Key, Review, show
from smartpick.errors import DataError, SmartPickError

NEWER_BY_YEARS = 1  # a source this many years newer than the other settles a disagreement


@dataclass
class PageFactsReport:
    """What the build did with the requirement files."""

    applied: dict[str, int] = field(default_factory=dict)  # file -> facts applied
    extracted_skipped: int = 0  # reader facts left out: a person read that page or field
    conflicts: int = 0  # facts kept with an unresolved disagreement
    resolved: int = 0  # disagreements settled by date
    reviewed: int = 0  # advisors' decisions applied


def apply_folder(conn: Connection, folder: Path, reviews: Mapping[Key, Review] | None = None,
                 only: tuple[str, str] | None = None) -> PageFactsReport:
    """Apply every ``*.csv`` of ``folder`` and the decisions inside the caller's transaction.

    ``only`` = (program id, field) limits the work to that one fact (its base value must be in
    place already).
    """
    report = PageFactsReport()
    known = known_program_ids(conn)
    files = [(path.name, _read(path, known)) for path in sorted(folder.glob("*.csv"))] \
        if folder.is_dir() else []
    decided = {k: r for k, r in (reviews or {}).items() if k[0] in known}
    read_pages = {u.source for _, ups in files for u in ups
                  if u.status is not Status.EXTRACTED and u.field == "requirements_url"}
    if only is not None:
        files = [(n, [u for u in ups if (u.program_id, u.field) == only]) for n, ups in files]
        decided = {k: r for k, r in decided.items() if k[:2] == only}
    used: set[Key] = set()
    for name, updates in files:
        report.applied[name] = sum(_apply(conn, u, decided, used, report, None)
                                   for u in updates if u.status is not Status.EXTRACTED)
    for name, updates in files:
        report.applied[name] += sum(_apply(conn, u, decided, used, report, read_pages)
                                    for u in updates if u.status is Status.EXTRACTED)
    for key in sorted(set(decided) - used):
        _apply_decision_alone(conn, decided[key], report)
    return report


def _key(u: FactUpdate) -> Key:
    return (u.program_id, u.field, u.source)


def _apply(conn: Connection, u: FactUpdate, decided: Mapping[Key, Review], used: set[Key],
           report: PageFactsReport, read_pages: set[str] | None) -> int:
    """One fact: its decision if there is one, else the rules of its pass."""
    review = decided.get(_key(u))
    if review is not None:
        used.add(review.key)
        return _apply_reviewed(conn, u, review, report)
    if read_pages is None:
        return _apply_read(conn, u, report)
    return _apply_extracted(conn, u, read_pages, report)


def _read(path: Path, known: set[str]) -> list[FactUpdate]:
    try:
        return read_updates(path, known)
    except SmartPickError as err:
        raise DataError(f"shipped file {path} is invalid", err.problems) from None


@dataclass(frozen=True)
class _Held:
    value: Any
    status: str
    source: str
    as_of: str
    as_of_status: str
    note: str


def held(conn: Connection, program_id: str, name: str) -> _Held | None:
    """The catalog's current value and provenance for one field, if any."""
    f, p = schema.program_facts, schema.programs
    row = conn.execute(select(f).where(f.c.program_id == program_id, f.c.field == name)).first()
    if row is None:
        return None
    value = conn.execute(select(p.c[name]).where(p.c.program_id == program_id)).scalar()
    return _Held(value, row.status, row.source, row.as_of, row.as_of_status or "",
                 row.note or "")


def _apply_read(conn: Connection, u: FactUpdate, report: PageFactsReport) -> int:
    other = held(conn, u.program_id, u.field)
    if other is None or other.source == u.source or other.value == u.value:
        write(conn, u)
        return 1
    said = f"{other.source} ({other.as_of}) gives {show(other.value)} ({other.status})"
    if other.status != Status.REPORTED.value:
        write(conn, u, note=_join(u.note, f"replaces: {said}"))
        report.resolved += 1
        return 1
    if _newer(u.as_of, u.as_of_status, other):
        write(conn, u, note=_join(u.note, f"newer than: {said}"))
        report.resolved += 1
        return 1
    if _newer(other.as_of, other.as_of_status, _held_of(u)):
        page = f"newer than: {u.source} ({u.as_of}) gives {show(u.value)} ({u.status.value})"
        conn.execute(update(schema.program_facts).where(
            schema.program_facts.c.program_id == u.program_id,
            schema.program_facts.c.field == u.field).values(note=_join(other.note, page)))
        report.resolved += 1
        return 0
    write(conn, u, conflict=said)
    report.conflicts += 1
    return 1


def _apply_reviewed(conn: Connection, u: FactUpdate, review: Review,
                    report: PageFactsReport) -> int:
    """The decision stands for the fact, whatever the file now says."""
    report.reviewed += 1
    if not review.keeps_value:
        return 0
    other = held(conn, u.program_id, u.field)
    note = u.note
    if other is not None and other.source != u.source and other.value != review.value:
        note = _join(note, f"differs from: {other.source} ({other.as_of}) gives "
                           f"{show(other.value)} ({other.status}); settled by review")
    write(conn, replace(u, value=review.value, status=Status.REPORTED,
                        qualifier=review.qualifier or u.qualifier,
                        method=_join(u.method, review.method())), note=note)
    return 1


def _apply_decision_alone(conn: Connection, review: Review, report: PageFactsReport) -> None:
    """A decision on a fact the files no longer hold: what the person read on the page."""
    report.reviewed += 1
    if review.keeps_value:
        write(conn, FactUpdate(review.program_id, review.field, review.value, Status.REPORTED,
                               review.source, review.decided_at[:10], review.qualifier,
                               _join("read from the program's page", review.method())))


def _apply_extracted(conn: Connection, u: FactUpdate, read_pages: set[str],
                     report: PageFactsReport) -> int:
    if u.source in read_pages or held(conn, u.program_id, u.field) is not None:
        report.extracted_skipped += 1
        return 0
    write(conn, u)
    return 1


def _held_of(u: FactUpdate) -> _Held:
    return _Held(u.value, u.status.value, u.source, u.as_of, u.as_of_status, u.note)


def _newer(as_of: str, as_of_status: str, other: _Held) -> bool:
    """True when a date of the source's own is at least NEWER_BY_YEARS after ``other``'s."""
    if as_of_status or other.as_of_status or not as_of or not other.as_of:
        return False
    return int(as_of[:4]) - int(other.as_of[:4]) >= NEWER_BY_YEARS


def write(conn: Connection, u: FactUpdate, note: str | None = None,
          conflict: str = "") -> None:
    """Set one field's value and its provenance (replacing what was there)."""
    p, f = schema.programs, schema.program_facts
    conn.execute(update(p).where(p.c.program_id == u.program_id).values({u.field: u.value}))
    conn.execute(delete(f).where(f.c.program_id == u.program_id, f.c.field == u.field))
    if u.status is Status.UNKNOWN:
        return
    conn.execute(f.insert().values(
        program_id=u.program_id, field=u.field, status=u.status.value, source=u.source,
        as_of=u.as_of, method=u.method, qualifier=u.qualifier.value if u.qualifier else None,
        as_of_status=u.as_of_status or None, note=(u.note if note is None else note) or None,
        conflict=conflict or None))


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)
