"""``smartpick plan PROFILE``: the application list, its chance of matching, cost and what-ifs."""

from __future__ import annotations

from pathlib import Path

import click

from smartpick.applicant.load import load_profile
from smartpick.applicant.seasons import default_season
from smartpick.cli.catalog import require_catalog
from smartpick.cli.output import check_output, short_names, table, to_json, write_output
from smartpick.errors import InputError, ValidationProblem
from smartpick.plan.planner import PlanOptions
from smartpick.plan.result import PlanResult, WhatIf
from smartpick.plan.whatif import check_changes, parse_change
from smartpick.services.planner import PlanBounds, Planner, PlanRequest
from smartpick.settings import load_settings

HEADER = ["#", "id", "name", "city", "state", "tier", "P(int)", "+P(match)", "signal",
          "verdict"]
FORMATS = ("table", "json", "csv", "xlsx")


@click.command("plan")
@click.argument("profile_path", metavar="PROFILE", type=click.Path(dir_okay=False))
@click.option("--budget", type=float, help="Most to spend on ERAS application fees (USD).")
@click.option("--target", type=float, help="Stop at the cheapest list reaching this P(match).")
@click.option("--max-programs", type=int, help="Longest list to consider.")
@click.option("--season", type=int, default=None,
              help="Match season (default: the next one whose application window is ahead).")
@click.option("--what-if", "changes", multiple=True,
              help="A change to try, e.g. usce:+3m-hands-on, step3:pass, budget:+1000, "
                   'add-specialty:"Family Medicine" (repeatable).')
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False), help="Write to FILE (xlsx needs it).")
def plan(profile_path: str, budget: float | None, target: float | None,
         max_programs: int | None, season: int | None, changes: tuple[str, ...], fmt: str,
         output: str | None) -> None:
    """The optimised application list for PROFILE under the season's ERAS fees."""
    _check_options(budget, target, max_programs, fmt, output)
    for text in changes:
        parse_change(text)  # bad what-ifs fail before the profile is even read
    profile = load_profile(profile_path)
    settings = load_settings()
    year = season or default_season(data_dir=settings.data_dir)
    check_changes(profile, list(changes), PlanOptions(season=year, data_dir=settings.data_dir))
    planner = Planner(settings)
    specialties = [t.specialty for t in profile.targets] + [
        parse_change(c).value for c in changes if parse_change(c).kind == "add-specialty"]
    if not planner.prepared(specialties):  # prepared on disk: the catalog was built
        require_catalog(settings)
    request = PlanRequest.model_construct(
        profile=profile, budget_usd=budget, target_p_match=target, max_programs=max_programs,
        season=season, what_if=list(changes))
    _emit(planner.plan(request), fmt, output)


def _check_options(budget: float | None, target: float | None, max_programs: int | None,
                   fmt: str, output: str | None) -> None:
    problems = []
    bounds = PlanBounds()
    if budget is not None and not 0 <= budget <= bounds.max_budget_usd:
        problems.append(ValidationProblem(
            "--budget", f"must be between 0 and {bounds.max_budget_usd:.0f}"))
    if target is not None and not 0 < target < 1:
        problems.append(ValidationProblem("--target", "must be between 0 and 1"))
    if max_programs is not None and not 1 <= max_programs <= bounds.max_programs:
        problems.append(ValidationProblem(
            "--max-programs", f"must be between 1 and {bounds.max_programs}"))
    if fmt == "xlsx" and not output:
        problems.append(ValidationProblem("--output", "an xlsx file needs --output FILE"))
    if output:
        problems.extend(check_output(output))
    if problems:
        raise InputError("invalid options", problems)


def _emit(result: PlanResult, fmt: str, output: str | None) -> None:
    if fmt == "xlsx":
        from smartpick.report.tabular import plan_xlsx

        write_output(Path(str(output)), plan_xlsx(result, [(s.source, s.as_of)
                                                          for s in result.sources]))
        return
    if fmt == "csv":
        from smartpick.report.tabular import plan_csv

        text = plan_csv(result)
    elif fmt == "json":
        text = to_json(result.model_dump(mode="json"))
    else:
        text = _table(result)
    if output:
        write_output(Path(output), text.encode("utf-8"))
    else:
        click.echo(text)


def _table(result: PlanResult) -> str:
    names = short_names([p.name for p in result.programs])
    rows = [[n, p.program_id, name, p.city, p.state, p.tier, f"{p.p_interview:.0%}",
             f"{p.marginal_p_match:+.3f}", p.signal, p.verdict]
            for n, (p, name) in enumerate(zip(result.programs, names, strict=True), start=1)]
    lo, hi = result.p_match_interval
    lines = [
        *(f"WARNING: {w}" for w in result.warnings),
        f"Match {result.season}: {len(result.programs)} programs, "
        f"P(match) {result.p_match:.0%} (80% interval {lo:.0%}-{hi:.0%}), "
        f"expected interviews {result.expected_interviews:.1f}, "
        f"ERAS fees ${result.cost_usd} (+ ${result.fixed_fees_usd} once-a-season fees)",
        result.facts_as_of,
        "", table(rows, HEADER) if rows else "(no program in the list)", "",
        "P(match) by list length:", _curve(result),
        _diminishing(result), "",
        _excluded(result), *(_what_if_lines(result.what_if)), "", *result.notes,
    ]
    return "\n".join(lines)


def _diminishing(result: PlanResult) -> str:
    point = result.diminishing
    if point is None:
        return "Every further $100 of fees still adds half a point of P(match) or more."
    return (f"Point of diminishing returns: {point.n} programs (${point.cost_usd}, P(match) "
            f"{point.p_match:.0%}); beyond it each further $100 adds less than half a point.")


def _curve(result: PlanResult) -> str:
    step = max(1, len(result.curve) // 12)
    picks = [c for c in result.curve if c.n == 1 or c.n % step == 0 or c.n == len(result.programs)]
    return "  ".join(f"{c.n}:{c.p_match:.0%}/${c.cost_usd}{'*' if c.chosen else ''}"
                     for c in picks) + "   (* = in the list)"


def _excluded(result: PlanResult) -> str:
    counts: dict[str, int] = {}
    for e in result.excluded:
        counts[e.rule] = counts.get(e.rule, 0) + 1
    parts = ", ".join(f"{rule} {n}" for rule, n in sorted(counts.items(), key=lambda x: -x[1]))
    return f"Excluded programs by rule: {parts or 'none'}"


def _what_if_lines(items: list[WhatIf]) -> list[str]:
    return [f"What if {w.change}: P(match) {w.p_match:.0%} ({w.delta_p_match:+.1%}), "
            f"ERAS fees ${w.cost_usd}" for w in items]
