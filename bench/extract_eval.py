"""Evaluate requirement extraction against a labelled JSONL corpus.

    python bench/extract_eval.py PATH [--errors] [--hide-half-b] [--hide-held-out]

PATH is a JSONL file in the format of the labelled requirements corpus (one page per line:
``text``, one column per field, ``preferred_fields``). Prints per-field precision and recall,
the micro-average of each development split, and, as the last line, the micro-average over
all rows (``micro precision=P recall=R n=ROWS``).

Splits (see docs/extraction.md, "Development protocol"): rows are numbered in file order from
0. The rules were written on the even rows and refined on rows 1 mod 4. Rows 3 mod 4 are cut
in two halves by the SHA-256 of their ``id`` (sorted digests; the first half is A): half A was
used to find general failure patterns, half B was scored once, after the rules were frozen.

``--hide-half-b`` drops half B from every figure and error list (the development mode of
round 3). Round 4 holds out the rows of the third IM batch (ids ``req-3NNN``), chosen before
any text or error of that round was read; ``--hide-held-out`` drops them (the development
mode of round 4), and the figures per split show them separately, cut by the split each row
had before. ``--errors`` lists wrong and missed values by row id (values only, never the page
text); the errors of half B and of the held-out rows are listed only with ``--errors-half-b``
and ``--errors-held-out``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from smartpick.catalog.fields import Qualifier
from smartpick.rules.extract import EXTRACTED_FIELDS, extract_requirements
from smartpick.rules.extract.scoring import FieldTally, score_row

Row = dict[str, Any]


@dataclass(frozen=True)
class Split:
    label: str
    ids: frozenset[str]


def load_rows(path: Path) -> list[Row]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise click.ClickException(f"{path}:{number}: not JSON ({err.msg})") from None
    return rows


def predict(text: str) -> dict[str, tuple[Any, bool]]:
    return {
        r.field: (r.value, r.qualifier == Qualifier.PREFERRED)
        for r in extract_requirements(text)
    }


def tally(rows: list[Row], check_qualifier: bool = True) -> dict[str, FieldTally]:
    tallies: dict[str, FieldTally] = {}
    for row in rows:
        score_row(tallies, row, predict(str(row.get("text") or "")), EXTRACTED_FIELDS,
                  check_qualifier)
    return tallies


def micro(tallies: dict[str, FieldTally]) -> FieldTally:
    total = FieldTally()
    for t in tallies.values():
        total.tp, total.fp, total.fn = total.tp + t.tp, total.fp + t.fp, total.fn + t.fn
    return total


def _ids(rows: list[Row]) -> frozenset[str]:
    return frozenset(str(row.get("id")) for row in rows)


def halves(held_out: list[Row]) -> tuple[frozenset[str], frozenset[str]]:
    """Rows 3 mod 4 cut in two by the SHA-256 digest of their id (first half: A)."""
    ordered = sorted(_ids(held_out), key=lambda i: hashlib.sha256(i.encode()).hexdigest())
    middle = (len(ordered) + 1) // 2
    return frozenset(ordered[:middle]), frozenset(ordered[middle:])


HELD_OUT_PREFIX = "req-3"  # round 4: the third IM batch, never read during that round


def held_out(rows: list[Row]) -> frozenset[str]:
    return frozenset(i for i in _ids(rows) if i.startswith(HELD_OUT_PREFIX))


def splits(rows: list[Row]) -> list[Split]:
    """The development protocol, by 0-based row position in the file."""
    half_a, half_b = halves(rows[3::4])
    later = held_out(rows)
    even, refined = _ids(rows[0::2]), _ids(rows[1::4])
    return [
        Split("even rows (written on)", even),
        Split("rows 1 mod 4 (refined on)", refined),
        Split("rows 3 mod 4 (held out until round 3)", _ids(rows[3::4])),
        Split("half A of rows 3 mod 4 (error patterns read)", half_a),
        Split("round 4 development rows (all but req-3NNN)", _ids(rows) - later),
        Split("round 4 held out: req-3NNN rows (never read in round 4)", later),
        Split("  of which even rows (rules of round 1 written on them)", later & even),
        Split("  of which rows 1 mod 4 (round 2 refined on them)", later & refined),
        Split("  of which half A (round 3 read their errors)", later & half_a),
        Split("  of which half B (scored once in round 3, no rule from them)", later & half_b),
        Split("half B of rows 3 mod 4 (unseen, scored once frozen)", half_b),
    ]


def report(rows: list[Row], show_errors: bool, hide_half_b: bool, errors_half_b: bool,
           hide_held_out: bool = False, errors_held_out: bool = False,
           shown: frozenset[str] | None = None) -> None:
    """Figures for the rows of ``shown`` (default: all); the splits follow the whole file."""
    parts = splits(rows)
    if shown is not None:
        rows = [row for row in rows if str(row.get("id")) in shown]
        parts = [Split(p.label, p.ids & shown) for p in parts if p.ids & shown]
    half_b, later = parts[-1].ids, held_out(rows)
    hidden = (half_b if hide_half_b else frozenset()) | (later if hide_held_out else frozenset())
    if hidden:
        rows = [row for row in rows if str(row.get("id")) not in hidden]
        parts = [Split(p.label, p.ids - hidden) for p in parts if p.ids - hidden]
    quiet = (frozenset() if errors_half_b else half_b) | (
        frozenset() if errors_held_out else later)
    tallies = tally(rows)
    click.echo(f"{'field':<22}{'gold':>6}{'pred':>6}{'tp':>5}{'precision':>11}{'recall':>8}")
    for name in EXTRACTED_FIELDS:
        t = tallies[name]
        click.echo(f"{name:<22}{t.tp + t.fn:>6}{t.tp + t.fp:>6}{t.tp:>5}"
                   f"{t.precision:>11.2f}{t.recall:>8.2f}")
        for error in t.errors if show_errors else []:
            if error.split(":")[0] not in quiet:
                click.echo(f"    {error}")
    for part in parts:
        chosen = [row for row in rows if str(row.get("id")) in part.ids]
        m, v = micro(tally(chosen)), micro(tally(chosen, check_qualifier=False))
        click.echo(f"{part.label}: micro precision={m.precision:.2f} recall={m.recall:.2f} "
                   f"tp={m.tp} fp={m.fp} fn={m.fn} n={len(chosen)} "
                   f"(values only: precision={v.precision:.2f} recall={v.recall:.2f})")
    whole = micro(tallies)
    click.echo(f"micro precision={whole.precision:.2f} recall={whole.recall:.2f} n={len(rows)}")


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--errors", is_flag=True, help="List wrong and missed values by row id.")
@click.option("--hide-half-b", is_flag=True,
              help="Leave half B of rows 3 mod 4 out of every figure (development mode).")
@click.option("--errors-half-b", is_flag=True,
              help="With --errors: list the errors of half B too.")
@click.option("--hide-held-out", is_flag=True,
              help="Leave the req-3NNN rows out of every figure (round 4 development mode).")
@click.option("--errors-held-out", is_flag=True,
              help="With --errors: list the errors of the req-3NNN rows too.")
@click.option("--rows", "only", type=click.Choice(["all", "development", "held-out"]),
              default="all", show_default=True,
              help="Score only round 4's development rows or only its held-out rows.")
def main(path: Path, errors: bool, hide_half_b: bool, errors_half_b: bool,
         hide_held_out: bool, errors_held_out: bool, only: str) -> None:
    """Print per-field precision/recall and the micro-average for the corpus at PATH."""
    rows = load_rows(path)
    later = held_out(rows)
    hide_held_out = hide_held_out or only == "development"
    shown = rows if only != "held-out" else [r for r in rows if str(r.get("id")) in later]
    report(rows, errors, hide_half_b, errors_half_b, hide_held_out, errors_held_out,
           _ids(shown))


if __name__ == "__main__":
    sys.exit(main())
