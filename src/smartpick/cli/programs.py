"""``smartpick programs``: search the catalog, and show one program with its sources."""

from __future__ import annotations

from typing import Any

import click

from smartpick.catalog.fields import FIELDS
from smartpick.catalog.program import Fact, Program
from smartpick.catalog.search import TYPE_CHOICES, VISA_CHOICES, ProgramQuery
from smartpick.catalog.store import open_catalog
from smartpick.cli.output import format_option, table, to_csv, to_json
from smartpick.settings import load_settings

TABLE_HEADER = ["id", "name", "city", "state", "type", "positions", "IMG %", "J-1", "H-1B",
                "open"]


@click.group(invoke_without_command=True)
@click.option("--specialty", help="Specialty, e.g. 'Internal Medicine'.")
@click.option("--state", "states", multiple=True, help="Two-letter state code (repeatable).")
@click.option("--visa", type=click.Choice(VISA_CHOICES),
              help="j1: accepts J-1; h1b: sponsors H-1B; any: either (known facts only).")
@click.option("--type", "program_type", type=click.Choice(TYPE_CHOICES), help="Program type.")
@click.option("--min-img-share", type=float, help="Minimum share of IMG residents (%).")
@click.option("--min-positions", type=int, help="At least this many PGY-1 positions.")
@click.option("--max-positions", type=int, help="At most this many PGY-1 positions.")
@click.option("--include-merged", is_flag=True,
              help="Also list NRMP tracks whose data lives on a linked survey program.")
@click.option("--limit", type=int, default=None, help="At most this many rows.")
@format_option
@click.pass_context
def programs(ctx: click.Context, specialty: str | None, states: tuple[str, ...],
             visa: str | None, program_type: str | None, min_img_share: float | None,
             min_positions: int | None, max_positions: int | None, include_merged: bool,
             limit: int | None, fmt: str) -> None:
    """Search the program catalog (`programs show ID` for one program)."""
    if ctx.invoked_subcommand is not None:
        return
    catalog = open_catalog(load_settings())
    catalog.ensure_built()
    query = ProgramQuery(specialty=specialty, states=states, visa=visa,
                         program_type=program_type, min_img_share=min_img_share,
                         include_merged=include_merged, limit=limit,
                         min_positions=min_positions, max_positions=max_positions)
    found = catalog.search(query)
    click.echo(_render(found, fmt))


def _render(found: list[Program], fmt: str) -> str:
    if fmt == "json":
        return to_json([p.to_dict() for p in found])
    if fmt == "csv":
        return to_csv([_csv_row(p) for p in found])
    rows = [[p.program_id, p["name"], p["city"], p["state"], p["program_type"],
             p["positions"], p["pct_img"], p["visa_j1"], p["visa_h1b"], p["open_status"]]
            for p in found]
    return table(rows, TABLE_HEADER) + f"\n{len(found)} programs ('?' = unknown)"


def _csv_row(program: Program) -> dict[str, Any]:
    row: dict[str, Any] = {"program_id": program.program_id, "kind": program.kind}
    for spec in FIELDS:
        fact = program.fact(spec.name)
        row[spec.name] = fact.value
        row[f"{spec.name}_status"] = fact.status.value
    return row


@programs.command("show")
@click.argument("program_id")
@format_option
def show(program_id: str, fmt: str) -> None:
    """One program: every field with its status, source and as-of date."""
    catalog = open_catalog(load_settings())
    catalog.ensure_built()
    program = catalog.get(program_id)
    tracks = catalog.tracks_of(program.program_id)
    if fmt == "json":
        data = program.to_dict()
        data["quota_history"] = _history(catalog, program)
        data["tracks"] = [_track_dict(t) for t in tracks]
        click.echo(to_json(data))
        return
    if fmt == "csv":
        click.echo(to_csv([_csv_row(program)]))
        return
    click.echo(f"{program.program_id}  {program['name']}  ({program.kind})")
    if program.merged_into:
        click.echo(f"this NRMP track belongs to program {program.merged_into}")
    rows = [[spec.name, f.value, f.status.value, f.qualifier or "", _as_of(f), f.source,
             f.method] for spec in FIELDS for f in [program.fact(spec.name)]]
    click.echo(table(rows, ["field", "value", "status", "rule", "as of", "source", "method"],
                     max_width=70))
    for spec in FIELDS:
        fact = program.fact(spec.name)
        for text in (fact.note, f"CONFLICT: {fact.conflict}" if fact.conflict else ""):
            if text:
                click.echo(f"{spec.name}: {text}")
    if tracks:
        click.echo(f"\nTracks ({len(tracks)}):")
        click.echo(table([[t.program_id, t["name"], t["track"], t["positions"],
                           t["positions_year"], t["link_rule"]] for t in tracks],
                         ["code", "name", "track", "positions", "year", "linked by"],
                         max_width=70))
    for year, quota, matched in _history_rows(catalog, program):
        click.echo(f"NRMP {year}: quota {quota}, matched {matched}")


def _track_dict(track: Program) -> dict[str, Any]:
    return {"program_id": track.program_id, "name": track["name"], "track": track["track"],
            "specialty": track["specialty"], "positions": track["positions"],
            "positions_year": track["positions_year"], "link_rule": track["link_rule"],
            "link_method": track.fact("link_rule").method or None}


def _as_of(fact: Fact) -> str:
    return f"{fact.as_of} ({fact.as_of_status})" if fact.as_of_status else fact.as_of


def _history_rows(catalog: Any, program: Program) -> list[tuple[int, int, int]]:
    codes = (program["nrmp_codes"] or "").split()
    return [row for code in codes for row in catalog.quota_history(code)]


def _history(catalog: Any, program: Program) -> list[dict[str, int]]:
    return [{"year": y, "quota": q, "matched": m} for y, q, m in _history_rows(catalog, program)]
