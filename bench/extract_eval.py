"""Evaluate requirement extraction against a labelled JSONL corpus.

    python bench/extract_eval.py PATH [--errors]

PATH is a JSONL file in the format of the labelled requirements corpus (one page per line:
``text``, one column per field, ``preferred_fields``). Prints per-field precision and recall,
the micro-average of the even-numbered and odd-numbered rows (0-based line order), and of
the odd rows split in two, and, as the last line, the micro-average over all rows. The rules
were written on the even rows, then refined once on rows 1 mod 4; rows 3 mod 4 were never
used for tuning, so their figure is the honest estimate for unseen pages. How a prediction
counts as correct is documented in
``smartpick.rules.extract_scoring`` and docs/extraction.md. ``--errors`` lists the wrong or
missed values by row id (values only, never the page text).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from smartpick.catalog.fields import Qualifier
from smartpick.rules.extract import EXTRACTED_FIELDS, extract_requirements
from smartpick.rules.extract_scoring import FieldTally, score_row


def load_rows(path: Path) -> list[dict[str, Any]]:
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


def tally(rows: list[dict[str, Any]]) -> dict[str, FieldTally]:
    tallies: dict[str, FieldTally] = {}
    for row in rows:
        score_row(tallies, row, predict(str(row.get("text") or "")), EXTRACTED_FIELDS)
    return tallies


def micro(tallies: dict[str, FieldTally]) -> FieldTally:
    total = FieldTally()
    for t in tallies.values():
        total.tp, total.fp, total.fn = total.tp + t.tp, total.fp + t.fp, total.fn + t.fn
    return total


def _splits(rows: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The development protocol: rules written on even rows, refined on rows 1 mod 4,
    never tuned on rows 3 mod 4."""
    return [
        ("even rows (tuned)", rows[0::2]),
        ("odd rows (half of them tuned in round 2)", rows[1::2]),
        ("rows 1 mod 4 (second tuning round)", rows[1::4]),
        ("rows 3 mod 4 (never tuned on)", rows[3::4]),
    ]


def report(rows: list[dict[str, Any]], show_errors: bool) -> None:
    tallies = tally(rows)
    click.echo(f"{'field':<22}{'gold':>6}{'pred':>6}{'tp':>5}{'precision':>11}{'recall':>8}")
    for name in EXTRACTED_FIELDS:
        t = tallies[name]
        click.echo(f"{name:<22}{t.tp + t.fn:>6}{t.tp + t.fp:>6}{t.tp:>5}"
                   f"{t.precision:>11.2f}{t.recall:>8.2f}")
        if show_errors:
            for error in t.errors:
                click.echo(f"    {error}")
    for label, part in _splits(rows):
        m = micro(tally(part))
        click.echo(f"{label}: micro precision={m.precision:.2f} recall={m.recall:.2f} "
                   f"n={len(part)}")
    whole = micro(tallies)
    click.echo(f"micro precision={whole.precision:.2f} recall={whole.recall:.2f} n={len(rows)}")


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--errors", is_flag=True, help="List wrong and missed values by row id.")
def main(path: Path, errors: bool) -> None:
    """Print per-field precision/recall and the micro-average for the corpus at PATH."""
    report(load_rows(path), errors)


if __name__ == "__main__":
    sys.exit(main())
