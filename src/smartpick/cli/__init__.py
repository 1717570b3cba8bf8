"""The ``smartpick`` command line: a thin layer over the library.

Each command group lives in its own module and is registered in :data:`COMMAND_MODULES`.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from smartpick.errors import SmartPickError

# module path -> attribute holding a click command or group
COMMAND_MODULES: list[tuple[str, str]] = [
    ("smartpick.cli.db", "db"),
    ("smartpick.cli.programs", "programs"),
    ("smartpick.cli.serve", "serve"),
    ("smartpick.cli.applicant", "usce"),
    ("smartpick.cli.check", "check"),
    ("smartpick.cli.extract", "extract"),
    ("smartpick.cli.market", "simulate"),
    ("smartpick.cli.calibrate", "calibrate"),
    ("smartpick.cli.plan", "plan"),
]


class SmartPickGroup(click.Group):
    """Turns every :class:`SmartPickError` into a clear message and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SmartPickError as err:
            for line in err.lines():
                click.echo(f"error: {line}" if line == err.message else line, err=True)
            sys.exit(2)


@click.group(cls=SmartPickGroup)
@click.version_option(package_name="smartpick")
def cli() -> None:
    """SmartPick: a calibrated, budget-aware residency application list."""


def _register() -> None:
    for module_name, attr in COMMAND_MODULES:
        module = importlib.import_module(module_name)
        cli.add_command(getattr(module, attr))


_register()


def main() -> None:
    cli()
