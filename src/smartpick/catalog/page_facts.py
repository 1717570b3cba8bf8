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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, select, update

from smartpick.catalog import schema
from smartpick.catalog.fields import Status
from smartpick.catalog.importer import FactUpdate, known_program_ids, read_updates
from smartpick.errors import DataError, SmartPickError

NEWER_BY_YEARS = 1  # a source this many years newer than the other settles a disagreement


@dataclass
class PageFactsReport:
    """What the build did with the requirement files."""

    applied: dict[str, int] = field(default_factory=dict)  # file -> facts applied
    extracted_skipped: int = 0  # reader facts left out: a person read that page or field
    conflicts: int = 0  # facts kept with an unresolved disagreement
    resolved: int = 0  # disagreements settled by date


def apply_folder(conn: Connection, folder: Path) -> PageFactsReport:
    """Apply every ``*.csv`` of ``folder`` inside the caller's transaction."""
    report = PageFactsReport()
    if not folder.is_dir():
        return report
    known = known_program_ids(conn)
    files = [(path.name, _read(path, known)) for path in sorted(folder.glob("*.csv"))]
    read_pages = {u.source for _, ups in files for u in ups
                  if u.status is not Status.EXTRACTED and u.field == "requirements_url"}
    for name, updates in files:
        report.applied[name] = sum(_apply_read(conn, u, report) for u in updates
                                   if u.status is not Status.EXTRACTED)
    for name, updates in files:
        report.applied[name] += sum(_apply_extracted(conn, u, read_pages, report)
                                    for u in updates if u.status is Status.EXTRACTED)
    return report


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


def show(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)
