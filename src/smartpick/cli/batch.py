"""``smartpick batch PROFILES --output DIR``: one plan per applicant and a cohort report."""

from __future__ import annotations

from pathlib import Path

import click

from smartpick.batch.cohort import STANDARD_WHAT_IFS, CohortOptions, PlannerSetup, PlanOutcome
from smartpick.batch.engine import ENGINES
from smartpick.batch.inputs import Entry
from smartpick.errors import InputError, ValidationProblem


@click.command("batch")
@click.argument("profiles", metavar="PROFILES", type=click.Path())
@click.option("--output", "output", required=True, type=click.Path(file_okay=False),
              help="Folder for the plans (plans/NAME.json) and the cohort report.")
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
              help="Plan in this process, or on Dask.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler to use, e.g. tcp://10.0.0.5:8786 (default: start a "
                   "LocalCluster).")
@click.option("--workers", type=int,
              help="Worker processes of the LocalCluster (default: one per core).")
@click.option("--season", type=int, default=None,
              help="Match season (default: the next one whose application window is ahead).")
@click.option("--budget", type=float,
              help="ERAS fee budget for every applicant (default: each profile's own).")
@click.option("--target", type=float, help="Target P(match) for every applicant.")
@click.option("--what-if", "changes", multiple=True,
              help="What-if tried for every applicant (repeatable; default: "
                   f"{', '.join(STANDARD_WHAT_IFS)}).")
@click.option("--no-what-ifs", is_flag=True, help="Plan without what-ifs (faster).")
def batch(profiles: str, output: str, engine: str, scheduler: str | None, workers: int | None,
          season: int | None, budget: float | None, target: float | None, changes: tuple[str, ...],
          no_what_ifs: bool) -> None:
    """Plan a cohort: PROFILES is a folder of profile files, a CSV (one row per applicant,
    columns in docs/profile.md) or a JSONL file (one profile per line).

    Writes one plan per applicant (the JSON of `smartpick plan --format json`) and the
    cohort report (cohort.md, cohort.csv, cohort.png). A rerun skips the plans already
    finished; a bad profile is reported by file and line and the others are still planned.
    """
    from smartpick.applicant.seasons import default_season
    from smartpick.batch.cohort import run_cohort
    from smartpick.batch.engine import open_engine
    from smartpick.batch.inputs import read_cohort
    from smartpick.batch.progress import ProgressBar
    from smartpick.batch.report import write_report
    from smartpick.cli.catalog import require_catalog
    from smartpick.plan.whatif import parse_change
    from smartpick.settings import load_settings

    what_ifs = () if no_what_ifs else (changes or STANDARD_WHAT_IFS)
    _check_limits(budget, target, len(what_ifs))
    for text in what_ifs:
        parse_change(text)
    settings = load_settings()
    require_catalog(settings)
    season = season or default_season(data_dir=settings.data_dir)  # one season for everyone
    entries = read_cohort(profiles, season)
    _check_what_ifs(entries, list(what_ifs), season, settings.data_dir)
    options = CohortOptions(season, budget, target, None, tuple(what_ifs))
    bar = ProgressBar(len(entries))

    def tell(outcome: PlanOutcome) -> None:
        bar.advance(failed=outcome.plan is None, reused=outcome.skipped)

    with open_engine(engine, scheduler, workers) as runner:
        try:
            run = run_cohort(entries, Path(output), options, runner,
                             PlannerSetup.of(settings), tell)
        finally:
            bar.close()
    files = write_report(run, f"Cohort report: {Path(profiles).name}")
    for outcome in run.failed:
        for line in outcome.problems:
            click.echo(f"error: {line}", err=True)
    click.echo(f"{len(run.planned)} of {len(run.outcomes)} applicants planned "
               f"({len(run.skipped)} from an earlier run, {len(run.failed)} not planned) "
               f"on the {runner.name} engine ({runner.workers} worker"
               f"{'s' if runner.workers != 1 else ''}); report: "
               f"{', '.join(str(f) for f in files)}")
    if run.failed:
        raise SystemExit(1)


def _check_limits(budget: float | None, target: float | None, what_ifs: int) -> None:
    from smartpick.services import PlanBounds

    problems, bounds = [], PlanBounds()
    if budget is not None and not 0 <= budget <= bounds.max_budget_usd:
        problems.append(ValidationProblem(
            "--budget", f"must be between 0 and {bounds.max_budget_usd:.0f}"))
    if what_ifs > bounds.max_what_ifs:
        problems.append(ValidationProblem("--what-if", f"at most {bounds.max_what_ifs}"))
    if target is not None and not 0 < target < 1:
        problems.append(ValidationProblem("--target", "must be between 0 and 1"))
    if problems:
        raise InputError("invalid options", problems)


def _check_what_ifs(entries: list[Entry], what_ifs: list[str], season: int,
                    data_dir: Path) -> None:
    """A bad what-if value fails before any planning (on the first readable profile)."""
    from smartpick.applicant.profile import Profile
    from smartpick.plan.planner import PlanOptions
    from smartpick.plan.whatif import check_changes

    first = next((e.profile for e in entries if e.profile is not None), None)
    if first is not None and what_ifs:
        check_changes(Profile.model_validate(first), what_ifs,
                      PlanOptions(season=season, data_dir=data_dir))
