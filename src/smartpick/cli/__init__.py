"""The ``smartpick`` command line: a thin layer over the library.

Each command group lives in its own module and is registered in :data:`COMMAND_MODULES`.
A command's module is imported only when that command runs (or help lists it), so
``smartpick programs`` does not pay for loading the model, the web app or the simulator.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, ClassVar

import click

from smartpick.errors import SmartPickError

# module path -> attribute holding a click command or group (its name is the command's name)
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
    ("smartpick.cli.batch", "batch"),
]


class SmartPickGroup(click.Group):
    """Loads commands lazily and turns every :class:`SmartPickError` into a clear message
    and exit status 2."""

    lazy: ClassVar[dict[str, tuple[str, str]]] = {
        attr: (module, attr) for module, attr in COMMAND_MODULES
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module_name, attr = self.lazy[cmd_name]
            command = getattr(importlib.import_module(module_name), attr)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

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


def load_all() -> dict[str, click.Command]:
    """Every command, imported (for documentation and tests)."""
    with click.Context(cli) as ctx:
        found = {name: cli.get_command(ctx, name) for name in cli.list_commands(ctx)}
    return {name: command for name, command in found.items() if command is not None}


def main() -> None:
    cli()
