"""The ``smartpick`` command line: a thin layer over the library.

Each command group lives in its own module and is registered in :data:`COMMAND_MODULES`
with its one-line help. A command's module is imported only when that command runs, so
``smartpick --help`` lists every command without importing any of them (it starts in a
fraction of a second), and ``smartpick programs`` does not pay for loading the model, the web
app or the simulator.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

import click

from smartpick.errors import SmartPickError

# module path, attribute holding a click command or group (its name is the command's name),
# and the command's one-line help (a test checks it against the command's own)
COMMAND_MODULES: list[tuple[str, str, str]] = [
    ("smartpick.cli.db", "db", "Create, build and inspect the program catalog database."),
    ("smartpick.cli.programs", "programs",
     "Search the program catalog (`programs show ID` for one program)."),
    ("smartpick.cli.serve", "serve",
     "Serve the web app and the JSON API (OpenAPI at /openapi.json)."),
    ("smartpick.cli.applicant", "usce",
     "The USCE ledger of PROFILE (YAML or JSON) with its metrics."),
    ("smartpick.cli.check", "check",
     "Eligibility of PROFILE for programs: eligible, ineligible or unverified, with reasons."),
    ("smartpick.cli.facts", "facts",
     "Review requirement facts: list, show, accept, reject, correct, export, import."),
    ("smartpick.cli.extract", "extract",
     "Print the requirements stated in FILE (or '-' for standard input) as JSON."),
    ("smartpick.cli.market", "simulate",
     "Simulate the NRMP Main Match on a synthetic national market."),
    ("smartpick.cli.match", "match",
     "Run the Match on MARKET_FILE (YAML or JSON): singles, couples, supplemental lists."),
    ("smartpick.cli.calibrate", "calibrate",
     "Refit the interview and match model (seeded) and write docs/calibration.md."),
    ("smartpick.cli.plan", "plan",
     "The optimised application list for PROFILE under the season's ERAS fees."),
    ("smartpick.cli.batch", "batch",
     "Plan a cohort: PROFILES is a folder of profile files, a CSV (one row per applicant, "
     "columns in docs/profile.md) or a JSONL file (one profile per line)."),
]


class SmartPickGroup(click.Group):
    """Loads commands lazily and turns every :class:`SmartPickError` into a clear message
    and exit status 2."""

    lazy: ClassVar[dict[str, tuple[str, str]]] = {
        attr: (module, attr) for module, attr, _ in COMMAND_MODULES
    }
    command_help: ClassVar[dict[str, str]] = {attr: text for _, attr, text in COMMAND_MODULES}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module_name, attr = self.lazy[cmd_name]
            command = getattr(importlib.import_module(module_name), attr)
            _ask_for_catalog(cmd_name, command)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from :data:`COMMAND_MODULES`, importing no command module."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max((len(n) for n in names), default=0)
        rows = [(name, _shorten(self.command_help[name], limit)
                 if name in self.command_help else self._loaded_help(ctx, name, limit))
                for name in names]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def _loaded_help(self, ctx: click.Context, name: str, limit: int) -> str:
        command = self.get_command(ctx, name)
        return command.get_short_help_str(limit) if command is not None else ""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SmartPickError as err:
            for line in err.lines():
                click.echo(f"error: {line}" if line == err.message else line, err=True)
            sys.exit(2)


def _shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to fit ``limit`` characters, as click shortens help."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 3, 1)].rsplit(" ", 1)[0].rstrip(",;:") + "..."


def _ask_for_catalog(name: str, command: click.Command) -> None:
    """Commands that read the catalog without asking for it get it built first."""
    from smartpick.cli.catalog import NEEDS_CATALOG

    if name not in NEEDS_CATALOG or command.callback is None:
        return
    callback: Callable[..., Any] = command.callback

    @functools.wraps(callback)
    def with_catalog(*args: Any, **kwargs: Any) -> Any:
        from smartpick.cli.catalog import require_catalog

        require_catalog()
        return callback(*args, **kwargs)

    command.callback = with_catalog


def _set_today(_ctx: click.Context, _param: click.Parameter, value: datetime | None) -> None:
    if value is not None:
        from smartpick.settings import TODAY_ENV

        os.environ[TODAY_ENV] = value.date().isoformat()


@click.group(cls=SmartPickGroup)
@click.version_option(package_name="smartpick")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="YYYY-MM-DD", callback=_set_today, expose_value=False, is_eager=True,
              help="Take this date (YYYY-MM-DD) as today; it decides the default season "
                   "(also SMARTPICK_TODAY).")
def cli() -> None:
    """SmartPick: a calibrated, budget-aware residency application list."""


def load_all() -> dict[str, click.Command]:
    """Every command, imported (for documentation and tests)."""
    with click.Context(cli) as ctx:
        found = {name: cli.get_command(ctx, name) for name in cli.list_commands(ctx)}
    return {name: command for name, command in found.items() if command is not None}


# One BLAS thread per process: a plan's matrix products are small, and on a busy machine
# BLAS threads spinning for cores cost several times the work itself. Set before NumPy loads.
SINGLE_THREADED_BLAS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def main() -> None:
    for name in SINGLE_THREADED_BLAS:
        os.environ.setdefault(name, "1")
    cli()
