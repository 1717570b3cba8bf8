"""``smartpick match MARKET_FILE``: the Match of a small market written by hand, with couples
and supplemental lists (Roth–Peranson, :func:`smartpick.market.roth_peranson.match_extended`)."""

from __future__ import annotations

import click

from smartpick.cli.output import plural, table
from smartpick.market.market_file import load_market
from smartpick.market.outcome import (
    ApplicantOutcome,
    BlockingOutcome,
    MatchOutcome,
    SupplementalOutcome,
    describe,
)
from smartpick.market.roth_peranson import match_extended

NONE = "-"


@click.command("match")
@click.argument("market_path", metavar="MARKET_FILE", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
def match(market_path: str, fmt: str) -> None:
    """Run the Match on MARKET_FILE (YAML or JSON): singles, couples, supplemental lists.

    The file lists programs (positions, rank list of applicant ids, `advanced: true` for a
    PGY-2 track), applicants (rank list of program ids, optional supplemental list of PGY-1
    programs) and couples (two members, one joint list of pairs, null = no position for that
    partner); see docs/market.md and examples/markets/couple.yaml. Prints who matched where,
    the couples' pairs, the supplemental lists used, unfilled positions per program, the
    number of rounds and whether the outcome is stable: with couples a stable outcome may
    not exist, and then the command says so and names what blocks the outcome shown.
    """
    market = load_market(market_path)
    outcome = describe(market, match_extended(market))
    if fmt == "json":
        click.echo(outcome.model_dump_json(indent=2))
    else:
        click.echo("\n".join(table_lines(outcome)))


def table_lines(outcome: MatchOutcome) -> list[str]:
    """The outcome as plain-text lines: stability, applicants, couples, lists, programs."""
    couples = len(outcome.couples)
    lines = [f"{plural(len(outcome.applicants), 'applicant')} "
             f"({plural(couples, 'couple')}), {plural(outcome.positions, 'position')} "
             f"in {plural(len(outcome.programs), 'program')}.", *_stability(outcome), ""]
    lines += ["Applicants:", _applicants(outcome.applicants), ""]
    if outcome.couples:
        rows = [[" + ".join(c.members), _pair(c.pair) if c.pair else "unmatched",
                 _choice(c.choice, c.listed)] for c in outcome.couples]
        lines += ["Couples:", table(rows, ["couple", "matched pair", "choice"]), ""]
    if outcome.supplemental:
        lines += ["Supplemental lists (PGY-1, used only while an advanced track is held):",
                  _supplemental(outcome.supplemental), ""]
    lines += ["Programs:", _programs(outcome), "", _summary(outcome)]
    return lines


def _stability(outcome: MatchOutcome) -> list[str]:
    rounds = plural(outcome.rounds, "round")
    if outcome.stable:
        return [f"Stable: no applicant or couple would rather have a place whose program would "
                f"take them (found in {rounds})."]
    message = outcome.message if "round" in outcome.message else f"{outcome.message} ({rounds})"
    return [f"NOT STABLE: {message}.",
            "With couples a stable outcome may not exist (and the search can miss one); the "
            "assignment", "below is the last one reached. It is blocked by:",
            *(f"  {_blocking(b)}" for b in outcome.blocking)]


def _blocking(b: BlockingOutcome) -> str:
    who = " + ".join(b.applicants)
    if b.rank_list == "couple":
        return (f"{who} would rather have {_pair((b.programs[0], b.programs[1]))} (choice "
                f"{b.choice} on their joint list), and the programs would take them.")
    which = "its supplemental list" if b.rank_list == "supplemental" else "its list"
    return (f"{who} would rather have {b.programs[0]} (choice {b.choice} on {which}), and "
            f"{b.programs[0]} would take {who}.")


def _applicants(applicants: list[ApplicantOutcome]) -> str:
    rows = [[a.applicant, a.program or "unmatched", _choice(a.choice, a.listed),
             a.supplemental or NONE, f"with {a.partner}" if a.partner else NONE]
            for a in applicants]
    return table(rows, ["applicant", "matched to", "choice", "PGY-1 (supplemental)", "couple"])


def _supplemental(lists: list[SupplementalOutcome]) -> str:
    rows = []
    for s in lists:
        if s.program:
            used = "used"
        elif s.advanced:
            used = f"no place: no program on it took {s.applicant}"
        else:
            used = "not used: no advanced track held"
        rows.append([s.applicant, s.advanced or NONE, s.program or NONE, used])
    return table(rows, ["applicant", "advanced track", "PGY-1 place", "list"], max_width=70)


def _programs(outcome: MatchOutcome) -> str:
    supplemental = {(s.program, s.applicant) for s in outcome.supplemental if s.program}
    rows = [[p.program + (" (PGY-2)" if p.advanced else ""), p.positions, len(p.matched),
             p.unfilled, ", ".join(a + (" (supplemental)" if (p.program, a) in supplemental
                                        else "") for a in p.matched) or NONE]
            for p in outcome.programs]
    return table(rows, ["program", "positions", "filled", "unfilled", "matched"],
                 max_width=70)


def _summary(outcome: MatchOutcome) -> str:
    state = "stable" if outcome.stable else "NOT STABLE"
    return (f"{outcome.matched:,} of {plural(len(outcome.applicants), 'applicant')} matched; "
            f"{outcome.filled:,} of {plural(outcome.positions, 'position')} filled, "
            f"{outcome.positions - outcome.filled:,} unfilled; outcome {state}.")


def _pair(pair: tuple[str | None, str | None]) -> str:
    return " + ".join(p or "(none)" for p in pair)


def _choice(choice: int | None, listed: int) -> str:
    return f"{choice} of {listed}" if choice is not None else NONE
