"""``smartpick db``: create, migrate, build, ingest, import and inspect the catalog."""

from __future__ import annotations

from pathlib import Path

import click

from smartpick.catalog.build import build
from smartpick.catalog.database import engine_for, migrate
from smartpick.catalog.duplicates import DuplicateReport, check_catalog
from smartpick.catalog.importer import apply_updates, known_program_ids, read_updates
from smartpick.catalog.ingest.pipeline import ingest, write_outputs
from smartpick.catalog.ingest.requirements import ingest_requirements
from smartpick.catalog.store import LinkSummary, open_catalog
from smartpick.cli.output import format_option, table, to_json
from smartpick.settings import load_settings

STATUS_COLUMNS = ("reported", "derived", "extracted", "estimated", "unknown")


@click.group()
def db() -> None:
    """Create, build and inspect the program catalog database."""


@db.command("init")
def init() -> None:
    """Create the schema, or migrate it to the latest version."""
    before, after = migrate(load_settings())
    click.echo(f"schema at version {after}" + (f" (was {before})" if before != after else ""))


@db.command("build")
def build_command() -> None:
    """(Re)build the catalog from the shipped data files (replaces it whole)."""
    settings = load_settings()
    report = build(settings)
    click.echo(f"catalog built: {report.programs} programs, {report.facts} facts with "
               f"provenance, {report.quota_history} yearly quota rows")
    for name, count in report.imported.items():
        click.echo(f"  imported {count} facts from data/requirements/{name}")
    pages = report.requirements
    if pages is not None and (pages.conflicts or pages.resolved or pages.extracted_skipped):
        click.echo(f"  requirement pages: {pages.conflicts} disagreements with another source "
                   f"kept as conflicts, {pages.resolved} settled by date or status, "
                   f"{pages.extracted_skipped} reader facts left out (read by hand)")


@db.command("ingest")
@click.option("--raw", "raw", type=click.Path(exists=True, file_okay=False, path_type=Path),
              required=True, help="Folder of raw sources (shared/data/raw).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the catalog files (default: data/catalog).")
@click.option("--requirements", "labels", default=None,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of hand-labelled requirement pages (default: RAW/../requirements "
                   "when it exists); written to data/requirements/.")
def ingest_command(raw: Path, out: Path | None, labels: Path | None) -> None:
    """Re-run the ingest from the raw sources into data/catalog/ (deterministic)."""
    target = out or load_settings().data_dir / "catalog"
    result = ingest(raw)
    counts = write_outputs(result, target)
    report = result.report
    click.echo(f"wrote {target}: {counts['programs']} programs, {counts['facts']} facts, "
               f"{counts['quota_history']} quota rows; {len(report.links)} NRMP tracks linked "
               f"to {len(report.programs())} survey programs, {len(report.unlinked)} "
               "Internal Medicine tracks left alone")
    labels = labels or (raw.parent / "requirements")
    if labels.is_dir():
        found = ingest_requirements(labels, target.parent)
        click.echo(f"wrote {target.parent / 'requirements'}: {found['facts']} requirement "
                   f"facts read by hand for {found['programs']} programs")


@db.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    """Import or correct facts from a CSV file (all rows or none)."""
    settings = load_settings()
    open_catalog(settings).ensure_built()
    with engine_for(settings.database_url).begin() as conn:
        updates = read_updates(file, known_program_ids(conn))
        count = apply_updates(conn, updates)
    click.echo(f"imported {count} facts from {file}")


@db.command("status")
@click.option("--specialty", default=None,
              help="Field coverage for this specialty's listed programs only.")
@format_option
def status(specialty: str | None, fmt: str) -> None:
    """Programs by specialty and each field's share by status (reported ... unknown)."""
    catalog = open_catalog(load_settings())
    catalog.ensure_built()
    counts = catalog.specialty_counts()
    coverage = catalog.coverage(specialty)
    total = sum(coverage[0].counts.values()) if coverage else 0
    links = catalog.link_report()
    statuses = catalog.fact_statuses()
    second = check_catalog(catalog, specialty or DUPLICATE_SPECIALTY, load_settings().data_dir)
    if fmt == "json":
        click.echo(to_json({"programs_by_specialty": counts, "coverage_scope": specialty or "all",
                            "coverage_programs": total,
                            "fields": {c.field: c.counts for c in coverage},
                            "links": links.to_dict(), "facts_by_status": statuses,
                            "second_listings": _duplicates_dict(second)}))
        return
    click.echo(f"{sum(counts.values())} programs and tracks in {len(counts)} specialties\n")
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    click.echo(table(rows, ["specialty", "programs"]))
    scope = f"{specialty} programs" if specialty else "all programs"
    click.echo(f"\nField coverage (share of {scope}, {total}):")
    click.echo(table([_coverage_row(c.field, c.counts, total) for c in coverage],
                     ["field", *STATUS_COLUMNS]))
    click.echo("\nFacts by status: " + ", ".join(f"{k} {v}" for k, v in statuses.items()))
    _echo_links(links)
    click.echo(f"\n{_duplicates_line(second)} (smartpick db check-duplicates)")


DUPLICATE_SPECIALTY = "Internal Medicine"


@db.command("check-duplicates")
@click.option("--specialty", default=DUPLICATE_SPECIALTY, show_default=True,
              help="Look for second listings among this specialty's listed entries.")
@format_option
def check_duplicates(specialty: str, fmt: str) -> None:
    """Flag pairs of listed entries likely to be one program (exit 1 when any is not
    reviewed in data/reviews/distinct_programs.csv)."""
    catalog = open_catalog(load_settings())
    catalog.ensure_built()
    report = check_catalog(catalog, specialty, load_settings().data_dir)
    if fmt == "json":
        click.echo(to_json(_duplicates_dict(report)))
    else:
        click.echo(_duplicates_line(report))
        if report.found:
            click.echo(table([[p.clue, p.detail] for p in report.found], ["clue", "pair"],
                             max_width=110))
        if report.reviewed:
            click.echo("\nReviewed pairs:")
            click.echo(table([[r.verdict, p.first, p.second, r.reason]
                              for p, r in report.reviewed],
                             ["verdict", "first", "second", "reason"], max_width=110))
    if report.found:
        raise SystemExit(1)


def _duplicates_line(report: DuplicateReport) -> str:
    return (f"Second listings among {report.entries} {report.specialty} entries: "
            f"{len(report.found)} likely, {report.count('distinct')} reviewed as distinct, "
            f"{report.count('unresolved')} reviewed as unresolved")


def _duplicates_dict(report: DuplicateReport) -> dict[str, object]:
    return {"specialty": report.specialty, "entries": report.entries,
            "likely": [{"first": p.first, "second": p.second, "clue": p.clue,
                        "score": p.score, "detail": p.detail} for p in report.found],
            "reviewed": [{"first": p.first, "second": p.second, "clue": p.clue,
                          "verdict": r.verdict, "reason": r.reason}
                         for p, r in report.reviewed]}


def _echo_links(links: LinkSummary) -> None:
    joined, alone = sum(links.linked.values()), sum(links.unlinked.values())
    click.echo(f"\nTracks joined to their program: {joined}; Internal Medicine tracks "
               f"left as their own entry: {alone}")
    rows: list[list[object]] = [["linked", rule, n, ""] for rule, n in links.linked.items()]
    rows += [["unlinked", reason, n, "; ".join(links.examples.get(reason, [])[:2])]
             for reason, n in links.unlinked.items()]
    click.echo(table(rows, ["", "rule / reason", "tracks", "examples"], max_width=90))


def _coverage_row(field: str, counts: dict[str, int], total: int) -> list[str]:
    def share(key: str) -> str:
        n = counts.get(key, 0)
        return f"{100 * n / total:5.1f}% ({n})" if total else "-"

    return [field, *(share(s) for s in STATUS_COLUMNS)]
