"""``smartpick extract``: read requirements from a program's own words."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from smartpick.errors import InputError
from smartpick.rules.extract import METHOD, extract_requirements
from smartpick.rules.extract.corpus import read_corpus, requirement_facts, write_facts

DEFAULT_AS_OF = "2026"


@click.command("extract")
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSONL file of program pages (requirements-corpus format) to turn into "
                   "catalog facts instead of reading FILE.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="With --corpus: the import CSV to write (default: print it).")
@click.option("--as-of", "as_of", default=DEFAULT_AS_OF, show_default=True,
              help="With --corpus: date of the facts when a page URL carries none.")
def extract(file: str | None, corpus: Path | None, out: Path | None, as_of: str) -> None:
    """Print the requirements stated in FILE (or '-' for standard input) as JSON.

    Each requirement has its value, whether it is strict or preferred, and the evidence:
    character offsets into the text and the quoted sentence.
    """
    if corpus is not None:
        if file is not None:
            raise InputError("give either FILE or --corpus, not both")
        _ship(corpus, out, as_of)
        return
    if file is None:
        raise InputError("give a FILE to read ('-' for standard input) or --corpus PATH")
    text = _read(file)
    found = [r.to_dict() for r in extract_requirements(text)]
    click.echo(json.dumps({"method": METHOD, "requirements": found}, indent=2))


def _read(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    try:
        return Path(file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"no such file: {file}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read {file}: {err}") from None


def _ship(corpus: Path, out: Path | None, as_of: str) -> None:
    facts = requirement_facts(read_corpus(corpus), as_of)
    if out is None:
        click.echo(json.dumps(facts, indent=2))
        return
    write_facts(facts, out)
    programs = len({f["program_id"] for f in facts})
    click.echo(f"wrote {out}: {len(facts)} facts for {programs} programs", err=True)
