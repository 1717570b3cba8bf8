"""``smartpick demo``: show what SmartPick does, on the real catalog."""

from __future__ import annotations

from statistics import median

import click

from smartpick.catalog.search import ProgramQuery
from smartpick.catalog.store import open_catalog
from smartpick.cli.output import table


@click.command()
def demo() -> None:
    """Summarise Internal Medicine programs in New York that sponsor H-1B visas."""
    catalog = open_catalog()
    catalog.ensure_built()
    found = catalog.search(ProgramQuery(specialty="Internal Medicine", states=("NY",),
                                        visa="h1b"))
    positions = [p["positions"] for p in found if p["positions"] is not None]
    shares = [p["pct_img"] for p in found if p["pct_img"] is not None]
    click.echo(f"Internal Medicine programs in NY that report sponsoring H-1B: {len(found)}")
    click.echo(f"PGY-1 positions among them: {sum(positions)}; median IMG share: "
               f"{median(shares):.0f}% (of {len(shares)} reporting)\n")
    top = sorted(found, key=lambda p: -(p["pct_img"] or -1))[:10]
    rows = [[p.program_id, p["name"], p["city"], p["positions"], p["pct_img"],
             p.fact("pct_img").as_of] for p in top]
    click.echo(table(rows, ["id", "program", "city", "positions", "IMG %", "as of"]))
    click.echo("\nSource: AMA FREIDA program survey (2025); '?' = not reported.")
