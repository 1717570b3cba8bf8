"""``smartpick facts``: review requirement facts the reader found or another source disputes."""

from __future__ import annotations

from pathlib import Path

import click

from smartpick.catalog import fact_review
from smartpick.catalog.fact_review import ReviewItem
from smartpick.catalog.store import open_catalog
from smartpick.cli.output import format_option, table, to_json
from smartpick.settings import load_settings

LIST_HEADER = ["program", "name", "field", "value", "status", "as of", "disputed by", "page"]
BY = click.option("--by", "reviewer", required=True, help="Who decides (name or initials).")
NOTE = click.option("--note", default="", help="Why, in a few words.")


@click.group()
def facts() -> None:
    """Review requirement facts: list, show, accept, reject, correct, export, import."""


@facts.command("list")
@click.option("--specialty", default=None, help="Only this specialty's programs.")
@format_option
def list_command(specialty: str | None, fmt: str) -> None:
    """Facts waiting for review: read by the automatic reader, or disputed by another source."""
    settings, catalog = _open()
    items = fact_review.waiting(catalog, settings.data_dir, specialty)
    if fmt == "json":
        click.echo(to_json([i.to_dict() for i in items]))
        return
    rows = [[i.program_id, i.name, i.fact.field, _value(i), i.fact.status.value, _as_of(i),
             i.fact.conflict or "", i.fact.source] for i in items]
    click.echo(table(rows, LIST_HEADER, max_width=50))
    click.echo(f"{len(items)} facts waiting for review")


@facts.command("show")
@click.argument("program_id")
@click.argument("field")
@format_option
def show(program_id: str, field: str, fmt: str) -> None:
    """One fact: value, status, page, date, evidence notes and the decisions taken on it."""
    settings, catalog = _open()
    found = fact_review.item(catalog, settings.data_dir, program_id, field)
    if fmt == "json":
        click.echo(to_json(found.to_dict()))
        return
    fact = found.fact
    lines = [f"{found.program_id}  {found.name}", f"field:    {fact.field}",
             f"value:    {_value(found)}", f"status:   {fact.status.value}",
             f"page:     {fact.source or '-'}", f"as of:    {_as_of(found)}",
             f"method:   {fact.method or '-'}"]
    lines += [f"note:     {fact.note}"] if fact.note else []
    lines += [f"disputed: {fact.conflict}"] if fact.conflict else []
    lines.append(f"waiting for review: {'yes' if found.waiting else 'no'}")
    for d in found.decisions:
        lines.append(f"  {d.decided_at}  {d.reviewer}: {d.decision} {d.row()['value']}"
                     + (f" ({d.note})" if d.note else ""))
    click.echo("\n".join(lines))


@facts.command("accept")
@click.argument("program_id")
@click.argument("field")
@BY
@NOTE
def accept(program_id: str, field: str, reviewer: str, note: str) -> None:
    """The page states the fact as shown: it becomes reported."""
    _decide(program_id, field, "accept", reviewer, note=note)


@facts.command("reject")
@click.argument("program_id")
@click.argument("field")
@BY
@NOTE
def reject(program_id: str, field: str, reviewer: str, note: str) -> None:
    """The page does not state this: the fact is left out."""
    _decide(program_id, field, "reject", reviewer, note=note)


@facts.command("correct")
@click.argument("program_id")
@click.argument("field")
@click.argument("value")
@BY
@NOTE
@click.option("--qualifier", type=click.Choice(["strict", "preferred"]), default=None,
              help="Whether the page states a cutoff or a preference.")
@click.option("--source", default="", help="The page, when the program has no such fact yet.")
def correct(program_id: str, field: str, value: str, reviewer: str, note: str,
            qualifier: str | None, source: str) -> None:
    """The page states VALUE instead: it becomes reported with that value."""
    _decide(program_id, field, "correct", reviewer, value, qualifier or "", note, source)


@facts.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export(file: Path) -> None:
    """Write every decision to FILE, to share with other advisors."""
    count = fact_review.export_file(load_settings(), file)
    click.echo(f"exported {count} decisions to {file}")


@facts.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    """Add the decisions of FILE (all or none) and rebuild the catalog."""
    settings, catalog = _open()
    added = fact_review.import_file(settings, catalog, file)
    click.echo(f"imported {added} new decisions from {file}")


def _decide(program_id: str, field: str, decision: str, reviewer: str, value: str | None = None,
            qualifier: str = "", note: str = "", source: str = "") -> None:
    settings, catalog = _open()
    review = fact_review.decide(settings, catalog, program_id, field, decision, reviewer, value,
                                qualifier, note, source)
    click.echo(f"{review.program_id} {review.field}: {decision} recorded by {review.reviewer} "
               f"({review.decided_at}) in {fact_review.reviews_path(settings.data_dir)}")


def _open() -> tuple[fact_review.Settings, fact_review.Catalog]:
    settings = load_settings()
    catalog = open_catalog(settings)
    catalog.ensure_built()
    return settings, catalog


def _value(found: ReviewItem) -> str:
    fact = found.fact
    shown = "unknown" if fact.value is None else fact_review.show(fact.value)
    return f"{shown} ({fact.qualifier.value})" if fact.qualifier else shown


def _as_of(found: ReviewItem) -> str:
    fact = found.fact
    return f"{fact.as_of} ({fact.as_of_status})" if fact.as_of_status else fact.as_of or "-"
