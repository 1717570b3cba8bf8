"""``smartpick usce PROFILE``: the USCE ledger and its metrics, the season timeline, the gaps.

The season and the gap reports come from the service layer (a :class:`Planner` over the
configured catalog and data folder, :func:`smartpick.services.answers.gap_reports`), as for
``POST /api/usce``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import click

from smartpick.applicant.load import load_profile
from smartpick.applicant.profile import Profile
from smartpick.applicant.seasons import Season, season_warning
from smartpick.applicant.timeline import build_timeline
from smartpick.applicant.usce import WEEKS_PER_MONTH, UsceMetrics, usce_metrics
from smartpick.catalog.specialties import canonical
from smartpick.cli.catalog import require_catalog
from smartpick.cli.output import table, to_json
from smartpick.errors import InputError, ValidationProblem
from smartpick.rules.gaps import GapReport
from smartpick.services import answers
from smartpick.services.planner import Planner
from smartpick.settings import load_settings

LEDGER_HEADER = ["#", "kind", "specialty", "state", "start", "end", "weeks", "months",
                 "hands-on", "US letter"]

season_option = click.option(
    "--season", type=int, default=None,
    help="Match year of the season (default: the next one whose application window is ahead).")
reference_option = click.option(
    "--reference-date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
    help="Measure as of this date (YYYY-MM-DD; default: when programs receive applications).")
table_json_option = click.option("--format", "fmt", type=click.Choice(["table", "json"]),
                                 default="table", show_default=True, help="Output format.")


@click.command("usce")
@click.argument("profile_path", metavar="PROFILE", type=click.Path(dir_okay=False))
@click.option("--timeline", is_flag=True, help="Lay the ledger against the season's calendar.")
@click.option("--gaps", is_flag=True,
              help="Programs closed only by USCE rules, and the USCE that opens them.")
@click.option("--specialty", "specialties", multiple=True,
              help="Specialty for --gaps (repeatable; default: the profile's targets).")
@reference_option
@season_option
@table_json_option
def usce(profile_path: str, timeline: bool, gaps: bool, specialties: tuple[str, ...],
         reference_date: datetime | None, season: int | None, fmt: str) -> None:
    """The USCE ledger of PROFILE (YAML or JSON) with its metrics."""
    profile = load_profile(profile_path)
    planner = Planner(load_settings())
    calendar = planner.season(season)
    reference = reference_date.date() if reference_date else calendar.application_date
    metrics = usce_metrics(profile, reference)
    warning = season_warning(calendar)
    data: dict[str, Any] = {"season": calendar.year, "warnings": [warning] if warning else [],
                            "metrics": metrics.to_dict()}
    text = [f"WARNING: {warning}"] if warning else []
    text.append(_ledger_text(profile, metrics))
    if timeline:
        line = build_timeline(profile, calendar)
        data["timeline"] = line.to_dict()
        rows = [[r.when, r.what, r.lands, r.detail] for r in line.rows]
        text.append(table(rows, ["date", "event", "lands", "note"], max_width=90))
        text.append(line.advice())
    if gaps:
        reports = _gaps(planner, profile, calendar, reference, specialties)
        data["gaps"] = [r.to_dict() for r in reports]
        text.extend(_gap_text(r) for r in reports)
    click.echo(to_json(data) if fmt == "json" else "\n\n".join(text))


def _ledger_text(profile: Profile, m: UsceMetrics) -> str:
    rows = [[e.index, e.kind, e.specialty, profile.usce[e.index].state, e.start, e.end,
             e.weeks, e.months, e.hands_on, e.us_letter] for e in m.entries]
    ledger = table(rows, LEDGER_HEADER) if rows else "(no USCE entries)"
    recent = [f"  last {n} months:    {m.recent_months[n]:g} ({m.recent_hands_on_months[n]:g} "
              "hands-on)" for n in m.recent_months]
    by_specialty = ", ".join(f"{s} {v:g}" for s, v in m.months_by_specialty.items()) or "none"
    lines = [
        ledger,
        "",
        f"As of {m.reference_date} ({WEEKS_PER_MONTH} weeks = 1 month):",
        f"  total months:      {m.total_months:g}",
        f"  hands-on months:   {m.hands_on_months:g} (hands-on rotations and externships)",
        f"  by specialty:      {by_specialty}",
        *recent,
        f"  US letters:        {m.us_letters}",
    ]
    if m.planned_months:
        lines.append(f"  planned after {m.reference_date}: {m.planned_months:g} months")
    return "\n".join(lines)


def _gaps(planner: Planner, profile: Profile, season: Season, reference: date,
          specialties: tuple[str, ...]) -> list[GapReport]:
    names = [canonical(s) for s in specialties] or profile.target_specialties()
    if not names:
        raise InputError("no specialty for --gaps", [ValidationProblem(
            "--specialty", "give --specialty or list targets in the profile")])
    require_catalog(planner.settings)
    catalog = planner.catalog
    reports = []
    for name in names:
        found = answers.gap_reports(catalog, profile, season, reference, [name])
        reports.extend(found or [GapReport(name, reference, 0, ())])
    return reports


def _gap_text(report: GapReport) -> str:
    closed = len(report.closed_by_usce_only)
    lines = [f"{report.specialty}: {report.programs_checked} programs checked; "
             f"{closed} closed to you only by USCE rules."]
    lines += [f"  {o.sentence()}" for o in report.options]
    if report.beyond_reach:
        lines.append(f"  {len(report.beyond_reach)} need more than 12 months of new USCE.")
    return "\n".join(lines)
