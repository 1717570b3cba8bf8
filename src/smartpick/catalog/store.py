"""Read access to the catalog database: programs with their provenance, search, status."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Engine, Row, func, select
from sqlalchemy.exc import SQLAlchemyError

from smartpick.catalog import schema
from smartpick.catalog.database import LATEST, current_version, engine_for
from smartpick.catalog.fields import FIELDS, Qualifier, Status
from smartpick.catalog.program import Fact, Program
from smartpick.catalog.search import ProgramQuery
from smartpick.errors import DataError, NotFoundError
from smartpick.settings import Settings

_IN_CHUNK = 900  # stay under SQLite's bound-parameter limit


@dataclass(frozen=True)
class FieldCoverage:
    field: str
    counts: dict[str, int]  # status -> number of programs


@dataclass(frozen=True)
class LinkSummary:
    linked: dict[str, int]  # rule -> tracks joined to a program by it
    unlinked: dict[str, int]  # reason -> tracks left as their own entry
    examples: dict[str, list[str]]  # reason -> a few such tracks

    def to_dict(self) -> dict[str, Any]:
        return {"linked": self.linked, "unlinked": self.unlinked, "examples": self.examples}


class Catalog:
    """The program catalog in a database (SQLite file or PostgreSQL)."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def ensure_built(self) -> None:
        with self.engine.connect() as conn:
            if current_version(conn) < LATEST or not conn.execute(
                    select(func.count()).select_from(schema.programs)).scalar():
                raise DataError("the catalog is empty or out of date: run `smartpick db build`")

    def get(self, program_id: str) -> Program:
        found = self._load([schema.programs.c.program_id == program_id.strip()])
        if not found:
            raise NotFoundError(f"no program with id {program_id!r}")
        return found[0]

    def get_many(self, program_ids: Iterable[str]) -> list[Program]:
        ids = sorted(set(program_ids))
        out: list[Program] = []
        for start in range(0, len(ids), _IN_CHUNK):
            out.extend(self._load([schema.programs.c.program_id.in_(ids[start:start + _IN_CHUNK])]))
        return out

    def search(self, query: ProgramQuery) -> list[Program]:
        q = query.validated()
        return self._load(q.conditions(), q.limit, q.offset)

    def count(self, query: ProgramQuery) -> int:
        q = query.validated()
        stmt = select(func.count()).select_from(schema.programs).where(*q.conditions())
        with self.engine.connect() as conn:
            return int(conn.execute(stmt).scalar() or 0)

    def _load(self, where: Sequence[ColumnElement[bool]], limit: int | None = None,
              offset: int = 0) -> list[Program]:
        p = schema.programs
        stmt = select(p).where(*where).order_by(p.c.state, p.c.name, p.c.program_id)
        if limit is not None:
            stmt = stmt.limit(limit)
        if offset:
            stmt = stmt.offset(offset)
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(stmt).all()
                facts = self._facts(conn, [r.program_id for r in rows])
        except SQLAlchemyError as err:
            raise DataError(f"cannot read the catalog ({type(err).__name__}); "
                            "run `smartpick db build`") from None
        return [_program(row, facts.get(row.program_id, {})) for row in rows]

    def _facts(self, conn: Any, ids: list[str]) -> dict[str, dict[str, Row[Any]]]:
        f = schema.program_facts
        found: dict[str, dict[str, Row[Any]]] = defaultdict(dict)
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = ids[start:start + _IN_CHUNK]
            for row in conn.execute(select(f).where(f.c.program_id.in_(chunk))):
                found[row.program_id][row.field] = row
        return found

    def specialty_counts(self) -> dict[str, int]:
        p = schema.programs
        stmt = select(p.c.specialty, func.count()).group_by(p.c.specialty)
        with self.engine.connect() as conn:
            return {str(s): int(n) for s, n in conn.execute(stmt)}

    def coverage(self, specialty: str | None = None) -> list[FieldCoverage]:
        """For each field, how many programs hold it under each status (unknown included).

        With ``specialty``, only that specialty's listed programs (merged tracks left out).
        """
        f, p = schema.program_facts, schema.programs
        where = ProgramQuery(specialty=specialty).validated().conditions() if specialty else []
        ids = select(p.c.program_id).where(*where)
        with self.engine.connect() as conn:
            total = int(conn.execute(select(func.count()).select_from(p).where(*where)).scalar()
                        or 0)
            rows = conn.execute(select(f.c.field, f.c.status, func.count())
                                .where(f.c.program_id.in_(ids))
                                .group_by(f.c.field, f.c.status)).all()
        by_field: dict[str, Counter[str]] = defaultdict(Counter)
        for name, status, n in rows:
            by_field[name][status] += int(n)
        out = []
        for spec in FIELDS:
            counts = {s.value: by_field[spec.name].get(s.value, 0) for s in Status}
            counts[Status.UNKNOWN.value] = total - sum(counts.values())
            out.append(FieldCoverage(spec.name, counts))
        return out

    def tracks_of(self, program_id: str) -> list[Program]:
        """The NRMP tracks a program holds (categorical, primary, preliminary, ...)."""
        return self._load([schema.programs.c.merged_into == program_id.strip()])

    def link_report(self) -> LinkSummary:
        """How the NRMP tracks joined their programs: counts by rule, and the tracks left
        alone, by reason, with a few examples."""
        p = schema.programs
        stmt = select(p.c.program_id, p.c.name, p.c.link_rule).where(
            p.c.link_rule.is_not(None)).order_by(p.c.program_id)
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        linked: Counter[str] = Counter()
        unlinked: Counter[str] = Counter()
        examples: dict[str, list[str]] = defaultdict(list)
        for program_id, name, rule in rows:
            if rule.startswith("unlinked:"):
                reason = rule.removeprefix("unlinked:")
                unlinked[reason] += 1
                if len(examples[reason]) < 3:
                    examples[reason].append(f"{program_id} {name}")
            else:
                linked[rule] += 1
        return LinkSummary(dict(sorted(linked.items())), dict(sorted(unlinked.items())),
                           dict(sorted(examples.items())))

    def fact_statuses(self) -> dict[str, int]:
        """Facts by status, with the number holding a conflict between sources."""
        f = schema.program_facts
        with self.engine.connect() as conn:
            out = {str(s): int(n) for s, n in conn.execute(
                select(f.c.status, func.count()).group_by(f.c.status))}
            out["conflict"] = int(conn.execute(select(func.count()).select_from(f).where(
                f.c.conflict.is_not(None), f.c.conflict != "")).scalar() or 0)
            out["undated"] = int(conn.execute(select(func.count()).select_from(f).where(
                f.c.as_of == "")).scalar() or 0)
        return out

    def quota_history(self, program_code: str) -> list[tuple[int, int, int]]:
        q = schema.quota_history
        stmt = select(q.c.year, q.c.quota, q.c.matched).where(
            q.c.program_code == program_code).order_by(q.c.year)
        with self.engine.connect() as conn:
            return [(int(y), int(a), int(b)) for y, a, b in conn.execute(stmt)]


def _program(row: Row[Any], facts: dict[str, Row[Any]]) -> Program:
    values = row._mapping
    built: dict[str, Fact] = {}
    for spec in FIELDS:
        value = values[spec.name]
        meta = facts.get(spec.name)
        if value is None or meta is None:
            continue
        qualifier = Qualifier(meta.qualifier) if meta.qualifier else None
        built[spec.name] = Fact(spec.name, value, Status(meta.status), meta.source, meta.as_of,
                                meta.method, qualifier, meta.conflict or "",
                                meta.as_of_status or "", meta.note or "")
    return Program(program_id=values["program_id"], kind=values["kind"], facts=built,
                   merged_into=values["merged_into"])


def open_catalog(settings: Settings) -> Catalog:
    """The catalog at ``settings.database_url`` (the faces read the settings)."""
    return Catalog(engine_for(settings.database_url))
