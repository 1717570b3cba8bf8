"""``smartpick plan PROFILE``: the application list, its chance of matching, cost and what-ifs."""

from __future__ import annotations

from pathlib import Path

import click

from smartpick.applicant.load import load_profile
from smartpick.applicant.seasons import default_season
from smartpick.cli.catalog import require_catalog
from smartpick.cli.output import (
    check_output,
    plural,
    short_names,
    table,
    to_json,
    write_output,
)
from smartpick.errors import InputError, ValidationProblem
from smartpick.plan.planner import PlanOptions
from smartpick.plan.result import PlannedProgram, PlanResult, Recommendation, WhatIf
from smartpick.plan.whatif import check_changes, parse_change
from smartpick.services.planner import PlanBounds, Planner, PlanRequest
from smartpick.settings import load_settings

HEADER = ["#", "id", "name", "city", "state", "tier", "interview", "adds", "signal", "visa",
          "rules"]
FORMATS = ("table", "json", "csv", "xlsx")


@click.command("plan")
@click.argument("profile_path", metavar="PROFILE", type=click.Path(dir_okay=False))
@click.option("--budget", type=float,
              help="Most to spend this season (USD), once-a-season fees included: the list "
                   "gets what is left after them.")
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
    rows = [[n, p.program_id, name, _city(p), p.state, p.tier, f"{p.p_interview:.0%}",
             _points(p.marginal_p_match, signed=True, short=True), p.signal, visa_cell(p),
             "eligible" if p.verdict == "eligible" else "check page"]
            for n, (p, name) in enumerate(zip(result.programs, names, strict=True), start=1)]
    lo, hi = result.p_match_interval
    lines = [
        *(f"WARNING: {w}" for w in result.warnings),
        f"Match {result.season}: {plural(len(result.programs), 'program')}, chance of matching "
        f"{_pct(result.p_match)} (likely between {_pct(lo)} and {_pct(hi)}), expected "
        f"interviews {result.expected_interviews:.1f}",
        fees_line(result),
        result.facts_as_of,
        "", table(rows, HEADER) if rows else "(no program in the list)", LEGEND, "",
        "Chance of matching by list length (programs: chance, ERAS fees; * = on your list):",
        _curve(result), "",
        *_advice(result), "",
        _excluded(result), *(_what_if_lines(result.what_if)), "", *result.notes,
    ]
    return "\n".join(lines)


LEGEND = "\n".join((
    "interview: chance of an interview there; adds: points it adds to the chance of matching",
    "tier (by chance of interview): likely 40% or more, target 15-40%, reach under 15%",
    "visa: takes J-1 / sponsors H-1B (? = the sources do not say); rules: eligible, or check "
    "the program's page (a rule is not known)"))


def visa_cell(program: PlannedProgram) -> str:
    """``J-1 yes, H-1B ?``: whether the program takes a J-1 and sponsors an H-1B."""
    def word(flag: bool | None) -> str:
        return "?" if flag is None else ("yes" if flag else "no")
    return f"J-1 {word(program.visa_j1)}, H-1B {word(program.visa_h1b)}"


def _city(program: PlannedProgram) -> str:
    return program.city or "not given"


def fees_line(result: PlanResult) -> str:
    """What the season costs, and how the budget splits between once-a-season and program
    fees."""
    fixed, total = result.fixed_fees_usd, result.cost_usd + result.fixed_fees_usd
    line = (f"Fees: ${total:,} = ${result.cost_usd:,} ERAS fees for "
            f"{plural(len(result.programs), 'program')} + ${fixed:,} once-a-season fees")
    if result.budget_usd is None:
        return line + " (no budget set)"
    return (line + f"; of your ${result.budget_usd:,.0f} budget, ${fixed:,} goes to "
            f"once-a-season fees and ${result.budget_usd - fixed:,.0f} is for programs")


def _advice(result: PlanResult) -> list[str]:
    """Our advice: how much of the list to apply to, what the rest adds, and, when the chance
    is very low, the changes that help most."""
    rec, lines = result.recommendation, []
    if result.low_chance:
        lines.append(f"Your chance of matching is very low ({_pct(result.p_match)}) whatever "
                     "you spend: applying to more programs barely helps; changes to your "
                     "profile help more.")
    if rec is not None:
        first = "the first program only" if rec.n == 1 else f"the first {rec.n} programs"
        lines.append(f"Our advice: apply to {first} (${rec.cost_usd:,} of ERAS fees, chance of "
                     f"matching {_pct(rec.p_match)}): {rec.rule}.")
        knee = result.diminishing_returns
        if knee is not None and knee.n < rec.n and not result.low_chance:
            first = ("The first program" if knee.n == 1
                     else f"The first {knee.n} programs")
            gives, them = ("gives", "it") if knee.n == 1 else ("give", "them")
            lines.append(f"{first} (${knee.cost_usd:,}) already {gives} "
                         f"{_pct(knee.p_match)}; after {them} each further $100 "
                         "adds less than half a point.")
        if rec.rest_programs:
            lines.append(_rest(result, rec))
        if knee is not None and knee.n > rec.n:
            lines.append(f"More money would still help: up to {knee.n} programs (${knee.cost_usd:,}"
                         f" of ERAS fees, {_pct(knee.p_match)}) each further $100 adds half a "
                         "point or more.")
    if result.suggestions:
        lines.append("Changes that help most (each planned at this list's cost):")
        lines += [f"  {w.change}: chance of matching {_pct(w.p_match)} "
                  f"({_points(w.delta_p_match, True)})" for w in result.suggestions]
    return lines


def _rest(result: PlanResult, rec: Recommendation) -> str:
    others = "the last program of the list" if rec.rest_programs == 1 else \
        f"the other {rec.rest_programs} programs of the list"
    gain = f"{_points(rec.rest_adds)} (to {_pct(result.p_match)})"
    if result.program_budget_usd is None or result.stop_reason != "budget":
        return f"{others[0].upper()}{others[1:]} would cost ${rec.rest_cost_usd:,} more and " \
               f"add {gain}."
    left = result.program_budget_usd - rec.cost_usd
    return f"Spending the remaining ${left:,.0f} of your budget on {others} would add {gain}."


def _pct(p: float) -> str:
    """A chance in percent, with a decimal under 10% (0.2%, not 0%)."""
    if p < 0.001:
        return "under 0.1%"
    return f"{p:.1%}" if p < 0.1 else f"{p:.0%}"


def _points(delta: float, signed: bool = False, short: bool = False) -> str:
    """A change of chance in percentage points: ``+3.6 points`` (``+3.6 pts`` when short)."""
    number = 100 * delta
    text = f"{number:+.1f}" if signed else f"{number:.1f}"
    if short:
        return f"{text} pts"
    return f"{text} {'point' if text.lstrip('+-') == '1.0' else 'points'}"


def _curve(result: PlanResult) -> str:
    step = max(1, len(result.curve) // 12)
    picks = [c for c in result.curve if c.n == 1 or c.n % step == 0 or c.n == len(result.programs)]
    return " | ".join(f"{c.n}: {_pct(c.p_match)} ${c.cost_usd:,}{'*' if c.chosen else ''}"
                      for c in picks)


def _excluded(result: PlanResult) -> str:
    from smartpick.report.words import rule_label

    counts: dict[str, int] = {}
    for e in result.excluded:
        counts[e.rule] = counts.get(e.rule, 0) + 1
    parts = "; ".join(f"{rule_label(rule)} ({n})"
                      for rule, n in sorted(counts.items(), key=lambda x: -x[1]))
    return f"Left out by a program's rule (programs): {parts or 'none'}"


def _what_if_lines(items: list[WhatIf]) -> list[str]:
    return [f"What if {w.change}: chance of matching {_pct(w.p_match)} "
            f"({_points(w.delta_p_match, True)}), ERAS fees ${w.cost_usd:,}" for w in items]
