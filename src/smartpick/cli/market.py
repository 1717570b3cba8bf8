"""``smartpick simulate``: a synthetic national Match and its distance to NRMP 2025."""

from __future__ import annotations

import click

from smartpick.batch.engine import ENGINES, open_engine
from smartpick.market.calibration import fitted_parameters
from smartpick.market.report import HEADLINE_TYPES, SimulationSummary
from smartpick.market.report import simulate as run_simulation
from smartpick.market.shape import load_shape

DEFAULT_APPLICANTS = 47208  # NRMP 2025 active applicants


@click.command("simulate")
@click.option(
    "--applicants",
    type=click.IntRange(1, 500_000),
    default=DEFAULT_APPLICANTS,
    show_default=True,
    help="Applicants in the synthetic market.",
)
@click.option(
    "--seed",
    type=int,
    default=2025,
    show_default=True,
    help="Seed of the program side and of the replicates.",
)
@click.option(
    "--replicates",
    type=click.IntRange(1, 10_000),
    default=1,
    show_default=True,
    help="Markets drawn and matched (program side fixed).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--top",
    type=click.IntRange(0, 100),
    default=12,
    show_default=True,
    help="Specialties shown in the table (largest first).",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="local",
    show_default=True,
    help="Run the replicates in this process, or on Dask (same results for the same seed).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Dask scheduler to use (default: start a LocalCluster).",
)
@click.option("--workers", type=int, help="Worker processes of the LocalCluster.")
def simulate_command(
    applicants: int,
    seed: int,
    replicates: int,
    fmt: str,
    top: int,
    engine: str,
    scheduler: str | None,
    workers: int | None,
) -> None:
    """Simulate the NRMP Main Match on a synthetic national market.

    Prints match rates by applicant type with their distance to NRMP 2025, fill and
    unfilled positions, outcomes by specialty and (JSON) per-program cutoff distributions.
    Every replicate has its own seed spawned from --seed, so --engine dask gives the same
    figures as the local engine.
    """
    with open_engine(engine, scheduler, workers) as runner:
        summary = run_simulation(
            load_shape(), applicants, seed, replicates, fitted_parameters(), runner
        )
    if fmt == "json":
        click.echo(summary.model_dump_json(indent=2))
    else:
        click.echo("\n".join(table_lines(summary, top)))


simulate = simulate_command


def table_lines(summary: SimulationSummary, top: int = 12) -> list[str]:
    """The national summary as plain-text table lines."""
    lines = [
        f"Synthetic NRMP Main Match: {summary.applicants:,} applicants, "
        f"{summary.positions:,} PGY-1 positions, {summary.replicates} replicate(s), "
        f"seed {summary.seed}",
        "",
        f"{'applicant type':<16}{'applicants':>11}{'matched':>10}{'rate %':>8}"
        f"{'NRMP 2025':>10}{'distance pp':>13}",
    ]
    for name, o in summary.by_type.items():
        lines.append(
            f"{name:<16}{o.applicants:>11,.0f}{o.matched:>10,.0f}{o.rate:>8.1f}"
            f"{o.nrmp_2025:>10.1f}{o.distance_pp:>+13.1f}"
        )
    lines += [
        "",
        f"Largest distance to NRMP 2025 ({', '.join(HEADLINE_TYPES)}): "
        f"{summary.max_headline_distance_pp:.1f} pp",
        f"Fill: {summary.fill_rate:.1f}% (NRMP 2025: {summary.nrmp_2025_fill_rate:.1f}%), "
        f"unfilled positions: {summary.unfilled_positions:,.0f}",
        "",
        f"{'specialty':<38}{'positions':>10}{'filled':>9}{'unfilled':>9}{'pref. match %':>15}",
    ]
    for s in summary.by_specialty[:top]:
        rate = "-" if s.preferred_match_rate is None else f"{s.preferred_match_rate:.1f}"
        lines.append(
            f"{s.specialty[:37]:<38}{s.positions:>10,.0f}{s.filled:>9,.0f}"
            f"{s.unfilled:>9,.0f}{rate:>15}"
        )
    return lines
