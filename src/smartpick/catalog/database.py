"""Engines and schema migrations for the catalog database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from smartpick.catalog import schema
from smartpick.errors import DataError
from smartpick.settings import Settings


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their folder created and foreign keys on."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True, pool_pre_ping=not url.startswith("sqlite"))
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    return make_engine(url)


def _v1(conn: Connection) -> None:
    schema.metadata.create_all(conn)


def _add_missing_columns(conn: Connection) -> None:
    """Add the columns the tables declare but the database lacks (all nullable)."""
    inspector = inspect(conn)
    for table in (schema.programs, schema.program_facts):
        have = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in have:
                kind = column.type.compile(dialect=conn.dialect)
                conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))


def _v2(conn: Connection) -> None:
    """Programs own their tracks; openness, newest positions, conflicts between sources."""
    _add_missing_columns(conn)


def _v3(conn: Connection) -> None:
    """program_facts: whether a fact's date is estimated, and notes (flags) in words."""
    _add_missing_columns(conn)


# Each migration brings the schema from version i to i + 1; append, never edit.
MIGRATIONS: list[Callable[[Connection], None]] = [_v1, _v2, _v3]
LATEST = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    found = conn.execute(select(schema.schema_version.c.version)).scalars().all()
    return max(found, default=0)


def migrate(settings: Settings) -> tuple[int, int]:
    """Bring the schema to the latest version; return (before, after)."""
    try:
        with engine_for(settings.database_url).begin() as conn:
            before = current_version(conn)
            for version in range(before, LATEST):
                MIGRATIONS[version](conn)
                conn.execute(schema.schema_version.insert().values(
                    version=version + 1, applied_at=datetime.now(UTC).isoformat()))
            return before, LATEST
    except OperationalError as err:
        raise DataError(f"cannot reach the database: {_redact(settings.database_url)} "
                        f"({err.orig})") from None
    except SQLAlchemyError as err:
        raise DataError(f"database error: {err}") from None


def _redact(url: str) -> str:
    """The URL without a password."""
    head, sep, tail = url.partition("@")
    if not sep or "://" not in head:
        return url
    scheme, _, creds = head.partition("://")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}@{tail}"
