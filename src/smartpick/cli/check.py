"""``smartpick check PROFILE``: which programs are open to the applicant, and why.

The verdicts are the service layer's (:mod:`smartpick.services.answers`), the same typed
values ``POST /api/check`` answers; ``--format json`` prints them as the API does."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

import click

from smartpick.applicant.load import load_profile
from smartpick.applicant.profile import Profile
from smartpick.catalog.specialties import canonical
from smartpick.cli.applicant import reference_option, season_option, table_json_option
from smartpick.cli.catalog import require_catalog
from smartpick.cli.output import short_names, table, to_json
from smartpick.errors import InputError, ValidationProblem
from smartpick.rules.verdict import VerdictStatus
from smartpick.services import answers
from smartpick.services.planner import Planner
from smartpick.settings import load_settings

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
    settings = load_settings()
    planner = Planner(settings)
    calendar = planner.season(season)
    names = _specialties(profile, specialty) if not program_id else []
    require_catalog(settings)
    reference = reference_date.date() if reference_date else None
    if program_id:
        verdicts = answers.check_programs(planner.catalog, profile, [program_id], calendar,
                                          reference)
    else:
        verdicts = answers.check_specialties(planner.catalog, profile, names, calendar,
                                             reference)
    if verdicts_shown:
        verdicts = [v for v in verdicts if v.verdict in verdicts_shown]
    if fmt == "json":
        click.echo(to_json([v.model_dump(mode="json") for v in verdicts]))
    elif program_id:
        click.echo(_detail(verdicts[0]))
    else:
        click.echo(_listing(verdicts))


def _specialties(profile: Profile, specialty: str | None) -> list[str]:
    names = [canonical(specialty, "--specialty")] if specialty else profile.target_specialties()
    if not names:
        raise InputError("nothing to check", [ValidationProblem(
            "--specialty", "give --specialty, --program, or list targets in the profile")])
    return names


def _detail(verdict: answers.ProgramVerdict) -> str:
    rows = [[r.label, _outcome(r), _program_value(r.program),
             r.applicant + (f" - {r.note}" if r.note else ""), r.source or "-"]
            for r in verdict.reasons]
    head = (f"{verdict.program_id}  {verdict.name}  ({verdict.state}): "
            f"{verdict.verdict.upper()}")
    return "\n".join([head, "", table(rows, REASON_HEADER, max_width=60)])


def _listing(verdicts: list[answers.ProgramVerdict]) -> str:
    names = short_names([v.name or "" for v in verdicts])
    rows = [[v.program_id, name, v.city, v.state, v.verdict, v.summary]
            for v, name in zip(verdicts, names, strict=True)]
    counts = Counter(v.verdict for v in verdicts)
    total = ", ".join(f"{counts.get(s, 0)} {s}" for s in VERDICTS)
    listing = table(rows, LIST_HEADER, max_width=70) if rows else "(no program)"
    return "\n".join([listing, f"{len(verdicts)} programs: {total}", *_by_rule(verdicts)])


def _by_rule(verdicts: list[answers.ProgramVerdict]) -> list[str]:
    """Per rule, how many programs it excludes and how many it leaves open (unknown)."""
    fails: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    for v in verdicts:
        fails.update({r.label for r in v.reasons if r.excludes})
        unknown.update({r.label for r in v.reasons if r.open_question})
    if not fails and not unknown:
        return []
    rules = sorted({*fails, *unknown}, key=lambda r: (-fails[r], -unknown[r], r))
    rows = [[r, fails[r], unknown[r]] for r in rules]
    return ["", "By rule (programs it excludes / leaves unverified):",
            table(rows, ["rule", "excludes", "unverified"])]


def _outcome(reason: answers.RuleReason) -> str:
    if reason.strictness:
        return f"{reason.outcome} ({reason.strictness})"
    return f"{reason.outcome} (might fail)" if reason.might_fail else reason.outcome


def _program_value(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
