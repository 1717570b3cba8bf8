"""``smartpick check PROFILE``: which programs are open to the applicant, and why."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

import click

from smartpick.applicant.load import load_profile
from smartpick.applicant.profile import Profile
from smartpick.applicant.seasons import load_season
from smartpick.catalog.program import Program
from smartpick.catalog.search import ProgramQuery
from smartpick.catalog.specialties import canonical
from smartpick.catalog.store import Catalog, open_catalog
from smartpick.cli.applicant import reference_option, season_option, table_json_option
from smartpick.cli.catalog import require_catalog
from smartpick.cli.output import short_names, table, to_json
from smartpick.errors import InputError, ValidationProblem
from smartpick.rules.check import check_requirements
from smartpick.rules.context import applicant_context
from smartpick.rules.requirements import requirements_of
from smartpick.rules.verdict import Reason, Verdict, VerdictStatus

LIST_HEADER = ["id", "name", "city", "state", "verdict", "why"]
VERDICTS = tuple(s.value for s in VerdictStatus)
REASON_HEADER = ["rule", "outcome", "program", "you", "source"]


@click.command("check")
@click.argument("profile_path", metavar="PROFILE", type=click.Path(dir_okay=False))
@click.option("--specialty", help="Check this specialty's programs (default: the targets).")
@click.option("--program", "program_id", help="Check one program, with every reason.")
@click.option("--verdict", "verdicts_shown", type=click.Choice(VERDICTS), multiple=True,
              help="List only programs with this verdict (repeatable).")
@reference_option
@season_option
@table_json_option
def check(profile_path: str, specialty: str | None, program_id: str | None,
          verdicts_shown: tuple[str, ...], reference_date: datetime | None, season: int | None,
          fmt: str) -> None:
    """Eligibility of PROFILE for programs: eligible, ineligible or unverified, with reasons."""
    profile = load_profile(profile_path)
    calendar = load_season(season)
    ctx = applicant_context(profile, calendar, reference_date.date() if reference_date else None)
    require_catalog()
    catalog = open_catalog()
    programs = _programs(catalog, profile, specialty, program_id)
    verdicts = [check_requirements(ctx, requirements_of(p)) for p in programs]
    if verdicts_shown:
        kept = [(p, v) for p, v in zip(programs, verdicts, strict=True)
                if v.status.value in verdicts_shown]
        programs, verdicts = [p for p, _ in kept], [v for _, v in kept]
    if fmt == "json":
        click.echo(to_json([_verdict_json(p, v) for p, v in zip(programs, verdicts, strict=True)]))
    elif program_id:
        click.echo(_detail(programs[0], verdicts[0]))
    else:
        click.echo(_listing(programs, verdicts))


def _programs(catalog: Catalog, profile: Profile, specialty: str | None,
              program_id: str | None) -> list[Program]:
    if program_id:
        return [catalog.get(program_id)]
    names = [canonical(specialty, "--specialty")] if specialty else profile.target_specialties()
    if not names:
        raise InputError("nothing to check", [ValidationProblem(
            "--specialty", "give --specialty, --program, or list targets in the profile")])
    found: list[Program] = []
    for name in names:
        found.extend(catalog.search(ProgramQuery(specialty=name)))
    return found


def _verdict_json(program: Program, verdict: Verdict) -> dict[str, Any]:
    data = verdict.to_dict()
    data.update(name=program.value("name"), specialty=program.value("specialty"),
                state=program.value("state"))
    return data


def _detail(program: Program, verdict: Verdict) -> str:
    rows = [[r.label, _outcome(r),
             _program_value(r.program), r.applicant + (f" - {r.note}" if r.note else ""),
             r.source or "-"] for r in verdict.reasons]
    head = (f"{program.program_id}  {program.value('name')}  ({program.value('state')}): "
            f"{verdict.status.value.upper()}")
    return "\n".join([head, "", table(rows, REASON_HEADER, max_width=60)])


def _listing(programs: list[Program], verdicts: list[Verdict]) -> str:
    names = short_names([str(p.value("name") or "") for p in programs])
    rows = [[p.program_id, name, p.value("city"), p.value("state"), v.status.value, v.summary()]
            for p, name, v in zip(programs, names, verdicts, strict=True)]
    counts = Counter(v.status for v in verdicts)
    total = ", ".join(f"{counts.get(s, 0)} {s.value}" for s in VerdictStatus)
    listing = table(rows, LIST_HEADER, max_width=70) if rows else "(no program)"
    return "\n".join([listing, f"{len(verdicts)} programs: {total}", *_by_rule(verdicts)])


def _by_rule(verdicts: list[Verdict]) -> list[str]:
    """Per rule, how many programs it excludes and how many it leaves open (unknown)."""
    fails: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    for v in verdicts:
        fails.update({r.label for r in v.exclusions})
        unknown.update({r.label for r in v.open_questions})
    if not fails and not unknown:
        return []
    rules = sorted({*fails, *unknown}, key=lambda r: (-fails[r], -unknown[r], r))
    rows = [[r, fails[r], unknown[r]] for r in rules]
    return ["", "By rule (programs it excludes / leaves unverified):",
            table(rows, ["rule", "excludes", "unverified"])]


def _outcome(reason: Reason) -> str:
    if reason.strictness:
        return f"{reason.outcome.value} ({reason.strictness.value})"
    return f"{reason.outcome.value} (might fail)" if reason.might_fail else reason.outcome.value


def _program_value(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
