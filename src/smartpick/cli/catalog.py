"""The catalog a command needs, from any folder.

The catalog lives in ``$SMARTPICK_HOME`` (default: a per-user data folder, see
:mod:`smartpick.settings`). A command that needs it and finds no SQLite file there builds it
from the shipped data (a few seconds, said on stderr); a file that is empty or out of date is
never used silently: the error names the file and the command that rebuilds it. No command
leaves an empty database file behind.
"""

from __future__ import annotations

import click

from smartpick.errors import DataError, SmartPickError, ValidationProblem
from smartpick.settings import Settings, load_settings

# commands that read the catalog and do not ask for it themselves: the group asks first
NEEDS_CATALOG = frozenset({"programs", "serve"})


def require_catalog(settings: Settings | None = None) -> None:
    """Make sure the configured catalog is built, building a missing SQLite file."""
    settings = settings or load_settings()
    path = settings.sqlite_path
    if path is not None and (not path.is_file() or path.stat().st_size == 0):
        _build(settings)
        return
    from smartpick.catalog.store import open_catalog

    try:
        open_catalog(settings).ensure_built()
    except DataError:
        where = f"at {path}" if path is not None else "in the configured database"
        raise DataError(f"the catalog {where} is empty or out of date", [_rebuild_hint()]) \
            from None


def _build(settings: Settings) -> None:
    from smartpick.catalog.build import build

    path = settings.sqlite_path
    click.echo(f"No catalog at {path} yet: building it from the shipped data "
               "(`smartpick db build`; set SMARTPICK_HOME to keep it elsewhere)...", err=True)
    try:
        report = build(settings)
    except SmartPickError:
        if path is not None and path.is_file() and path.stat().st_size == 0:
            path.unlink()
        raise
    click.echo(f"catalog built: {report.programs} programs", err=True)


def _rebuild_hint() -> ValidationProblem:
    return ValidationProblem("catalog", "run `smartpick db build` to rebuild it "
                             "(SMARTPICK_HOME chooses its folder)")
